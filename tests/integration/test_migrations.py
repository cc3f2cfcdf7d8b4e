"""The packaged Alembic migration and the ORM models describe the same schema, on both engines."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import create_engine
from models.entities import Base
from models.migrate import alembic_config, current_revision, upgrade
from tests.conftest import PG_ADMIN_URL, _run_blocking


async def _admin(sql: str) -> None:
    """Runs one statement on the PostgreSQL maintenance database, outside a transaction."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with admin.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database with no table at all (not even alembic_version) on each engine."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        await engine.dispose()
        return
    request.getfixturevalue("pg_url")  # skips (or fails in CI) like every PostgreSQL test without a server
    name = f"karya_migr_{uuid.uuid4().hex[:10]}"
    _run_blocking(_admin(f'CREATE DATABASE "{name}"'))
    engine = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield engine
    finally:
        await engine.dispose()
        _run_blocking(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _head() -> str:
    """The newest revision shipped in the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def _tables(engine: AsyncEngine) -> set[str]:
    """Table names in the database."""
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def _differences(engine: AsyncEngine) -> list[Any]:
    """What autogenerate would still write for the models against this database."""

    def compare(sync_conn: Any) -> list[Any]:
        context = MigrationContext.configure(
            sync_conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


async def test_migrating_an_empty_database_creates_every_table(empty_engine: AsyncEngine) -> None:
    assert await _tables(empty_engine) == set()
    assert await current_revision(empty_engine) is None
    await upgrade(empty_engine)
    assert await current_revision(empty_engine) == _head()
    tables = await _tables(empty_engine)
    assert set(Base.metadata.tables) <= tables
    assert tables - set(Base.metadata.tables) == {"alembic_version"}


async def test_migrating_twice_is_a_no_op(empty_engine: AsyncEngine) -> None:
    await upgrade(empty_engine)
    await upgrade(empty_engine)
    assert await current_revision(empty_engine) == _head()


async def test_the_models_and_the_migration_agree(empty_engine: AsyncEngine) -> None:
    # No difference is ignored: types (compare_type), server defaults, nullability, indexes, unique
    # constraints and foreign keys all match on both engines. Should one ever need ignoring (for example
    # a type that one dialect reflects differently), filter it here with the reason next to it.
    await upgrade(empty_engine)
    assert await _differences(empty_engine) == []


async def test_every_column_of_the_models_exists_with_its_nullability(empty_engine: AsyncEngine) -> None:
    """A second, independent look at the same promise, column by column."""
    await upgrade(empty_engine)

    def columns(sync_conn: Any) -> dict[str, dict[str, bool]]:
        inspector = inspect(sync_conn)
        return {
            name: {c["name"]: bool(c["nullable"]) for c in inspector.get_columns(name)}
            for name in Base.metadata.tables
        }

    async with empty_engine.connect() as conn:
        found = await conn.run_sync(columns)
    for name, table in Base.metadata.tables.items():
        expected = {c.name: bool(c.nullable) for c in table.columns}
        assert found[name] == expected, name


async def test_the_comparison_would_notice_a_drift(empty_engine: AsyncEngine) -> None:
    """Guards the test above against comparing nothing: a missing index is reported."""
    await upgrade(empty_engine)
    async with empty_engine.begin() as conn:
        await conn.execute(text("DROP INDEX ix_payments_state"))
    differences = await _differences(empty_engine)
    assert [(d[0], d[1].name) for d in differences] == [("add_index", "ix_payments_state")]
