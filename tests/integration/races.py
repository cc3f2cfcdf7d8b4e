"""Units of work that really overlap, on SQLite and PostgreSQL, and a way to see one queue behind another's lock.

Each contender gets its own connection, as two bot processes (or two updates handled at once) would. The
test forces the interleaving it means instead of hoping a sleep lands in the right place: it holds a unit of
work open until the others are seen waiting for its lock, which each engine shows in its own way:

- PostgreSQL: `pg_blocking_pids()` lists who a backend waits for (a row lock, here);
- SQLite: every transaction starts with BEGIN IMMEDIATE (models/db.py), so a contender whose connection is
  in use and whose BEGIN has not gone through is waiting for the write lock. Each contender has its own
  engine on the file, because one engine has one connection and its units of work would queue in the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from models.db import SessionFactory, create_engine, create_session_factory
from tests.support.eventually import eventually

T = TypeVar("T")
Work = Callable[[AsyncSession, "Contender"], Awaitable[T]]

_BLOCKED = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0"
)


@dataclass
class Contention:
    """Connections for the contenders of one race, and how many of them wait for a lock right now."""

    postgres: bool
    factories: list[SessionFactory]
    _observer: AsyncConnection | None = None
    _asked: int = 0  # SQLite: connections taken (BEGIN IMMEDIATE follows at once) ...
    _got: int = 0  # ... and BEGINs that got the lock
    finished: int = 0  # contenders whose unit of work is over (committed or rolled back)

    async def waiting(self) -> int:
        """How many contenders are waiting for a lock another one holds."""
        if self._observer is not None:
            return int((await self._observer.execute(_BLOCKED)).scalar_one())
        return self._asked - self._got

    async def until_queued(self, others: int) -> None:
        """Returns once `others` contenders are waiting for a lock or already done (the caller holds it)."""

        async def queued() -> bool:
            return await self.waiting() + self.finished >= others

        await eventually(queued, timeout=30, what=f"{others} other unit(s) of work to queue for the lock")

    def _note_begins(self, engine: AsyncEngine) -> None:
        """Counts units of work that asked for the write lock (their connection is in use, its BEGIN comes next)
        and those that got it (after models/db.py's own "begin" listener has taken it)."""

        def asked(*_: Any) -> None:
            self._asked += 1

        def got(*_: Any) -> None:
            self._got += 1

        event.listen(engine.sync_engine, "engine_connect", asked)
        event.listen(engine.sync_engine, "begin", got)  # runs after the listener models/db.py registered first


@asynccontextmanager
async def contention(shop: SessionFactory, contenders: int) -> AsyncIterator[Contention]:
    """Connections for `contenders` units of work on the shop's database."""
    engine: AsyncEngine = shop.kw["bind"]
    if engine.dialect.name == "postgresql":
        async with engine.connect() as observer:
            await observer.execution_options(isolation_level="AUTOCOMMIT")
            yield Contention(True, [shop] * contenders, observer)
        return
    engines = [create_engine(engine.url.render_as_string(hide_password=False)) for _ in range(contenders)]
    race = Contention(False, [create_session_factory(e) for e in engines])
    for each in engines:
        race._note_begins(each)
    try:
        yield race
    finally:
        for each in engines:
            await each.dispose()


@dataclass
class Contender:
    """One unit of work in a race: its number and the race's meeting points."""

    number: int
    race: Contention
    started: asyncio.Barrier
    have_read: asyncio.Barrier

    async def all_have_read(self) -> None:
        """PostgreSQL: waits until every contender has read, so all act on what they read before anyone wrote.

        SQLite cannot get there (BEGIN IMMEDIATE: a second transaction does not start, reads included, until
        the first ends), so the contenders just run into each other's lock there.
        """
        if self.race.postgres:
            await self.have_read.wait()

    async def hold(self) -> None:
        """Called after writing: keeps this unit of work open until every other contender is queued behind it."""
        await self.race.until_queued(len(self.race.factories) - 1)


async def run_race(shop: SessionFactory, works: list[Work[T]]) -> list[T | BaseException]:
    """Runs the units of work at once, each in its own transaction on its own connection; returns what each
    returned or raised (a raise rolls its transaction back)."""
    async with contention(shop, len(works)) as race:
        started, have_read = asyncio.Barrier(len(works)), asyncio.Barrier(len(works))

        async def one(number: int, work: Work[T]) -> T:
            contender = Contender(number, race, started, have_read)
            await started.wait()
            try:
                async with race.factories[number].begin() as session:
                    return await work(session, contender)
            finally:
                race.finished += 1

        return await asyncio.gather(*(one(n, w) for n, w in enumerate(works)), return_exceptions=True)
