"""A week's name ("2026-W48") and parse_week read each other back, across the turn of the year."""

from __future__ import annotations

from datetime import date

import pytest

from models.rules.parsing import monday_of, parse_week, week_name


@pytest.mark.parametrize(("day", "name"), [
    (date(2026, 11, 23), "2026-W48"), (date(2026, 11, 29), "2026-W48"), (date(2026, 1, 1), "2026-W01"),
    (date(2026, 12, 31), "2026-W53"), (date(2027, 1, 3), "2026-W53"), (date(2027, 1, 4), "2027-W01"),
])
def test_a_week_is_named_as_parse_week_reads_it(day: date, name: str) -> None:
    assert week_name(day) == name
    assert parse_week(name) == monday_of(day)
