"""The QRIS test vectors of qris.md, each checked against the codec."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.qris import (
    SAMPLE_MERCHANT_PAYLOAD,
    DataObject,
    MerchantInfo,
    QrisError,
    crc16,
    describe,
    parse,
    to_dynamic,
    validate,
)
from tests.unit.qris_helpers import (
    DYNAMIC_25000_ORD00000001,
    EMVCO_EXAMPLE,
    STATIC,
    STATIC_NON_ASCII,
    STATIC_VECTORS,
    STATIC_WITHOUT_51_61,
)


def test_crc16_gives_the_ccitt_false_check_value() -> None:
    assert crc16(b"123456789") == 0x29B1


@pytest.mark.parametrize("payload", STATIC_VECTORS)
def test_accepts_every_static_vector(payload: str) -> None:
    objects = validate(payload)
    assert objects[0] == DataObject("00", "01")
    assert objects[-1].tag == "63"


def test_computes_the_crc_over_utf8_bytes_for_a_non_ascii_name() -> None:
    objects = validate(STATIC_NON_ASCII)
    assert next(obj.value for obj in objects if obj.tag == "59") == "KOPI SÜSU"
    assert crc16(STATIC_NON_ASCII[:-4].encode("utf-8")) == 0xF554


def test_counts_lengths_in_characters_not_bytes() -> None:
    name = next(obj for obj in parse(STATIC_NON_ASCII) if obj.tag == "59")
    assert name.value == "KOPI SÜSU"
    assert len(name.value) == 9 < len(name.value.encode("utf-8"))


def test_parses_templates_into_their_sub_objects() -> None:
    gopay = next(obj for obj in parse(STATIC) if obj.tag == "26")
    assert gopay.children == (
        DataObject("00", "COM.GO-JEK.WWW"),
        DataObject("01", "9360091412345678901"),
        DataObject("02", "G123456789"),
        DataObject("03", "UMI"),
    )
    assert next(obj for obj in parse(STATIC) if obj.tag == "52").children is None


def test_converts_the_first_vector_to_rp25000_with_a_bill_number() -> None:
    assert to_dynamic(STATIC, 25000, bill_number="ORD00000001") == DYNAMIC_25000_ORD00000001


def test_accepts_its_own_dynamic_result() -> None:
    assert validate(DYNAMIC_25000_ORD00000001)[1] == DataObject("01", "12")


@pytest.mark.parametrize(("amount", "crc"), [(1020, "0A03"), (2206, "0042")])
def test_zero_pads_a_short_crc_to_four_digits(amount: int, crc: str) -> None:
    result = to_dynamic(STATIC, amount)
    assert f"530336054{len(str(amount)):02d}{amount}5802ID" in result
    assert result[-8:] == f"6304{crc}"
    validate(result)


def test_refuses_a_bad_crc_without_repairing_it() -> None:
    broken = STATIC[:-4] + "0000"
    with pytest.raises(QrisError, match=r"^CRC mismatch: payload says 0000, computed 3ACC$"):
        validate(broken)
    with pytest.raises(QrisError, match="CRC mismatch"):
        to_dynamic(broken, 25000)


def test_parses_the_emvco_example_with_its_tags_out_of_order() -> None:
    objects = parse(EMVCO_EXAMPLE)
    tags = [obj.tag for obj in objects]
    assert tags == ["00", "01", "29", "31", "52", "58", "59", "60", "64", "54", "53", "55", "62", "91", "63"]
    language = objects[8]
    assert language.children == (
        DataObject("00", "ZH"),
        DataObject("01", "最佳运输"),
        DataObject("02", "北京"),
    )
    assert crc16(EMVCO_EXAMPLE[:-4].encode("utf-8")) == 0xA13A


def test_refuses_the_emvco_example_as_a_qris() -> None:
    with pytest.raises(QrisError, match="not an Indonesian QRIS: currency"):
        validate(EMVCO_EXAMPLE)


def test_refuses_the_emvco_example_as_a_conversion_source() -> None:
    with pytest.raises(QrisError, match="not an Indonesian QRIS"):
        to_dynamic(EMVCO_EXAMPLE, 25000)


def test_sample_merchant_payload_is_a_valid_static_qris() -> None:
    assert describe(SAMPLE_MERCHANT_PAYLOAD) == MerchantInfo(
        merchant_name="CONTOH KOPERASI KHM",
        city="MEDAN",
        postal_code="20241",
        nmid="ID1020000000001",
        account_issuers=["COM.GO-JEK.WWW", "ID.CO.QRIS.WWW"],
        is_dynamic=False,
        amount=None,
    )
    assert next(obj.value for obj in validate(SAMPLE_MERCHANT_PAYLOAD) if obj.tag == "52") == "5499"


def test_sample_merchant_payload_converts_to_a_dynamic_qris() -> None:
    info = describe(to_dynamic(SAMPLE_MERCHANT_PAYLOAD, 28500, bill_number="RB-7K3QX"))
    assert info.is_dynamic
    assert info.amount == Decimal(28500)
    assert info.nmid == "ID1020000000001"


def test_describes_a_vector_without_a_national_template() -> None:
    info = describe(STATIC_WITHOUT_51_61)
    assert info.nmid is None
    assert info.postal_code is None
    assert info.account_issuers == ["COM.GO-JEK.WWW"]
