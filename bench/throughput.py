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

Each case also runs with the bot on asyncio's own loop (EVENT_LOOP=asyncio; production runs on uvloop,
bot/event_loop.py): the rows' notes say what the loop alone is worth, measured in the same rounds.

A full run plays everything in two rounds (floors, then the bot on each engine, then all again) and each case
keeps its fastest run: the machine is shared, load from elsewhere only ever slows a run down, and interleaving
spreads a burst of it over one run of each case instead of every run of one. `--quick` plays one round.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    profiled,
)
from bot.emulator.server import BotApiEmulator
from models.order import Order

NAME = "throughput"
BENCH = "1 throughput"
WARM_UP = 4
BROWSE_TARGET = 0.9  # of the press bot
ORDER_TARGET = 0.4  # of the echo bot
OLD_BROWSE_TARGET = 0.6  # issue 8, of the echo bot
# Each case also runs with the bot on asyncio's own loop, as it ran before uvloop (bot/event_loop.py).
ON_ASYNCIO = ", asyncio's loop"
ASYNCIO_LOOP = {"EVENT_LOOP": "asyncio"}


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


def _best(runs: list[Run]) -> Run:
    """The fastest of several runs (load from elsewhere only ever slows a run down)."""
    return max(runs, key=lambda r: r.rate)


@dataclass(frozen=True)
class Floor:
    """A bare bot measured both ways in each round; the fastest run is the baseline."""

    name: str
    concurrent: list[Run] = field(default_factory=list)
    sequential: list[Run] = field(default_factory=list)

    @property
    def best(self) -> Run:
        """The fastest run of either processing."""
        return _best(self.concurrent + self.sequential)

    def cell(self) -> str:
        """The baseline cell."""
        rounds = f"; best of {len(self.concurrent)} rounds" if len(self.concurrent) > 1 else ""
        return (f"bare {self.name} bot {self.best.rate:.0f} upd/s (PTB concurrent {_best(self.concurrent).rate:.0f}, "
                f"sequential {_best(self.sequential).rate:.0f}{rounds})")


@dataclass(frozen=True)
class Case:
    """One scenario on one engine: its runs (one per round), and the orders each run's database held afterwards."""

    runs: list[Run] = field(default_factory=list)
    orders: list[int] = field(default_factory=list)

    @property
    def best(self) -> Run:
        """The fastest run."""
        return _best(self.runs)

    def rounds(self) -> str:
        """The rate of every run, when there were several."""
        return "" if len(self.runs) < 2 else "; runs: " + ", ".join(f"{r.rate:.0f}" for r in self.runs) + " upd/s"


Window = Callable[[BotProcess], contextlib.AbstractAsyncContextManager[object]]


async def crowd(mode: str, args: list[str], users: int, script: Callable[[int], list[Step]], log: Path,
                *, first_id: int = 100_000, server: str | None = None, env: dict[str, str] | None = None,
                window: Window | None = None, checkout: Path | None = None) -> Run:
    """Starts a bot process, warms it up, lets `users` buyers play their scripts at once, stops it.

    server: the PostgreSQL database the bot uses, whose backends' CPU is measured during the crowd.
    env: extra environment for the bot process. When it profiles (BENCH_PROFILE, here or inherited), the bot is
    told to profile the measured crowd only (bench.botproc: SIGUSR1 before, SIGUSR2 after).
    window: a context entered around the measured crowd only (an outside profiler, say).
    checkout: the project checkout whose bot runs (bench.compare); this one by default.
    """
    async with BotApiEmulator() as emulator:
        process = BotProcess(emulator, botproc(mode, emulator, *args), log, env, cwd=checkout)
        await process.start()
        try:
            warm = [emulator.user(first_id + i, f"Pemanasan {i}") for i in range(WARM_UP)]
            await asyncio.gather(*(scenarios.play(u, script(i), i) for i, u in enumerate(warm)))
            buyers = [emulator.user(first_id + WARM_UP + i, f"Pembeli {i}") for i in range(users)]
            async with contextlib.AsyncExitStack() as stack:
                meter = await stack.enter_async_context(pg.backend_cpu(server)) if server else None
                if window is not None:
                    await stack.enter_async_context(window(process))
                stack.enter_context(profiled([process] if mode != "echo" else [], env))  # echo: no profiler
                bot_cpu, driver_cpu = cpu_seconds(process.pid), time.process_time()
                updates, seconds = await gather_users(
                    buyers, lambda user: scenarios.play(user, script(user.id - first_id), user.id - first_id)
                )
                bot_cpu, driver_cpu = cpu_seconds(process.pid) - bot_cpu, time.process_time() - driver_cpu
        finally:
            await process.stop()
    return Run(updates, seconds, bot_cpu, driver_cpu, meter.seconds if meter else None)


