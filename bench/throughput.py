"""Benchmark 1: updates per second over real HTTP, the real bot on SQLite and on PostgreSQL against bare PTB bots.

The bot runs in its own process (`bench.botproc`) against the emulator in this one, on a fresh database holding
the default catalogue: a copy of a prepared SQLite file, then (when the server answers) a PostgreSQL database
created, migrated and dropped for each case. Buyers in their own chats play a script step by step, each step
waiting for the bot's answer as a person would (scenarios.BROWSE, scenarios.ORDER); all buyers start together.
A few buyers play the script first to warm the bot up (not counted).

The baselines have no database, so they are measured once per run and serve both engines; each is the faster
of PTB's concurrent processing (256) and its default sequential processing:
- the echo bot: a bare PTB bot with one echo handler, playing as many texts per buyer as the scenario has steps.
  Complete orders are compared with it (issue 12: >= 0.4x).
- the press bot: the same bare bot answering button presses the way browsing does (answerCallbackQuery, then
  editMessageText with a keyboard: two Bot API calls per press instead of the echo's one). Browsing is compared
  with it (issue 12: >= 0.9x); its ratio to the echo bot stays in the notes so older tables stay comparable
  (issue 8's target was >= 0.6x of the echo bot).
On PostgreSQL the notes add the CPU the server's backends used per update (`pg.backend_cpu`), which the bot
process's own figure does not include.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import pg, scenarios
from bench.report import Row, not_measured, verdict
from bench.scenarios import Step
from bench.world import (
    BotProcess,
    botproc,
    copy_database,
    count_rows,
    cpu_seconds,
    gather_users,
    make_database,
    prepare_database,
)
from bot.emulator.server import BotApiEmulator
from models.order import Order

NAME = "throughput"
BENCH = "1 throughput"
WARM_UP = 4
BROWSE_TARGET = 0.9  # of the press bot
ORDER_TARGET = 0.4  # of the echo bot
OLD_BROWSE_TARGET = 0.6  # issue 8, of the echo bot


@dataclass(frozen=True)
class Run:
    """One measured crowd: updates, seconds, the CPU the bot, the driver and the database server used meanwhile."""

    updates: int
    seconds: float
    bot_cpu: float
    driver_cpu: float
    server_cpu: float | None = None

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


@dataclass(frozen=True)
class Floor:
    """A bare bot measured both ways; the faster one is the baseline."""

    name: str
    concurrent: Run
    sequential: Run

    @property
    def best(self) -> Run:
        """The faster of the two processings."""
        return max(self.concurrent, self.sequential, key=lambda r: r.rate)

    def cell(self) -> str:
        """The baseline cell."""
        return (f"bare {self.name} bot {self.best.rate:.0f} upd/s (PTB concurrent {self.concurrent.rate:.0f}, "
                f"sequential {self.sequential.rate:.0f})")


@dataclass(frozen=True)
class Case:
    """One scenario on one engine: the crowd, and the orders the database holds afterwards."""

    run: Run
    orders: int


Window = Callable[[BotProcess], contextlib.AbstractAsyncContextManager[object]]


async def crowd(mode: str, args: list[str], users: int, script: Callable[[int], list[Step]], log: Path,
                *, first_id: int = 100_000, server: str | None = None, env: dict[str, str] | None = None,
                window: Window | None = None) -> Run:
    """Starts a bot process, warms it up, lets `users` buyers play their scripts at once, stops it.

    server: the PostgreSQL database the bot uses, whose backends' CPU is measured during the crowd.
    env: extra environment for the bot process. When it profiles (BENCH_PROFILE, here or inherited), the bot is
    told to profile the measured crowd only (bench.botproc: SIGUSR1 before, SIGUSR2 after).
    window: a context entered around the measured crowd only (an outside profiler, say).
    """
    profiling = mode != "echo" and "BENCH_PROFILE" in {**os.environ, **(env or {})}
    async with BotApiEmulator() as emulator:
        process = BotProcess(emulator, botproc(mode, emulator, *args), log, env)
        await process.start()
        try:
            warm = [emulator.user(first_id + i, f"Pemanasan {i}") for i in range(WARM_UP)]
            await asyncio.gather(*(scenarios.play(u, script(i), i) for i, u in enumerate(warm)))
            buyers = [emulator.user(first_id + WARM_UP + i, f"Pembeli {i}") for i in range(users)]
            async with contextlib.AsyncExitStack() as stack:
                meter = await stack.enter_async_context(pg.backend_cpu(server)) if server else None
                if window is not None:
                    await stack.enter_async_context(window(process))
                if profiling:
                    process.send(signal.SIGUSR1)
                bot_cpu, driver_cpu = cpu_seconds(process.pid), time.process_time()
                updates, seconds = await gather_users(
                    buyers, lambda user: scenarios.play(user, script(user.id - first_id), user.id - first_id)
                )
                bot_cpu, driver_cpu = cpu_seconds(process.pid) - bot_cpu, time.process_time() - driver_cpu
                if profiling:
                    process.send(signal.SIGUSR2)
        finally:
            await process.stop()
    return Run(updates, seconds, bot_cpu, driver_cpu, meter.seconds if meter else None)


async def _floor(name: str, users: int, script: list[Step], tmp: Path) -> Floor:
    """A bare bot (bench.echobot) with PTB's concurrent, then its sequential processing."""
    return Floor(
        name,
        await crowd("echo", [], users, lambda _n: script, tmp / f"{name}.log"),
        await crowd("echo", ["--sequential"], users, lambda _n: script, tmp / f"{name}-seq.log"),
    )


