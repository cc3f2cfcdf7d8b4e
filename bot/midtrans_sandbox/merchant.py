"""The sandbox merchant's static QRIS, and the dynamic QRIS each charge answers with.

Midtrans draws a fresh dynamic QRIS per charge from its own merchant account; the sandbox does the same from
a made-up static code (no bank routes money with it), through the project's own codec, so the `qr_string` a
test decodes is a real, CRC-sealed QRIS for exactly the charged amount.
"""

from __future__ import annotations

import io
import re

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from models import qris

MERCHANT_NAME = "KARYA SANDBOX"
MERCHANT_CITY = "MEDAN"
MERCHANT_ID = "G000000042"
# The NMID is "ID" + 13 digits; this one is made up, like every account number below.
MERCHANT_NMID = "ID1020000000042"
_BILL_NUMBER = re.compile(r"[A-Za-z0-9-]{1,25}")


def _tlv(tag: str, value: str) -> str:
    """One EMV data object: tag, two-digit length, value."""
    return f"{tag}{len(value):02d}{value}"


def _build_static() -> str:
    """Assembles the sandbox merchant's static QRIS and seals it with its CRC."""
    gopay = _tlv("00", "COM.GO-JEK.WWW") + _tlv("01", "9360091400000000420") + _tlv("02", MERCHANT_ID)
    national = _tlv("00", "ID.CO.QRIS.WWW") + _tlv("02", MERCHANT_NMID) + _tlv("03", "UMI")
    body = "".join(
        [
            _tlv("00", "01"),
            _tlv("01", "11"),
            _tlv("26", gopay + _tlv("03", "UMI")),
            _tlv("51", national),
            _tlv("52", "5499"),
            _tlv("53", "360"),
            _tlv("58", "ID"),
            _tlv("59", MERCHANT_NAME),
            _tlv("60", MERCHANT_CITY),
            _tlv("61", "20241"),
            _tlv("62", _tlv("07", "A01")),
        ]
    ) + "6304"
    return f"{body}{qris.crc16(body.encode('utf-8')):04X}"


STATIC_QRIS = _build_static()


def dynamic_qris(amount: int, order_id: str) -> str:
    """The dynamic QRIS for one charge; the order id is the bill number when QRIS allows it there."""
    bill = order_id if _BILL_NUMBER.fullmatch(order_id) else None
    return qris.to_dynamic(STATIC_QRIS, amount, bill_number=bill)


def qr_png(payload: str) -> bytes:
    """The QR image the charge's generate-qr-code action serves (error correction M, quiet zone 4)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
