"""PostgreSQL backups with `pg_dump --format=custom` and restores with `pg_restore`, where they are installed.

The password of the URL reaches the tools through PGPASSWORD in their environment, never on their command
line (where `ps` would show it to every user of the machine).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from models.backup.errors import BackupFailed, NotABackup, ToolMissing
from models.backup.sqlite import COUNTED, Counts
from models.db import create_engine

CONNECT_TIMEOUT = "10"


@dataclass(frozen=True)
class PgTarget:
    """How the libpq tools reach a database: options, environment additions, and the URL fit to print."""

    options: tuple[str, ...]
    env: dict[str, str]
    shown: str


def target_of(url: str) -> PgTarget:
    """Reads a postgresql:// or postgresql+asyncpg:// URL into libpq options and environment."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BackupFailed("not a database URL") from None
    if not parsed.drivername.startswith("postgres") or not parsed.database:
        raise BackupFailed(f"not a PostgreSQL URL with a database name: {parsed.render_as_string()}")
    options = [f"--dbname={parsed.database}"]
    host = parsed.host or parsed.query.get("host")
    if isinstance(host, str):
        options.append(f"--host={host}")
    if parsed.port:
        options.append(f"--port={parsed.port}")
    if parsed.username:
        options.append(f"--username={parsed.username}")
    env = {"PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT)}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    ssl = parsed.query.get("sslmode") or parsed.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = ssl
    return PgTarget(tuple(options), env, parsed.render_as_string(hide_password=True))


def tool(name: str) -> str:
    """The path of a PostgreSQL client program, or ToolMissing naming it."""
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(name)
    return found


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    """Runs a client program; its failure becomes one BackupFailed line (the first error it printed)."""
    done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        first = next((line for line in lines if "error" in line.lower()), lines[-1] if lines else "no message")
        raise BackupFailed(f"{what} failed (exit {done.returncode}): {first}")


def check_archive(path: Path) -> None:
    """Refuses a file pg_restore cannot read as a custom-format archive (a truncated or damaged dump)."""
    try:
        _run([tool("pg_restore"), "--list", str(path)], {}, f"reading {path} with pg_restore")
    except BackupFailed as exc:
        raise NotABackup(str(exc)) from None


def dump(url: str, dest: Path) -> None:
    """Writes the database at `url` to `dest` in pg_dump's custom format, via a temporary file, checked."""
    pg_dump = tool("pg_dump")
    target = target_of(url)
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _run([pg_dump, "--format=custom", "--no-password", f"--file={partial}", *target.options], target.env,
             "pg_dump")
        check_archive(partial)
        os.replace(partial, dest)
    except OSError as exc:
        raise BackupFailed(f"cannot write the backup to {dest.parent}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):  # a folder that could not be made has no partial file either
            partial.unlink(missing_ok=True)


def restore_archive(source: Path, url: str) -> None:
    """Restores a custom-format dump into the database at `url`, in one transaction (all or nothing)."""
    pg_restore = tool("pg_restore")
    check_archive(source)
    target = target_of(url)
    _run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--no-password", *target.options, str(source)],
        target.env, "pg_restore",
    )


async def counts(url: str) -> Counts | None:
    """The rows of the reported tables, or None when the database has no orders table yet."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            present = await conn.scalar(text("SELECT to_regclass('public.orders') IS NOT NULL"))
            if not present:
                return None
            values = [int(await conn.scalar(text(f'SELECT count(*) FROM "{t}"')) or 0) for t in COUNTED]
    except (SQLAlchemyError, OSError) as exc:
        first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BackupFailed(f"cannot open {target_of(url).shown}: {first}") from None
    finally:
        await engine.dispose()
    return Counts(*values)
