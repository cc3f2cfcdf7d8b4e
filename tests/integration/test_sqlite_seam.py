"""The seam between SQLAlchemy's aiosqlite dialect and models/sqlite_inline.py, which stands in for aiosqlite's
connection: when an upgrade of SQLAlchemy or aiosqlite moves it, a test here fails with one line naming what
changed. pyproject.toml pins both to the minor versions these tests pass on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import create_engine
from models.sqlite_inline import InlineConnection, InlineCursor

VERSIONS = f"SQLAlchemy {sqlalchemy.__version__} with aiosqlite {aiosqlite.__version__}"
ASKED: set[str] = set()  # "connection.<name>" / "cursor.<name>": what the dialect asked the stand-in for


class _SeenCursor(InlineCursor):
    """InlineCursor, noting each attribute asked for."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        """Notes the name, then answers as InlineCursor does."""
        ASKED.add(f"cursor.{name}")
        return super().__getattribute__(name)


class _SeenConnection(InlineConnection):
    """InlineConnection, noting each attribute asked for; its cursors note theirs."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        """Notes the name, then answers as InlineConnection does."""
        ASKED.add(f"connection.{name}")
        return super().__getattribute__(name)

    def cursor(self) -> InlineCursor:
        """A noting cursor."""
        return _SeenCursor(self.raw.cursor())


def _seen_connector(path: Path) -> Any:
    """An async creator of noting connections to the file at `path`, opened as sqlite_inline opens them."""

    async def open_connection() -> InlineConnection:
        """Opens one."""
        return _SeenConnection(sqlite3.connect(path, isolation_level=None, check_same_thread=False))

    return open_connection


def _changed(what: str) -> None:
    """Fails the test with one line."""
    pytest.fail(f"{VERSIONS}: {what}; models/sqlite_inline.py must follow (or pin the versions it works with)",
                pytrace=False)


def _rows_in_file(path: Path) -> list[str]:
    """The names in the table, read by a connection of its own: what a commit really wrote."""
    with sqlite3.connect(path) as other:
        return [name for (name,) in other.execute("SELECT name FROM seam ORDER BY id")]


async def _everything_the_bot_does(engine: AsyncEngine, path: Path) -> None:
    """Connects, writes, reads, streams, commits, rolls back, fails a constraint, invalidates and closes."""
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE seam (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
        inserted = await conn.execute(text("INSERT INTO seam (name) VALUES ('satu')"))
        if inserted.lastrowid != 1:
            _changed(f"an INSERT's lastrowid came back as {inserted.lastrowid!r}, not 1")
        await conn.execute(text("INSERT INTO seam (name) VALUES (:name)"), [{"name": "dua"}, {"name": "tiga"}])
    if _rows_in_file(path) != ["satu", "dua", "tiga"]:
        _changed(f"a commit through SQLAlchemy left {_rows_in_file(path)} in the file, not the three rows")
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO seam (name) VALUES ('empat')"))
        await conn.rollback()
        names = (await conn.execute(text("SELECT name FROM seam ORDER BY id"))).scalars().all()
        streamed = [row.name async for row in await conn.stream(text("SELECT name FROM seam ORDER BY id"))]
    if names != ["satu", "dua", "tiga"] or streamed != names:
        _changed(f"after a rollback SQLAlchemy read {names} (streamed: {streamed}), not the three committed rows")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO seam (name) VALUES ('satu')"))
    except IntegrityError:
        pass
    else:
        _changed("a duplicate key no longer raises SQLAlchemy's IntegrityError")
    async with engine.connect() as conn:
        await conn.invalidate()  # a connection found broken: closed inside the greenlet
    await engine.dispose()


async def test_the_aiosqlite_dialect_asks_the_stand_in_only_for_what_it_provides(tmp_path: Path) -> None:
    ASKED.clear()
    path = tmp_path / "seam.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}", async_creator=_seen_connector(path))
    if not engine.dialect.has_terminate:
        _changed("the aiosqlite dialect cannot terminate connections (has_terminate is False: no "
                 "aiosqlite.Connection.stop?), so connections dropped by the garbage collector would stay open")
    failure = ""
    try:
        await _everything_the_bot_does(engine, path)
    except pytest.fail.Exception:
        raise
    except Exception as exc:  # anything else: the dialect now uses the stand-in in a way it does not support
        failure = f"the aiosqlite dialect failed on sqlite_inline's connection: {type(exc).__name__}: {exc}"
    if failure:
        _changed(failure)  # outside the except block, so pytest prints this one line and no chained traceback
    classes = {"connection": InlineConnection, "cursor": InlineCursor}
    missing = sorted(name for name in ASKED if not hasattr(classes[name.split(".")[0]], name.split(".", 1)[1]))
    if missing:
        _changed(f"the aiosqlite dialect now asks aiosqlite's connection for {', '.join(missing)}")
    if "connection._connection" not in ASKED:  # the one private attribute the stand-in keeps for the dialect
        _changed("the aiosqlite dialect no longer reads Connection._connection (the stand-in may drop it)")

