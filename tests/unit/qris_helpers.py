"""Builds QRIS test payloads from data objects, so traps are written as data rather than as strings."""

from __future__ import annotations

import binascii

# The vectors from qris.md, verbatim.
STATIC = (
    "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-01"
    "63043ACC"
)
STATIC_WITHOUT_51_61 = (
    "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI5204581253033605802ID"
    "5911TOKO CONTOH6007JAKARTA62120708KASIR-016304E07E"
)
STATIC_NON_ASCII = (
    "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200123456780303UMI5204581253033605802ID5909KOPI SÜSU6007JAKARTA61051011062120708KASIR-01"
    "6304F554"
)
DYNAMIC_25000_ORD00000001 = (
    "00020101021226620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200123456780303UMI5204581253033605405250005802ID5911TOKO CONTOH6007JAKARTA61051011062270111"
    "ORD000000010708KASIR-0163048519"
)
EMVCO_EXAMPLE = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
    "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
    "0708A60086670902ME91320016A0112233449988770708123456786304A13A"
)
STATIC_VECTORS = (STATIC, STATIC_WITHOUT_51_61, STATIC_NON_ASCII)


def tlv(*objects: tuple[str, str]) -> str:
    """Serializes (tag, value) pairs as EMV TLV text, lengths counted in characters."""
    return "".join(f"{tag}{len(value):02d}{value}" for tag, value in objects)


def seal(body: str) -> str:
    """Appends tag 63 with the CRC-16/CCITT-FALSE of the body's UTF-8 bytes (surrogates pass, for traps)."""
    body += "6304"
    return body + format(binascii.crc_hqx(body.encode("utf-8", "surrogatepass"), 0xFFFF), "04X")


def gopay(pan: str = "9360091412345678901", merchant_id: str = "G123456789") -> str:
    """Returns the value of a GoPay-like merchant account template (26)."""
    return tlv(("00", "COM.GO-JEK.WWW"), ("01", pan), ("02", merchant_id), ("03", "UMI"))


def national(nmid: str = "ID1020012345678") -> str:
    """Returns the value of a QRIS national template (51)."""
    return tlv(("00", "ID.CO.QRIS.WWW"), ("02", nmid), ("03", "UMI"))


def static_objects(**changes: str | None) -> list[tuple[str, str]]:
    """Returns the root objects of a typical static QRIS; `t52="5499"` sets a tag, `t61=None` drops it."""
    objects = {
        "00": "01",
        "01": "11",
        "26": gopay(),
        "51": national(),
        "52": "5812",
        "53": "360",
        "58": "ID",
        "59": "TOKO CONTOH",
        "60": "JAKARTA",
        "61": "10110",
        "62": tlv(("07", "KASIR-01")),
    }
    for key, value in changes.items():
        tag = key.removeprefix("t")
        if value is None:
            objects.pop(tag, None)
        else:
            objects[tag] = value
    return sorted(objects.items(), key=lambda item: int(item[0]))


def static_payload(**changes: str | None) -> str:
    """Returns a sealed static QRIS, changed as in `static_objects`."""
    return seal(tlv(*static_objects(**changes)))


def root_objects(payload: str) -> list[tuple[str, str]]:
    """Splits a payload into root (tag, value) pairs, independently of the code under test."""
    found = []
    pos = 0
    while pos < len(payload):
        length = int(payload[pos + 2 : pos + 4])
        found.append((payload[pos : pos + 2], payload[pos + 4 : pos + 4 + length]))
        pos += 4 + length
    return found
