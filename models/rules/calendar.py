"""Production days, order deadlines and WIB time helpers for made-to-order products."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.errors import ClosedDay, PastCutoff

WIB = ZoneInfo("Asia/Jakarta")

Clock = Callable[[], datetime]

CLOSED_WEEKDAY = "closed_weekday"
HOLIDAY = "holiday"


def _system_clock() -> datetime:
    """Returns the current instant as an aware UTC datetime."""
    return datetime.now(UTC)


def to_wib(dt: datetime) -> datetime:
    """Converts an aware datetime to WIB; naive datetimes are refused because their zone is unknown."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: give an aware datetime (any time zone)")
    return dt.astimezone(WIB)


def local_now(clock: Clock | None = None) -> datetime:
    """Returns the clock's current instant in WIB (the system clock when none is given)."""
    return to_wib((clock or _system_clock)())


def wib_today(clock: Clock | None = None) -> date:
    """Returns today's date in WIB."""
    return local_now(clock).date()


@dataclass(frozen=True)
class ProductionCalendar:
    """Which days a workshop produces: every day except closed weekdays and listed holidays."""

    closed_weekdays: frozenset[int] = field(default_factory=lambda: frozenset({6}))
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Rejects weekday numbers outside 0 (Monday) .. 6 (Sunday)."""
        bad = sorted(w for w in self.closed_weekdays if not 0 <= w <= 6)
        if bad:
            raise ValueError(f"closed weekdays must be 0..6 (0=Monday), got {bad}")

    def closed_reason(self, d: date) -> str | None:
        """Says why a day is closed ("holiday" wins over "closed_weekday"), or None on a production day."""
        if d in self.holidays:
            return HOLIDAY
        if d.weekday() in self.closed_weekdays:
            return CLOSED_WEEKDAY
        return None

    def is_production_day(self, d: date) -> bool:
        """Tells whether the workshop produces (and hands out orders) on this day."""
        return self.closed_reason(d) is None

    def next_production_days(self, start: date, count: int, *, horizon_days: int = 60) -> list[date]:
        """Lists up to `count` production days from `start` (inclusive) within `horizon_days` after it."""
        if count < 0 or horizon_days < 0:
            raise ValueError("count and horizon_days must not be negative")
        days: list[date] = []
        for offset in range(horizon_days + 1):
            if len(days) >= count:
                break
            d = start + timedelta(days=offset)
            if self.is_production_day(d):
                days.append(d)
        return days


def order_deadline(pickup: date, lead_days: int, cutoff: time) -> datetime:
    """Returns the last instant (WIB) to order for `pickup`: the cut-off `lead_days` calendar days before."""
    if lead_days < 0:
        raise ValueError("lead_days must not be negative")
    wall = cutoff.replace(tzinfo=None)  # the cut-off is a WIB wall-clock time
    return datetime.combine(pickup - timedelta(days=lead_days), wall, tzinfo=WIB)


def is_orderable(now: datetime, pickup: date, lead_days: int, cutoff: time) -> bool:
    """Tells whether an order placed at `now` (aware, any zone) still meets the deadline for `pickup`."""
    # Whole seconds count: an order at 14:00:00.9 is still "at 14:00", one at 14:00:01 is late.
    return to_wib(now).replace(microsecond=0) <= order_deadline(pickup, lead_days, cutoff)


def ensure_orderable(
    now: datetime, pickup: date, calendar: ProductionCalendar, lead_days: int, cutoff: time
) -> None:
    """Raises ClosedDay or PastCutoff unless `pickup` is a production day whose deadline has not passed."""
    reason = calendar.closed_reason(pickup)
    if reason is not None:
        raise ClosedDay(reason=reason, pickup=pickup)
    if not is_orderable(now, pickup, lead_days, cutoff):
        raise PastCutoff(pickup=pickup, deadline=order_deadline(pickup, lead_days, cutoff))


def orderable_pickup_dates(
    now: datetime,
    calendar: ProductionCalendar,
    lead_days: int,
    cutoff: time,
    count: int,
    *,
    horizon_days: int = 60,
) -> list[date]:
    """Lists the next `count` pickup dates a buyer can still order for at `now`."""
    today = to_wib(now).date()
    candidates = calendar.next_production_days(today, horizon_days + 1, horizon_days=horizon_days)
    return [d for d in candidates if is_orderable(now, d, lead_days, cutoff)][:count]
