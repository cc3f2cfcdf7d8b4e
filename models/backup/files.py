"""Backup files on disk: their names (the UTC time in them), listing, keeping the newest, the last one's age.

Only names matching `karya-YYYYMMDDTHHMMSSZ.sqlite3` or `.pgdump` are backups: listing, pruning and the age
look at nothing else in the folder.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.backup.errors import NotABackup

log = logging.getLogger(__name__)
PREFIX = "karya-"
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^karya-(?P<stamp>\d{8}T\d{6}Z)\.(?P<suffix>sqlite3|pgdump)$")
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class Kind(enum.StrEnum):
    """What a backup file holds; the value is its file suffix."""

    SQLITE = "sqlite3"
    PGDUMP = "pgdump"


@dataclass(frozen=True)
class BackupFile:
    """A backup file found in a folder, with the UTC time its name carries."""

    path: Path
    taken_at: datetime


def backup_name(kind: Kind, now: datetime) -> str:
    """The file name of a backup taken at `now` (an aware time), e.g. karya-20261204T021500Z.sqlite3."""
    return f"{PREFIX}{now.astimezone(UTC).strftime(_STAMP)}.{kind.value}"


def taken_at(path: Path) -> datetime | None:
    """The time a backup file's name carries (its modification time if the name's time is impossible), or
    None when the name is not a backup's."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    except ValueError:  # karya-20261399T...: the pattern's digits, not a date
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def backups_in(folder: Path) -> list[BackupFile]:
    """The backup files in `folder`, oldest first (nothing when the folder does not exist)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        when = taken_at(path)
        if when is not None and path.is_file():
            found.append(BackupFile(path, when))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))


def last_backup_age(backup_dir: Path, now: datetime) -> timedelta | None:
    """How old the newest backup in `backup_dir` is at `now`, or None when there is none (for /readyz)."""
    found = backups_in(backup_dir)
    return now - found[-1].taken_at if found else None


def prune(backup_dir: Path, keep: int) -> list[Path]:
    """Deletes the oldest backup files beyond the newest `keep`; returns what it deleted (nothing else is
    touched: files without a backup's name stay)."""
    found = backups_in(backup_dir)
    doomed = [b.path for b in found[: max(len(found) - keep, 0)]]
    for path in doomed:
        path.unlink(missing_ok=True)
        log.info("old backup deleted: %s", path.name)
    return doomed


def kind_of(path: Path) -> Kind:
    """What the file holds, read from its first bytes; NotABackup when it is neither kind."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise NotABackup(f"no such file: {path}") from None
    except IsADirectoryError:
        raise NotABackup(f"{path} is a folder, not a backup file") from None
    except OSError as exc:
        raise NotABackup(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return Kind.SQLITE
    if head.startswith(PGDUMP_MAGIC):
        return Kind.PGDUMP
    raise NotABackup(f"{path} is neither an SQLite database nor a pg_dump custom-format file")
