"""Formatting at the edge: rupiah, numbers, dates, clock times, weights and amounts in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.texts.format import (
    amount_in_words,
    clock,
    decimal,
    decimal_id,
    long_date,
    number,
    number_id,
    rupiah,
    short_date,
    short_decimal,
    terbilang,
    weight,
    weight_id,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp0"),
        (1, "Rp1"),
        (999, "Rp999"),
        (2000, "Rp2.000"),
        (4_620_000, "Rp4.620.000"),
        (28_500_000, "Rp28.500.000"),
        (10_000_000_000, "Rp10.000.000.000"),
        (-5000, "-Rp5.000"),
    ],
)
def test_rupiah_is_written_without_space_or_decimals(amount: int, text: str) -> None:
    assert rupiah(amount) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_always_matches_the_indonesian_grouping(amount: int) -> None:
    assert rupiah(amount) == ("-" if amount < 0 else "") + "Rp" + number_id(abs(amount))


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (999, "999"), (2310, "2.310"), (1_234_567, "1.234.567"), (-2310, "-2.310")]
)
def test_numbers_group_thousands_with_dots(n: int, text: str) -> None:
    assert number_id(n) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("6.7"), 1, "6,7"),
        (Decimal("6.699"), 1, "6,7"),
        (Decimal("6.65"), 1, "6,7"),
        (Decimal("1234.5"), 1, "1.234,5"),
        (Decimal("5"), 2, "5,00"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-0.25"), 1, "-0,3"),
        (12, 0, "12"),
    ],
)
def test_decimals_use_a_comma_and_round_half_up(value: Decimal, places: int, text: str) -> None:
    assert decimal_id(value, places) == text


@pytest.mark.parametrize(
    ("kg", "text"),
    [
        (Decimal(6699), "6,7 ton"),
        (Decimal(850), "850 kg"),
        (Decimal("850.4"), "850 kg"),
        (Decimal(1000), "1 ton"),
        (Decimal(12_000), "12 ton"),
        (Decimal("580000"), "580 ton"),
        (Decimal("0.5"), "0,5 kg"),
        (0, "0 kg"),
    ],
)
def test_weights_switch_to_tonnes_from_one_thousand_kg(kg: Decimal, text: str) -> None:
    assert weight_id(kg) == text


@pytest.mark.parametrize(
    ("n", "indonesian", "english"),
    [(0, "0", "0"), (999, "999", "999"), (2310, "2.310", "2,310"), (1_234_567, "1.234.567", "1,234,567"),
     (-2310, "-2.310", "-2,310")],
)  # fmt: skip
def test_numbers_follow_the_language_of_the_reader(n: int, indonesian: str, english: str) -> None:
    assert number(n, "id") == indonesian == number_id(n)
    assert number(n, "en") == english


def test_decimals_follow_the_language_of_the_reader_and_round_half_up() -> None:
    assert decimal(Decimal("6.65"), "en") == "6.7" and decimal(Decimal("6.65"), "id") == "6,7"
    assert decimal(Decimal("1234.5"), "en") == "1,234.5"
    assert decimal(Decimal("-0.25"), "en") == "-0.3"
    assert decimal(Decimal("-0.01"), "en") == "0.0"
    assert short_decimal(Decimal("52.50"), "en") == "52.5" and short_decimal(Decimal("52.50"), "id") == "52,5"
    assert short_decimal(Decimal("50.00"), "en") == "50" and short_decimal(Decimal(1500), "en") == "1,500"


@pytest.mark.parametrize(
    ("kg", "indonesian", "english"),
    [(Decimal(6699), "6,7 ton", "6.7 t"), (Decimal(850), "850 kg", "850 kg"), (Decimal(1000), "1 ton", "1 t"),
     (Decimal(12_500), "12,5 ton", "12.5 t"), (Decimal("0.5"), "0,5 kg", "0.5 kg")],
)  # fmt: skip
def test_weights_follow_the_language_of_the_reader(kg: Decimal, indonesian: str, english: str) -> None:
    assert weight(kg, "id") == indonesian == weight_id(kg)
    assert weight(kg, "en") == english


def test_long_date_in_indonesian_and_english() -> None:
    assert long_date(date(2026, 11, 28)) == "Sabtu, 28 November 2026"
    assert long_date(date(2026, 11, 28), "en") == "Saturday, 28 November 2026"
    assert long_date(date(2026, 8, 17), "id") == "Senin, 17 Agustus 2026"
    assert long_date(date(2026, 3, 1), "id") == "Minggu, 1 Maret 2026"


def test_short_date_in_indonesian_and_english() -> None:
    assert short_date(date(2026, 11, 28)) == "Sab 28/11"
    assert short_date(date(2026, 11, 28), "en") == "Sat 28/11"
    assert short_date(date(2026, 12, 4), "id") == "Jum 04/12"


def test_clock_writes_wib_times_with_a_dot() -> None:
    assert clock(time(7, 30)) == "07.30 WIB"
    assert clock(time(14, 0)) == "14.00 WIB"


def test_clock_converts_aware_datetimes_to_wib() -> None:
    assert clock(datetime(2026, 11, 28, 0, 30, tzinfo=UTC)) == "07.30 WIB"
    assert clock(datetime(2026, 11, 28, 10, 0, tzinfo=timezone(timedelta(hours=9)))) == "08.00 WIB"


def test_clock_takes_naive_datetimes_as_wib() -> None:
    assert clock(datetime(2026, 11, 28, 7, 30)) == "07.30 WIB"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (2000, "dua ribu"),
        (10_000, "sepuluh ribu"),
        (11_000, "sebelas ribu"),
        (25_000, "dua puluh lima ribu"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (4_620_000, "empat juta enam ratus dua puluh ribu"),
        (28_500_000, "dua puluh delapan juta lima ratus ribu"),
        (2_000_000_000, "dua miliar"),
        (1_000_000_000_000, "satu triliun"),
        (999_999_999_999_999, "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh "
         "sembilan miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan "
         "ribu sembilan ratus sembilan puluh sembilan"),
    ],
)  # fmt: skip
def test_terbilang_writes_indonesian_words(n: int, words: str) -> None:
    assert terbilang(n, with_currency=False) == words
    assert terbilang(n) == f"{words} rupiah"


def test_terbilang_of_25000_is_dua_puluh_lima_ribu_rupiah() -> None:
    assert terbilang(25_000) == "dua puluh lima ribu rupiah"


def test_terbilang_of_a_negative_amount_says_minus() -> None:
    assert terbilang(-5000) == "minus lima ribu rupiah"


def test_amounts_beyond_triliun_are_refused() -> None:
    with pytest.raises(ValueError):
        terbilang(10**15)
    with pytest.raises(ValueError):
        amount_in_words(10**15, "en")


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero rupiah"),
        (1, "one rupiah"),
        (11, "eleven rupiah"),
        (21, "twenty-one rupiah"),
        (101, "one hundred one rupiah"),
        (1000, "one thousand rupiah"),
        (25_000, "twenty-five thousand rupiah"),
        (1_000_000, "one million rupiah"),
        (4_620_000, "four million six hundred twenty thousand rupiah"),
        (2_000_000_000, "two billion rupiah"),
        (3_000_000_000_000, "three trillion rupiah"),
        (-5000, "minus five thousand rupiah"),
    ],
)
def test_amount_in_words_in_english(n: int, words: str) -> None:
    assert amount_in_words(n, "en") == words


def test_amount_in_words_in_indonesian_is_terbilang() -> None:
    assert amount_in_words(4_620_000) == "empat juta enam ratus dua puluh ribu rupiah"
    assert amount_in_words(4_620_000, "id") == terbilang(4_620_000)


@given(st.integers(min_value=1, max_value=999_999_999_999_999))
def test_terbilang_never_says_satu_ribu_nor_satu_ratus_and_has_no_double_spaces(n: int) -> None:
    words = terbilang(n)
    assert "satu ribu" not in words.replace("satu ribu", "X", 0) or n % 10**6 // 1000 != 1
    assert "satu ratus" not in words
    assert "satu puluh" not in words and "satu belas" not in words
    assert "  " not in words and "nol" not in words
