"""Benchmark 3: 2,000 pickup reminders through the outbox and the dispatcher, within Telegram's send limits.

Limits are Telegram's times 10 on both sides: the emulator answers 429 beyond 300 messages a second overall
(one second's worth of burst) and 10 a second per private chat (burst 3); the dispatcher runs as the bot runs it
(the real `dispatch_job` on PTB's JobQueue, `max_instances=1`, `coalesce`, in its own process) with its job
interval divided by 10 and its pacer's limits multiplied by 10. The reminders are queued with `outbox.enqueue`
(dedupe key per order) before the dispatcher starts, to 1,600 buyers (400 get two). The floor is the same
pacer sending the same texts from a plain loop (no outbox, no database writes). SQLite, then PostgreSQL when
reachable, then a quarter of the reminders at 2x on SQLite, where the CPU is not the limit. The achieved rate is
counted after the first second, when the burst the emulator allows is spent.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bench import pg
from bench.report import Row, not_measured, verdict
from bench.world import BotProcess, botproc
from bot.emulator.ratelimit import Limits as EmulatedLimits
from bot.emulator.server import BotApiEmulator
from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.outbox import OutboxMessage
from models.services import outbox

NAME = "fanout"
BENCH = "3 fan-out"
SCALE = 10.0
TELEGRAM_PER_SECOND = 30.0
SLOW_SCALE = 2.0
BURST_SECONDS = 1.0
TARGET = 0.9


def _text(n: int) -> str:
    """Reminder number n (unique, so losses and duplicates can be counted per chat)."""
    return f"⏰ Pengingat: pesanan <b>KB-{n:06d}</b> bisa diambil hari ini pukul 10.00-11.00 di Galeri Karya Binaan."


async def run(quick: bool) -> list[Row]:
    """The floor (the same pacer without the outbox), the dispatcher on SQLite and PostgreSQL, then at 2x."""
    total = 400 if quick else 2000
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    try:
        sqlite_url = f"sqlite+aiosqlite:///{tmp / 'fanout.sqlite3'}"
        await _enqueue(sqlite_url, total)
        floor = await _send_all("blast", sqlite_url, total, tmp)
        dispatched = await _send_all("dispatch", sqlite_url, total, tmp)
        rows = [_row(floor, dispatched, total, "SQLite", SCALE, await _states(sqlite_url))]
        skipped = await pg.unreachable()
        if skipped is not None:
            reason = f"PostgreSQL unreachable at {pg.ADMIN_URL} ({skipped})"
            rows.append(not_measured(BENCH, f"{total:,} reminders, PostgreSQL", reason))
        else:
            try:
                pg_url = await pg.create()
                await _enqueue(pg_url, total)
                dispatched = await _send_all("dispatch", pg_url, total, tmp)
                rows.append(_row(floor, dispatched, total, "PostgreSQL", SCALE, await _states(pg_url)))
            finally:
                await pg.drop()
        slow_url = f"sqlite+aiosqlite:///{tmp / 'fanout-2x.sqlite3'}"
        await _enqueue(slow_url, total // 4)
        dispatched = await _send_all("dispatch", slow_url, total // 4, tmp, scale=SLOW_SCALE)
        rows.append(_row(None, dispatched, total // 4, "SQLite", SLOW_SCALE, await _states(slow_url)))
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def scaled_limits(scale: float) -> EmulatedLimits:
    """Telegram's limits times `scale`, the one-second overall burst included (the dispatcher paces per second)."""
    base = EmulatedLimits()
    return EmulatedLimits(
        per_second=base.per_second * scale, private_per_second=base.private_per_second * scale,
        private_burst=base.private_burst, group_per_minute=base.group_per_minute * scale,
    )


def _chats(total: int) -> list[int]:
    """The chat of each reminder: one buyer in four gets two."""
    buyers = total * 4 // 5
    return [900_000_000 + (n % buyers) for n in range(total)]


