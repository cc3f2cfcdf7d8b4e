"""QRIS payloads: parse, validate, and derive a per-order dynamic code from the merchant's static one.

QRIS is Indonesia's profile of EMVCo QR Merchant-Presented Mode (design note: qris.md).
A payload is never edited as a string: it is parsed, the list of data objects is changed, then
serialized, sealed with a fresh CRC and validated again.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "SAMPLE_MERCHANT_PAYLOAD",
    "DataObject",
    "MerchantInfo",
    "QrisError",
    "crc16",
    "describe",
    "parse",
    "to_dynamic",
    "validate",
]

# A SAMPLE static QRIS for demos and tests only: the NMID and account numbers are made up, so no
# bank app will route money with it. Configure the cooperative's real static QRIS in production.
SAMPLE_MERCHANT_PAYLOAD = (
    "00020101021126610014COM.GO-JEK.WWW01189360091400000000010210G0000000010303UMI"
    "51440014ID.CO.QRIS.WWW0215ID10200000000010303UMI5204549953033605802ID"
    "5919CONTOH KOPERASI KHM6005MEDAN61052024162070703A0163048648"
)

_QRIS_GUID = "ID.CO.QRIS.WWW"
_MAX_AMOUNT_DIGITS = 13
# Bill numbers are order codes: ASCII letters, digits and '-', which every bank app shows as typed.
_BILL_NUMBER = re.compile(r"[A-Za-z0-9-]{1,25}")
_DIGITS = re.compile(r"[0-9]+")
_UPPER_HEX4 = re.compile(r"[0-9A-F]{4}")
_NMID = re.compile(r"ID[0-9]{13}")
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Digits with at most one '.', at least one non-zero digit, at most `n` characters in all.
_AMOUNT_RULE = r"(?=.{{1,{n}}}\Z)(?=.*[1-9])[0-9]+(?:\.[0-9]+)?"
_AMOUNT_TEXT = "a non-zero number of at most {n} characters (digits, optionally one '.')"
# Root objects whose format EMV or QRIS fixes: tag -> (name, full-match pattern, rule in words).
_ROOT_RULES: dict[str, tuple[str, re.Pattern[str], str]] = {
    "01": ("point of initiation", re.compile(r"1[12]"), "11 or 12"),
    "52": ("merchant category code", re.compile(r"[0-9]{4}"), "4 digits"),
    "53": ("currency", re.compile(r"[0-9]{3}"), "3 digits"),
    "54": ("amount", re.compile(_AMOUNT_RULE.format(n=13)), _AMOUNT_TEXT.format(n=13)),
    "55": ("tip indicator", re.compile(r"0[123]"), "01, 02 or 03"),
    "56": ("fixed fee", re.compile(_AMOUNT_RULE.format(n=13)), _AMOUNT_TEXT.format(n=13)),
    "57": ("percentage fee", re.compile(_AMOUNT_RULE.format(n=5)), _AMOUNT_TEXT.format(n=5)),
    "58": ("country", re.compile(r"[A-Z]{2}"), "2 uppercase letters"),
    "59": ("merchant name", re.compile(r".{1,25}", re.DOTALL), "at most 25 characters"),
    "60": ("merchant city", re.compile(r".{1,15}", re.DOTALL), "at most 15 characters"),
    "61": ("postal code", re.compile(r".{1,10}", re.DOTALL), "at most 10 characters"),
}
_REQUIRED = ("01", "52", "53", "58", "59", "60")
# Tags removed before an amount is set: amount, tip indicator, fixed fee, percentage fee, CRC.
_TRANSACTION_TAGS = frozenset({"54", "55", "56", "57", "63"})
# Maximum lengths of the additional data (62) sub-objects that EMV fixes.
_ADDITIONAL_MAX = {f"{sub:02d}": 25 for sub in range(1, 9)} | {"09": 3, "10": 20, "11": 3}


class QrisError(ValueError):
    """A payload or conversion request that is refused, with the reason in the message."""


@dataclass(frozen=True)
class DataObject:
    """One EMV data object; `children` holds the parsed sub-objects of a template, else None."""

    tag: str
    value: str
    children: tuple[DataObject, ...] | None = None


@dataclass(frozen=True)
class MerchantInfo:
    """What a payload says about its merchant, for humans checking a configured QRIS."""

    merchant_name: str
    city: str
    postal_code: str | None
    nmid: str | None
    account_issuers: list[str]
    is_dynamic: bool
    amount: Decimal | None


def crc16(data: bytes) -> int:
    """Returns the CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, unreflected) of `data`."""
    return binascii.crc_hqx(data, 0xFFFF)


def parse(payload: str) -> list[DataObject]:
    """Splits a payload into its root data objects, parsing templates one level deep."""
    if not isinstance(payload, str):
        raise QrisError(f"payload must be a str, not {type(payload).__name__}")
    return [DataObject(tag, value, _children(tag, value, start)) for tag, value, start in _split(payload, 0, "")]


def validate(payload: str) -> list[DataObject]:
    """Checks that `payload` is a well-formed Indonesian QRIS and returns its parsed objects."""
    if not isinstance(payload, str):
        raise QrisError(f"payload must be a str, not {type(payload).__name__}")
    if not payload:
        raise QrisError("payload is empty")
    if payload != payload.strip():
        raise QrisError("payload has leading or trailing whitespace")
    _check_characters(payload)
    objects = parse(payload)
    _check_envelope(objects)
    _check_crc(payload, objects[-1].value)
    _check_unique(objects, "")
    for obj in objects:
        if obj.children is not None and _is_reserved_template(obj.tag):
            _check_unique(obj.children, f" in template {obj.tag}")
    _check_values(objects)
    _check_indonesian(objects)
    return objects


def to_dynamic(static_payload: str, amount: int, *, bill_number: str | None = None) -> str:
    """Derives a single-use dynamic QRIS for `amount` whole rupiah from the merchant's static QRIS."""
    _check_amount(amount)
    if bill_number is not None and not (isinstance(bill_number, str) and _BILL_NUMBER.fullmatch(bill_number)):
        raise QrisError(f"bill number must be 1 to 25 characters of A-Z, a-z, 0-9 and '-', got {bill_number!r}")
    if not isinstance(static_payload, str):
        raise QrisError(f"payload must be a str, not {type(static_payload).__name__}")
    source = validate(static_payload.strip())
    if _value(source, "01") == "12":
        raise QrisError(
            "source is already a dynamic QRIS (01 = 12) and dynamic codes are single-use; "
            "convert the merchant's static QRIS (01 = 11) instead"
        )

    objects = [obj for obj in source if obj.tag not in _TRANSACTION_TAGS]
    objects = [DataObject("01", "12") if obj.tag == "01" else obj for obj in objects]
    _insert_by_tag(objects, DataObject("54", str(amount)))
    if bill_number is not None:
        _set_bill_number(objects, bill_number)
    body = _encode(objects) + "6304"
    result = f"{body}{crc16(body.encode('utf-8')):04X}"

    checked = validate(result)
    if _merchant_templates(checked) != _merchant_templates(source):
        raise QrisError("merchant account templates 26-51 changed during conversion")
    if _value(checked, "54") != str(amount) or _value(checked, "01") != "12":
        raise QrisError("converted payload does not carry the requested amount as a dynamic QRIS")
    return result


