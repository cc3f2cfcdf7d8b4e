"""Database faults against the running bot: SQLite locked by another writer while a job writes, and
PostgreSQL dropping every connection of the bot again and again while buyers order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, text

from bot.emulator import BotMessage, EmulatedUser
from bot.emulator.server import BotApiEmulator
from jobs.registry import run_production_sheet
from models import sqlite_inline
from models.db import create_engine
from models.order import Order
from models.outbox import OutboxState
from models.payment import Payment
from models.people import Line, Role
from tests.conftest import PG_ADMIN_URL, _create_pg_database, _drop_pg_database, _run_blocking
from tests.flows.buyer_dialogues import MORNING, SATURDAY, start
from tests.reliability.conftest import RunningClock
from tests.reliability.support import log_text, outbox_rows, unhandled
from tests.support.eventually import eventually
from tests.support.harness import Harness, running_bot

STAFF = 501
CODE = re.compile(r"KB-[0-9A-Z]{6}")


class WriteLock:
    """Another program (a backup, the CLI, a second process) holding SQLite's write lock for a while."""

    def __init__(self, path: str, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        self.taken, self.released_at = threading.Event(), 0.0
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE products SET active = active")
        self.taken.set()
        time.sleep(self.seconds)  # the thing tested: another program holds the lock this long, in real time
        connection.execute("COMMIT")
        self.released_at = time.monotonic()
        connection.close()

    async def __aenter__(self) -> WriteLock:
        self._thread.start()
        await asyncio.to_thread(self.taken.wait, 10)
        return self

    async def __aexit__(self, *_: object) -> None:
        await asyncio.to_thread(self._thread.join, 30)


def _path(url: str) -> str:
    """The file behind an SQLite URL."""
    return url.split(":///", 1)[1]


async def _sheets_sent(bot: Harness) -> list[str]:
    """States of the production-sheet rows in the outbox."""
    return [r.state.value for r in await outbox_rows(bot.services.session_factory) if r.template == "production-sheet"]


async def test_a_write_lock_held_by_another_program_delays_the_job_and_the_buyer_and_both_go_through(
    bot: Harness, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    bot.emulator.user(STAFF, "Rina")
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    async with WriteLock(_path(sqlite_url), seconds=2.0) as lock:
        job = asyncio.create_task(run_production_sheet(bot.services))  # the 14.00 sheet, written meanwhile
        await siti.press("Katalog")
        await siti.wait_for("Silakan pilih kategori", timeout=15)
        answered_at = time.monotonic()
        queued = await job
    assert answered_at >= lock.released_at > 0  # the buyer waited for the lock instead of failing
    assert queued == 1
    await eventually(lambda: _all(bot, "sent"), timeout=20, what="every outbox row SENT")
    assert await _sheets_sent(bot) == ["sent"]
    assert unhandled(caplog.records) == []


async def _all(bot: Harness, state: str) -> bool:
    """True when the production sheet row exists and is in `state`."""
    return await _sheets_sent(bot) == [state]


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot gives up waiting for SQLite's write lock after 0.3 s instead of 30 s, so a held lock surfaces as
    an error."""
    monkeypatch.setattr(sqlite_inline, "LOCK_WAIT_SECONDS", 0.3)


async def test_a_lock_longer_than_the_busy_timeout_makes_the_job_retry_and_the_buyer_gets_an_answer(
    bot: Harness, sqlite_url: str, short_busy_timeout: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    bot.emulator.user(STAFF, "Rina")
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await siti.wait_idle()
    # 2.5 s: longer than a gate's three tries at 0.3 s each, shorter than the job's five. Transactions queue
    # for the bot's one connection, so whether the buyer's tries run out before the lock goes depends on how
    # they interleave with the job's: the buyer gets an apology or, once the lock is gone, the answer itself,
    # and never silence.
    async with WriteLock(_path(sqlite_url), seconds=2.5):
        job = asyncio.create_task(run_production_sheet(bot.services))
        await siti.send("/keranjang")
        first = await siti.wait_for(lambda m: "kendala" in m.content or "Keranjang" in m.content, timeout=10)
        queued = await job  # the job's write failed while locked, and was made again
    if "kendala" in first.content:
        assert "coba lagi" in first.content
        await siti.send("/keranjang")
        await siti.wait_for("Keranjang", timeout=10)
    assert queued == 1
    await eventually(lambda: _all(bot, "sent"), timeout=20, what="every outbox row SENT")
    text_logged = log_text(caplog.records)
    assert "database busy or connection lost (OperationalError): retrying" in text_logged
    print("[reliability] SQLite locked 2.5 s (> 0.3 s lock wait): job retried and wrote its 1 row once; "
          f"buyer got {'an apology, then was served' if 'kendala' in first.content else 'the answer after the lock'}")


# -- PostgreSQL: every connection of the bot killed, again and again, while buyers order --------------------


@pytest.fixture
async def own_pg_database(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, str]]:
    """A migrated PostgreSQL database of this test alone (name, URL): killing its connections disturbs nobody."""
    request.getfixturevalue("pg_url")  # skips, or fails in CI, without a server
    name = f"karya_rel_{uuid.uuid4().hex[:10]}"
    url = _run_blocking(_create_pg_database(name))
    yield name, url
    _run_blocking(_drop_pg_database(name))


def _last_error(records: list[logging.LogRecord]) -> str:
    """The last ERROR the bot logged, with its traceback (what a failed answer ran into)."""
    errors = [r for r in records if r.levelno >= logging.ERROR]
    if not errors:
        return "none"
    last = errors[-1]
    trace = logging.Formatter().formatException(last.exc_info) if last.exc_info else ""
    return f"{last.name}: {last.getMessage()}\n{trace}"


async def _kill_connections(database: str) -> int:
    """Terminates every backend connected to `database` (what a server restart does to its clients)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with admin.connect() as conn:
            result = await conn.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     "WHERE datname = :name AND pid <> pg_backend_pid()"),
                {"name": database},
            )
            return int(result.scalar_one())
    finally:
        await admin.dispose()


