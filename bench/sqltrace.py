"""Counts the SQL statements and transactions of each update, inside a bench bot process (BENCH_SQL_TRACE=FILE).

Installed by `bench.botproc` only when the variable is set, so nothing of this runs in production. SQLAlchemy's
connection events are listened to on the `Engine` class (every engine the bot builds, SQLite and PostgreSQL);
`Application.process_update` is wrapped so each update runs with a context variable naming it, and tasks the update
starts inherit it (asyncio copies the context, SQLAlchemy's greenlets share it). Work outside any update (jobs, the
outbox dispatcher, start-up) is tallied as "background". Pool checkouts are counted too: on PostgreSQL each one
pings the server first (models/db.py: one `SELECT 1` on asyncpg's connection, below the events that see statements;
SQLAlchemy's own pool_pre_ping took three round trips, BEGIN, `;`, ROLLBACK). The thread CPU and the wall time of each
`process_update` are recorded too: with one buyer at a time they are that step's cost (the polling loop's own work
interleaves a little). At exit the tallies go to FILE as JSON, one object per update in arrival order.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from telegram import Update

BACKGROUND = "background"
MARK = "--"  # begins a transaction event in a tally's log
_current: ContextVar[str] = ContextVar("bench_sql_update", default=BACKGROUND)


@dataclass
class Tally:
    """What one update (or the background) did to the database."""

    update: str
    user: int | None = None
    log: list[str] = field(default_factory=list)  # the statements in order, with "-- BEGIN" and the like between
    begins: int = 0
    commits: int = 0
    rollbacks: int = 0
    savepoints: int = 0
    checkouts: int = 0  # connections taken from the pool: on PostgreSQL each is a ping first
    cpu_ms: float = 0.0
    wall_ms: float = 0.0

    @property
    def statements(self) -> list[str]:
        """The SQL statements alone (what the driver was asked to execute)."""
        return [line for line in self.log if not line.startswith(MARK)]


class SqlTrace:
    """The per-update tallies of one bot process."""

    def __init__(self) -> None:
        self.tallies: dict[str, Tally] = {BACKGROUND: Tally(BACKGROUND)}

    def _tally(self) -> Tally:
        """The tally of the update running now."""
        key = _current.get()
        return self.tallies.setdefault(key, Tally(key))

    def install(self, application: Any) -> None:
        """Listens to every engine's statements and transactions and wraps the application's process_update."""

        def statement(_conn: Any, _cursor: Any, sql: str, _params: Any, _context: Any, many: bool) -> None:
            self._tally().log.append(("(many) " if many else "") + " ".join(sql.split()))

        def counter(name: str, word: str) -> Callable[..., None]:
            def count(*_args: Any) -> None:
                tally = self._tally()
                setattr(tally, name, getattr(tally, name) + 1)
                tally.log.append(f"{MARK} {word}")
            return count

        event.listen(Engine, "before_cursor_execute", statement)
        event.listen(Engine, "begin", counter("begins", "BEGIN"))
        event.listen(Engine, "commit", counter("commits", "COMMIT"))
        event.listen(Engine, "rollback", counter("rollbacks", "ROLLBACK"))
        event.listen(Engine, "savepoint", counter("savepoints", "SAVEPOINT"))
        event.listen(Pool, "checkout", counter("checkouts", "CHECKOUT"))
        original: Callable[[object], Awaitable[None]] = application.process_update

        async def process_update(update: object) -> None:
            """Runs the update with its tally current."""
            key = f"update {update.update_id}" if isinstance(update, Update) else repr(update)[:40]
            user = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
            self.tallies[key] = Tally(key, user)
            token = _current.set(key)
            cpu, wall = time.thread_time(), time.monotonic()
            try:
                await original(update)
            finally:
                self.tallies[key].cpu_ms += (time.thread_time() - cpu) * 1000
                self.tallies[key].wall_ms += (time.monotonic() - wall) * 1000
                _current.reset(token)

        application.process_update = process_update

    def dump(self, path: Path) -> None:
        """Writes the tallies as JSON."""
        path.write_text(json.dumps([asdict(t) for t in self.tallies.values()], ensure_ascii=False, indent=1))


def load(path: Path) -> list[Tally]:
    """Reads the tallies a bot process wrote."""
    return [Tally(**item) for item in json.loads(path.read_text())]
