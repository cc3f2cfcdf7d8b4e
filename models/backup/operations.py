"""Backup and restore of the configured database, SQLite or PostgreSQL: one entry point each.

Both are coroutines: the SQLite copy and the PostgreSQL tools run in a worker thread, so a bot that backs
itself up keeps serving its buyers meanwhile.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models import db
from models.backup import postgres, sqlite
from models.backup.errors import BackupCorrupt, BackupFailed, NotABackup, TargetHoldsOrders
from models.backup.files import Kind, backup_name, kind_of
from models.backup.sqlite import Counts, StepCallback


@dataclass(frozen=True)
class BackupResult:
    """A backup written: where, and how many bytes."""

    path: Path
    size: int


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: into what (a file, or a URL without its password), what it holds, how it was checked."""

    target: str
    counts: Counts
    checked: str


def _sqlite_file(url: str) -> Path:
    """The file of an SQLite URL; an in-memory database has nothing to back up or restore into."""
    path = db.sqlite_path(url)
    if path is None:
        raise BackupFailed("an in-memory SQLite database cannot be backed up or restored into")
    return path


async def make_backup(
    database_url: str, backup_dir: Path, *, now: datetime, step_pages: int = sqlite.STEP_PAGES,
    on_step: StepCallback | None = None,
) -> BackupResult:
    """Backs the database up into `backup_dir` as karya-<UTC time>.sqlite3 or .pgdump; `on_step` hears each
    step of an SQLite copy (pages remaining, pages in all), from the worker thread."""
    if db.is_sqlite(database_url):
        dest = backup_dir / backup_name(Kind.SQLITE, now)
        await asyncio.to_thread(sqlite.backup, _sqlite_file(database_url), dest, step_pages=step_pages,
                                on_step=on_step)
    else:
        dest = backup_dir / backup_name(Kind.PGDUMP, now)
        await asyncio.to_thread(postgres.dump, database_url, dest)
    return BackupResult(dest, dest.stat().st_size)


async def restore(source: Path, database_url: str, *, force: bool = False) -> RestoreResult:
    """Restores the backup file `source` into the database at `database_url` and checks the result.

    Refuses (TargetHoldsOrders) to overwrite a database that holds orders unless `force`.
    """
    kind = kind_of(source)
    if db.is_sqlite(database_url):
        if kind is not Kind.SQLITE:
            raise NotABackup(f"{source} is a PostgreSQL dump: restore it into a postgresql:// database URL")
        target = _sqlite_file(database_url)
        counts = await asyncio.to_thread(sqlite.restore, source, target, force=force)
        return RestoreResult(str(target), counts, "integrity check ok")
    if kind is not Kind.PGDUMP:
        raise NotABackup(f"{source} is an SQLite database: restore it into a sqlite:/// database URL")
    shown = postgres.target_of(database_url).shown
    before = await postgres.counts(database_url)
    if before is not None and before.orders and not force:
        raise TargetHoldsOrders(shown, before.orders)
    await asyncio.to_thread(postgres.restore_archive, source, database_url)
    after = await postgres.counts(database_url)
    if after is None:
        raise BackupCorrupt(f"{source} restored, but {shown} has no orders table: not a dump of this bot")
    return RestoreResult(shown, after, "pg_restore ok")
