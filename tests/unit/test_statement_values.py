"""Reading statement cells: amounts written the Indonesian and the English way, dates and times, bill numbers and
transaction statuses; anything uncertain reads as None, never as a guess."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.calendar import WIB
from models.rules.statement_values import (
    DAY,
    MINUTE,
    SECOND,
    bill_numbers,
    cell_kind,
    month_first_dates,
    parse_amount,
    parse_moment,
    went_through,
)


@pytest.mark.parametrize(("text", "amount"), [
    ("42.000", 42_000), ("42,000.00", 42_000), ("Rp 42.000", 42_000), ("42000", 42_000), ("Rp42.000,00", 42_000),
    ("IDR 42,000", 42_000), ("42.000,-", 42_000), ("Rp. 1.250.000", 1_250_000), ("1,250,000.00", 1_250_000),
    ("42000.00", 42_000), ("42000,0", 42_000), (" Rp 35.137 ", 35_137), ("(42.000)", -42_000),
    ("-Rp 42.000", -42_000), ("+42.000", 42_000), ("0", 0), ("9.999.001", 9_999_001),
])  # fmt: skip
def test_amounts_in_every_usual_form_read_as_whole_rupiah(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", [
    "", "abc", "Rp", "42.000,50", "42000.5", "12.5", "4.20.00", "42.00.000", "1.2345", "Rp 4x2", "--42", "1e6",
    "42.000.00,00,0", "1" * 20,
])  # fmt: skip
def test_what_is_no_whole_amount_reads_as_nothing(text: str) -> None:
    assert parse_amount(text) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_every_amount_written_either_way_reads_back(amount: int) -> None:
    english = f"{amount:,}"
    indonesian = english.replace(",", ".")
    assert parse_amount(english + ".00") == amount
    assert parse_amount("Rp " + indonesian) == amount
    assert parse_amount(indonesian + ",00") == amount
    assert parse_amount(str(amount)) == amount


@pytest.mark.parametrize(("text", "start", "span"), [
    ("2026-11-27 10:05:33", datetime(2026, 11, 27, 10, 5, 33, tzinfo=WIB), SECOND),
    ("27/11/2026 10:05", datetime(2026, 11, 27, 10, 5, tzinfo=WIB), MINUTE),
    ("27-11-2026 10.05.33", datetime(2026, 11, 27, 10, 5, 33, tzinfo=WIB), SECOND),
    ("27 Nov 2026 10:05", datetime(2026, 11, 27, 10, 5, tzinfo=WIB), MINUTE),
    ("Jumat, 27 November 2026", datetime(2026, 11, 27, tzinfo=WIB), DAY),
    ("27 Des 2026", datetime(2026, 12, 27, tzinfo=WIB), DAY),
    ("Nov 27, 2026 2:05 PM", datetime(2026, 11, 27, 14, 5, tzinfo=WIB), MINUTE),
    ("2026-11-27T03:05:33Z", datetime(2026, 11, 27, 3, 5, 33, tzinfo=UTC), SECOND),
    ("27/11/26 10:05 WIB", datetime(2026, 11, 27, 10, 5, tzinfo=WIB), MINUTE),
])  # fmt: skip
def test_dates_and_times_read_with_how_precise_they_are(text: str, start: datetime, span: timedelta) -> None:
    moment = parse_moment(text, WIB)
    assert moment is not None and (moment.start, moment.span) == (start, span)


def test_a_time_of_day_in_its_own_column_completes_the_date() -> None:
    moment = parse_moment("2026-11-27", WIB, "10:05:33")
    assert moment is not None and (moment.start, moment.span) == (datetime(2026, 11, 27, 10, 5, 33, tzinfo=WIB),
                                                                  SECOND)


@pytest.mark.parametrize("text", ["31/11/2026", "27/11/2026 25:00", "sekarang", "10:05", "2026-13-01", "27/11"])
def test_impossible_or_incomplete_dates_read_as_nothing(text: str) -> None:
    assert parse_moment(text, WIB) is None


def test_numeric_dates_are_day_first_unless_a_column_shows_month_first() -> None:
    indonesian = ["05/11/2026 10:00", "27/11/2026 11:00"]
    american = ["11/05/2026 10:00", "11/27/2026 11:00"]
    assert not month_first_dates(indonesian)
    assert month_first_dates(american)
    moment = parse_moment(american[0], WIB, month_first=True)
    assert moment is not None and moment.start.date().isoformat() == "2026-11-05"
    assert parse_moment(american[1], WIB) is None  # never read as the 11th of the 27th month


def test_cells_are_told_apart_by_what_they_hold() -> None:
    assert [cell_kind(c) for c in ("27/11/2026 10:05", "27/11/2026", "10:05", "Rp 35.000", "KB7K3QXM")] == [
        "datetime", "date", "clock", "amount", None,
    ]


def test_bill_numbers_name_the_order_and_the_instalment() -> None:
    text = "QRIS KB7K3QXMDP / kb-7k3qxm, KB7K3QXML2; notKB7K3QXM; KB7K3QXMX"
    assert bill_numbers(text) == [("KB-7K3QXM", "DP"), ("KB-7K3QXM", ""), ("KB-7K3QXM", "L2")]
    assert bill_numbers("KB-0O1IL0 and KB123") == []  # look-alike characters are never order codes


@pytest.mark.parametrize(("status", "through"), [
    ("Sukses", True), ("SUCCESS", True), ("Berhasil", True), ("settlement", True), ("", True),
    ("Gagal", False), ("FAILED", False), ("Dibatalkan", False), ("Refund", False), ("Pending", False),
])  # fmt: skip
def test_a_status_cell_says_whether_the_money_came(status: str, through: bool) -> None:
    assert went_through(status) is through
