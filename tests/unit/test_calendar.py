"""Production days and order deadlines (FlexiBake semantics, WIB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ClosedDay, PastCutoff
from models.rules.calendar import (
    WIB,
    ProductionCalendar,
    ensure_orderable,
    is_orderable,
    local_now,
    order_deadline,
    orderable_pickup_dates,
    to_wib,
    wib_today,
)

SATURDAY = date(2026, 11, 28)
FRIDAY = date(2026, 11, 27)
SUNDAY = date(2026, 11, 29)
CUTOFF = time(14, 0)
HOLIDAY = date(2026, 12, 25)  # a Friday
CALENDAR = ProductionCalendar(closed_weekdays=frozenset({6}), holidays=frozenset({HOLIDAY}))


def at(d: date, hh: int, mm: int, ss: int = 0, us: int = 0) -> datetime:
    """Builds an aware WIB datetime."""
    return datetime(d.year, d.month, d.day, hh, mm, ss, us, tzinfo=WIB)


def test_deadline_for_saturday_with_lead_one_is_friday_at_cutoff_in_wib() -> None:
    deadline = order_deadline(SATURDAY, 1, CUTOFF)
    assert deadline == at(FRIDAY, 14, 0)
    assert deadline.utcoffset() == timedelta(hours=7)


def test_deadline_with_lead_zero_is_the_pickup_day_itself() -> None:
    assert order_deadline(SATURDAY, 0, time(6, 0)) == at(SATURDAY, 6, 0)


def test_deadline_counts_calendar_days_even_across_a_closed_sunday() -> None:
    assert order_deadline(date(2026, 11, 30), 2, CUTOFF) == at(date(2026, 11, 28), 14, 0)


def test_order_at_1359_the_day_before_is_accepted() -> None:
    assert is_orderable(at(FRIDAY, 13, 59), SATURDAY, 1, CUTOFF)


def test_order_at_exactly_1400_is_accepted() -> None:
    assert is_orderable(at(FRIDAY, 14, 0, 0), SATURDAY, 1, CUTOFF)


def test_order_within_the_cutoff_second_is_accepted() -> None:
    assert is_orderable(at(FRIDAY, 14, 0, 0, 999_999), SATURDAY, 1, CUTOFF)


def test_order_at_140001_is_refused() -> None:
    assert not is_orderable(at(FRIDAY, 14, 0, 1), SATURDAY, 1, CUTOFF)


def test_order_at_1401_is_refused() -> None:
    assert not is_orderable(at(FRIDAY, 14, 1), SATURDAY, 1, CUTOFF)


def test_now_given_in_utc_is_compared_in_wib() -> None:
    # 06:59 UTC is 13:59 WIB, 07:01 UTC is 14:01 WIB.
    assert is_orderable(datetime(2026, 11, 27, 6, 59, tzinfo=UTC), SATURDAY, 1, CUTOFF)
    assert not is_orderable(datetime(2026, 11, 27, 7, 1, tzinfo=UTC), SATURDAY, 1, CUTOFF)


def test_utc_now_on_the_previous_utc_day_is_still_friday_in_wib() -> None:
    # 20:00 UTC Thursday is 03:00 WIB Friday: in time for Saturday, too late for Friday with lead 1.
    now = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert is_orderable(now, SATURDAY, 1, CUTOFF)
    assert not is_orderable(now, FRIDAY, 1, CUTOFF)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        is_orderable(datetime(2026, 11, 27, 13, 0), SATURDAY, 1, CUTOFF)


def test_negative_lead_days_are_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        order_deadline(SATURDAY, -1, CUTOFF)


def test_sunday_is_closed_by_default() -> None:
    calendar = ProductionCalendar()
    assert not calendar.is_production_day(SUNDAY)
    assert calendar.closed_reason(SUNDAY) == "closed_weekday"
    assert calendar.is_production_day(SATURDAY)
    assert calendar.closed_reason(SATURDAY) is None


def test_a_listed_holiday_is_closed_with_reason_holiday() -> None:
    assert not CALENDAR.is_production_day(HOLIDAY)
    assert CALENDAR.closed_reason(HOLIDAY) == "holiday"


def test_a_holiday_on_a_closed_weekday_reports_holiday() -> None:
    calendar = ProductionCalendar(holidays=frozenset({SUNDAY}))
    assert calendar.closed_reason(SUNDAY) == "holiday"


def test_weekday_numbers_outside_zero_to_six_are_refused() -> None:
    with pytest.raises(ValueError):
        ProductionCalendar(closed_weekdays=frozenset({7}))


def test_next_production_days_skip_sundays_and_holidays() -> None:
    days = CALENDAR.next_production_days(date(2026, 12, 24), 4)
    assert days == [date(2026, 12, 24), date(2026, 12, 26), date(2026, 12, 28), date(2026, 12, 29)]


def test_next_production_days_stop_at_the_horizon() -> None:
    always_closed = ProductionCalendar(closed_weekdays=frozenset(range(7)))
    assert always_closed.next_production_days(SATURDAY, 3, horizon_days=10) == []
    assert CALENDAR.next_production_days(SATURDAY, 5, horizon_days=2) == [SATURDAY, date(2026, 11, 30)]


def test_next_production_days_with_count_zero_is_empty() -> None:
    assert CALENDAR.next_production_days(SATURDAY, 0) == []


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 10))
def test_next_production_days_are_ascending_open_and_never_sundays(start: date, count: int) -> None:
    days = CALENDAR.next_production_days(start, count)
    assert len(days) == count
    assert days == sorted(set(days))
    assert all(d >= start and d.weekday() != 6 and d != HOLIDAY for d in days)


def test_ensure_orderable_raises_closed_day_with_reason() -> None:
    with pytest.raises(ClosedDay) as info:
        ensure_orderable(at(FRIDAY, 9, 0), SUNDAY, CALENDAR, 1, CUTOFF)
    assert info.value.details["reason"] == "closed_weekday"


def test_ensure_orderable_raises_past_cutoff_with_the_deadline() -> None:
    with pytest.raises(PastCutoff) as info:
        ensure_orderable(at(FRIDAY, 14, 1), SATURDAY, CALENDAR, 1, CUTOFF)
    assert info.value.details["deadline"] == at(FRIDAY, 14, 0)


def test_ensure_orderable_accepts_an_open_day_in_time() -> None:
    ensure_orderable(at(FRIDAY, 13, 59), SATURDAY, CALENDAR, 1, CUTOFF)


def test_orderable_pickup_dates_after_cutoff_start_two_days_ahead_and_skip_sunday() -> None:
    dates = orderable_pickup_dates(at(FRIDAY, 15, 0), CALENDAR, 1, CUTOFF, 3)
    assert dates == [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]


def test_local_now_converts_the_clock_to_wib() -> None:
    now = local_now(lambda: datetime(2026, 11, 27, 17, 30, tzinfo=UTC))
    assert now == at(date(2026, 11, 28), 0, 30)
    assert wib_today(lambda: datetime(2026, 11, 27, 17, 30, tzinfo=UTC)) == SATURDAY


def test_local_now_without_a_clock_is_aware_and_in_wib() -> None:
    assert local_now().utcoffset() == timedelta(hours=7)


def test_to_wib_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        to_wib(datetime(2026, 1, 1))
