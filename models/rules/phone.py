"""Indonesian phone numbers: every common way of writing them becomes E.164; logs only see a mask."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from models.errors import ForeignPhone, InvalidPhone

REGION = "ID"
NOT_A_NUMBER = "not_a_number"
INVALID = "invalid"
NOT_INDONESIAN = "not_indonesian"

# Digits and the punctuation people put between them; letters are refused (no vanity numbers).
_ALLOWED_RE = re.compile(r"^\+?[0-9()\-. /]+$")
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _parse(text: str) -> phonenumbers.PhoneNumber:
    """Parses an Indonesian number written in any common form, raising InvalidPhone."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > 32 or not _ALLOWED_RE.match(cleaned):
        raise InvalidPhone(reason=NOT_A_NUMBER)
    if cleaned.startswith("0062"):  # the international prefix some buyers copy from abroad
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, REGION)
    except NumberParseException as exc:
        raise InvalidPhone(reason=NOT_A_NUMBER) from exc
    if phonenumbers.region_code_for_number(number) != REGION:
        raise ForeignPhone(reason=NOT_INDONESIAN)
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(reason=INVALID)
    return number


def normalize_phone(text: str) -> str:
    """Returns the E.164 form ("+628123456789") of any valid Indonesian number, else raises InvalidPhone."""
    return phonenumbers.format_number(_parse(text), PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Tells whether a stored E.164 number is an Indonesian mobile number (can receive WhatsApp/SMS)."""
    try:
        return phonenumbers.number_type(_parse(e164)) in _MOBILE_TYPES
    except InvalidPhone:
        return False


def mask_phone(e164: str) -> str:
    """Hides the middle of a number for logs and displays: "+628123456789" -> "+62812****789"."""
    digits = "".join(ch for ch in e164 if ch.isascii() and ch.isdigit())
    if len(digits) < 8:
        return "****"
    return f"+{digits[:5]}****{digits[-3:]}"