async def on_sqlite(template: Path, name: str, users: int, steps: list[Step], tmp: Path,
                    env: dict[str, str] | None = None, checkout: Path | None = None) -> tuple[Run, int]:
    """One scenario on a fresh copy of the prepared SQLite file; the run and the orders placed."""
    url = copy_database(template, tmp / f"{name}.sqlite3")
    run = await crowd("app", ["--database-url", url], users, lambda _n: steps, tmp / f"{name}.log", env=env,
                      checkout=checkout)
    return run, await count_rows(url, Order)


async def on_postgres(name: str, users: int, steps: list[Step], tmp: Path,
                      env: dict[str, str] | None = None, checkout: Path | None = None) -> tuple[Run, int]:
    """One scenario on a PostgreSQL database created, migrated and loaded for it, dropped afterwards."""
    try:
        url = await prepare_database(await pg.create())
        run = await crowd("app", ["--database-url", url], users, lambda _n: steps, tmp / f"pg-{name}.log",
                          server=pg.DATABASE, env=env, checkout=checkout)
        return run, await count_rows(url, Order)
    finally:
        await pg.drop()


async def run(quick: bool) -> list[Row]:
    """Rounds of: the two floors, then browsing and complete orders on SQLite and on PostgreSQL.

    Each case keeps its fastest run; the rounds interleave the floors and the bot, so a burst of load from
    elsewhere on a shared machine slows one run of each rather than all runs of one.
    """
    browsers, orderers, rounds = (20, 10, 1) if quick else (100, 50, 2)
    scripts = {"browse": (browsers, scenarios.BROWSE), "order": (orderers, scenarios.ORDER)}
    floors = {"echo": (Floor("echo"), scenarios.echo_script(len(scenarios.BROWSE))),
              "press": (Floor("press"), scenarios.press_script(len(scenarios.BROWSE)))}
    engines = ("SQLite", "PostgreSQL")
    cases = {(engine + loop, name): Case() for engine in engines for loop in ("", ON_ASYNCIO) for name in scripts}
    missing: dict[str, str] = {}  # why the PostgreSQL cases of a scenario were not measured
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    try:
        template = tmp / "template.sqlite3"
        await make_database(template)
        unreachable = await pg.unreachable()
        for _round in range(rounds):
            for name, (floor, script) in floors.items():
                floor.concurrent.append(await crowd("echo", [], browsers, _same(script), tmp / f"{name}.log"))
                floor.sequential.append(
                    await crowd("echo", ["--sequential"], browsers, _same(script), tmp / f"{name}-seq.log"))
            for name, (users, steps) in scripts.items():
                _add(cases["SQLite", name], await on_sqlite(template, name, users, steps, tmp))
                _add(cases["SQLite" + ON_ASYNCIO, name],
                     await on_sqlite(template, name, users, steps, tmp, env=ASYNCIO_LOOP))
                if unreachable is not None:
                    missing[name] = f"PostgreSQL unreachable at {pg.ADMIN_URL} ({unreachable})"
                    continue
                try:
                    _add(cases["PostgreSQL", name], await on_postgres(name, users, steps, tmp))
                    _add(cases["PostgreSQL" + ON_ASYNCIO, name], await on_postgres(name, users, steps, tmp,
                                                                                     env=ASYNCIO_LOOP))
                except Exception as exc:  # keep the SQLite rows; say why this one is missing
                    traceback.print_exc()
                    missing[name] = f"the run failed: {type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    echo, press = floors["echo"][0], floors["press"][0]
    rows = []
    for name, (users, steps) in scripts.items():
        target = BROWSE_TARGET if name == "browse" else ORDER_TARGET
        what = "browsing" if name == "browse" else "complete bread orders"
        for engine in engines:
            title = f"{what}: {users} buyers x {len(steps)} steps, {engine}"
            case = cases[engine, name]
            if not case.runs:
                rows.append(not_measured(BENCH, title, missing[name], f">= {target}"))
            elif name == "browse":
                rows.append(_browse_row(title, case, echo, press))
            else:
                rows.append(_order_row(title, case, users, echo, press))
            on_asyncio = cases[engine + ON_ASYNCIO, name]
            if case.runs and on_asyncio.runs:
                rows[-1] = replace(rows[-1], note=f"{rows[-1].note}; {_loop_note(case, on_asyncio)}")
    return rows


