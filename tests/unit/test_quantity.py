"""Reading quantities and decimals as Indonesian buyers type them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.texts.format import decimal_id, number_id
from models.errors import InvalidInput, InvalidQuantity
from models.rules.parsing import parse_decimal_id, parse_quantity, strip_unit


def reason_for(text: str, **kwargs: int) -> object:
    """Returns the reason parse_quantity gives for refusing `text`."""
    with pytest.raises(InvalidQuantity) as info:
        parse_quantity(text, **kwargs)
    return info.value.details["reason"]


def test_ten_thousand_with_a_dot_is_read_as_ten_thousand_not_ten() -> None:
    assert parse_quantity("10.000") == 10_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10", 10), (" 10 ", 10), ("10000", 10_000), ("1.234.567", 1_234_567), ("007", 7), ("1.000.000", 10**6)],
)
def test_plain_and_grouped_numbers_are_read(text: str, expected: int) -> None:
    assert parse_quantity(text, max_value=10_000_000) == expected


@pytest.mark.parametrize(
    "text",
    ["10 pcs", "10pcs", "10 PCS", "10 pc", "10 biji", "10 bj", "10 buah", "10 bh", "10 bungkus", "10 bks",
     "10 pak", "10 pack", "10 kotak", "10 box", "10 unit", "10 pasang", "10 pcs."],
)  # fmt: skip
def test_a_trailing_unit_word_is_accepted(text: str) -> None:
    assert parse_quantity(text) == 10


def test_a_unit_word_with_a_grouped_number_is_read() -> None:
    assert parse_quantity("2.300 biji") == 2300


def test_decimal_comma_is_refused_as_not_whole() -> None:
    assert reason_for("10,5") == "not_whole"
    assert reason_for("2.5") == "not_whole"


def test_dot_not_in_groups_of_three_is_refused_as_not_a_number() -> None:
    assert reason_for("10.00") == "not_a_number"
    assert reason_for("1.2.3") == "not_a_number"
    assert reason_for("1,000") == "not_a_number"


@pytest.mark.parametrize("text", ["0", "-3", "-0", "−3", "000", "-10 pcs"])
def test_zero_and_negative_are_refused(text: str) -> None:
    assert reason_for(text) == "zero_or_negative"


@pytest.mark.parametrize("text", ["1000001", "1.000.001", "9" * 200, "99999999999999999999 pcs"])
def test_huge_numbers_are_refused_as_too_large(text: str) -> None:
    assert reason_for(text) == "too_large"


def test_too_large_carries_the_maximum() -> None:
    with pytest.raises(InvalidQuantity) as info:
        parse_quantity("51", max_value=50)
    assert info.value.details == {"reason": "too_large", "max_value": 50}


def test_the_maximum_itself_is_accepted() -> None:
    assert parse_quantity("50", max_value=50) == 50


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1e3",
        "😀",
        "🔟",
        "٣",
        "１０",
        "10 kg",
        "pcs",
        "+5",
        "sepuluh",
        "10-",
        "1 0",
        "x" * 500,
    ],
)
def test_garbage_is_refused_as_not_a_number(text: str) -> None:
    assert reason_for(text) == "not_a_number"


def test_invalid_quantity_is_an_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        parse_quantity("abc")


@given(st.integers(min_value=1, max_value=1_000_000))
def test_a_number_written_the_indonesian_way_reads_back_as_itself(n: int) -> None:
    assert parse_quantity(number_id(n)) == n
    assert parse_quantity(str(n)) == n


@given(st.text(max_size=20))
def test_any_text_either_parses_to_a_positive_quantity_or_raises_invalid_quantity(text: str) -> None:
    try:
        value = parse_quantity(text)
    except InvalidQuantity as exc:
        assert exc.details["reason"] in {"not_a_number", "not_whole", "zero_or_negative", "too_large"}
    else:
        assert 1 <= value <= 1_000_000


def test_strip_unit_leaves_text_without_unit_alone() -> None:
    assert strip_unit(" 12 ") == "12"
    assert strip_unit("12 biji") == "12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5,5", "5.5"),
        ("1.234,5", "1234.5"),
        ("1.234", "1234"),
        ("5.5", "5.5"),
        ("5.25", "5.25"),
        ("5.2500", "5.25"),
        ("12", "12"),
        (",5", "0.5"),
        ("-2,5", "-2.5"),
        (" 10,75 ", "10.75"),
    ],
)
def test_indonesian_decimals_are_read(text: str, expected: str) -> None:
    assert parse_decimal_id(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,234.5", "1.2.3", "5,", "5.", "1e3", "1,2,3", "5.5.5"])
def test_malformed_decimals_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_decimal_id(text)
    assert info.value.details["reason"] == "not_a_number"


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_a_decimal_written_the_indonesian_way_reads_back_as_itself(value: Decimal) -> None:
    assert parse_decimal_id(decimal_id(value, places=2)) == value
