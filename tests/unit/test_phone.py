"""Indonesian phone numbers: normalisation to E.164 and masking."""

from __future__ import annotations

import pytest

from models.errors import InvalidInput, InvalidPhone
from models.rules.phone import is_mobile, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "text",
    [
        "08123456789",
        "0812-3456-789",
        "0812 3456 789",
        "628123456789",
        "+62 812 3456 789",
        "+62-812-3456-789",
        "(0812) 3456789",
        "0812.3456.789",
        "+62 0812 3456 789",
        "0062 812 3456 789",
        "  08123456789  ",
    ],
)
def test_common_ways_of_writing_a_mobile_number_become_e164(text: str) -> None:
    assert normalize_phone(text) == "+628123456789"


def test_a_twelve_digit_mobile_number_is_kept_whole() -> None:
    assert normalize_phone("0812-3456-7890") == "+6281234567890"


def test_a_medan_landline_is_accepted() -> None:
    assert normalize_phone("(061) 4567890") == "+62614567890"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not_a_number"),
        ("halo", "not_a_number"),
        ("0812-ABC-DEFG", "not_a_number"),
        ("😀", "not_a_number"),
        ("0" * 40, "not_a_number"),
        ("0812", "invalid"),
        ("0811111", "invalid"),
        ("+1 202 555 0143", "not_indonesian"),
        ("+60 12 345 6789", "not_indonesian"),
    ],
)
def test_invalid_and_foreign_numbers_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        normalize_phone(text)
    assert info.value.details == {"reason": reason}


def test_the_refusal_does_not_carry_the_number() -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_phone("0812")
    assert "0812" not in str(info.value)


def test_mobile_and_landline_are_told_apart() -> None:
    assert is_mobile("+628123456789")
    assert not is_mobile("+62614567890")
    assert not is_mobile("nonsense")


def test_mask_hides_the_middle_digits() -> None:
    assert mask_phone("+628123456789") == "+62812****789"
    assert mask_phone("+6281234567890") == "+62812****890"


def test_mask_never_reveals_a_short_or_broken_value() -> None:
    assert mask_phone("") == "****"
    assert mask_phone("+62812") == "****"
