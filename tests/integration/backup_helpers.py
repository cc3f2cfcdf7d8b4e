"""A shop database on an SQLite file with known orders, and how to read a database file back."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.services import catalogue_io
from tests.conftest import CATALOGUE, wib
from tests.integration.helpers import order

SATURDAY = date(2026, 11, 28)
FRIDAY_MORNING = wib(2026, 11, 27, 10, 0)


def sqlite_url(path: Path) -> str:
    """The async URL of an SQLite file, as the settings make it."""
    return f"sqlite+aiosqlite:///{path}"


async def open_shop(url: str) -> AsyncEngine:
    """A migrated database with the default catalogue, on its engine."""
    engine = create_engine(url)
    await upgrade(engine)
    async with create_session_factory(engine).begin() as session:
        await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    return engine


async def place_one(engine: AsyncEngine, buyer: int) -> str:
    """One buyer's bread order in its own committed unit of work; returns its code once committed."""
    async with create_session_factory(engine).begin() as session:
        placed = await order(session, "RTI-MNS-CKL", 1, now=FRIDAY_MORNING, day=SATURDAY, telegram_id=buyer)
        code = placed.code
    return code


async def shop_with_orders(url: str, buyers: int) -> list[str]:
    """A shop database holding one order from each of `buyers` buyers; returns the order codes."""
    engine = await open_shop(url)
    try:
        return [await place_one(engine, 5000 + n) for n in range(buyers)]
    finally:
        await engine.dispose()


def order_codes(path: Path) -> set[str]:
    """The order codes an SQLite file holds, read straight from the file."""
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT code FROM orders")}


def inconsistent_orders(path: Path) -> list[str]:
    """Orders of an SQLite file whose total is not the sum of their lines (a torn copy would show some)."""
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT o.code FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id "
            "GROUP BY o.id HAVING o.total != coalesce(sum(l.line_total), -1)"
        )
        return [row[0] for row in rows]


def integrity(path: Path) -> str:
    """What `PRAGMA integrity_check` says of an SQLite file."""
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
