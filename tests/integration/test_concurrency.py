"""Concurrent buyers competing for the last units of a day's capacity never oversell it."""

from __future__ import annotations

import asyncio
from datetime import date, time

from sqlalchemy import func, select

from models.calendar import DayCapacity, PickupSlot, SlotUsage
from models.catalog import Family
from models.db import SessionFactory
from models.errors import CapacityFull, SlotFull
from models.order import Order, OrderLine
from tests.conftest import wib
from tests.integration.helpers import buyer, order

SATURDAY = date(2026, 11, 28)
NOW = wib(2026, 11, 27, 9, 0)

async def _try_one(shop: SessionFactory, telegram_id: int) -> str:
    """Places a one-unit order in its own transaction; returns 'ok' or 'full'."""
    try:
        async with shop.begin() as session:
            await order(session, "RTI-MNS-CKL", 1, now=NOW, day=SATURDAY, telegram_id=telegram_id)
        return "ok"
    except CapacityFull:
        return "full"

async def test_twenty_buyers_for_the_last_ten_units_commit_exactly_ten(shop: SessionFactory) -> None:
    async with shop.begin() as session:
        await order(session, "RTI-MNS-CKL", 230, now=NOW, day=SATURDAY, telegram_id=1)
    for telegram_id in range(100, 120):  # register the buyers first so the race is about capacity only
        async with shop.begin() as session:

            await buyer(session, telegram_id)
    results = await asyncio.gather(*(_try_one(shop, tid) for tid in range(100, 120)))
    assert sorted(results).count("ok") == 10
    assert sorted(results).count("full") == 10
    async with shop() as session:
        assert await session.scalar(select(DayCapacity.committed)) == 240
        total = await session.scalar(
            select(func.sum(OrderLine.quantity)).join(Order).where(Order.fulfil_date == SATURDAY)
        )
        assert total == 240


async def test_twenty_buyers_for_a_day_nobody_ordered_yet_share_its_ledger_rows(shop: SessionFactory) -> None:
    """The day's first orders race to create its capacity and slot rows: each order is counted exactly once."""
    async with shop.begin() as session:
        slot = await session.scalar(select(PickupSlot).where(PickupSlot.family == Family.BREAD,
                                                             PickupSlot.starts_at == time(10)))
        assert slot is not None
        slot.capacity, slot_id = 15, slot.id
    for telegram_id in range(200, 220):
        async with shop.begin() as session:
            await buyer(session, telegram_id)

    async def one(telegram_id: int) -> str:
        try:
            async with shop.begin() as session:
                await order(session, "RTI-MNS-CKL", 2, now=NOW, day=SATURDAY, telegram_id=telegram_id,
                            slot_id=slot_id)
            return "ok"
        except SlotFull:
            return "slot full"

    results = await asyncio.gather(*(one(tid) for tid in range(200, 220)))
    assert sorted(results) == ["ok"] * 15 + ["slot full"] * 5
    async with shop() as session:
        assert (await session.execute(select(DayCapacity.day, DayCapacity.committed))).all() == [(SATURDAY, 30)]
        assert (await session.execute(select(SlotUsage.day, SlotUsage.used))).all() == [(SATURDAY, 15)]
        assert await session.scalar(select(func.count()).select_from(Order)) == 15
