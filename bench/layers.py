"""What one statement costs the bot's CPU, layer by layer, on each engine: `python -m bench.layers [--rounds 5]`.

The same read (one customer by primary key, the statement built per call as the services build theirs) is timed
through each layer the bot's updates use, with the process's CPU clock, one statement at a time:
- the driver alone: sqlite3 on the loop's thread (what models/sqlite_inline runs), or an asyncpg prepared
  statement (what SQLAlchemy's asyncpg adapter runs once it has prepared the statement on the connection);
- SQLAlchemy Core on an AsyncConnection, then Core through an AsyncSession, then the ORM entity through an
  AsyncSession (each object expunged, as every update has a new session);
- a whole unit of work holding that one ORM read: pool checkout (on PostgreSQL the ping), BEGIN, COMMIT.
Rounds alternate the engines, and each figure is the median over rounds; the loop is the bot's (uvloop). Not part
of `make bench` (about 20 s): it tells where a PostgreSQL update's CPU goes beyond SQLite's, which no crowd figure
separates.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bench import pg
from bench.world import make_database, prepare_database
from bot import event_loop
from models.db import SessionFactory, create_engine, create_session_factory, is_sqlite
from models.people import Customer

CUSTOMERS = 50
LAYERS = ("driver", "Core, AsyncConnection", "Core, AsyncSession", "ORM entity, AsyncSession", "unit of work")
Timed = Callable[[int], Awaitable[object]]
_TABLE = Customer.__table__


def _core(customer_id: int) -> Any:
    """The Core statement, built per call."""
    return select(*_TABLE.c).where(_TABLE.c.id == customer_id)


def _entity_read(customer_id: int) -> Any:
    """The ORM statement, built per call."""
    return select(Customer).where(Customer.id == customer_id)


async def _driver_read(conn: AsyncConnection, postgres: bool) -> Timed:
    """The same read written by hand, on the driver's own connection."""
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    if postgres:
        statement = await raw.prepare("SELECT * FROM customers WHERE customers.id = $1")
        return statement.fetchrow
    sqlite = raw._connection  # our InlineConnection's sqlite3 connection (models/sqlite_inline.py)

    async def read(customer_id: int) -> object:
        """sqlite3 in place, as InlineCursor does."""
        return sqlite.execute("SELECT * FROM customers WHERE customers.id = ?", (customer_id,)).fetchone()

    return read


def _unit_of_work(sessions: SessionFactory) -> Timed:
    """Checkout, BEGIN, one ORM read, COMMIT."""
    async def run(customer_id: int) -> object:
        """One unit of work."""
        async with sessions.begin() as session:
            return (await session.execute(_entity_read(customer_id))).scalar_one()

    return run


def _entity(session: AsyncSession) -> Timed:
    """The ORM read in a long-lived session, the object expunged after."""
    async def read(customer_id: int) -> object:
        """One entity."""
        found = (await session.execute(_entity_read(customer_id))).scalar_one()
        session.expunge_all()
        return found

    return read


async def _cpu_per_call(work: Timed, ids: list[int], calls: int) -> float:
    """Microseconds of this process's CPU per call (warmed up first)."""
    for customer_id in ids:
        await work(customer_id)
    start = time.process_time()
    for n in range(calls):
        await work(ids[n % len(ids)])
    return (time.process_time() - start) * 1e6 / calls


async def _engine_round(url: str, calls: int) -> dict[str, float]:
    """Each layer once on one database: microseconds of CPU per statement (per unit of work for the last)."""
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session:
            ids = list((await session.execute(select(Customer.id))).scalars())
            conn = await session.connection()
            result = {
                "driver": await _cpu_per_call(await _driver_read(conn, not is_sqlite(url)), ids, calls),
                "Core, AsyncConnection": await _cpu_per_call(
                    lambda i: conn.execute(_core(i)), ids, calls),
                "Core, AsyncSession": await _cpu_per_call(lambda i: session.execute(_core(i)), ids, calls),
                "ORM entity, AsyncSession": await _cpu_per_call(_entity(session), ids, calls),
            }
        result["unit of work"] = await _cpu_per_call(_unit_of_work(sessions), ids, calls // 4)
        return result
    finally:
        await engine.dispose()


async def _seed(url: str) -> str:
    """The migrated database with its customers."""
    engine = create_engine(url)
    try:
        async with create_session_factory(engine).begin() as session:
            session.add_all(Customer(telegram_id=500_000 + n, name=f"Pembeli {n}", language="id")
                            for n in range(CUSTOMERS))
    finally:
        await engine.dispose()
    return url


def report(figures: dict[str, list[dict[str, float]]]) -> str:
    """The table: per layer, the median microseconds on each engine and PostgreSQL over SQLite."""
    engines = list(figures)
    median = {e: {layer: statistics.median(r[layer] for r in figures[e]) for layer in LAYERS} for e in engines}
    lines = ["| layer | " + " | ".join(f"{e} µs CPU" for e in engines) + (" | PostgreSQL / SQLite |"
                                                                           if len(engines) == 2 else " |"),
             "|---" * (len(engines) + 1 + (len(engines) == 2)) + "|"]
    for layer in LAYERS:
        cells = [f"{median[e][layer]:.0f}" for e in engines]
        if len(engines) == 2:
            cells.append(f"{median[engines[1]][layer] / median[engines[0]][layer]:.2f}x")
        lines.append(f"| {layer} | " + " | ".join(cells) + " |")
    rounds = len(next(iter(figures.values())))
    own = ", ".join(f"{median[e]['unit of work'] - median[e]['ORM entity, AsyncSession']:.0f} µs on {e}"
                    for e in engines)
    lines.append(f"\nMedians of {rounds} rounds; the first four rows per statement, the last per unit of work. "
                 f"A unit of work's own cost (checkout, ping on PostgreSQL, BEGIN, COMMIT): {own}.")
    return "\n".join(lines)


async def measure(rounds: int, calls: int) -> str:
    """Seeds the databases, plays the rounds and returns the table."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-layers-"))
    urls = {"SQLite": await _seed(await make_database(tmp / "layers.sqlite3", catalogue=False))}
    why_not = await pg.unreachable()
    if why_not is None:
        urls["PostgreSQL"] = await _seed(await prepare_database(await pg.create(), catalogue=False))
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
    try:
        for number in range(rounds):
            for name in list(urls) if number % 2 == 0 else list(urls)[::-1]:
                figures[name].append(await _engine_round(urls[name], calls))
    finally:
        if "PostgreSQL" in urls:
            await pg.drop()
    table = report(figures)
    return table if why_not is None else f"{table}\n\nPostgreSQL not measured: {why_not}"


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000, help="statements per layer and round")
    args = parser.parse_args()
    if args.rounds < 1 or args.calls < 4:
        parser.error("--rounds must be at least 1 and --calls at least 4")
    print(event_loop.run(measure(args.rounds, args.calls), "auto"))  # the bot's own loop: uvloop


if __name__ == "__main__":
    main()
