"""The mistakes public QRIS converters make, each turned into a source payload that must survive."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.qris import DataObject, QrisError, parse, to_dynamic, validate
from tests.unit.qris_helpers import (
    STATIC,
    gopay,
    national,
    root_objects,
    seal,
    static_objects,
    static_payload,
    tlv,
)


def merchant_templates(payload: str) -> list[tuple[str, str]]:
    """Returns the merchant account templates 26-51 of a payload as written."""
    return [(tag, value) for tag, value in root_objects(payload) if 26 <= int(tag) <= 51]


def test_keeps_a_merchant_pan_that_contains_010211() -> None:
    source = static_payload(t26=gopay(pan="9360091401021100001"), t51=national("ID1020102110000"))
    result = to_dynamic(source, 15000)
    assert merchant_templates(result) == merchant_templates(source)
    assert "9360091401021100001" in result
    assert "ID1020102110000" in result
    assert root_objects(result)[1] == ("01", "12")


def test_keeps_a_merchant_id_that_contains_6304() -> None:
    source = static_payload(t26=gopay(merchant_id="G630412345"), t59="TOKO 6304 5802ID")
    result = to_dynamic(source, 15000, bill_number="RB-1")
    validate(result)
    assert merchant_templates(result) == merchant_templates(source)
    assert ("59", "TOKO 6304 5802ID") in root_objects(result)


def test_does_not_take_mcc_5499_or_a_postal_code_for_an_amount() -> None:
    source = static_payload(t52="5499", t61="54021")
    result = to_dynamic(source, 7000)
    objects = root_objects(result)
    assert [tag for tag, _ in objects].count("54") == 1
    assert ("52", "5499") in objects
    assert ("61", "54021") in objects
    assert [tag for tag, _ in objects][5:8] == ["53", "54", "58"]


def test_replaces_an_amount_already_in_a_static_source() -> None:
    source = static_payload(t54="99000")
    result = to_dynamic(source, 7000)
    assert [value for tag, value in root_objects(result) if tag == "54"] == ["7000"]


def test_drops_tip_and_fee_objects_from_the_source() -> None:
    source = static_payload(t55="02", t56="2500")
    tags = [tag for tag, _ in root_objects(to_dynamic(source, 7000))]
    assert "55" not in tags
    assert "56" not in tags


def test_refuses_an_already_dynamic_source() -> None:
    with pytest.raises(QrisError, match=r"already a dynamic QRIS \(01 = 12\)"):
        to_dynamic(static_payload(t01="12"), 7000)
    with pytest.raises(QrisError, match="already a dynamic"):
        to_dynamic(to_dynamic(STATIC, 7000), 8000)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"t53": "702", "t58": "SG"}, r"currency \(53\) is 702"),
        ({"t58": "SG"}, r"country \(58\) is SG"),
        ({"t26": None, "t51": None}, "no merchant account template"),
    ],
)
def test_refuses_a_payload_that_is_not_an_indonesian_qris(changes: dict[str, str | None], reason: str) -> None:
    source = static_payload(**changes)
    with pytest.raises(QrisError, match=reason):
        validate(source)
    with pytest.raises(QrisError, match=reason):
        to_dynamic(source, 7000)


@pytest.mark.parametrize("cut", [1, 4, 8, 9, 50, len(STATIC) - 2])
def test_refuses_a_truncated_payload(cut: int) -> None:
    with pytest.raises(QrisError):
        validate(STATIC[:-cut])
    with pytest.raises(QrisError):
        to_dynamic(STATIC[:-cut], 7000)


@pytest.mark.parametrize("tail", ["0", "00", "0102", "01021", "ABCD"])
def test_refuses_trailing_garbage(tail: str) -> None:
    with pytest.raises(QrisError):
        validate(STATIC + tail)
    with pytest.raises(QrisError):
        to_dynamic(STATIC + tail, 7000)


def test_names_the_position_of_trailing_garbage() -> None:
    with pytest.raises(QrisError, match=rf"^trailing characters '01' at character {len(STATIC)} "):
        parse(STATIC + "01")


@pytest.mark.parametrize("padded", [" " + STATIC, STATIC + " ", STATIC + "\n", "\t" + STATIC + "\r\n"])
def test_validate_refuses_whitespace_that_to_dynamic_trims(padded: str) -> None:
    with pytest.raises(QrisError, match="whitespace"):
        validate(padded)
    assert to_dynamic(padded, 7000) == to_dynamic(STATIC, 7000)


def test_refuses_a_lowercase_crc() -> None:
    lowercase = STATIC[:-4] + STATIC[-4:].lower()
    assert lowercase.endswith("3acc")
    with pytest.raises(QrisError, match="'3acc' is not 4 uppercase hexadecimal digits"):
        validate(lowercase)
    with pytest.raises(QrisError, match="uppercase"):
        to_dynamic(lowercase, 7000)


def test_refuses_a_crc_that_is_not_last() -> None:
    body = tlv(*static_objects())
    sealed = seal(body)
    with pytest.raises(QrisError, match="CRC 63 must come last, found tag 99"):
        validate(sealed + "9901X")


def test_refuses_a_duplicate_root_tag() -> None:
    objects = static_objects()
    objects.insert(8, ("59", "TOKO LAIN"))
    with pytest.raises(QrisError, match=r"^duplicate tag 59$"):
        validate(seal(tlv(*objects)))


def test_refuses_a_duplicate_sub_tag_in_a_merchant_template() -> None:
    template = tlv(("00", "COM.GO-JEK.WWW"), ("01", "936009141"), ("01", "936009142"))
    with pytest.raises(QrisError, match=r"^duplicate tag 01 in template 26$"):
        validate(static_payload(t26=template))


def test_refuses_a_duplicate_sub_tag_in_additional_data() -> None:
    with pytest.raises(QrisError, match="in template 62"):
        to_dynamic(static_payload(t62=tlv(("07", "A01"), ("07", "A02"))), 7000)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"t00": "02"}, "must be '01'"),
        ({"t01": "13"}, r"point of initiation \(01\) must be 11 or 12"),
        ({"t01": None}, r"point of initiation \(01\) is missing"),
        ({"t52": "54991"}, r"merchant category code \(52\) must be 4 digits"),
        ({"t52": "54A9"}, r"merchant category code \(52\) must be 4 digits"),
        ({"t53": "36"}, r"currency \(53\) must be 3 digits"),
        ({"t54": "0"}, r"amount \(54\) must be a non-zero number"),
        ({"t54": "10,000"}, r"amount \(54\)"),
        ({"t54": "1.2.3"}, r"amount \(54\)"),
        ({"t54": "12345678901234"}, "at most 13 characters"),
        ({"t58": "id"}, r"country \(58\) must be 2 uppercase letters"),
        ({"t59": "A" * 26}, r"merchant name \(59\) must be at most 25 characters"),
        ({"t60": "B" * 16}, r"merchant city \(60\) must be at most 15 characters"),
        ({"t62": tlv(("01", "X" * 26))}, "62.01 is 26 characters; the maximum is 25"),
        ({"t26": tlv(("01", "936009141"))}, "template 26 has no GUID"),
        ({"t51": national("ID12345")}, r"NMID 51.02 must be 'ID' followed by 13 digits"),
        ({"t26": "NOT-TLV"}, "invalid tag 'NO' at character .* inside template 26"),
    ],
)
def test_refuses_a_field_the_spec_fixes(changes: dict[str, str | None], reason: str) -> None:
    with pytest.raises(QrisError, match=reason):
        validate(static_payload(**changes))


def test_accepts_a_non_tlv_value_in_an_unreserved_template() -> None:
    source = static_payload(t85="just some text")
    assert next(obj for obj in validate(source) if obj.tag == "85") == DataObject("85", "just some text")
    assert ("85", "just some text") in root_objects(to_dynamic(source, 7000))


def test_inserts_the_amount_before_the_first_greater_tag_of_an_out_of_order_source() -> None:
    objects = static_objects()
    objects.append(objects.pop(5))  # 53 after 62
    source = seal(tlv(*objects))
    tags = [tag for tag, _ in root_objects(to_dynamic(source, 7000))]
    assert tags == ["00", "01", "26", "51", "52", "54", "58", "59", "60", "61", "62", "53", "63"]


def test_creates_the_additional_data_template_before_the_language_template() -> None:
    source = static_payload(t62=None, t64=tlv(("00", "ID"), ("01", "TOKO CONTOH")))
    objects = root_objects(to_dynamic(source, 7000, bill_number="RB-7K3QX"))
    assert [tag for tag, _ in objects][-3:] == ["62", "64", "63"]
    assert ("62", "0108RB-7K3QX") in objects


def test_keeps_the_other_additional_data_and_replaces_an_old_bill_number() -> None:
    source = static_payload(t62=tlv(("01", "OLD"), ("05", "REF"), ("07", "A01"), ("50", "0002XY")))
    objects = root_objects(to_dynamic(source, 7000, bill_number="RB-7K3QX"))
    assert ("62", tlv(("01", "RB-7K3QX"), ("05", "REF"), ("07", "A01"), ("50", "0002XY"))) in objects


def test_refuses_a_bill_number_that_makes_additional_data_too_long() -> None:
    additional = tlv(*((f"{sub:02d}", "X" * 20) for sub in range(2, 6)))
    with pytest.raises(QrisError, match="tag 62 would be 125 characters long; the maximum is 99"):
        to_dynamic(static_payload(t62=additional), 7000, bill_number="B" * 25)


@pytest.mark.parametrize("amount", [True, False, 10000.0, "10.000", "10000", Decimal("10000"), None, 0, -1, 10**13])
def test_refuses_an_amount_that_is_not_a_whole_positive_rupiah_int(amount: object) -> None:
    with pytest.raises(QrisError, match="amount must be"):
        to_dynamic(STATIC, amount)  # type: ignore[arg-type]


def test_accepts_the_largest_thirteen_digit_amount() -> None:
    assert ("54", "9999999999999") in root_objects(to_dynamic(STATIC, 10**13 - 1))


@pytest.mark.parametrize("bill_number", ["", "B" * 26, "ORD 1", "ORD_1", "ORDÜ1", "ORD/1", "ORD1\n", 123])
def test_refuses_a_bad_bill_number(bill_number: object) -> None:
    with pytest.raises(QrisError, match="bill number must be 1 to 25 characters"):
        to_dynamic(STATIC, 7000, bill_number=bill_number)  # type: ignore[arg-type]


def test_accepts_a_bill_number_of_25_characters_with_dashes() -> None:
    bill = "RB-" + "7" * 22
    assert ("62", tlv(("01", bill), ("07", "KASIR-01"))) in root_objects(to_dynamic(STATIC, 7000, bill_number=bill))


@pytest.mark.parametrize("payload", [None, b"000201", 12345])
def test_refuses_a_payload_that_is_not_text(payload: object) -> None:
    with pytest.raises(QrisError, match="payload must be a str"):
        validate(payload)  # type: ignore[arg-type]
    with pytest.raises(QrisError, match="payload must be a str"):
        to_dynamic(payload, 7000)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x85", "\ud800"])
def test_refuses_control_characters_and_unpaired_surrogates(bad: str) -> None:
    with pytest.raises(QrisError, match=f"U\\+{ord(bad):04X}"):
        validate(static_payload(t59=f"TOKO{bad}CONTOH"))
