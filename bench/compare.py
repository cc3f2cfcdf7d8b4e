"""Benchmark 1's crowd against the bot code of several checkouts, in interleaved rounds: what a change is worth.

    git worktree add --detach ../before HEAD~1 && ln -s "$PWD/.venv" ../before/.venv
    python -m bench.compare --scenario order --engine sqlite --rounds 6 ../before .

Each round plays the same crowd (benchmark 1's sizes: 50 buyers ordering, 100 browsing) once against each
checkout's bot (`bench.botproc app`, started in that directory, so it runs that checkout's code), alternating the
order from round to round, and prints the bot's CPU milliseconds per update and updates per second. At the end:
each checkout's median, and its CPU per update over the first checkout's, round by round and as the median. Only
such same-round ratios are worth quoting on a shared machine, where load from elsewhere moves absolute figures by
half. The runner, the emulator and the buyers are this checkout's; the database schema must be the same in all.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

from bench import scenarios
from bench.throughput import Run, on_postgres, on_sqlite
from bench.world import make_database


def _line(run: Run, orders: int) -> str:
    """One run: rate, CPU per update (and the server's, on PostgreSQL), the orders its database holds."""
    server = f", PostgreSQL {run.server_cpu * 1000 / run.updates:.2f}" if run.server_cpu is not None else ""
    return f"{run.rate:.0f} upd/s, bot {run.bot_ms:.2f} ms CPU/update{server}; orders in the database: {orders}"


async def compare(directories: list[Path], *, scenario: str, engine: str, rounds: int, users: int | None) -> str:
    """Plays the rounds and returns the report (each run is printed as it ends)."""
    steps = scenarios.ORDER if scenario == "order" else scenarios.BROWSE
    crowd_size = users or (50 if scenario == "order" else 100)
    tmp = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    template = tmp / "template.sqlite3"
    if engine == "sqlite":
        await make_database(template)
    runs: dict[Path, list[Run]] = {d: [] for d in directories}
    for number in range(rounds):
        for directory in directories if number % 2 == 0 else directories[::-1]:
            name = f"round{number + 1}-checkout{directories.index(directory) + 1}"
            if engine == "sqlite":
                run, orders = await on_sqlite(template, name, crowd_size, steps, tmp, checkout=directory)
            else:
                run, orders = await on_postgres(name, crowd_size, steps, tmp, checkout=directory)
            runs[directory].append(run)
            print(f"round {number + 1}: {directory}: {_line(run, orders)}", flush=True)
    first = runs[directories[0]]
    lines = [f"{scenario}, {engine}, {crowd_size} buyers, {rounds} rounds:"]
    for directory in directories:
        mine = runs[directory]
        lines.append(f"- {directory}: bot CPU per update median {statistics.median(r.bot_ms for r in mine):.2f} ms, "
                     f"best rate {max(r.rate for r in mine):.0f} upd/s")
    for directory in directories[1:]:
        ratios = [r.bot_ms / f.bot_ms for r, f in zip(runs[directory], first, strict=True)]
        lines.append(f"- CPU per update, {directory} / {directories[0]}: median {statistics.median(ratios):.2f} "
                     f"(rounds: {', '.join(f'{q:.2f}' for q in ratios)})")
    return "\n".join(lines)


def main() -> None:
    """Command line: python -m bench.compare [--scenario order|browse] [--engine sqlite|postgresql] DIR DIR..."""
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", type=Path, nargs="+", help="checkouts to compare (the first is the baseline)")
    parser.add_argument("--scenario", choices=["order", "browse"], default="order")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--users", type=int, help="buyers at once (default: benchmark 1's 50 ordering, 100 browsing)")
    args = parser.parse_args()
    directories = [d.resolve() for d in args.directories]
    for directory in directories:
        if not (directory / "bench" / "botproc.py").is_file():
            parser.error(f"{directory} is not a checkout of this project (no bench/botproc.py)")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    print(asyncio.run(compare(directories, scenario=args.scenario, engine=args.engine, rounds=args.rounds,
                              users=args.users)))


if __name__ == "__main__":
    main()