async def _enqueue(url: str, total: int) -> None:
    """Migrates the database and queues every reminder in one transaction (as a builder pass does)."""
    chat_of = _chats(total)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        now = datetime.now(UTC)
        async with create_session_factory(engine).begin() as session:
            for n, chat in enumerate(chat_of):
                await outbox.enqueue(
                    session, chat, _text(n), due_at=now, dedupe_key=f"reminder:KB-{n:06d}", template="reminder"
                )
    finally:
        await engine.dispose()


async def _states(url: str) -> Counter[str]:
    """Outbox rows per state after the run."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state))
            return Counter({str(state.value): int(n) for state, n in result.all()})
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Sent:
    """What one sending process achieved, as the emulator saw it."""

    rate: float
    too_many: int
    lost: int
    duplicated: int
    cpu_per_message: float


async def _send_all(mode: str, url: str, total: int, tmp: Path, scale: float = SCALE) -> Sent:
    """Runs the dispatcher (or the floor) in its own process against a fresh rate-limited emulator."""
    chat_of = _chats(total)
    async with BotApiEmulator() as emulator:
        emulator.faults.rate_limit(True, limits=scaled_limits(scale))
        users = {chat: emulator.user(chat, f"Pembeli {chat % 100_000}") for chat in sorted(set(chat_of))}
        process = BotProcess(emulator, botproc(mode, emulator, "--database-url", url, "--scale", str(scale)),
                             tmp / f"{mode}.log")
        await process.spawn()
        code = await process.wait(60 + 5 * total / (TELEGRAM_PER_SECOND * scale))
        if code != 0:
            await process.stop()
            raise RuntimeError(f"the {mode} process ended with {code}:\n{process.tail()}")
        sends = emulator.calls_to("sendMessage")
        received = Counter((chat, m.text or "") for chat, user in users.items() for m in user.inbox)
    ok = [c for c in sends if c.ok]
    expected = {(chat, _text(n).replace("<b>", "").replace("</b>", "")) for n, chat in enumerate(chat_of)}
    return Sent(
        rate=sustained_rate([c.time for c in ok]),
        too_many=sum(1 for c in sends if c.error is not None and c.error.code == 429),
        lost=sum(1 for key in expected if received[key] == 0),
        duplicated=sum(count - 1 for count in received.values() if count > 1),
        cpu_per_message=float(process.result().get("cpu", 0.0)) / total,
    )


def sustained_rate(times: list[float]) -> float:
    """Messages per second after the first second (the emulator lets one second's worth through at once).

    The average from the first send would credit a sender with that free burst; after the first second the
    limit holds. Runs shorter than two seconds fall back to the plain average.
    """
    if len(times) < 2:
        return 0.0
    first, last = times[0], times[-1]
    if last - first < 2.0:
        return (len(times) - 1) / (last - first) if last > first else 0.0
    start = first + BURST_SECONDS
    return sum(1 for t in times if t > start) / (last - start)


def _row(floor: Sent | None, sent: Sent, total: int, engine_name: str, scale: float, states: Counter[str]) -> Row:
    """The table row of one dispatcher run."""
    limit = TELEGRAM_PER_SECOND * scale
    share = sent.rate / limit
    outbox_states = ", ".join(f"{state} {n}" for state, n in sorted(states.items()))
    baseline = f"limit {limit:.0f} msg/s"
    cpu = f"dispatcher CPU {sent.cpu_per_message * 1000:.1f} ms/msg"
    if floor is not None:
        baseline += f" (same pacer, no outbox: {floor.rate:.0f} = {floor.rate / limit:.2f}x)"
        cpu += f", same pacer without outbox {floor.cpu_per_message * 1000:.1f}"
    return Row(
        BENCH, f"{total:,} reminders to {total * 4 // 5:,} buyers, limits x{scale:g}, {engine_name}",
        f"{sent.rate:.0f} msg/s", baseline, share, f">= {TARGET}, 0 lost, 0 duplicated",
        verdict(share >= TARGET and not sent.lost and not sent.duplicated),
        f"429s: {sent.too_many}; lost: {sent.lost}; duplicated: {sent.duplicated}; outbox: {outbox_states}; {cpu}",
    )
