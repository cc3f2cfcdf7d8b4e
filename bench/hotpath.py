"""Where the bot spends its time in benchmark 1's scenarios: `python -m bench.hotpath [--quick] [--engine E]`.

`--out DIR` keeps the raw files. `--engine postgresql` runs part 1 on PostgreSQL instead of SQLite.
1. CPU, on SQLite: each scenario's crowd at benchmark 1's sizes (both crowds play the same number of updates),
   once sampled from outside by py-spy when it is installed (the bot's CPU per update from /proc; py-spy barely
   slows it) and once under cProfile (BENCH_PROFILE; only the measured crowd is profiled). Prints the own time
   by library from both, the top functions by inclusive time (py-spy) and by own time with calls per update
   (cProfile), among our code and the libraries working for it (PTB, SQLAlchemy and its drivers, aiohttp,
   qrcode, PIL). bench/profiles.py says why inclusive times come from py-spy.
2. SQL, on SQLite and on PostgreSQL when it answers: after the warm-up, one buyer plays each script alone with
   BENCH_SQL_TRACE set (bench/sqltrace.py); prints, per step, the statements by kind, the transactions and the
   CPU and wall milliseconds of the update, and lists the statements of the order's last step (Konfirmasi);
   then the order's whole crowd, traced on SQLite: transactions and statements per buyer (one order each), in
   updates and outside them (the group commit's batches are outside: models/group_commit.py).
The raw files (profiles, traces, bot logs) stay in --out (a temporary directory otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench import pg, scenarios
from bench.profiles import OURS_LABEL, CProfile, Samples, group, py_spy, py_spy_binary
from bench.scenarios import Step
from bench.sqltrace import BACKGROUND, MARK, Tally, load
from bench.throughput import WARM_UP, crowd
from bench.world import copy_database, make_database, prepare_database

FIRST_ID = 100_000
TOP = 25
SPY_RATE = 250  # samples per second
DISPATCH = ("telegram/ext/_application.py", "telegram/ext/_baseupdateprocessor.py", "_handlers/basehandler.py")


def profile_report(cprofile: CProfile, spy: Samples | None, updates: int, cpu_ms: float) -> str:
    """Time by library, then the top functions (ours and our libraries') by inclusive and by own time.

    cpu_ms: the bot's CPU per update from /proc in the sampled run, which py-spy's shares are scaled to.
    """
    lines = [f"cProfile: {cprofile.total * 1000 / updates:.2f} ms/update profiled (its overhead included)"]
    spied = spy.by_group() if spy else {}
    if spy:
        lines[0] += (f"; py-spy: {spy.total} busy samples, {spy.share(spy.in_greenlets):.0%} of them inside "
                     "SQLAlchemy's greenlets (the sync Session under AsyncSession)")
    own = cprofile.by_group()
    lines += ["", "| library | py-spy own share | = ms/update of the /proc CPU | cProfile own ms/update | share |",
              "|---|---|---|---|---|"]
    for label in sorted(own.keys() | spied.keys(), key=lambda g: -spied.get(g, own.get(g, 0.0) / cprofile.total)):
        share = spied.get(label)
        spy_cells = "- | -" if share is None else f"{share:.0%} | {share * cpu_ms:.2f}"
        lines.append(f"| {label} | {spy_cells} | {own.get(label, 0.0) * 1000 / updates:.2f} | "
                     f"{own.get(label, 0.0) / cprofile.total:.0%} |")
    if spy:
        header = ["| incl. ms/update | share | own ms/update | function |", "|---|---|---|---|"]
        lines += ["", f"Top {TOP} of our code by inclusive time (py-spy: the function or what it called was running; "
                  "ms/update scaled to the /proc CPU; a handler's figure leaves out its ORM work inside greenlets, "
                  "which is listed under the Session method that ran it in the next table):", "", *header]
        lines += spy.top_inclusive(TOP, cpu_ms, lambda f: group(f) == OURS_LABEL)
        lines += ["", f"Top {TOP} of the libraries by inclusive time, without PTB's frames that only dispatch the "
                  "update to our handlers (run_polling, process_update, handle_update):", "", *header]
        lines += spy.top_inclusive(TOP, cpu_ms, lambda f: group(f) != OURS_LABEL and not f.endswith(DISPATCH))
    else:
        lines += ["", "(py-spy is not installed, so no inclusive times: cProfile's are wrong under greenlets)"]
    lines += ["", f"Top {TOP} by own time (cProfile):", "", "| own ms/update | calls/update | function |",
              "|---|---|---|"]
    lines += cprofile.top_own(TOP, updates)
    return "\n".join(lines)


def _kinds(statements: list[str]) -> str:
    """Statements counted by their first word (SELECT 5, INSERT 1 ...)."""
    counts = Counter(s.removeprefix("(many) ").split(" ", 1)[0].upper() for s in statements)
    return ", ".join(f"{kind} {n}" for kind, n in counts.most_common()) or "-"


def trace_report(tallies: list[Tally], user: int, steps: list[Step]) -> str:
    """Per step of the traced buyer: statements, transactions, CPU and wall time; the background's totals."""
    mine = [t for t in tallies if t.user == user]
    lines = ["| # | step | statements | by kind | BEGIN | COMMIT | ROLLBACK | pool checkouts | CPU ms | wall ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for n, (step, tally) in enumerate(zip(steps, mine, strict=False), 1):
        lines.append(f"| {n} | {step.kind} {step.arg} | {len(tally.statements)} | {_kinds(tally.statements)} | "
                     f"{tally.begins} | {tally.commits} | {tally.rollbacks} | {tally.checkouts} | "
                     f"{tally.cpu_ms:.1f} | {tally.wall_ms:.1f} |")
    lines.append(f"| | total | {sum(len(t.statements) for t in mine)} | "
                 f"{_kinds([s for t in mine for s in t.statements])} | {sum(t.begins for t in mine)} | "
                 f"{sum(t.commits for t in mine)} | {sum(t.rollbacks for t in mine)} | "
                 f"{sum(t.checkouts for t in mine)} | {sum(t.cpu_ms for t in mine):.1f} | "
                 f"{sum(t.wall_ms for t in mine):.1f} |")
    if len(mine) != len(steps):
        lines.append(f"\n(the bot saw {len(mine)} updates from the buyer for {len(steps)} steps)")
    background = next((t for t in tallies if t.update == BACKGROUND), None)
    if background is not None:
        lines.append(f"\nOutside any update during the whole run (start-up, jobs, outbox): "
                     f"{len(background.statements)} statements ({_kinds(background.statements)}), "
                     f"{background.begins} transactions")
    return "\n".join(lines)


UrlFor = Callable[[str], Awaitable[str]]


async def _profiled(name: str, engine: str, url_for: UrlFor, users: int, steps: list[Step], out: Path) -> str:
    """A crowd sampled by py-spy (if installed; it barely slows the bot), then one under cProfile."""
    spy_path = out / f"py-spy-{name}.txt"
    sampled = await crowd("app", ["--database-url", await url_for(f"{name}-plain")], users, lambda _n: steps,
                          out / f"{name}-plain.log", window=py_spy(spy_path, SPY_RATE) if py_spy_binary() else None)
    prefix = out / f"profile-{name}"
    profiled = await crowd("app", ["--database-url", await url_for(f"{name}-profiled")], users, lambda _n: steps,
                           out / f"{name}-profiled.log", env={"BENCH_PROFILE": str(prefix)})
    [path] = list(out.glob(f"{prefix.name}.app.*"))
    spy = Samples(spy_path) if spy_path.exists() else None
    return (f"### {name}: {users} buyers x {len(steps)} steps, {engine}\n\n"
            f"bot CPU {sampled.bot_ms:.2f} ms/update at {sampled.rate:.0f} upd/s (/proc, while py-spy sampled); "
            f"{profiled.bot_ms:.2f} ms/update at {profiled.rate:.0f} upd/s under cProfile\n\n"
            f"{profile_report(CProfile(path), spy, sampled.updates, sampled.bot_ms)}\n\n"
            f"Raw files: `{spy_path}`, `{path}`")


async def _traced(name: str, engine: str, url: str, steps: list[Step], out: Path) -> str:
    """One buyer plays the script alone after the warm-up, with the SQL trace on."""
    prefix = out / f"trace-{engine}-{name}"
    await crowd("app", ["--database-url", url], 1, lambda _n: steps, out / f"trace-{engine}-{name}.log",
                first_id=FIRST_ID, env={"BENCH_SQL_TRACE": str(prefix)})
    [path] = list(out.glob(f"{prefix.name}.*.json"))
    tallies = load(path)
    report = f"### SQL per step: {name}, {engine}\n\n{trace_report(tallies, FIRST_ID + WARM_UP, steps)}"
    mine = [t for t in tallies if t.user == FIRST_ID + WARM_UP]
    shown = len(steps) if name == "order" else 3  # Konfirmasi; a browsing press (Roti)
    if len(mine) >= shown:
        title = f"Step {shown} ({steps[shown - 1].arg}) in order, transactions marked"
        report += f"\n\n{title}:\n\n{_log(mine[shown - 1])}"
    return report + f"\n\nRaw trace: `{path}`"


async def _crowd_traced(name: str, url: str, users: int, steps: list[Step], out: Path) -> str:
    """A whole crowd with the SQL trace on: transactions and statements per buyer, in updates and outside them."""
    prefix = out / f"crowd-{name}"
    await crowd("app", ["--database-url", url], users, lambda _n: steps, out / f"crowd-{name}.log",
                env={"BENCH_SQL_TRACE": str(prefix)})
    [path] = list(out.glob(f"{prefix.name}.*.json"))
    tallies = load(path)
    inside = [t for t in tallies if t.update != BACKGROUND]
    outside = [t for t in tallies if t.update == BACKGROUND]
    buyers = users + WARM_UP
    begins_in, begins_out = sum(t.begins for t in inside), sum(t.begins for t in outside)
    statements = sum(len(t.statements) for t in tallies)
    return (f"### Transactions with {users} buyers at once (+{WARM_UP} warm-up): {name}, SQLite\n\n"
            f"{len(inside)} updates; {(begins_in + begins_out) / buyers:.1f} transactions per buyer "
            f"({begins_in / buyers:.1f} in updates, {begins_out / buyers:.1f} outside any: group commits, jobs, "
            f"outbox); {statements / buyers:.1f} statements per buyer\n\nRaw trace: `{path}`")


def _log(tally: Tally) -> str:
    """A numbered list of an update's statements, with its BEGIN/COMMIT/ROLLBACK between them."""
    lines, n = [], 0
    for line in tally.log:
        if line.startswith(MARK):
            lines.append(f"   - {line.removeprefix(MARK).strip()}")
        else:
            n += 1
            lines.append(f"{n}. `{line[:160]}`")
    return "\n".join(lines)


async def main(quick: bool, engine: str, out: Path) -> None:
    """Profiles both scenarios on one engine, then traces their SQL on SQLite and PostgreSQL."""
    browsers, orderers = (20, 10) if quick else (100, 50)
    template = out / "template.sqlite3"
    await make_database(template)

    async def sqlite_copy(name: str) -> str:
        """A copy of the prepared SQLite file."""
        return copy_database(template, out / f"{name}.sqlite3")

    async def fresh_postgres(_name: str) -> str:
        """A fresh PostgreSQL database (`pg.create` drops the previous one), migrated, with the default catalogue."""
        return await prepare_database(await pg.create())

    scripts = {"browse": scenarios.BROWSE, "order": scenarios.ORDER}
    if engine == "postgresql" and (reason := await pg.unreachable()) is not None:
        raise SystemExit(f"PostgreSQL unreachable at {pg.ADMIN_URL} ({reason})")
    url_for, label = (fresh_postgres, "PostgreSQL") if engine == "postgresql" else (sqlite_copy, "SQLite")
    try:
        print(await _profiled("browse", label, url_for, browsers, scripts["browse"], out), "\n", flush=True)
        print(await _profiled("order", label, url_for, orderers, scripts["order"], out), "\n", flush=True)
    finally:
        if engine == "postgresql":
            await pg.drop()
    for name, steps in scripts.items():
        print(await _traced(name, "SQLite", await sqlite_copy(f"trace-{name}"), steps, out), "\n", flush=True)
    print(await _crowd_traced("order", await sqlite_copy("crowd-order"), orderers, scripts["order"], out), "\n",
          flush=True)
    if (reason := await pg.unreachable()) is not None:
        print(f"PostgreSQL not traced: unreachable at {pg.ADMIN_URL} ({reason})")
        return
    for name, steps in scripts.items():
        try:
            url = await prepare_database(await pg.create())
            print(await _traced(name, "PostgreSQL", url, steps, out), "\n", flush=True)
        finally:
            await pg.drop()


def cli() -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m bench.hotpath", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="benchmark 1's quick sizes")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite",
                        help="the database the CPU profiles run on (the SQL traces cover both)")
    parser.add_argument("--out", type=Path, help="keep the raw files here (default: a new temporary directory)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="karya-hotpath-"))
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(args.quick, args.engine, out))


if __name__ == "__main__":
    cli()
