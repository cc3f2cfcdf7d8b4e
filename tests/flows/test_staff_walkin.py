"""Staff record a walk-in order: it obeys the same rules and counts in the same capacity and sheet."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from models.calendar import DayCapacity
from models.order import Order, OrderSource, OrderStatus
from models.people import Line, Role
from tests.flows.staff_helpers import SATURDAY, ensure_jobs, place, walk_in_to_summary
from tests.support.harness import Harness

STAFF = 501


@pytest.fixture(autouse=True)
def _jobs(bot: Harness) -> None:
    """Jobs run as in production."""
    ensure_jobs(bot)


async def test_a_walk_in_order_counts_in_capacity_and_on_the_production_sheet(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await place(bot, 1001, "RTI-MNS-CKL", 100)
    staff = bot.emulator.user(STAFF, "Rina")
    await walk_in_to_summary(bot.emulator.user(STAFF, "Rina"), "30")
    await staff.press("Simpan")
    saved = await staff.wait_for("Tercatat")
    assert "Dibayar" in saved.content and "Ibu Sari" in saved.content
    await staff.press_data("swok")
    await staff.wait_idle()
    async with bot.services.session_factory() as s:
        walk_ins = select(Order).where(Order.source == OrderSource.WALK_IN).options(joinedload(Order.customer))
        orders = list(await s.scalars(walk_ins))
        committed = await s.scalar(select(DayCapacity.committed).where(DayCapacity.day == SATURDAY))
    assert len(orders) == 1
    walk_in = orders[0]
    assert (walk_in.status, walk_in.paid_amount, walk_in.contact_phone) == (OrderStatus.PAID, 105_000, "+6281234567890")
    assert walk_in.customer.telegram_id is None
    assert committed == 130
    await staff.send("/produksi 28-11-2026")
    sheet = await staff.wait_for("Lembar Produksi")
    assert "Dipesan 30 · adonan 1 x 48 = 48" in sheet.content
    await staff.send("/hariini")
    await staff.wait_idle()


async def test_a_walk_in_order_beyond_capacity_is_refused_and_counted_as_refused_demand(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await place(bot, 1001, "RTI-MNS-CKL", 230)
    staff = bot.emulator.user(STAFF, "Rina")
    await walk_in_to_summary(bot.emulator.user(STAFF, "Rina"), "20", pay="QRIS")
    query = await staff.press("Simpan")
    await staff.wait_idle()
    answer = staff.callback_answer(query)
    assert answer is not None and "Kapasitas penuh: sisa 10" in (answer["text"] or "")
    from models.audit import AuditEntry

    async with bot.services.session_factory() as s:
        refused = list(await s.scalars(select(AuditEntry).where(AuditEntry.action == "demand.refused")))
        walk_ins = list(await s.scalars(select(Order).where(Order.source == OrderSource.WALK_IN)))
    assert walk_ins == []
    assert [(r.detail or {}).get("reason") for r in refused] == ["capacity_full"]


async def test_a_walk_in_paid_by_qris_shows_the_code_to_staff(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    staff = bot.emulator.user(STAFF, "Rina")
    await walk_in_to_summary(bot.emulator.user(STAFF, "Rina"), "12", pay="QRIS")
    await staff.press("Simpan")
    photo = await staff.wait_for_photo()
    assert "Rp42.000" in photo.content and "/bayar KB-" in photo.content
    code = photo.content.split("/bayar ")[1].split()[0]
    await staff.send(f"/bayar {code}")
    await staff.wait_for("Rp42.000 dicatat")
