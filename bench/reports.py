"""Benchmark 4: the production sheet and the weekly summary at 10k, 100k and 1M orders, against plain SQL."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import floors, pg, seed
from bench.report import Row, not_measured, verdict
from bench.timing import fmt_ms, interleaved
from models.catalog import Category, Family, Product
from models.db import create_engine, create_session_factory
from models.order import Order
from models.services import reports
from models.services.weekly import day_start, weekly_summary

NAME = "reports"
BENCH = "4 reports"
SHEET_DAY = seed.ANCHOR_DAY + timedelta(days=1)
MONDAY = seed.ANCHOR_DAY - timedelta(days=seed.ANCHOR_DAY.weekday() + 7)
RATIO_TARGET = 1.5
GROWTH_SLACK = 1.15  # timing noise allowance on "no worse than linear"
# The indexes this benchmark recommends, created on its own database after the last size to show their effect.
RECOMMENDED_INDEXES = (
    "CREATE INDEX ix_orders_created_at ON orders (created_at)",
    "CREATE INDEX ix_payments_paid_at ON payments (paid_at)",
)


@dataclass(frozen=True)
class Timing:
    """One report on one engine at one size."""

    seconds: float
    floor: float
    period_orders: int
    mismatch: list[str]


def _label(n: int) -> str:
    """10000 -> 10k, 1000000 -> 1M."""
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


async def _sheet(engine: AsyncEngine, budget: float) -> Timing:
    """The production sheet for SHEET_DAY against its floor."""
    factory = create_session_factory(engine)
    async with factory() as session:
        ids = {sku: pid for sku, pid in await session.execute(select(Product.sku, Product.id))}
        period = await session.scalar(
            select(func.count()).where(Order.fulfil_date == SHEET_DAY, Order.family == Family.BREAD)
        )

    async def report() -> None:
        async with factory() as session:
            await reports.production_sheet(session, SHEET_DAY)

    async def floor() -> None:
        async with engine.connect() as conn:
            await floors.sheet_floor(conn, SHEET_DAY)

    seconds, floor_seconds = await interleaved(report, floor, repeat=7, budget=budget)
    async with factory() as session:
        got = floors.sheet_totals(await reports.production_sheet(session, SHEET_DAY), ids)
    async with engine.connect() as conn:
        want = await floors.sheet_floor(conn, SHEET_DAY)
    return Timing(seconds, floor_seconds, int(period or 0), floors.differences(got, want))


async def _weekly(engine: AsyncEngine, budget: float) -> Timing:
    """The weekly summary of the week before the anchor's against its floor."""
    factory = create_session_factory(engine)
    async with factory() as session:
        slugs = {slug: cid for slug, cid in await session.execute(select(Category.slug, Category.id))}
        period = await session.scalar(
            select(func.count()).where(
                Order.created_at >= day_start(MONDAY - timedelta(days=7)),
                Order.created_at < day_start(MONDAY + timedelta(days=7)),
            )
        )
    results: dict[str, floors.Totals] = {}

    async def report() -> None:
        async with factory() as session:
            results["report"] = floors.weekly_totals(await weekly_summary(session, MONDAY), slugs)

    async def floor() -> None:
        async with engine.connect() as conn:
            results["floor"] = await floors.weekly_floor(conn, MONDAY)

    seconds, floor_seconds = await interleaved(report, floor, repeat=5, budget=budget)
    return Timing(seconds, floor_seconds, int(period or 0), floors.differences(results["report"], results["floor"]))


