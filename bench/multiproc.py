"""Benchmark 7: several bot processes on one PostgreSQL database (issue 13), and what the per-chat lock costs.

The real bot runs in webhook mode (`bench.botproc serve`: bot.lifecycle, as `python -m bot run` runs it) behind
the emulator's round-robin balancer (bot/emulator/balancer.py, standing in for nginx), on a PostgreSQL database
created, migrated and loaded for each run and dropped after it. Buyers play the complete bread order of
benchmark 1 (scenarios.ORDER), each step waiting for its answer; a few warm-up buyers go first (not counted).

Three cases, measured in the same run:
- one process, with the per-chat advisory lock (production): the baseline of both ratios;
- two processes behind the balancer: ratio of updates per second against one process, and the CPU per update
  of both processes together beside one process's;
- one process without the per-chat lock (`--no-chat-lock`): one process with the lock against it, so the
  ratio is what the lock costs (1.0 = nothing; no target: without it, two processes could interleave one chat's
  updates).
CPU per update is the bot processes' own plus the PostgreSQL backends' serving the database (`pg.backend_cpu`).
Each case keeps its fastest run of the rounds (interleaved, as benchmark 1 does). On a machine whose cores the
emulator, the buyers and the server already share, a second process cannot add cores: the two-process ratio then
shows the price of the coordination (locks, LISTEN/NOTIFY, job locks), not a speed-up.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import pg, scenarios
from bench.report import Row, not_measured, verdict
from bench.throughput import WARM_UP, Run
from bench.world import (
    BotProcess,
    botproc,
    count_rows,
    cpu_seconds,
    gather_users,
    prepare_database,
    profiled,
    wait_ready,
)
from bot.emulator.balancer import RoundRobinProxy, free_port
from bot.emulator.server import BotApiEmulator
from models.order import Order

NAME = "multiproc"
BENCH = "7 processes"
TWO_TARGET = 0.9  # two processes keep at least this share of one process's rate, even where no core is spare


@dataclass(frozen=True)
class Setup:
    """A case: how many processes, and whether they take the per-chat lock."""

    processes: int
    chat_lock: bool = True


@dataclass
class Measured:
    """A case's runs, the orders each run's database held, and how the balancer split each run's updates."""

    runs: list[Run] = field(default_factory=list)
    orders: list[int] = field(default_factory=list)
    splits: list[list[int]] = field(default_factory=list)

    @property
    def best(self) -> Run:
        """The fastest run (load from elsewhere only ever slows a run down)."""
        return max(self.runs, key=lambda r: r.rate)

    def split(self) -> list[int]:
        """The balancer's split of the fastest run."""
        return self.splits[self.runs.index(self.best)]


async def _crowd(setup: Setup, users: int, url: str, log_dir: Path, tag: str) -> tuple[Run, list[int]]:
    """Starts the processes behind the balancer, warms them up, lets `users` buyers order at once, stops them."""
    ports = [free_port() for _ in range(setup.processes)]
    async with BotApiEmulator() as emulator, RoundRobinProxy(ports) as balancer:
        extra = [] if setup.chat_lock else ["--no-chat-lock"]
        bots = [
            BotProcess(emulator, botproc("serve", emulator, "--database-url", url, "--webhook-url", balancer.url,
                                         "--port", str(port), *extra), log_dir / f"{tag}-bot{i}.log")
            for i, port in enumerate(ports)
        ]
        try:
            for process, port in zip(bots, ports, strict=True):  # one after the other, as a rolling start does
                await process.spawn()
                await wait_ready(process, port)
            warm = [emulator.user(100_000 + i, f"Pemanasan {i}") for i in range(WARM_UP)]
            await asyncio.gather(*(scenarios.play(u, scenarios.ORDER, i) for i, u in enumerate(warm)))
            balancer.accepted.clear()
            first = 100_000 + WARM_UP
            buyers = [emulator.user(first + i, f"Pembeli {i}") for i in range(users)]
            async with pg.backend_cpu() as meter:
                with profiled(bots):
                    bot_cpu = [cpu_seconds(p.pid) for p in bots]
                    driver_cpu = time.process_time()
                    updates, seconds = await gather_users(
                        buyers, lambda user: scenarios.play(user, scenarios.ORDER, user.id - first))
                    bot_total = sum(cpu_seconds(p.pid) - before for p, before in zip(bots, bot_cpu, strict=True))
                    driver_total = time.process_time() - driver_cpu
            split = [balancer.accepted[i] for i in range(setup.processes)]
        finally:
            await asyncio.gather(*(p.stop() for p in bots))
    return Run(updates, seconds, bot_total, driver_total, meter.seconds), split


