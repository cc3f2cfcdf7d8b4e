"""PostgreSQL backups with pg_dump and restores with pg_restore (both on this machine) into fresh databases:
library and the real entry point. Skips loudly without a server, and fails instead when CI=true."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from models import backup
from models.db import create_engine
from models.migrate import current_revision, head_revision, upgrade
from tests.conftest import PG_ADMIN_URL, _create_pg_database, _drop_pg_database, _run_blocking, wib
from tests.integration.backup_helpers import open_shop, place_one
from tests.integration.test_cli import run

pytestmark = pytest.mark.postgres
NOW = wib(2026, 12, 4, 9, 15)


async def _admin(sql: str) -> None:
    """One statement on the maintenance database, outside a transaction."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture
def databases(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """A migrated source database and an empty target database (no table at all), dropped afterwards."""
    request.getfixturevalue("pg_url")  # skips loudly, or fails in CI, without a server
    source, target = (f"karya_backup_{uuid.uuid4().hex[:10]}" for _ in range(2))
    source_url = _run_blocking(_create_pg_database(source))
    _run_blocking(_admin(f'CREATE DATABASE "{target}"'))
    yield source_url, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{target}"
    for name in (source, target):
        _run_blocking(_drop_pg_database(name))


async def _shop(url: str, buyers: int) -> set[str]:
    """The default catalogue and one order from each of `buyers` buyers in the database at `url`."""
    engine = await open_shop(url)
    try:
        return {await place_one(engine, 6000 + n) for n in range(buyers)}
    finally:
        await engine.dispose()


async def _migrate(url: str) -> None:
    """Migrates the (empty) database at `url`, as `python -m bot migrate` would."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _codes(url: str) -> set[str]:
    """The order codes the database at `url` holds."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set((await conn.scalars(text("SELECT code FROM orders"))).all())
    finally:
        await engine.dispose()


async def test_a_dump_restores_into_a_fresh_database(databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = databases
    codes = await _shop(source, 3)
    made = await backup.make_backup(source, tmp_path / "b", now=NOW)
    assert made.path == tmp_path / "b" / "karya-20261204T021500Z.pgdump"
    assert made.path.read_bytes()[:5] == b"PGDMP" and made.size == made.path.stat().st_size
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]

    restored = await backup.restore(made.path, target)
    assert restored.counts == backup.Counts(orders=3, customers=3, products=19)
    assert restored.checked == "pg_restore ok"
    assert await _codes(target) == codes
    engine = create_engine(target)
    try:
        assert await current_revision(engine) == head_revision()  # the bot can start on it at once
    finally:
        await engine.dispose()


async def test_restoring_over_a_database_with_orders_needs_force(databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = databases
    source_codes = await _shop(source, 2)
    made = await backup.make_backup(source, tmp_path / "b", now=NOW)
    await _migrate(target)
    target_codes = await _shop(target, 4)
    with pytest.raises(backup.TargetHoldsOrders) as refused:
        await backup.restore(made.path, target)
    assert refused.value.orders == 4
    assert await _codes(target) == target_codes
    forced = await backup.restore(made.path, target, force=True)
    assert forced.counts.orders == 2
    assert await _codes(target) == source_codes


async def test_backup_and_restore_through_the_entry_point(databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = databases
    codes = await _shop(source, 2)
    plain_source = source.replace("postgresql+asyncpg://", "postgresql://")
    made = run("backup", "--to", str(tmp_path / "b"), DATABASE_URL=plain_source)
    assert made.code == 0 and made.err == "", made
    match = re.match(r"^Backup written: (/\S+\.pgdump) \(([\d.]+ KiB)\)$", made.out.strip())
    assert match, made.out
    restored = run("restore", match[1], "--database-url", target.replace("+asyncpg", ""), DATABASE_URL=plain_source)
    assert restored.code == 0, restored
    assert restored.out.strip() == (
        f"Restored {match[1]} into {target}: 2 orders, 2 customers, 19 products (pg_restore ok)."
    )
    again = run("restore", match[1], "--database-url", target, DATABASE_URL=plain_source)
    assert again.code == 1 and again.out == ""
    assert again.err.strip() == (
        f"Error: {target} already holds 2 order(s): not overwritten (stop the bot, keep a backup of it, then "
        "restore with --force to replace it)"
    )
    assert await _codes(target) == codes


async def test_a_damaged_dump_is_refused_before_the_target_is_touched(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = databases
    await _shop(source, 1)
    made = await backup.make_backup(source, tmp_path / "b", now=NOW)
    made.path.write_bytes(made.path.read_bytes()[: made.size // 3])  # cut short, as a full disk would leave it
    with pytest.raises(backup.NotABackup, match="pg_restore"):
        await backup.restore(made.path, target)
    engine = create_engine(target)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) == 0
    finally:
        await engine.dispose()


async def test_a_dump_into_a_folder_that_cannot_be_made_is_one_line(databases: tuple[str, str], tmp_path: Path) -> None:
    source, _ = databases
    (tmp_path / "disk").write_text("a file where the folder should be")
    with pytest.raises(backup.BackupFailed) as failed:
        await backup.make_backup(source, tmp_path / "disk" / "b", now=NOW)
    assert str(failed.value) == f"cannot write the backup to {tmp_path / 'disk' / 'b'}: Not a directory"
