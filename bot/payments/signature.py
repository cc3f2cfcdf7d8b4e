"""Midtrans' notification signature: SHA-512 hex of order_id + status_code + gross_amount + server key.

Computed over the strings exactly as the notification carried them ("42000.00", never re-formatted) and compared
in constant time. It covers only those four fields: the status API, not the body, says what happened.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNED_FIELDS = ("order_id", "status_code", "gross_amount")


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """The signature Midtrans sends for these strings (lowercase hex)."""
    return hashlib.sha512((order_id + status_code + gross_amount + server_key).encode("utf-8")).hexdigest()


def signature_ok(body: Mapping[str, object], server_key: str) -> bool:
    """True when the body carries the three signed fields and a signature_key that matches them, all strings."""
    values = [body.get(name) for name in SIGNED_FIELDS]
    given = body.get("signature_key")
    if not isinstance(given, str) or not all(isinstance(v, str) for v in values):
        return False
    order_id, status_code, gross_amount = (str(v) for v in values)
    expected = signature(order_id, status_code, gross_amount, server_key)
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "surrogateescape"))