def describe(payload: str) -> MerchantInfo:
    """Validates `payload` and summarizes its merchant, accounts and amount."""
    objects = validate(payload)
    by_tag = {obj.tag: obj for obj in objects}
    national = by_tag.get("51")
    issuers = [_child_value(obj, "00") or "" for obj in objects if 26 <= int(obj.tag) <= 45 or obj.tag == "51"]
    amount = _value(objects, "54")
    return MerchantInfo(
        merchant_name=by_tag["59"].value,
        city=by_tag["60"].value,
        postal_code=_value(objects, "61"),
        nmid=_child_value(national, "02") if national else None,
        account_issuers=issuers,
        is_dynamic=by_tag["01"].value == "12",
        amount=Decimal(amount) if amount is not None else None,
    )


def _split(text: str, offset: int, where: str) -> list[tuple[str, str, int]]:
    """Splits TLV text into (tag, value, value position) triples, positions counted in the payload."""
    found: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        length = int(head[2:]) if len(head) == 4 and head.isascii() and head.isdigit() else 0
        if not length or pos + 4 + length > len(text):
            raise _unreadable(text, pos, offset, where)
        found.append((head[:2], text[pos + 4 : pos + 4 + length], offset + pos + 4))
        pos += 4 + length
    return found


def _unreadable(text: str, pos: int, offset: int, where: str) -> QrisError:
    """Explains why the data object at `pos` of `text` cannot be read."""
    at = f"at character {offset + pos}{where}"
    tag, length_text = text[pos : pos + 2], text[pos + 2 : pos + 4]
    if len(text) - pos < 4:
        return QrisError(f"trailing characters {text[pos:]!r} {at} do not form a data object")
    if not _DIGITS.fullmatch(tag):
        return QrisError(f"invalid tag {tag!r} {at}: a tag is two digits")
    if not _DIGITS.fullmatch(length_text):
        return QrisError(f"invalid length {length_text!r} for tag {tag} {at}: a length is two digits")
    if length_text == "00":
        return QrisError(f"tag {tag} {at} has length 00: a value has 1 to 99 characters")
    return QrisError(
        f"truncated value: tag {tag} {at} declares {int(length_text)} characters but only {len(text) - pos - 4} remain"
    )


