"""Jobs fire at the right WIB times (PTB numbers run_daily days from Sunday), and the start-up catch-up
after a night of downtime sends what is still useful, late and marked late, and skips the rest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application, schedule_jobs
from bot.services import Services, build_services
from bot.settings import Settings
from jobs import registry
from models.calendar import PickupSlot
from models.db import SessionFactory
from models.rules.calendar import WIB
from tests.conftest import wib
from tests.jobs.helpers import BAKER, MANAGER, outbox_rows, place, team
from tests.support.clock import FakeClock

SATURDAY = date(2026, 11, 28)


def _settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, telegram_bot_token="1:T", **overrides)  # type: ignore[call-arg]


def _next_fire(app: Any, name: str, after: datetime) -> datetime:
    """When APScheduler would fire the named job next after `after`, in WIB."""
    [job] = app.job_queue.get_jobs_by_name(name)
    fire = job.job.trigger.get_next_fire_time(None, after)
    assert fire is not None
    return fire.astimezone(WIB)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Any]:
    settings = _settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}", weekly_summary_weekday=0)
    application = build_application(settings)
    schedule_jobs(application)
    yield application
    await application.bot_data["services"].engine.dispose()


def test_run_daily_days_are_numbered_from_sunday() -> None:
    assert registry.ptb_day(0) == 1  # Monday
    assert registry.ptb_day(6) == 0  # Sunday


def test_daily_jobs_fire_at_their_wib_times(app: Any) -> None:
    friday_night = datetime(2026, 11, 27, 23, 0, tzinfo=WIB)
    assert _next_fire(app, "morning-plan", friday_night) == datetime(2026, 11, 28, 5, 30, tzinfo=WIB)
    assert _next_fire(app, "production-sheet", friday_night) == datetime(2026, 11, 28, 14, 0, tzinfo=WIB)
    assert _next_fire(app, "closing", friday_night) == datetime(2026, 11, 28, 17, 0, tzinfo=WIB)


def test_the_weekly_summary_fires_on_monday_at_08_00_wib(app: Any) -> None:
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=WIB)
    fire = _next_fire(app, "weekly-summary", saturday)
    assert fire == datetime(2026, 11, 30, 8, 0, tzinfo=WIB)
    assert fire.weekday() == 0


def test_every_job_has_a_deliberate_misfire_grace_time(app: Any) -> None:
    grace = {name: app.job_queue.get_jobs_by_name(name)[0].job.misfire_grace_time
             for name in ("morning-plan", "weekly-summary", "expiry", "outbox-dispatcher")}
    assert grace["morning-plan"] == registry.DAILY_GRACE
    assert grace["weekly-summary"] == registry.DAILY_GRACE
    assert grace["expiry"] == 60
    assert grace["outbox-dispatcher"] == 5


def test_a_custom_weekday_and_time_are_honoured(tmp_path: Path) -> None:
    settings = _settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'y.sqlite3'}",
                         weekly_summary_weekday=6, weekly_summary_time=time(19, 30))
    application = build_application(settings)
    schedule_jobs(application)
    fire = _next_fire(application, "weekly-summary", datetime(2026, 11, 28, 9, 0, tzinfo=WIB))
    assert fire == datetime(2026, 11, 29, 19, 30, tzinfo=WIB)


@pytest.fixture
def services(shop: SessionFactory, engine: AsyncEngine) -> Services:
    clock = FakeClock(wib(2026, 11, 28, 9, 12))
    return build_services(_settings(), clock=clock, engine=engine)


async def test_catch_up_after_a_night_of_downtime(services: Services, shop: SessionFactory) -> None:
    """Down from Friday 13.00 to Saturday 09.12: the sheet for Saturday (due Friday 14.00) is no longer
    needed separately, the morning plan (05.30) is sent late and marked late, the 10.00 reminders are
    still ahead, and the 08.00 reminders of a passed slot would be skipped."""
    async with shop.begin() as s:
        await team(s)
        morning = await s.scalar(select(PickupSlot).where(PickupSlot.starts_at == time(10, 0)))
        assert morning is not None
        await place(s, "RTI-MNS-CKL", 30, now=wib(2026, 11, 27, 11, 0), day=SATURDAY, slot_id=morning.id, paid=True)
        await place(s, "RTI-MNS-CKL", 2, now=wib(2026, 11, 27, 12, 0), day=SATURDAY, buyer=1002)
    done = await registry.catch_up(services)
    assert done == ["morning-plan", "reminders", "expiry"]
    async with shop() as s:
        rows = await outbox_rows(s)
    plan = next(r for r in rows if r.dedupe_key == f"morning-plan:2026-11-28:{BAKER}")
    assert plan.template == "morning-plan.late"
    assert "Terlambat: seharusnya 05.30 WIB" in plan.text
    assert "Dipesan 30" in plan.text
    assert any(r.dedupe_key and r.dedupe_key.startswith("reminder:") for r in rows)
    assert not any(r.chat_id == MANAGER for r in rows)
    again = await registry.catch_up(services)
    assert "morning-plan" not in again
    async with shop() as s:
        assert len(await outbox_rows(s)) == len(rows) + (1 if "expiry" in again else 0)


async def test_a_missed_weekly_summary_is_sent_late_on_monday(services: Services, shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
    assert isinstance(services.clock, FakeClock)
    services.clock.set_wib(2026, 11, 30, 11, 0)
    done = await registry.catch_up(services)
    assert "weekly" in done
    async with shop() as s:
        rows = [r for r in await outbox_rows(s) if r.chat_id == MANAGER]
    assert [r.template for r in rows] == ["weekly.late", "weekly-chart", "weekly-xlsx"]
    assert rows[0].dedupe_key == f"weekly:2026-11-23:{MANAGER}:text"
    assert "Terlambat: seharusnya 08.00 WIB" in rows[0].text
