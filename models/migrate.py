"""Runs the Alembic migrations that ship inside the package, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

from models import locks

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrades the database behind `engine` to `revision`; safe when several processes start at once.

    On PostgreSQL the whole upgrade is one transaction that first takes the migrations' advisory lock: one process
    migrates, the others wait for it to commit and then find nothing left to do. SQLite's write lock (BEGIN
    IMMEDIATE) does the same there.
    """

    def _run(sync_conn: Any) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await locks.lock_migrations(conn)
        await conn.run_sync(_run)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    def _get(sync_conn: Any) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_get)


def head_revision() -> str | None:
    """The newest revision shipped with the package."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