def _is_reserved_template(tag: str) -> bool:
    """True for the templates EMV defines: merchant accounts 26-51, additional data 62, language 64."""
    return 26 <= int(tag) <= 51 or tag in ("62", "64")


def _children(tag: str, value: str, start: int) -> tuple[DataObject, ...] | None:
    """Parses a template's sub-objects; unreserved templates 80-99 that are not TLV get None."""
    where = f" inside template {tag}"
    if _is_reserved_template(tag):
        return tuple(DataObject(t, v) for t, v, _ in _split(value, start, where))
    if 80 <= int(tag) <= 99:
        try:
            return tuple(DataObject(t, v) for t, v, _ in _split(value, start, where))
        except QrisError:
            return None
    return None


def _encode(objects: list[DataObject] | tuple[DataObject, ...]) -> str:
    """Serializes data objects as tag, two-digit length and value."""
    parts = []
    for obj in objects:
        if not 1 <= len(obj.value) <= 99:
            raise QrisError(f"tag {obj.tag} would be {len(obj.value)} characters long; the maximum is 99")
        parts.append(f"{obj.tag}{len(obj.value):02d}{obj.value}")
    return "".join(parts)


def _value(objects: list[DataObject], tag: str) -> str | None:
    """Returns the value of the root object `tag`, or None."""
    return next((obj.value for obj in objects if obj.tag == tag), None)


def _child_value(obj: DataObject, tag: str) -> str | None:
    """Returns the value of sub-object `tag` of a template, or None."""
    return next((child.value for child in obj.children or () if child.tag == tag), None)


def _merchant_templates(objects: list[DataObject]) -> list[tuple[str, str]]:
    """Lists the merchant account templates 26-51 exactly as written."""
    return [(obj.tag, obj.value) for obj in objects if 26 <= int(obj.tag) <= 51]


def _insert_by_tag(objects: list[DataObject], new: DataObject) -> None:
    """Inserts `new` before the first object with a greater tag, or at the end."""
    index = next((i for i, obj in enumerate(objects) if int(obj.tag) > int(new.tag)), len(objects))
    objects.insert(index, new)


def _set_bill_number(objects: list[DataObject], bill_number: str) -> None:
    """Sets 62.01, keeping the other additional data sub-objects, and creates 62 if absent."""
    bill = DataObject("01", bill_number)
    for index, obj in enumerate(objects):
        if obj.tag == "62":
            children = list(obj.children or ())
            position = next((i for i, child in enumerate(children) if child.tag == "01"), None)
            if position is None:
                _insert_by_tag(children, bill)
            else:
                children[position] = bill
            objects[index] = DataObject("62", _encode(children), tuple(children))
            return
    _insert_by_tag(objects, DataObject("62", _encode([bill]), (bill,)))