def _rows(engine: str, report: str, period: str, timings: dict[int, Timing]) -> list[Row]:
    """Table rows for one report on one engine: each size, then the growth between the two largest."""
    rows = []
    for size, t in timings.items():
        ratio = t.seconds / t.floor
        note = f"{t.period_orders:,} orders in the {period}"
        if t.mismatch:
            note += f"; DISAGREES with the floor on: {', '.join(t.mismatch)}"
        rows.append(Row(
            BENCH, f"{engine} {_label(size)}: {report}", fmt_ms(t.seconds), f"floor SQL {fmt_ms(t.floor)}",
            ratio, f"<= {RATIO_TARGET}x", verdict(ratio <= RATIO_TARGET and not t.mismatch), note,
        ))
    sizes = sorted(timings)
    if len(sizes) >= 2:
        small, big = timings[sizes[-2]], timings[sizes[-1]]
        time_growth = big.seconds / small.seconds
        orders_growth = big.period_orders / max(1, small.period_orders)
        ratio = time_growth / orders_growth
        rows.append(Row(
            BENCH, f"{engine}: {report} growth {_label(sizes[-2])} -> {_label(sizes[-1])}", f"time x{time_growth:.1f}",
            f"orders of the {period} x{orders_growth:.1f}", ratio, "<= 1.0x (linear)",
            verdict(ratio <= GROWTH_SLACK), f"floor grew x{big.floor / small.floor:.1f}; 15 % noise allowance",
        ))
    return rows


async def run(quick: bool) -> list[Row]:
    """Seeds each engine step by step and times both reports at each step."""
    sizes = (10_000, 30_000) if quick else (10_000, 100_000, 1_000_000)
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    engines = {"SQLite": create_engine(f"sqlite+aiosqlite:///{tmp / 'reports.sqlite3'}")}
    out: list[Row] = []
    skipped = await pg.unreachable()
    if skipped is None:
        engines["PostgreSQL"] = create_engine(await pg.create())
    else:
        reason = f"PostgreSQL unreachable at {pg.ADMIN_URL} ({skipped})"
        out.append(not_measured(BENCH, "PostgreSQL: both reports", reason))
    sheets: dict[str, dict[int, Timing]] = {name: {} for name in engines}
    weeklies: dict[str, dict[int, Timing]] = {name: {} for name in engines}
    indexed: dict[str, Timing] = {}
    try:
        for engine in engines.values():
            await seed.prepare(engine)
        for size in sizes:
            label = f"seeding {' + '.join(engines)} to {_label(size)}"
            await seed.seed_to(list(engines.values()), size, label=label)
            for name, engine in engines.items():
                budget = 10.0 if size >= 1_000_000 else 4.0
                sheets[name][size] = await _sheet(engine, budget)
                weeklies[name][size] = await _weekly(engine, budget)
        for name, engine in engines.items():
            async with engine.begin() as conn:
                for ddl in RECOMMENDED_INDEXES:
                    await conn.execute(text(ddl))
                if name == "PostgreSQL":
                    await conn.execute(text("ANALYZE orders, payments"))
            indexed[name] = await _weekly(engine, 10.0 if sizes[-1] >= 1_000_000 else 4.0)
    finally:
        for engine in engines.values():
            await engine.dispose()
        if "PostgreSQL" in engines:
            await pg.drop()
        shutil.rmtree(tmp, ignore_errors=True)
    for name in engines:
        out += _rows(name, f"production sheet for {SHEET_DAY:%d %b}", "day", sheets[name])
        out += _rows(name, f"weekly summary (week of {MONDAY:%d %b})", "two weeks", weeklies[name])
        if name in indexed:
            before, after = weeklies[name][sizes[-1]], indexed[name]
            out.append(Row(
                BENCH, f"{name} {_label(sizes[-1])}: weekly summary with ix_orders_created_at, ix_payments_paid_at",
                fmt_ms(after.seconds), f"floor SQL {fmt_ms(after.floor)}", after.seconds / after.floor,
                f"<= {RATIO_TARGET}x", verdict(after.seconds / after.floor <= RATIO_TARGET and not after.mismatch),
                f"the indexes made the summary x{before.seconds / after.seconds:.2f} faster "
                f"and its floor x{before.floor / after.floor:.2f}",
            ))
    return out
