"""The payment code's module matrix is exactly the one qrcode makes on its own, mask choice included.

bot/render/qr_matrix.py calls qrcode's QRCode.makeImpl(test, mask) directly (public name, not documented): these
tests are the contract that says so if a qrcode release changes what it draws.
"""

from __future__ import annotations

import random

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from bot.render.qr_matrix import qr_rows
from models.qris import SAMPLE_MERCHANT_PAYLOAD, to_dynamic
from tests.unit.qris_helpers import STATIC, STATIC_NON_ASCII, STATIC_WITHOUT_51_61

# Digits, upper-case and lower-case runs, so qrcode splits payloads into numeric, alphanumeric and byte chunks.
_ALPHABETS = ["0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:", "abcdefghijklmnopqrstuvwxyzÜé&"]


CHANGED = "qr_rows differs from qrcode's own matrix: did qrcode change QRCode.makeImpl? See bot/render/qr_matrix.py"


def reference(payload: str) -> qrcode.QRCode:
    """qrcode on its own, as `qrcode.make` uses it, at error correction M."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(payload)
    code.make()
    return code


def rows(code: qrcode.QRCode) -> list[bytes]:
    """qrcode's matrix as rows of 0/1 bytes, 1 = dark."""
    return [bytes(map(bool, row)) for row in code.modules]


def mixed_text(rng: random.Random, length: int) -> str:
    """Random text of about `length` characters in runs of digits, alphanumerics and bytes."""
    parts: list[str] = []
    while sum(map(len, parts)) < length:
        alphabet = rng.choice(_ALPHABETS)
        parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))))
    return "".join(parts)[:length]


def payment_payloads() -> list[str]:
    """Dynamic codes as the bot makes them, for the sample merchant and the design note's vectors."""
    amounts = [1, 1_020, 2_206, 3_500, 25_000, 28_500, 126_000, 1_250_000, 9_999_000, 9_999_999_999_999]
    payloads = [to_dynamic(SAMPLE_MERCHANT_PAYLOAD, a, bill_number=f"KB-{a % 99991:05d}") for a in amounts]
    payloads += [to_dynamic(static, 25_000) for static in (STATIC, STATIC_NON_ASCII, STATIC_WITHOUT_51_61)]
    return payloads


def other_payloads() -> list[str]:
    """Texts of many lengths: versions 1 to 40 (the largest is slow in qrcode, so sampled), and all 8 masks."""
    rng = random.Random(20261204)
    lengths = [1, 12, 30, 55, 80, 110, 150, 190, 230, 280, 320, 400, 520, 700, 900, 1200, 1500, 1800]
    texts = [mixed_text(rng, length) for length in lengths] + [mixed_text(rng, 60) for _ in range(30)]
    return [*texts, "x" * 2300]  # 2,300 bytes need version 40 at error correction M


@pytest.mark.parametrize("payload", payment_payloads())
def test_a_payment_code_has_the_matrix_qrcode_makes_by_itself(payload: str) -> None:
    assert qr_rows(payload) == rows(reference(payload)), CHANGED


def test_any_text_has_the_matrix_qrcode_makes_by_itself_in_every_version_and_mask() -> None:
    versions, masks = set(), set()
    for payload in other_payloads():
        code = reference(payload)
        assert qr_rows(payload) == rows(code), f"{CHANGED} (payload {payload!r})"
        versions.add(code.version)
        # qrcode does not keep the mask it chose; its format bits say it (row 8, columns 2 to 4, unmasked).
        masks.add(int("".join("1" if code.modules[8][c] else "0" for c in (2, 3, 4)), 2) ^ 0b101)
    assert min(versions) == 1 and max(versions) == 40 and len(versions) >= 15
    assert masks == set(range(8))