def _loop_note(case: Case, on_asyncio: Case) -> str:
    """What the same crowd did on asyncio's own loop (EVENT_LOOP=asyncio): the part uvloop plays."""
    r, a = case.best, on_asyncio.best
    return (f"on asyncio's own loop (EVENT_LOOP=asyncio) {a.rate:.0f} upd/s, bot CPU {a.bot_ms:.1f} ms/update "
            f"(runs: {', '.join(f'{x.rate:.0f}' for x in on_asyncio.runs)}): uvloop x{r.rate / a.rate:.2f}")


def _same(script: list[Step]) -> Callable[[int], list[Step]]:
    """The same script for every buyer."""
    return lambda _n: script


def _add(case: Case, result: tuple[Run, int]) -> None:
    """Adds one run and its order count to a case."""
    case.runs.append(result[0])
    case.orders.append(result[1])


def _cpu(r: Run, echo: Floor, press: Floor) -> str:
    """The CPU note: the bot's (and the server's) per update beside the floors', and the driver's load."""
    server = "" if r.server_cpu is None else f", PostgreSQL server {r.server_cpu * 1000 / r.updates:.1f}"
    return (f"bot CPU {r.bot_ms:.1f} ms/update{server} (echo bot {echo.best.bot_ms:.1f}, press bot "
            f"{press.best.bot_ms:.1f}); emulator+buyers process {r.driver_share:.0%} of a core "
            f"(echo run {echo.best.driver_share:.0%})")


def _browse_row(title: str, case: Case, echo: Floor, press: Floor) -> Row:
    """Browsing against the press bot; the echo bot's ratio in the notes."""
    r = case.best
    ratio = r.rate / press.best.rate
    return Row(
        BENCH, title, f"{r.rate:.0f} upd/s", press.cell(), ratio, f">= {BROWSE_TARGET}",
        verdict(ratio >= BROWSE_TARGET),
        f"{_cpu(r, echo, press)}{case.rounds()}; against the {echo.cell()}: {r.rate / echo.best.rate:.2f}x "
        f"(issue 8's target >= {OLD_BROWSE_TARGET}); the press bot itself is {press.best.rate / echo.best.rate:.2f}x "
        "of the echo bot",
    )


def _order_row(title: str, case: Case, orderers: int, echo: Floor, press: Floor) -> Row:
    """Complete orders against the echo bot, with the orders each run's database holds."""
    r = case.best
    ratio = r.rate / echo.best.rate
    placed = ", ".join(str(n) for n in case.orders)
    return Row(
        BENCH, title, f"{r.rate:.0f} upd/s ({orderers / r.seconds * 60:.0f} orders/min)", echo.cell(), ratio,
        f">= {ORDER_TARGET}", verdict(ratio >= ORDER_TARGET),
        f"{_cpu(r, echo, press)}{case.rounds()}; orders in the database: {placed} (= {orderers} + {WARM_UP} "
        "warm-up per run)",
    )