async def _one_order(user: EmulatedUser, seen: set[str], timeout: float = 6.0) -> list[str]:
    """From wherever the buyer is: bread in the cart if empty, checkout, Konfirmasi; the new codes acknowledged.

    Screens are matched by what only they show (the Konfirmasi button, a code not seen before): an old screen
    edited late (its keyboard stripped) must not pass for a new one.
    """
    await user.send("/keranjang")
    cart = await user.wait_for(lambda m: "Keranjang" in m.content or "keranjang" in m.content, timeout)
    if "Pesan sekarang" not in " ".join(cart.buttons):
        await user.send("/katalog")
        for label, shows in (("Roti", "Roti Manis Isi Cokelat"), ("Roti Manis Isi Cokelat", "Pilih tanggal ambil"),
                             ("Pilih tanggal ambil", SATURDAY), (SATURDAY, MORNING), (MORNING, "10")):
            message = await user.wait_for(lambda m, want=label: want in m.buttons or any(want in b for b in m.buttons),
                                          timeout)
            await user.press(label, message_id=message.message_id)
            await user.wait_for(lambda m, want=shows: any(want in b for b in m.buttons), timeout)
        await user.send("2")
        await user.wait_for("Masuk keranjang", timeout)
    await user.press("Pesan sekarang")

    def summary(m: BotMessage) -> bool:
        return "Konfirmasi" in " ".join(m.buttons)

    asked = await user.wait_for(lambda m: "nomor HP" in m.content or summary(m), timeout)
    if not summary(asked):
        await user.press_key("📱 Kirim nomor HP")
        await user.wait_for(summary, timeout)
    await user.press("Konfirmasi")

    def placed(m: BotMessage) -> bool:
        return "Pesanan dibuat" in m.content and bool(set(CODE.findall(m.content)) - seen)

    return CODE.findall((await user.wait_for(placed, timeout)).content)


async def _shop(user: EmulatedUser, orders: int, acknowledged: list[str], failures: list[str]) -> None:
    """Places `orders` orders, starting again from the cart whenever an answer got lost."""
    placed = 0
    while placed < orders and len(failures) < 60:
        try:
            acknowledged.extend(await _one_order(user, set(acknowledged)))
            placed += 1
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
            with contextlib.suppress(AssertionError):  # late answers of the broken attempt arrive first
                await user.wait_idle(quiet=1.0, timeout=10)


@pytest.mark.slow
@pytest.mark.postgres
async def test_postgresql_connections_killed_under_load_lose_no_committed_order(
    emulator: BotApiEmulator, clock: RunningClock, own_pg_database: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    name, url = own_pg_database
    async with running_bot(emulator, url, clock, with_jobs=True) as bot:
        await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
        rina = emulator.user(STAFF, "Rina")
        buyers = [emulator.user(1100 + i, f"Pembeli {i}") for i in range(4)]
        for buyer in buyers:
            await start(buyer)
        acknowledged: list[str] = []
        failures: list[str] = []
        shopping = asyncio.gather(*(_shop(b, 3, acknowledged, failures) for b in buyers))
        killed = kills = 0
        while not shopping.done():
            await asyncio.sleep(1.0)  # the fault's pace, not a wait for something: a kill every second
            killed += await _kill_connections(name)
            kills += 1
        await shopping
        assert killed > 0
        async with bot.services.session_factory() as session:
            stored = {o.code: o for o in await session.scalars(select(Order))}
            paid_codes = {p.order_id for p in await session.scalars(select(Payment))}
        assert set(acknowledged) <= set(stored)  # every order a buyer was told about is there
        assert len(acknowledged) == len(set(acknowledged)) == 12, f"{len(failures)} failures: {failures[:3]}"
        assert all(o.id in paid_codes for o in stored.values())  # each with its payment code

        async def alerts_out() -> bool:
            rows = [r for r in await outbox_rows(bot.services.session_factory) if r.template == "buyer.new_order"]
            return len(rows) == len(stored) and all(r.state is OutboxState.SENT for r in rows)

        await eventually(alerts_out, timeout=30, what="a SENT new-order alert for every stored order")
        alerts = [m for m in rina.inbox if "Pesanan baru" in m.content]
        assert sorted(CODE.findall(" ".join(m.content for m in alerts))) == sorted(stored)  # once each
        for buyer in buyers:  # the bot answers normally once the killing stops
            await buyer.send("/pesananku")
            try:
                await buyer.wait_for("Pesanan Saya")
            except AssertionError as exc:  # say why: CI shows only the head of the output
                raise AssertionError(f"{exc}\nlast error logged: {_last_error(caplog.records)}") from None
    assert "Traceback" not in "\n".join(unhandled(caplog.records))
    print(f"[reliability] PostgreSQL: {kills} rounds killed {killed} connections under 4 buyers; "
          f"{len(stored)} orders stored, {len(acknowledged)} acknowledged, 0 lost; "
          f"{len(failures)} buyer actions had to be repeated")
