"""SQLite backups of a live database: consistent while buyers order, restorable, refused when damaged."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from models import backup
from tests.conftest import wib
from tests.integration.backup_helpers import (
    inconsistent_orders,
    integrity,
    open_shop,
    order_codes,
    place_one,
    shop_with_orders,
    sqlite_url,
)
from tests.support.eventually import eventually

NOW = wib(2026, 12, 4, 9, 15)
WRITTEN_DURING_BACKUP = 3


class Buyers:
    """Buyers placing orders one after another on the event loop, each committed before it is counted."""

    def __init__(self) -> None:
        self.committed: list[str] = []
        self.started = 0  # orders begun; the n-th begun is the n-th committed (one after another)
        self.changed = threading.Condition()
        self.stop = False

    async def order_in_a_loop(self, engine: object) -> None:
        """Places orders until told to stop."""
        buyer = 7000
        while not self.stop:
            buyer += 1
            self.started += 1
            code = await place_one(engine, buyer)  # type: ignore[arg-type]
            with self.changed:
                self.committed.append(code)
                self.changed.notify_all()

    def wait_for_more(self, than: int) -> None:
        """Blocks the calling thread (the backup's) until more than `than` orders are committed."""
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.committed) > than, timeout=30):
                raise AssertionError(f"the buyers committed no order beyond {than} while the backup waited")


async def test_a_backup_taken_while_buyers_order_holds_every_order_committed_before_it_began(tmp_path: Path) -> None:
    """The buyers keep ordering on the event loop while the copy runs in its thread; the copy pauses after its
    first step until three more orders are committed. The restored file holds every order committed before
    the backup was started, none of those committed once it was copying (one snapshot, not a mix), and
    nothing torn."""
    engine = await open_shop(sqlite_url(tmp_path / "live.sqlite3"))
    buyers = Buyers()
    writer = asyncio.create_task(buyers.order_in_a_loop(engine))
    try:
        await eventually(lambda: len(buyers.committed) >= 5, what="five orders committed before the backup")
        before = set(buyers.committed)
        steps: list[tuple[int, int]] = []
        # How many orders had begun when the first pages had been copied: any order begun later began after the
        # backup's snapshot. (Counting those committed instead would be a race: an order committed before the
        # snapshot may not be counted yet, its coroutine not resumed while the backup thread looks.)
        copying_from: list[int] = []

        def on_step(remaining: int, total: int) -> None:
            if not steps:  # after the first pages are copied: let buyers commit more while the copy is open
                copying_from.append(buyers.started)
                buyers.wait_for_more(copying_from[0] + WRITTEN_DURING_BACKUP - 1)
            steps.append((remaining, total))

        result = await backup.make_backup(
            sqlite_url(tmp_path / "live.sqlite3"), tmp_path / "backups", now=NOW, step_pages=2, on_step=on_step
        )
        during = set(buyers.committed[copying_from[0] :])  # committed after the copy had begun
    finally:
        buyers.stop = True
        await writer
        await engine.dispose()
    assert len(steps) > 10 and steps[-1][0] == 0  # copied in many steps, to the last page
    assert len(during) >= WRITTEN_DURING_BACKUP
    assert result.path == tmp_path / "backups" / "karya-20261204T021500Z.sqlite3"
    assert result.size == result.path.stat().st_size > 0

    fresh = tmp_path / "fresh.sqlite3"
    restored = await backup.restore(result.path, sqlite_url(fresh))
    codes = order_codes(fresh)
    assert before <= codes
    assert codes.isdisjoint(during)
    assert codes == before | (codes & set(buyers.committed))  # nothing that was never committed
    assert inconsistent_orders(fresh) == []
    assert integrity(fresh) == "ok"
    assert restored.counts.orders == len(codes) and restored.counts.products == 19
    assert restored.checked == "integrity check ok"


async def test_a_backup_is_one_plain_file_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    codes = await shop_with_orders(sqlite_url(live), 3)
    result = await backup.make_backup(sqlite_url(live), tmp_path / "b", now=NOW)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [result.path.name]  # no -wal, no .partial
    assert order_codes(result.path) == set(codes)
    assert integrity(result.path) == "ok"


async def test_restoring_over_a_shop_with_orders_needs_force(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    old_codes = await shop_with_orders(sqlite_url(old), 2)
    saved = await backup.make_backup(sqlite_url(old), tmp_path / "b", now=NOW)
    live = tmp_path / "live.sqlite3"
    live_codes = await shop_with_orders(sqlite_url(live), 4)
    with pytest.raises(backup.TargetHoldsOrders) as refused:
        await backup.restore(saved.path, sqlite_url(live))
    assert refused.value.orders == 4
    assert "--force" in str(refused.value) and "\n" not in str(refused.value)
    assert order_codes(live) == set(live_codes)
    forced = await backup.restore(saved.path, sqlite_url(live), force=True)
    assert order_codes(live) == set(old_codes)
    assert forced.counts == backup.Counts(orders=2, customers=2, products=19)


async def test_a_damaged_backup_is_refused_and_the_target_is_left_alone(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    codes = await shop_with_orders(sqlite_url(live), 2)
    saved = await backup.make_backup(sqlite_url(live), tmp_path / "b", now=NOW)
    data = bytearray(saved.path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xff" * 4096  # a page of garbage, as a bad disk sector would leave
    saved.path.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError) as refused:
        await backup.restore(saved.path, sqlite_url(live), force=True)
    assert isinstance(refused.value, backup.BackupCorrupt | backup.BackupFailed)
    assert "\n" not in str(refused.value)
    assert order_codes(live) == set(codes)
    assert integrity(live) == "ok"


async def test_a_database_without_orders_tables_is_not_restored(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (text)")
    with pytest.raises(backup.NotABackup, match="not this bot's"):
        await backup.restore(other, sqlite_url(tmp_path / "target.sqlite3"))


async def test_a_missing_database_is_named(tmp_path: Path) -> None:
    with pytest.raises(backup.BackupFailed, match="no database to back up at"):
        await backup.make_backup(sqlite_url(tmp_path / "none.sqlite3"), tmp_path / "b", now=NOW)
    assert not (tmp_path / "none.sqlite3").exists()
