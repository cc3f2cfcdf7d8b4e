"""Benchmark 1: updates per second over real HTTP, the real bot against a bare PTB echo bot.

The bot runs in its own process (`bench.botproc`) against the emulator in this one, on a fresh copy of an
SQLite file holding the default catalogue. Buyers in their own chats play a script step by step, each step
waiting for the bot's answer as a person would (scenarios.BROWSE, scenarios.ORDER); all buyers start together.
The baseline plays the same number of steps per buyer against a bare PTB bot with one echo handler and no
database: once with PTB's concurrent processing (256) and once with its default sequential processing; the
faster of the two is the baseline. A second floor, reported in the notes: the same bare bot answering button
presses the way browsing does (two Bot API calls per press instead of the echo's one), again the faster of
PTB's concurrent and sequential processing. A few buyers play the script first to warm the bot up (not
counted).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from bench import scenarios
from bench.report import Row, verdict
from bench.scenarios import Step
from bench.world import BotProcess, botproc, copy_database, cpu_seconds, gather_users, make_database
from bot.emulator.server import BotApiEmulator
from models.db import create_engine
from models.order import Order

NAME = "throughput"
BENCH = "1 throughput"
WARM_UP = 4


@dataclass(frozen=True)
class Run:
    """One measured crowd: updates, seconds, and the CPU the bot and the driver used meanwhile."""

    updates: int
    seconds: float
    bot_cpu: float
    driver_cpu: float

    @property
    def rate(self) -> float:
        """Updates per second."""
        return self.updates / self.seconds

    @property
    def bot_ms(self) -> float:
        """Bot CPU milliseconds per update."""
        return self.bot_cpu * 1000 / self.updates

    @property
    def driver_share(self) -> float:
        """How busy the emulator-and-buyers process was (1.0 = one core)."""
        return self.driver_cpu / self.seconds


async def crowd(mode: str, args: list[str], users: int, script: Callable[[int], list[Step]], log: Path,
                *, first_id: int = 100_000) -> Run:
    """Starts a bot process, warms it up, lets `users` buyers play their scripts at once, stops it."""
    async with BotApiEmulator() as emulator:
        process = BotProcess(emulator, botproc(mode, emulator, *args), log)
        await process.start()
        try:
            warm = [emulator.user(first_id + i, f"Pemanasan {i}") for i in range(WARM_UP)]
            await asyncio.gather(*(scenarios.play(u, script(i), i) for i, u in enumerate(warm)))
            buyers = [emulator.user(first_id + WARM_UP + i, f"Pembeli {i}") for i in range(users)]
            bot_cpu, driver_cpu = cpu_seconds(process.pid), time.process_time()
            updates, seconds = await gather_users(
                buyers, lambda user: scenarios.play(user, script(user.id - first_id), user.id - first_id)
            )
            bot_cpu, driver_cpu = cpu_seconds(process.pid) - bot_cpu, time.process_time() - driver_cpu
        finally:
            await process.stop()
    return Run(updates, seconds, bot_cpu, driver_cpu)


async def _orders_in(path: Path) -> int:
    """How many orders a benchmark database holds."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(Order)) or 0)
    finally:
        await engine.dispose()


async def run(quick: bool) -> list[Row]:
    """Browsing and complete orders against the bare echo bot, all in this run."""
    browsers, orderers = (20, 10) if quick else (100, 50)
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    try:
        template = tmp / "template.sqlite3"
        await make_database(template)
        echo_browse = scenarios.echo_script(len(scenarios.BROWSE))
        echo_parallel = await crowd("echo", [], browsers, lambda _n: echo_browse, tmp / "echo.log")
        echo_serial = await crowd("echo", ["--sequential"], browsers, lambda _n: echo_browse, tmp / "echo-seq.log")
        bare = max(echo_parallel, echo_serial, key=lambda r: r.rate)
        press_script = scenarios.press_script(len(scenarios.BROWSE))
        presses = max(
            await crowd("echo", [], browsers, lambda _n: press_script, tmp / "press.log"),
            await crowd("echo", ["--sequential"], browsers, lambda _n: press_script, tmp / "press-seq.log"),
            key=lambda r: r.rate,
        )

        async def real(name: str, users: int, steps: list[Step]) -> Run:
            url = copy_database(template, tmp / f"{name}.sqlite3")
            return await crowd("app", ["--database-url", url], users, lambda _n: steps, tmp / f"{name}.log")

        browse = await real("browse", browsers, scenarios.BROWSE)
        order = await real("order", orderers, scenarios.ORDER)
        placed = await _orders_in(tmp / "order.sqlite3")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    baseline = (
        f"bare echo bot {bare.rate:.0f} upd/s (PTB concurrent {echo_parallel.rate:.0f}, "
        f"sequential {echo_serial.rate:.0f})"
    )

    def note(r: Run) -> str:
        return (f"bot CPU {r.bot_ms:.1f} ms/update (echo {bare.bot_ms:.1f}); emulator+buyers process "
                f"{r.driver_share:.0%} of a core (echo run {bare.driver_share:.0%})")

    orders_per_minute = orderers / order.seconds * 60
    press_floor = (
        f"bare PTB bot answering each press as browsing does (answerCallbackQuery + editMessageText, no "
        f"database): {presses.rate:.0f} upd/s = {presses.rate / bare.rate:.2f}x of the echo bot, CPU "
        f"{presses.bot_ms:.1f} ms/update"
    )
    return [
        Row(BENCH, f"browsing: {browsers} buyers x {len(scenarios.BROWSE)} steps, SQLite", f"{browse.rate:.0f} upd/s",
            baseline, browse.rate / bare.rate, ">= 0.6", verdict(browse.rate / bare.rate >= 0.6),
            f"{note(browse)}; {press_floor}"),
        Row(BENCH, f"complete bread orders: {orderers} buyers x {len(scenarios.ORDER)} steps, SQLite",
            f"{order.rate:.0f} upd/s ({orders_per_minute:.0f} orders/min)", baseline, order.rate / bare.rate,
            ">= 0.4", verdict(order.rate / bare.rate >= 0.4),
            f"{note(order)}; orders in the database: {placed} (= {orderers} + {WARM_UP} warm-up)"),
    ]