async def _measure(setup: Setup, users: int, log_dir: Path, tag: str, into: Measured) -> None:
    """One run of a case on a fresh database."""
    try:
        url = await prepare_database(await pg.create())
        run, split = await _crowd(setup, users, url, log_dir, tag)
        into.runs.append(run)
        into.splits.append(split)
        into.orders.append(await count_rows(url, Order))
    finally:
        await pg.drop()


async def run(quick: bool) -> list[Row]:
    """Rounds of: one process, two processes, one process without the chat lock; the rows of the three."""
    users, rounds = (10, 1) if quick else (50, 2)
    title = f"complete bread orders: {users} buyers x {len(scenarios.ORDER)} steps, PostgreSQL, webhook"
    unreachable = await pg.unreachable()
    if unreachable is not None:
        why = f"PostgreSQL unreachable at {pg.ADMIN_URL} ({unreachable})"
        return [not_measured(BENCH, f"two processes against one, {title}", why, f">= {TWO_TARGET}"),
                not_measured(BENCH, f"per-chat lock, one process, {title}", why)]
    cases = {Setup(1): Measured(), Setup(2): Measured(), Setup(1, chat_lock=False): Measured()}
    logs = Path(tempfile.mkdtemp(prefix="karya-bench-multi-"))
    try:
        for number in range(rounds):
            for setup, measured in cases.items():
                tag = f"r{number}-{setup.processes}p{'' if setup.chat_lock else '-nolock'}"
                await _measure(setup, users, logs, tag, measured)
    except Exception:
        print(f"benchmark 7 failed: the bots' logs are kept in {logs}", file=sys.stderr)
        raise
    shutil.rmtree(logs, ignore_errors=True)
    one, two, unlocked = cases[Setup(1)], cases[Setup(2)], cases[Setup(1, chat_lock=False)]
    return [_two_row(f"two processes against one, {title}", one, two, users),
            _lock_row(f"per-chat lock, one process, {title}", one, unlocked, users)]


def _cpu(r: Run) -> str:
    """Bot and server CPU per update."""
    server = r.server_cpu or 0.0
    return f"bot {r.bot_ms:.1f} + PostgreSQL {server * 1000 / r.updates:.1f} ms CPU/update"


def _orders(measured: Measured, users: int) -> str:
    """The orders each run's database held."""
    return f"orders in the database: {', '.join(map(str, measured.orders))} (= {users} + {WARM_UP} warm-up per run)"


def _rates(measured: Measured) -> str:
    """The rate of every run, when there were several."""
    return "" if len(measured.runs) < 2 else " (runs: " + ", ".join(f"{r.rate:.0f}" for r in measured.runs) + ")"


def _two_row(title: str, one: Measured, two: Measured, users: int) -> Row:
    """Two processes behind the balancer against one process."""
    a, b = one.best, two.best
    ratio = b.rate / a.rate
    split = "/".join(map(str, two.split()))
    return Row(
        BENCH, title, f"{b.rate:.0f} upd/s{_rates(two)}", f"one process {a.rate:.0f} upd/s{_rates(one)}", ratio,
        f">= {TWO_TARGET}", verdict(ratio >= TWO_TARGET),
        f"two processes: {_cpu(b)} (both together); one process: {_cpu(a)}; the balancer split the updates "
        f"{split}; emulator+buyers process {b.driver_share:.0%} of a core; {_orders(two, users)}",
    )


def _lock_row(title: str, one: Measured, unlocked: Measured, users: int) -> Row:
    """One process with the per-chat lock against the same process without it."""
    a, b = one.best, unlocked.best
    ratio = a.rate / b.rate
    return Row(
        BENCH, title, f"with the lock {a.rate:.0f} upd/s", f"without it {b.rate:.0f} upd/s{_rates(unlocked)}",
        ratio, "-", "-",  # issue 13 asks for the figure, not a target: the lock is what keeps chats in order
        f"with: {_cpu(a)}; without: {_cpu(b)}; {_orders(unlocked, users)} without the lock",
    )