async def _on_sqlite(template: Path, name: str, users: int, steps: list[Step], tmp: Path) -> Case:
    """One scenario on a fresh copy of the prepared SQLite file."""
    url = copy_database(template, tmp / f"{name}.sqlite3")
    run = await crowd("app", ["--database-url", url], users, lambda _n: steps, tmp / f"{name}.log")
    return Case(run, await count_rows(url, Order))


async def _on_postgres(name: str, users: int, steps: list[Step], tmp: Path) -> Case:
    """One scenario on a PostgreSQL database created, migrated and loaded for it, dropped afterwards."""
    try:
        url = await prepare_database(await pg.create())
        run = await crowd("app", ["--database-url", url], users, lambda _n: steps, tmp / f"pg-{name}.log",
                          server=pg.DATABASE)
        return Case(run, await count_rows(url, Order))
    finally:
        await pg.drop()


async def run(quick: bool) -> list[Row]:
    """The two floors once, then browsing and complete orders on SQLite and on PostgreSQL."""
    browsers, orderers = (20, 10) if quick else (100, 50)
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    cases: dict[tuple[str, str], Case] = {}
    missing: dict[tuple[str, str], str] = {}  # PostgreSQL cases not measured, and why
    try:
        echo = await _floor("echo", browsers, scenarios.echo_script(len(scenarios.BROWSE)), tmp)
        press = await _floor("press", browsers, scenarios.press_script(len(scenarios.BROWSE)), tmp)
        template = tmp / "template.sqlite3"
        await make_database(template)
        unreachable = await pg.unreachable()
        for scenario, users, steps in (("browse", browsers, scenarios.BROWSE), ("order", orderers, scenarios.ORDER)):
            cases["SQLite", scenario] = await _on_sqlite(template, scenario, users, steps, tmp)
            if unreachable is not None:
                missing["PostgreSQL", scenario] = f"PostgreSQL unreachable at {pg.ADMIN_URL} ({unreachable})"
                continue
            try:
                cases["PostgreSQL", scenario] = await _on_postgres(scenario, users, steps, tmp)
            except Exception as exc:  # keep the SQLite rows; say why this one is missing
                traceback.print_exc()
                missing["PostgreSQL", scenario] = f"the run failed: {type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = []
    for scenario, users, steps, target in (("browse", browsers, scenarios.BROWSE, BROWSE_TARGET),
                                           ("order", orderers, scenarios.ORDER, ORDER_TARGET)):
        what = "browsing" if scenario == "browse" else "complete bread orders"
        for engine in ("SQLite", "PostgreSQL"):
            case = f"{what}: {users} buyers x {len(steps)} steps, {engine}"
            found = cases.get((engine, scenario))
            if found is None:
                rows.append(not_measured(BENCH, case, missing[engine, scenario], f">= {target}"))
            elif scenario == "browse":
                rows.append(_browse_row(case, found.run, echo, press))
            else:
                rows.append(_order_row(case, found, users, echo, press))
    return rows


def _cpu(r: Run, echo: Floor, press: Floor) -> str:
    """The CPU note: the bot's (and the server's) per update beside the floors', and the driver's load."""
    server = "" if r.server_cpu is None else f", PostgreSQL server {r.server_cpu * 1000 / r.updates:.1f}"
    return (f"bot CPU {r.bot_ms:.1f} ms/update{server} (echo bot {echo.best.bot_ms:.1f}, press bot "
            f"{press.best.bot_ms:.1f}); emulator+buyers process {r.driver_share:.0%} of a core "
            f"(echo run {echo.best.driver_share:.0%})")


def _browse_row(case: str, r: Run, echo: Floor, press: Floor) -> Row:
    """Browsing against the press bot; the echo bot's ratio in the notes."""
    ratio = r.rate / press.best.rate
    return Row(
        BENCH, case, f"{r.rate:.0f} upd/s", press.cell(), ratio, f">= {BROWSE_TARGET}", verdict(ratio >= BROWSE_TARGET),
        f"{_cpu(r, echo, press)}; against the {echo.cell()}: {r.rate / echo.best.rate:.2f}x (issue 8's target "
        f">= {OLD_BROWSE_TARGET}); the press bot itself is {press.best.rate / echo.best.rate:.2f}x of the echo bot",
    )


def _order_row(case: str, order: Case, orderers: int, echo: Floor, press: Floor) -> Row:
    """Complete orders against the echo bot, with the orders the database holds."""
    r = order.run
    ratio = r.rate / echo.best.rate
    return Row(
        BENCH, case, f"{r.rate:.0f} upd/s ({orderers / r.seconds * 60:.0f} orders/min)", echo.cell(), ratio,
        f">= {ORDER_TARGET}", verdict(ratio >= ORDER_TARGET),
        f"{_cpu(r, echo, press)}; orders in the database: {order.orders} (= {orderers} + {WARM_UP} warm-up)",
    )
