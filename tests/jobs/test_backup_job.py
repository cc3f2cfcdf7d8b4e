"""The daily backup: registered at BACKUP_TIME (WIB) on SQLite only, keeps BACKUP_KEEP files, catches up at
start when the newest is over a day old, and tells the admins of a failure once a day however often it fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application, schedule_jobs
from bot.services import Services, build_services
from bot.settings import Settings
from jobs import registry
from models import backup
from models.db import create_session_factory
from models.people import Role
from models.rules.calendar import WIB
from models.services import customers
from models.services import staff as staff_service
from tests.integration.backup_helpers import open_shop, order_codes, place_one, sqlite_url
from tests.jobs.helpers import MANAGER, outbox_rows, team
from tests.support.clock import FakeClock

ADMIN = 901  # a staff member with the admin role
BOOTSTRAP_ADMIN = 902  # only in ADMIN_IDS, no staff row yet


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings of a bot on an SQLite file in tmp_path with backups into tmp_path/backups."""
    values: dict[str, Any] = {
        "telegram_bot_token": "1:T",
        "database_url": sqlite_url(tmp_path / "shop.sqlite3"),
        "backup_dir": tmp_path / "backups",
        "admin_ids": [BOOTSTRAP_ADMIN],
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def shop_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A shop database with one order, a manager, a baker and an English-speaking admin."""
    engine = await open_shop(sqlite_url(tmp_path / "shop.sqlite3"))
    async with create_session_factory(engine).begin() as session:
        await team(session)
        await staff_service.add_staff(session, ADMIN, "Bu Admin", Role.ADMIN)
        await customers.get_or_register(session, ADMIN, "Bu Admin", "en")
    await place_one(engine, 5001)
    yield engine
    await engine.dispose()


def _services(settings: Settings, engine: AsyncEngine, clock: FakeClock) -> Services:
    return build_services(settings, clock=clock, engine=engine)


def _next_fire(app: Any, name: str, after: datetime) -> datetime:
    [job] = app.job_queue.get_jobs_by_name(name)
    fire = job.job.trigger.get_next_fire_time(None, after)
    assert fire is not None
    return fire.astimezone(WIB)


@pytest.mark.parametrize("written", ["02.00", "02:00"])
async def test_the_backup_is_scheduled_daily_at_backup_time_wib(tmp_path: Path, written: str) -> None:
    settings = _settings(tmp_path, backup_time=written)
    app = build_application(settings)
    schedule_jobs(app)
    evening = datetime(2026, 12, 4, 20, 0, tzinfo=WIB)
    assert _next_fire(app, "backup", evening) == datetime(2026, 12, 5, 2, 0, tzinfo=WIB)
    [job] = app.job_queue.get_jobs_by_name("backup")
    assert job.job.misfire_grace_time == registry.DAILY_GRACE
    await app.bot_data["services"].engine.dispose()


async def test_no_backup_is_scheduled_without_backup_dir_or_on_postgresql(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    off = build_application(_settings(tmp_path, backup_dir=None))
    schedule_jobs(off)
    assert off.job_queue.get_jobs_by_name("backup") == ()
    await off.bot_data["services"].engine.dispose()
    pg = build_application(_settings(tmp_path, database_url="postgresql://karya@127.0.0.1:5432/karya"))
    with caplog.at_level(logging.WARNING, logger="jobs.registry"):
        schedule_jobs(pg)
    assert pg.job_queue.get_jobs_by_name("backup") == ()
    assert any("BACKUP_DIR is set but DATABASE_URL is PostgreSQL" in r.getMessage() for r in caplog.records)
    await pg.bot_data["services"].engine.dispose()


async def test_daily_backups_keep_only_the_newest_backup_keep_files(tmp_path: Path, shop_engine: AsyncEngine) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "README.txt").write_text("backups of the shop")
    clock = FakeClock(datetime(2026, 12, 1, 2, 0, tzinfo=WIB))
    services = _services(_settings(tmp_path, backup_keep=3), shop_engine, clock)
    made = []
    for _ in range(5):
        result = await registry.run_backup(services)
        assert result is not None
        made.append(result.path.name)
        clock.advance(days=1)
    assert made[0] == "karya-20261130T190000Z.sqlite3"  # 02.00 WIB is 19.00 UTC the day before
    assert sorted(p.name for p in folder.iterdir()) == sorted([*made[2:], "README.txt"])
    assert order_codes(folder / made[-1]) == order_codes(tmp_path / "shop.sqlite3")
    assert backup.last_backup_age(folder, clock()) == timedelta(days=1)
    async with create_session_factory(shop_engine)() as session:
        assert await outbox_rows(session) == []  # success tells nobody


async def test_a_failing_backup_is_told_to_each_admin_once_a_day(
    tmp_path: Path, shop_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """BACKUP_DIR below a plain file cannot be created, whoever runs the bot (root included)."""
    (tmp_path / "disk").write_text("not a folder")
    clock = FakeClock(datetime(2026, 12, 4, 2, 0, tzinfo=WIB))
    services = _services(_settings(tmp_path, backup_dir=tmp_path / "disk" / "backups"), shop_engine, clock)
    with caplog.at_level(logging.ERROR, logger="jobs.registry"):
        for _ in range(3):
            assert await registry.run_backup(services) is None
            clock.advance(hours=2)
    assert sum("scheduled backup failed" in r.getMessage() for r in caplog.records) == 3
    async with create_session_factory(shop_engine)() as session:
        rows = await outbox_rows(session)
    assert sorted(r.chat_id for r in rows) == [ADMIN, BOOTSTRAP_ADMIN]  # not the manager, not the baker
    assert {r.template for r in rows} == {"backup-failed"}
    by_chat = {r.chat_id: r.text for r in rows}
    assert by_chat[BOOTSTRAP_ADMIN].startswith("⚠️ <b>Cadangan database gagal</b> (Jumat, 4 Desember 2026).")
    assert by_chat[ADMIN].startswith("⚠️ <b>Database backup failed</b> (Friday, 4 December 2026).")
    assert f"cannot write the backup to {tmp_path / 'disk' / 'backups'}" in by_chat[ADMIN]
    assert MANAGER not in by_chat

    clock.set_wib(2026, 12, 5, 2, 0)  # still failing the next day: told again, once
    assert await registry.run_backup(services) is None
    assert await registry.run_backup(services) is None
    async with create_session_factory(shop_engine)() as session:
        rows = await outbox_rows(session)
    assert len(rows) == 4
    assert {r.dedupe_key for r in rows[2:]} == {f"backup-failed:2026-12-05:{ADMIN}",
                                                 f"backup-failed:2026-12-05:{BOOTSTRAP_ADMIN}"}


async def test_start_up_catches_up_a_backup_over_a_day_old_and_not_a_fresh_one(
    tmp_path: Path, shop_engine: AsyncEngine
) -> None:
    folder = tmp_path / "backups"
    clock = FakeClock(datetime(2026, 12, 4, 10, 0, tzinfo=WIB))
    services = _services(_settings(tmp_path), shop_engine, clock)
    assert "backup" in await registry.catch_up(services)  # none yet
    assert len(backup.backups_in(folder)) == 1
    clock.advance(hours=23)
    assert "backup" not in await registry.catch_up(services)
    clock.advance(hours=2)
    assert "backup" in await registry.catch_up(services)
    assert len(backup.backups_in(folder)) == 2
