"""Codes people read aloud and type back: order codes, counter pickup codes and invite tokens.

Order codes are "KB-" plus 6 characters from an alphabet of 28 with no 0/O, 1/I/L and no vowels at all
(so no codes spell words, rude or otherwise). Because every confusable character is excluded, there is
nothing safe to map a typed "0", "O", "1", "I" or "L" to; `normalize_order_code` returns None for them
rather than guess, since a wrong guess could open another buyer's order.
"""

from __future__ import annotations

import random
import re
import secrets

ORDER_PREFIX = "KB-"
ORDER_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
ORDER_BODY_LENGTH = 6
PICKUP_CODE_DIGITS = 4

_SEPARATORS_RE = re.compile(r"[\s\-_#.]+")


def new_order_code(rng: random.Random | None = None) -> str:
    """Draws a fresh order code such as "KB-7GQ2XM" with `secrets` (or with a seeded rng in tests)."""
    choose = secrets.choice if rng is None else rng.choice
    return ORDER_PREFIX + "".join(choose(ORDER_ALPHABET) for _ in range(ORDER_BODY_LENGTH))


def normalize_order_code(text: str) -> str | None:
    """Reads what a buyer typed ("kb 7gq2xm", "#7GQ2XM") as a canonical order code, or None."""
    compact = _SEPARATORS_RE.sub("", text.strip().upper())
    if len(compact) == ORDER_BODY_LENGTH + 2 and compact.startswith("KB"):
        compact = compact[2:]
    if len(compact) != ORDER_BODY_LENGTH or any(ch not in ORDER_ALPHABET for ch in compact):
        return None
    return ORDER_PREFIX + compact


def new_pickup_code(rng: random.Random | None = None) -> str:
    """Draws a 4-digit code ("0427") the buyer shows at the counter."""
    below = secrets.randbelow if rng is None else rng.randrange
    return f"{below(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"


def new_token(nbytes: int = 16) -> str:
    """Draws a URL-safe random token (A-Z, a-z, 0-9, "_" and "-") for invite links, at most 64 characters."""
    if not 8 <= nbytes <= 48:
        raise ValueError("nbytes must be between 8 and 48 (48 bytes make 64 characters)")
    return secrets.token_urlsafe(nbytes)
