"""/readyz turns 503 when the bot cannot do its work, names the failing check, and turns 200 again once it can:
the database taken down, the outbox stuck, Telegram unreachable, the scheduler stopped."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from bot.emulator.server import BotApiEmulator
from models.db import create_engine
from models.outbox import OutboxMessage, OutboxState
from tests.conftest import PG_ADMIN_URL
from tests.reliability.conftest import RunningClock
from tests.support.eventually import eventually
from tests.web.support import WebBot, sample, web_bot


def _failing(body: dict[str, object]) -> set[str]:
    """The names of the checks that failed."""
    checks = body["checks"]
    assert isinstance(checks, dict)
    return {name for name, check in checks.items() if not check["ok"]}


async def _set_connections(database: str, allowed: bool) -> None:
    """Lets a database take connections, or refuses new ones and ends the open ones (a database "down")."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
            if not allowed:
                await conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})
    finally:
        await admin.dispose()


async def test_readyz_fails_while_the_postgresql_database_is_down_and_recovers(
    emulator: BotApiEmulator, clock: RunningClock, own_pg_url: str
) -> None:
    database = own_pg_url.rsplit("/", 1)[1]
    async with web_bot(emulator, own_pg_url, clock) as bot:
        assert (await bot.readiness())[0] == 200
        await _set_connections(database, allowed=False)
        try:
            status, body = await bot.readiness()
            assert status == 503 and body["status"] == "fail"
            assert {"database", "outbox"} <= _failing(body)
            assert "not currently accepting connections" in str(body["checks"]["database"]["reason"])
            assert (await bot.get("/healthz"))[0] == 200  # alive all the same: a restart would not help
        finally:
            await _set_connections(database, allowed=True)

        async def ready() -> bool:
            return (await bot.readiness())[0] == 200

        await eventually(ready, timeout=15, every=0.2, what="/readyz back to 200 once the database takes connections")
        siti = emulator.user(1001, "Siti")
        await siti.send("/start")
        await siti.wait_for("Selamat datang", timeout=10)


async def test_readyz_fails_while_a_due_outbox_message_waits_too_long_and_recovers(
    polling_bot: WebBot, emulator: BotApiEmulator, clock: RunningClock
) -> None:
    queue = polling_bot.harness.app.job_queue
    assert queue is not None
    [dispatcher_job] = queue.get_jobs_by_name("outbox-dispatcher")
    dispatcher_job.enabled = False  # the dispatcher stops running: nothing is sent any more
    siti = emulator.user(1001, "Siti")
    async with polling_bot.harness.services.session_factory.begin() as session:
        session.add(OutboxMessage(chat_id=siti.id, text="Pesanan KB-TEST siap diambil", due_at=clock() - timedelta(
            minutes=10), state=OutboxState.PENDING, attempts=0))
    status, body = await polling_bot.readiness()
    assert status == 503 and _failing(body) == {"outbox"}
    outbox = body["checks"]["outbox"]
    assert outbox["pending"] == 1 and outbox["oldest_due_seconds"] >= 600 and outbox["limit_seconds"] == 300
    metrics = await polling_bot.metrics()
    assert sample(metrics, "karya_outbox_pending") == 1
    assert sample(metrics, "karya_outbox_oldest_pending_seconds") >= 600

    dispatcher_job.enabled = True
    await siti.wait_for("siap diambil", timeout=10)

    async def ready() -> bool:
        return (await polling_bot.readiness())[0] == 200

    await eventually(ready, what="/readyz back to 200 once the message is sent")
    assert sample(await polling_bot.metrics(), "karya_outbox_pending") == 0


async def test_readyz_fails_when_telegram_has_not_answered_for_ten_minutes_and_cannot_be_reached(
    webhook_bot: WebBot, emulator: BotApiEmulator, clock: RunningClock
) -> None:
    body = (await webhook_bot.readiness())[1]
    assert body["checks"]["bot_api"]["last_answer_seconds_ago"] < 60  # getMe at start-up
    emulator.faults.server_errors(10_000, status=502)
    clock.advance(minutes=11)  # a quiet webhook bot: no call for eleven minutes
    status, body = await webhook_bot.readiness()
    assert status == 503 and _failing(body) == {"bot_api"}
    assert body["checks"]["bot_api"]["reason"].startswith("getMe failed")
    emulator.faults.clear()
    status, body = await webhook_bot.readiness()  # asks Telegram again (getMe), which answers now
    assert status == 200, body
    assert len(emulator.calls_to("getMe")) >= 2


async def test_readyz_fails_when_the_scheduler_has_stopped(polling_bot: WebBot) -> None:
    queue = polling_bot.harness.app.job_queue
    assert queue is not None
    await queue.stop()
    status, body = await polling_bot.readiness()
    assert status == 503 and _failing(body) == {"scheduler"}


async def test_readyz_names_the_backup_off_without_backup_dir(polling_bot: WebBot) -> None:
    status, body = await polling_bot.readiness()
    assert status == 200 and body["checks"]["backup"]["state"] == "off"


async def test_readyz_fails_when_the_newest_backup_is_older_than_26_hours_or_gone(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    async with web_bot(emulator, sqlite_url, clock, backup_dir=backups) as bot:

        async def backed_up() -> bool:
            return any(backups.glob("karya-*.sqlite3"))

        await eventually(backed_up, timeout=15, what="the start-up backup (none was there)")
        status, body = await bot.readiness()
        assert status == 200 and body["checks"]["backup"]["state"] == "ok", body
        clock.advance(hours=27)  # the daily backup has not run for more than a day
        status, body = await bot.readiness()
        assert status == 503 and _failing(body) == {"backup"}
        assert body["checks"]["backup"]["reason"] == "the last backup is too old"
        for file in backups.glob("karya-*"):
            file.unlink()  # the folder emptied by hand
        status, body = await bot.readiness()
        assert status == 503 and body["checks"]["backup"]["reason"] == "no backup yet"
