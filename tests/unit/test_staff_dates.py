"""Staff type dates the way they say them."""

from __future__ import annotations

from datetime import date

import pytest

from models.rules.parsing import parse_day

SATURDAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("besok", date(2026, 11, 29)),
        ("hari ini", SATURDAY),
        ("senin", date(2026, 11, 30)),
        ("Sabtu", SATURDAY),
        ("jumat", date(2026, 12, 4)),
        ("30/11", date(2026, 11, 30)),
        ("2026-12-01", date(2026, 12, 1)),
        ("1-12-26", date(2026, 12, 1)),
    ],
)
def test_dates_are_read_in_indonesian(typed: str, expected: date) -> None:
    assert parse_day(typed, SATURDAY) == expected


@pytest.mark.parametrize("typed", ["kemarin lusa", "31/11", "abc", ""])
def test_unreadable_dates_give_none(typed: str) -> None:
    assert parse_day(typed, SATURDAY) is None
