"""Scheduled builders as pure functions of the database and a fixed clock, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from jobs import builders
from jobs.builders import at
from models.calendar import PickupSlot
from models.db import SessionFactory
from models.order import OrderStatus
from tests.conftest import wib
from tests.jobs.helpers import BAKER, MANAGER, outbox_rows, place, schedule, team

SATURDAY = date(2026, 11, 28)
FRIDAY_10 = wib(2026, 11, 27, 10, 0)
FRIDAY_14 = wib(2026, 11, 27, 14, 0)


async def test_the_production_sheet_rounds_130_ordered_up_to_3_batches_of_48(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        await place(s, "RTI-MNS-CKL", 100, now=FRIDAY_10, day=SATURDAY, paid=True)
        await place(s, "RTI-MNS-CKL", 30, now=FRIDAY_10, day=SATURDAY, buyer=1002, paid=True)
        unpaid = await place(s, "RTI-MNS-CKL", 5, now=FRIDAY_10, day=SATURDAY, buyer=1003)
    async with shop.begin() as s:
        queued = await builders.build_production_sheet(
            s, day=SATURDAY, now=FRIDAY_14, due=FRIDAY_14, schedule=schedule()
        )
    assert queued == 1
    async with shop() as s:
        [row] = await outbox_rows(s)
    assert row.chat_id == BAKER
    assert row.dedupe_key == f"production-sheet:2026-11-28:{BAKER}"
    assert row.template == "production-sheet"
    assert "Sabtu, 28 November 2026" in row.text
    assert "Dipesan 130 · adonan 3 x 48 = <b>144</b> · 12 loyang · lebih 14" in row.text
    assert f"{unpaid.code}: Roti Manis Isi Cokelat (±60 g) x 5" in row.text
    assert "Total dibuat: <b>144</b> · lebih ke Galeri: 14" in row.text


async def test_a_builder_run_twice_sends_once(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        await place(s, "RTI-MNS-KJU", 10, now=FRIDAY_10, day=SATURDAY, paid=True)
    for _ in range(2):
        async with shop.begin() as s:
            await builders.build_production_sheet(s, day=SATURDAY, now=FRIDAY_14, due=FRIDAY_14, schedule=schedule())
            await builders.build_morning_plan(
                s, day=SATURDAY, now=wib(2026, 11, 28, 5, 30), due=wib(2026, 11, 28, 5, 30), schedule=schedule()
            )
    async with shop() as s:
        keys = [r.dedupe_key for r in await outbox_rows(s)]
    assert keys == [f"production-sheet:2026-11-28:{BAKER}", f"morning-plan:2026-11-28:{BAKER}"]


async def test_a_late_morning_plan_says_it_is_late(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        await builders.build_morning_plan(
            s, day=SATURDAY, now=wib(2026, 11, 28, 9, 12), due=at(SATURDAY, time(5, 30)), schedule=schedule()
        )
    async with shop() as s:
        [row] = await outbox_rows(s)
    assert row.template == "morning-plan.late"
    assert row.text.startswith("⏰ <i>Terlambat: seharusnya 05.30 WIB.</i>")


async def test_reminders_go_an_hour_before_the_slot_to_paid_orders_and_staff_only(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        morning = await s.scalar(select(PickupSlot).where(PickupSlot.starts_at == time(10, 0)))
        assert morning is not None
        paid = await place(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, slot_id=morning.id, paid=True)
        await place(s, "RTI-MNS-CKL", 4, now=FRIDAY_10, day=SATURDAY, slot_id=morning.id, buyer=1002)
    async with shop.begin() as s:
        assert await builders.build_reminders(s, now=wib(2026, 11, 28, 8, 30), schedule=schedule()) == 0
    async with shop.begin() as s:
        assert await builders.build_reminders(s, now=wib(2026, 11, 28, 9, 0), schedule=schedule()) == 2
        assert await builders.build_reminders(s, now=wib(2026, 11, 28, 9, 5), schedule=schedule()) == 0
    async with shop() as s:
        rows = await outbox_rows(s)
    assert [(r.chat_id, r.dedupe_key) for r in rows] == [
        (1001, f"reminder:{paid.code}"),
        (BAKER, f"slot-staff:2026-11-28:{morning.id}:{BAKER}"),
    ]
    assert "10.00–12.00 WIB" in rows[0].text
    assert rows[0].stale_after == at(SATURDAY, time(10, 0))
    assert "2 pesanan, 1 lunas" in rows[1].text


async def test_a_reminder_for_a_slot_that_has_started_is_not_queued(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        morning = await s.scalar(select(PickupSlot).where(PickupSlot.starts_at == time(10, 0)))
        assert morning is not None
        await place(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, slot_id=morning.id, paid=True)
    async with shop.begin() as s:
        assert await builders.build_reminders(s, now=wib(2026, 11, 28, 10, 1), schedule=schedule()) == 0


async def test_closing_marks_uncollected_ready_orders_as_no_shows_and_sends_the_recap(shop: SessionFactory) -> None:
    from models.services import fulfilment

    async with shop.begin() as s:
        await team(s)
        order = await place(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, paid=True)
        await fulfilment.mark_ready(s, order, staff_telegram_id=BAKER, now=wib(2026, 11, 28, 9, 0))
    close = wib(2026, 11, 28, 17, 0)
    async with shop.begin() as s:
        assert await builders.build_closing(s, day=SATURDAY, now=close, due=close, schedule=schedule()) == 1
    async with shop() as s:
        [recap] = await outbox_rows(s)
        status = await s.scalar(select(type(order).status).where(type(order).id == order.id))
    assert status is OrderStatus.NO_SHOW
    assert recap.chat_id == MANAGER and recap.dedupe_key == f"daily-recap:2026-11-28:{MANAGER}"
    assert "tidak diambil: 1" in recap.text