def _check_amount(amount: object) -> None:
    """Refuses anything but an int of whole rupiah from 1 to 13 digits."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise QrisError(f"amount must be an int of whole rupiah, not {type(amount).__name__} {amount!r}")
    if not 1 <= amount < 10**_MAX_AMOUNT_DIGITS:
        raise QrisError(f"amount must be from 1 to {_MAX_AMOUNT_DIGITS} digits of rupiah, got {amount}")


def _check_characters(payload: str) -> None:
    """Refuses control characters and unpaired surrogates, which have no place in a QR payload."""
    found = _FORBIDDEN_CHARACTER.search(payload)
    if found:
        code = ord(found.group())
        kind = "unpaired surrogate" if code >= 0xD800 else "control character"
        raise QrisError(f"{kind} U+{code:04X} at character {found.start()}")


def _check_envelope(objects: list[DataObject]) -> None:
    """Checks that 00 = 01 comes first and the 4-character CRC 63 comes last."""
    if objects[0].tag != "00":
        raise QrisError(f"payload format indicator 00 must come first, found tag {objects[0].tag}")
    if objects[0].value != "01":
        raise QrisError(f"payload format indicator 00 must be '01', got {objects[0].value!r}")
    last = objects[-1]
    if last.tag != "63":
        raise QrisError(f"CRC 63 must come last, found tag {last.tag}")
    if len(last.value) != 4:
        raise QrisError(f"CRC 63 must have length 04, got {len(last.value):02d}")


def _check_crc(payload: str, stated: str) -> None:
    """Checks the CRC over the UTF-8 bytes up to and including '6304'."""
    if not _UPPER_HEX4.fullmatch(stated):
        raise QrisError(f"CRC {stated!r} is not 4 uppercase hexadecimal digits")
    computed = crc16(payload[:-4].encode("utf-8"))
    if int(stated, 16) != computed:
        raise QrisError(f"CRC mismatch: payload says {stated}, computed {computed:04X}")


def _check_unique(objects: list[DataObject] | tuple[DataObject, ...], where: str) -> None:
    """Refuses a tag that appears twice at one level."""
    seen: set[str] = set()
    for obj in objects:
        if obj.tag in seen:
            raise QrisError(f"duplicate tag {obj.tag}{where}")
        seen.add(obj.tag)


def _require(ok: bool, message: str) -> None:
    """Raises QrisError with `message` unless `ok`."""
    if not ok:
        raise QrisError(message)


def _check_values(objects: list[DataObject]) -> None:
    """Checks presence, lengths and formats of the objects the EMV and QRIS specs fix."""
    by_tag = {obj.tag: obj for obj in objects}
    for tag in _REQUIRED:
        _require(tag in by_tag, f"{_ROOT_RULES[tag][0]} ({tag}) is missing")
    for tag, (name, pattern, rule) in _ROOT_RULES.items():
        if tag in by_tag:
            value = by_tag[tag].value
            _require(bool(pattern.fullmatch(value)), f"{name} ({tag}) must be {rule}, got {value!r}")
    for obj in objects:
        if 26 <= int(obj.tag) <= 51:
            _check_merchant_account(obj)
    if "62" in by_tag:
        for child in by_tag["62"].children or ():
            maximum = _ADDITIONAL_MAX.get(child.tag, 99)
            _require(
                len(child.value) <= maximum,
                f"additional data 62.{child.tag} is {len(child.value)} characters; the maximum is {maximum}",
            )
    if "64" in by_tag:
        _check_language_template(by_tag["64"])


def _check_merchant_account(obj: DataObject) -> None:
    """Checks a merchant account template's GUID, and the NMID of the QRIS national template."""
    guid = _child_value(obj, "00")
    _require(guid is not None, f"merchant account template {obj.tag} has no GUID (sub-tag 00)")
    _require(len(guid or "") <= 32, f"GUID of merchant account template {obj.tag} is longer than 32 characters")
    if guid == _QRIS_GUID:
        nmid = _child_value(obj, "02")
        _require(
            nmid is not None and bool(_NMID.fullmatch(nmid)),
            f"NMID {obj.tag}.02 must be 'ID' followed by 13 digits, got {nmid!r}",
        )


def _check_language_template(obj: DataObject) -> None:
    """Checks the merchant information language template 64."""
    language = _child_value(obj, "00")
    name = _child_value(obj, "01")
    city = _child_value(obj, "02")
    _require(language is not None and len(language) == 2, "language template 64 needs a 2-letter language (64.00)")
    _require(
        name is not None and len(name) <= 25,
        "language template 64 needs a name (64.01) of at most 25 characters",
    )
    _require(city is None or len(city) <= 15, "alternate city 64.02 is longer than 15 characters")


def _check_indonesian(objects: list[DataObject]) -> None:
    """Checks that the payload is a QRIS: rupiah, Indonesia, and a merchant account template."""
    currency, country = _value(objects, "53"), _value(objects, "58")
    _require(currency == "360", f"not an Indonesian QRIS: currency (53) is {currency}, expected 360 (IDR)")
    _require(country == "ID", f"not an Indonesian QRIS: country (58) is {country}, expected ID")
    _require(any(26 <= int(obj.tag) <= 51 for obj in objects), "not a QRIS: no merchant account template (26-51)")
