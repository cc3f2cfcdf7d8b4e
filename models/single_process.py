"""SQLite serves one bot process: a second bot on the same database file is refused at start-up.

The running bot holds an exclusive lock on `<database file>.lock` for its whole life (`flock`; a byte-range lock
on Windows). The operating system releases it when the process ends, however it ends (SIGKILL, a crash, a power
cut), so a restart never meets a stale lock. The command line (migrate, catalogue, staff, report, backup) does not
take it: SQLite's own locking lets those work beside the running bot. PostgreSQL needs no such lock: several bot
processes may share it (see `models.locks`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from models.db import sqlite_file

if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        """Locks the file's first byte, or raises OSError when another process holds it."""
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        """Locks the whole file, or raises OSError (BlockingIOError) when another process holds it."""
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class DatabaseInUse(Exception):
    """Another bot process runs on this SQLite file; the message is one line for the operator."""


@dataclass
class SqliteClaim:
    """This process's hold on an SQLite database file; kept until `release` or the end of the process."""

    lock_file: Path
    handle: IO[str]

    def release(self) -> None:
        """Gives the database back (closing the file drops the lock)."""
        self.handle.close()


def lock_file_of(database: Path) -> Path:
    """The lock file beside a database file."""
    return database.with_name(database.name + ".lock")


def claim_sqlite(url: str) -> SqliteClaim | None:
    """Claims an SQLite database file for this bot process; None for PostgreSQL or in-memory SQLite.

    Raises DatabaseInUse when another process holds it.
    """
    database = sqlite_file(url)
    if database is None:
        return None
    path = lock_file_of(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="ascii")  # noqa: SIM115 - held open for the life of the process
    try:
        _lock(handle)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        who = f" (pid {holder})" if holder.isdigit() else ""
        raise DatabaseInUse(
            f"Another bot process{who} is already running on the SQLite database {database}: SQLite serves one bot "
            "process. Stop it first, or use PostgreSQL (DATABASE_URL) to run several."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return SqliteClaim(path, handle)
