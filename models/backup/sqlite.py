"""SQLite backups through the online backup API, and restores through it too.

A backup reads from its own read-only connection inside ONE read transaction: in WAL mode (the bot's) a
reader never blocks the bot's writes, and the snapshot cannot move while pages are copied. Without that
transaction SQLite restarts a stepped backup whenever another connection writes, so a bot taking orders
could keep it from ever finishing. The pages are copied in steps (the GIL is released during each), into a
temporary file that is checked (`PRAGMA integrity_check`), turned into a plain single file (journal mode
DELETE) and renamed into place, so a backup file is either whole or absent.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from models.backup.errors import BackupCorrupt, BackupFailed, NotABackup, TargetHoldsOrders

STEP_PAGES = 1024  # 4 MiB per step at SQLite's default page size
STEP_PAUSE = 0.01  # seconds between steps
BUSY_TIMEOUT_MS = 30_000
COUNTED = ("orders", "customers", "products")
StepCallback = Callable[[int, int], None]  # (pages remaining, pages in all), after each step


@dataclass(frozen=True)
class Counts:
    """Rows in the tables a restore reports."""

    orders: int
    customers: int
    products: int


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection without Python's implicit transactions, closed at the end of the block."""
    target = f"file:{quote(str(path))}?mode=ro" if read_only else f"file:{quote(str(path))}"
    conn = sqlite3.connect(target, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield conn
    finally:
        conn.close()


def _integrity(conn: sqlite3.Connection, what: str) -> None:
    """Raises BackupCorrupt unless `PRAGMA integrity_check` answers ok."""
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        raise BackupCorrupt(f"{what} fails the integrity check: {rows[0]}")


def _counts(conn: sqlite3.Connection) -> Counts | None:
    """The rows of the reported tables, or None when the database has no `orders` table (not the bot's)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not set(COUNTED) <= names:
        return None
    values = [int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]) for table in COUNTED]
    return Counts(*values)


def backup(source: Path, dest: Path, *, step_pages: int = STEP_PAGES, on_step: StepCallback | None = None) -> None:
    """Copies the live database `source` to `dest` (consistent while the bot writes), checked, atomically."""
    if not source.is_file():
        raise BackupFailed(f"no database to back up at {source}")
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        with _connect(source, read_only=True) as src, _connect(partial) as copy:
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot starts here
            progress = (lambda _status, remaining, total: on_step(remaining, total)) if on_step else None
            src.backup(copy, pages=step_pages, progress=progress, sleep=STEP_PAUSE)
            src.execute("ROLLBACK")
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source used
            _integrity(copy, f"the copy of {source}")
        _fsync(partial)
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        raise BackupFailed(f"cannot back up {source}: {exc}") from None
    except OSError as exc:
        raise BackupFailed(f"cannot write the backup to {dest.parent}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flushes a file to disk before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def orders_in(target: Path) -> int:
    """Orders held by an existing database file (0 when it has no orders table or is empty)."""
    if not target.exists() or target.stat().st_size == 0:
        return 0
    try:
        with _connect(target) as conn:
            counts = _counts(conn)
    except sqlite3.DatabaseError as exc:
        raise NotABackup(f"the target {target} is not an SQLite database ({exc}): move it away first") from None
    return counts.orders if counts else 0


def restore(source: Path, target: Path, *, force: bool = False) -> Counts:
    """Copies the backup `source` into the database file `target` through the backup API; returns its rows.

    The backup is checked first (on a scratch copy, so the source is never written), the target's orders
    make it refuse unless `force`, and the result is checked again: integrity and the same row counts.
    """
    scratch = target.with_name(target.name + ".restoring")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch.unlink(missing_ok=True)
        with _connect(source, read_only=True) as src, _connect(scratch) as copy:
            src.backup(copy)
        with _connect(scratch) as copy:
            _integrity(copy, f"the backup {source}")
            expected = _counts(copy)
            if expected is None:
                raise NotABackup(f"{source} is an SQLite database but not this bot's (it has no orders table)")
            held = orders_in(target)
            if held and not force:
                raise TargetHoldsOrders(str(target), held)
            with _connect(target) as dest:
                copy.backup(dest)  # through SQLite's pager: a WAL file next to the target stays consistent
        with _connect(target) as dest:
            _integrity(dest, f"the restored {target}")
            restored = _counts(dest)
    except sqlite3.Error as exc:
        raise BackupFailed(f"cannot restore {source} into {target}: {exc}") from None
    except OSError as exc:
        raise BackupFailed(f"cannot restore into {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)
    if restored != expected:
        raise BackupCorrupt(f"the restored {target} holds {restored}, the backup {expected}")
    return restored
