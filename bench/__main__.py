"""`python -m bench [--quick] [--only NAME ...]`: runs the benchmarks, prints the table, updates the README."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import subprocess
import sys
import time
import traceback

from bench import pg
from bench.report import (
    ROOT,
    Row,
    load_average,
    machine,
    merge,
    not_measured,
    read_block,
    render,
    table,
    write_readme,
)

# Run order: cheap first, the long seeding of benchmark 4 last but one, memory (100k customers) last.
BENCHMARKS = {
    "qr": ("bench.qr", "6 QR"),
    "throughput": ("bench.throughput", "1 throughput"),
    "concurrency": ("bench.concurrency", "2 concurrency"),
    "fanout": ("bench.fanout", "3 fan-out"),
    "multiproc": ("bench.multiproc", "7 processes"),
    "miniapp": ("bench.miniapp", "8 Mini App"),
    "reports": ("bench.reports", "4 reports"),
    "memory": ("bench.memory", "5 memory"),
}
BUSY_LOAD = 0.5  # one-minute load per core above which a run is flagged as measured on a busy machine
ORDER = ["throughput", "concurrency", "fanout", "reports", "memory", "qr", "multiproc", "miniapp"]


async def _one(name: str, quick: bool) -> list[Row]:
    """Runs one benchmark; a crash becomes a "not measured" row with the error, never a made-up number."""
    module_name, label = BENCHMARKS[name]
    try:
        module = importlib.import_module(module_name)
        rows: list[Row] = await module.run(quick)
        return rows
    except Exception as exc:  # report the failure in the table and carry on with the others
        traceback.print_exc()
        return [not_measured(label, "all cases", f"the benchmark failed: {type(exc).__name__}: {exc}")]


def _code() -> str:
    """The commit measured, and how many tracked files differed from it when the run started."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    status = git("status", "--porcelain", "--untracked-files=no").splitlines()
    changed = [line for line in status if line.strip() and not line.endswith(" README.md")]  # the run writes it
    return f"commit {commit}" + (f" plus uncommitted changes to {len(changed)} tracked files" if changed else "")


def _busy() -> str:
    """A warning when other processes already keep the cores busy (empty when the machine is quiet enough)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    load = os.getloadavg()[0]
    if load < BUSY_LOAD * cores:
        return ""
    return (f"The machine was busy when the run started (load {load:.1f} on {cores} cores): other processes took "
            "CPU from the bots and the emulator, so the ratios (benchmark 1's above all) swing more than usual; "
            "compare runs started on a quiet machine.")


async def _main(names: list[str], quick: bool, write: str) -> int:
    started = time.monotonic()
    load_before = load_average()
    busy = _busy()
    if busy:
        print(f"warning: {busy}", file=sys.stderr, flush=True)
    code = _code()
    results: dict[str, list[Row]] = {}
    notes: list[str] = []
    for name in [n for n in BENCHMARKS if n in names]:
        print(f"== {name} ==", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        results[name] = await _one(name, quick)
        notes.append(f"{BENCHMARKS[name][1]} took {time.monotonic() - t0:.0f} s")
    rows = [row for name in ORDER if name in results for row in results[name]]
    wall = time.monotonic() - started
    unreachable = await pg.unreachable()
    postgres = f"{await pg.server_version()} on 127.0.0.1" if unreachable is None else f"unreachable ({unreachable})"
    info = machine({
        "Run": f"{'quick' if quick else 'full'} run of {', '.join(n for n in ORDER if n in names)} "
        f"in {wall / 60:.1f} min; load average (1/5/15 min) {load_before} at the start, {load_average()} at the end",
        "PostgreSQL": postgres,
        "Code": code,
    })
    footnotes = ["Per benchmark: " + "; ".join(notes) + "."]
    if busy:
        footnotes.insert(0, busy)
    print(table(rows))
    print("\n" + "\n".join(f"- {k}: {v}" for k, v in info.items()))
    print("\n".join(f"- {note}" for note in footnotes))
    if write == "yes":
        write_readme(render(rows, info, footnotes))
        print("README.md Performance section updated.", file=sys.stderr)
    elif write == "merge":
        write_readme(merge(read_block(), rows, [BENCHMARKS[n][1] for n in ORDER if n in results], info, footnotes))
        print("README.md Performance section: the rows of this run replaced, the others kept.", file=sys.stderr)
    return 0


def main() -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes for a fast check (minutes)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME",
                        help=f"run only these: {', '.join(BENCHMARKS)}")
    parser.add_argument("--readme", choices=["auto", "yes", "no", "merge"], default="auto",
                        help="write the table into README.md (auto: only for a full run of every benchmark; merge: "
                        "replace only the rows of the benchmarks run, keeping the others and saying so)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    names = args.only or list(BENCHMARKS)
    full = not args.quick and not args.only
    write = "yes" if args.readme == "yes" or (args.readme == "auto" and full) else args.readme
    write = "no" if write == "auto" else write
    return asyncio.run(_main(names, args.quick, write))


if __name__ == "__main__":
    sys.exit(main())
