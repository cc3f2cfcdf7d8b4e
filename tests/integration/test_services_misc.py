"""Production sheet, staff roles and buyers' data rights, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.render.staff_sheets import sheet_html
from models.db import SessionFactory
from models.errors import InvalidPhone, NotAllowed
from models.order import ActorKind, Order, OrderStatus
from models.people import Customer, Line, Role
from models.services import customers, ordering, reports
from models.services import staff as staff_service
from tests.conftest import wib
from tests.integration.helpers import buyer, order

SATURDAY = date(2026, 11, 28)
NOW = wib(2026, 11, 27, 9, 0)


async def _paid(shop: SessionFactory, sku: str, qty: int, telegram_id: int) -> None:
    async with shop.begin() as s:
        placed = await order(s, sku, qty, now=NOW, day=SATURDAY, telegram_id=telegram_id)
        await ordering.transition(s, placed, OrderStatus.PAID, actor_kind=ActorKind.STAFF, actor_id=9, now=NOW)


async def test_production_sheet_rounds_up_to_whole_batches_and_lists_unpaid_apart(shop: SessionFactory) -> None:
    await _paid(shop, "RTI-MNS-CKL", 100, 1)
    await _paid(shop, "RTI-MNS-CKL", 30, 2)
    async with shop.begin() as s:
        unpaid = await order(s, "RTI-MNS-CKL", 7, now=NOW, day=SATURDAY, telegram_id=3)
        code = unpaid.code
    async with shop() as s:
        sheet = await reports.production_sheet(s, SATURDAY)
    [line] = sheet.lines
    assert (line.sku, line.plan.need, line.plan.batches, line.plan.planned, line.plan.surplus) == (
        "RTI-MNS-CKL", 130, 3, 144, 14)
    assert line.plan.trays == 12
    assert line.unpaid_qty == 7
    assert [(u.code, u.quantity) for u in sheet.unpaid] == [(code, 7)]


async def test_the_sheet_names_unpaid_orders_by_product_as_bakers_read_them(shop: SessionFactory) -> None:
    """Every other staff text shows product names; the unpaid list does too, in English as well (product
    names are Indonesian only)."""
    await _paid(shop, "RTI-MNS-CKL", 48, 1)
    async with shop.begin() as s:
        code = (await order(s, "RTI-SBK-10", 12, now=NOW, day=SATURDAY, telegram_id=3)).code
    async with shop() as s:
        sheet = await reports.production_sheet(s, SATURDAY)
    indonesian, english = sheet_html(sheet, "id"), sheet_html(sheet, "en")
    assert indonesian.endswith(f"<b>Belum dibayar (tidak dihitung):</b>\n• {code}: Roti Sobek isi 10 x 12")
    assert english.endswith(f"<b>Not paid yet (not counted):</b>\n• {code}: Roti Sobek isi 10 x 12")
    assert "RTI-SBK-10" not in indonesian + english


async def test_cancelled_orders_are_not_on_the_sheet(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-SBK-10", 5, now=NOW, day=SATURDAY)
        await ordering.transition(s, placed, OrderStatus.CANCELLED, actor_kind=ActorKind.CUSTOMER, actor_id=1,
                                  now=NOW)
    async with shop() as s:
        assert (await reports.production_sheet(s, SATURDAY)).lines == []


async def test_roles_are_checked_and_ranked(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await staff_service.add_staff(s, 500, "Rina", Role.STAFF, Line.BAKERY)
        await staff_service.add_staff(s, 600, "Pak Manajer", Role.MANAGER)
    async with shop() as s:
        assert await staff_service.role_of(s, 500) is Role.STAFF
        assert await staff_service.role_of(s, 12345) is None
        assert (await staff_service.require_role(s, 600, Role.STAFF)).name == "Pak Manajer"
        with pytest.raises(NotAllowed):
            await staff_service.require_role(s, 500, Role.MANAGER)
        with pytest.raises(NotAllowed):
            await staff_service.require_role(s, 12345, Role.STAFF)
    async with shop.begin() as s:
        await staff_service.remove_staff(s, 500)
    async with shop() as s:
        assert await staff_service.role_of(s, 500) is None


async def test_phone_is_stored_in_e164_with_consent_time(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        await customers.set_phone(s, c, "0812-3456-7890", now=NOW)
        assert c.phone == "+6281234567890"
        assert c.consent_at == NOW
        with pytest.raises(InvalidPhone):
            await customers.set_phone(s, c, "12345", now=NOW)


async def test_erasing_data_is_refused_while_an_order_is_open(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await order(s, "RTI-MNS-CKL", 1, now=NOW, day=SATURDAY)
    async with shop.begin() as s:
        c = await buyer(s)
        with pytest.raises(NotAllowed) as err:
            await customers.erase_personal_data(s, c)
        assert len(err.value.details["codes"]) == 1  # type: ignore[arg-type]


async def test_erasing_data_keeps_amounts_but_no_identity(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 4, now=NOW, day=SATURDAY)
        placed.delivery_address = "Jl. Melati No. 5, Medan"
        await ordering.transition(s, placed, OrderStatus.EXPIRED, actor_kind=ActorKind.SYSTEM, actor_id=None,
                                  now=NOW)
        c = await buyer(s)
        await customers.set_phone(s, c, "081234567890", now=NOW)
    async with shop.begin() as s:
        c = await buyer(s)
        await customers.erase_personal_data(s, c)
    async with shop() as s:
        stored = (await s.scalars(select(Customer))).one()
        assert (stored.telegram_id, stored.phone, stored.pseudonymised) == (None, None, True)
        assert stored.name.startswith("Anonim-")
        kept = (await s.scalars(select(Order))).one()
        assert kept.total == 14_000
        assert kept.delivery_address is None
