"""Placing orders under every acceptance rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import selectinload

from models.calendar import DayCapacity, Holiday, PickupSlot, SlotUsage
from models.catalog import Category, Family, Product
from models.db import SessionFactory
from models.errors import (
    BelowMinimum,
    CapacityFull,
    ClosedDay,
    InvalidQuantity,
    InvalidTransition,
    NotFound,
    OutOfStock,
    PastCutoff,
    ProductUnavailable,
    SlotFull,
    TooSoon,
)
from models.order import ActorKind, Order, OrderStatus
from models.services import catalogue, ordering
from tests.conftest import wib
from tests.integration.helpers import buyer, order, product

SATURDAY = date(2026, 11, 28)
FRIDAY_10 = wib(2026, 11, 27, 10, 0)


async def test_bread_order_reserves_capacity_and_copies_the_price(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY)
        assert placed.status is OrderStatus.AWAITING_PAYMENT
        assert placed.total == 35_000
        assert placed.lines[0].unit_price == 3_500
        assert placed.code.startswith("KB-")
        assert placed.expires_at == FRIDAY_10 + ordering.OrderPolicy().payment_timeout
    async with shop() as s:
        row = await s.scalar(select(DayCapacity))
        assert row is not None and (row.capacity, row.committed) == (240, 10)
        placed = (await s.scalars(select(Order).options(selectinload(Order.history)))).one()
        assert [h.to_status for h in placed.history] == [OrderStatus.AWAITING_PAYMENT]


@pytest.mark.parametrize(
    ("clock", "accepted"),
    [((13, 59, 0), True), ((14, 0, 0), True), ((14, 1, 0), False)],
)
async def test_cutoff_is_14_00_wib_the_day_before(shop: SessionFactory, clock: tuple[int, int, int],
                                                   accepted: bool) -> None:
    now = wib(2026, 11, 27, *clock)
    async with shop.begin() as s:
        if accepted:
            assert (await order(s, "RTI-MNS-CKL", 1, now=now, day=SATURDAY)).total == 3_500
        else:
            with pytest.raises(PastCutoff):
                await order(s, "RTI-MNS-CKL", 1, now=now, day=SATURDAY)


async def test_sunday_is_closed_for_bread(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        with pytest.raises(ClosedDay) as err:
            await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=date(2026, 11, 29))
    assert err.value.details["reason"] == "closed_weekday"


async def test_a_holiday_is_closed(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        s.add(Holiday(day=SATURDAY, name="Libur"))
    async with shop.begin() as s:
        with pytest.raises(ClosedDay):
            await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY)


async def test_capacity_exactly_full_is_accepted_and_one_more_is_refused(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await order(s, "RTI-MNS-CKL", 200, now=FRIDAY_10, day=SATURDAY, telegram_id=1)
        await order(s, "RTI-MNS-CKL", 40, now=FRIDAY_10, day=SATURDAY, telegram_id=2)
    async with shop.begin() as s:
        with pytest.raises(CapacityFull) as err:
            await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=3)
    assert err.value.details["remaining"] == 0
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 2


async def test_a_refused_order_leaves_nothing_behind(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await order(s, "RTI-MNS-CKL", 235, now=FRIDAY_10, day=SATURDAY)
    with pytest.raises(CapacityFull):
        async with shop.begin() as s:
            await order(s, "RTI-MNS-CKL", 6, now=FRIDAY_10, day=SATURDAY, telegram_id=2)
    async with shop() as s:
        assert await s.scalar(select(DayCapacity.committed)) == 235
        assert await s.scalar(select(func.count()).select_from(Order)) == 1


async def test_minimum_and_bad_quantities_are_refused(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        with pytest.raises(BelowMinimum) as err:
            await order(s, "RTI-BOX-ACR", 10, now=wib(2026, 11, 20, 9), day=SATURDAY)
        assert err.value.details["minimum"] == 30
        for bad in (0, -5, 10**7):
            with pytest.raises(InvalidQuantity):
                await order(s, "RTI-MNS-CKL", bad, now=FRIDAY_10, day=SATURDAY)


async def test_snack_boxes_need_three_days_notice(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        with pytest.raises(PastCutoff):
            await order(s, "RTI-BOX-ACR", 30, now=FRIDAY_10, day=SATURDAY)
        placed = await order(s, "RTI-BOX-ACR", 30, now=wib(2026, 11, 25, 14, 0), day=SATURDAY)
        assert placed.deposit_amount == 135_000  # 50 % of Rp270.000


async def test_slot_capacity_is_enforced(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        slot = await s.scalar(select(PickupSlot).where(PickupSlot.family == Family.BREAD,
                                                      PickupSlot.starts_at == time(10)))
        assert slot is not None
        slot.capacity = 2
        slot_id = slot.id
    async with shop.begin() as s:
        await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=1, slot_id=slot_id)
        await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=2, slot_id=slot_id)
    async with shop.begin() as s:
        with pytest.raises(SlotFull):
            await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=3, slot_id=slot_id)
    async with shop() as s:
        assert await s.scalar(select(SlotUsage.used)) == 2


async def test_the_slot_list_shows_each_active_slots_room_on_that_day_in_time_order(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        slots = list(await s.scalars(select(PickupSlot).where(PickupSlot.family == Family.BREAD)
                                     .order_by(PickupSlot.starts_at)))
        assert len(slots) >= 2
        first, second = slots[0], slots[1]
        first.capacity = 3
        s.add(PickupSlot(family=Family.BREAD, starts_at=time(6), ends_at=time(7), capacity=9, active=False))
        first_id, second_id, second_room = first.id, second.id, second.capacity
    async with shop.begin() as s:
        await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=1, slot_id=first_id)
        await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=date(2026, 11, 30), telegram_id=2, slot_id=first_id)
    async with shop() as s:
        shown = [(o.slot.id, o.remaining) for o in await catalogue.slot_options(s, Family.BREAD, SATURDAY)]
    assert shown[:2] == [(first_id, 2), (second_id, second_room)]  # the other day's order takes no room here
    assert len(shown) == len(slots)  # the inactive slot is not offered


async def test_stock_goods_cannot_be_oversold(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        tas = await product(s, "TAS-HB-01")
        tas.stock_on_hand = 3
    async with shop.begin() as s:
        placed = await order(s, "TAS-HB-01", 2, now=FRIDAY_10)
        assert placed.fulfil_date == date(2026, 11, 27)
    async with shop.begin() as s:
        with pytest.raises(OutOfStock) as err:
            await order(s, "TAS-HB-01", 2, now=FRIDAY_10, telegram_id=2)
        assert err.value.details["on_hand"] == 1
    async with shop() as s:
        assert (await product(s, "TAS-HB-01")).stock_on_hand == 1


async def test_paving_gets_a_ready_date_after_curing_and_a_deposit(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "PVB-BTA-6", 2310, now=FRIDAY_10)
        assert placed.total == 4_620_000
        assert placed.deposit_amount == 2_310_000
        assert placed.fulfil_date >= date(2026, 12, 11)
        with pytest.raises(TooSoon):
            await order(s, "PVB-BTA-6", 2310, now=FRIDAY_10, day=date(2026, 11, 30), telegram_id=2)
        with pytest.raises(BelowMinimum):
            await order(s, "PVB-BTA-6", 100, now=FRIDAY_10, telegram_id=3)


async def test_a_large_order_gets_a_deposit_within_the_qris_limit(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "PVB-BTA-8", 10_000, now=FRIDAY_10)
        assert placed.total == 28_000_000
        assert placed.deposit_amount == 10_000_000


async def test_a_switched_off_product_cannot_be_ordered(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        (await product(s, "RTI-MNS-KJU")).active = False
    async with shop.begin() as s:
        with pytest.raises(ProductUnavailable):
            await order(s, "RTI-MNS-KJU", 1, now=FRIDAY_10, day=SATURDAY)


async def test_hiding_a_category_takes_its_products_off_sale_until_it_is_shown_again(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        bun = await product(s, "RTI-MNS-CKL")
        roti = bun.category_id
        await s.execute(update(Category).where(Category.id == roti).values(hidden=True))  # what /kategori does
    async with shop.begin() as s:
        with pytest.raises(ProductUnavailable):
            await order(s, "RTI-MNS-CKL", 5, now=FRIDAY_10, day=SATURDAY)
    async with shop() as s:
        with pytest.raises(ProductUnavailable):
            await catalogue.get_product_by_sku(s, "RTI-MNS-CKL")  # a deep link, the Mini App's product page
        with pytest.raises(NotFound):
            await catalogue.category_with_products(s, roti)  # an old category button
        assert all(p.category_id != roti for p in await catalogue.active_products(s))  # the counter's list
        assert await s.scalar(select(func.count()).select_from(Order)) == 0
    async with shop.begin() as s:
        await s.execute(update(Category).where(Category.id == roti).values(hidden=False))
    async with shop.begin() as s:
        assert (await order(s, "RTI-MNS-CKL", 5, now=FRIDAY_10, day=SATURDAY)).total == 5 * bun.price


async def test_a_category_screen_reads_the_category_and_its_active_products_in_one_statement(
    shop: SessionFactory,
) -> None:
    async with shop.begin() as s:
        bun = await product(s, "RTI-MNS-CKL")
        roti = bun.category_id
        expected = list(await s.scalars(select(Product.sku).where(Product.category_id == roti, Product.active)
                                         .order_by(Product.id)))
        bun.active = False  # switched off: left out
        empty = Category(slug="kosong", name_id="Kosong", name_en="Empty", position=99)
        s.add(empty)
    statements: list[str] = []

    def listener(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    async with shop() as s:
        sync = s.get_bind()
        event.listen(sync, "before_cursor_execute", listener)
        try:
            category, found = await catalogue.category_with_products(s, roti)
        finally:
            event.remove(sync, "before_cursor_execute", listener)
        assert category.id == roti
        assert [p.sku for p in found] == [sku for sku in expected if sku != "RTI-MNS-CKL"]
        assert len(statements) == 1
        nothing_in, none = await catalogue.category_with_products(s, empty.id)
        assert (nothing_in.slug, none) == ("kosong", [])  # a category with no product: an empty list
        with pytest.raises(NotFound):
            await catalogue.category_with_products(s, 10_000)


async def test_the_same_checkout_key_creates_one_order(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        first = await order(s, "RTI-MNS-CKL", 5, now=FRIDAY_10, day=SATURDAY, checkout_key="cart-1:0")
    async with shop.begin() as s:
        again = await order(s, "RTI-MNS-CKL", 5, now=FRIDAY_10, day=SATURDAY, checkout_key="cart-1:0")
    assert again.id == first.id
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 1
        assert await s.scalar(select(DayCapacity.committed)) == 5


async def test_cancel_releases_capacity_and_is_recorded(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 40, now=FRIDAY_10, day=SATURDAY)
        await ordering.transition(s, placed, OrderStatus.CANCELLED, actor_kind=ActorKind.CUSTOMER, actor_id=1001,
                                  now=FRIDAY_10, reason="salah pesan")
    async with shop() as s:
        assert await s.scalar(select(DayCapacity.committed)) == 0
        cancelled = (await s.scalars(select(Order).options(selectinload(Order.history)))).one()
        assert [(h.from_status, h.to_status) for h in cancelled.history] == [
            (None, OrderStatus.AWAITING_PAYMENT), (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED)
        ]
        assert cancelled.history[-1].reason == "salah pesan"


async def test_illegal_transitions_are_refused(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY)
        for target in (OrderStatus.READY, OrderStatus.DONE, OrderStatus.NO_SHOW):
            with pytest.raises(InvalidTransition):
                await ordering.transition(s, placed, target, actor_kind=ActorKind.STAFF, actor_id=1, now=FRIDAY_10)
        assert placed.status is OrderStatus.AWAITING_PAYMENT


async def test_another_buyers_order_is_not_found(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=1)
        other = await buyer(s, 2, "Andi")
        with pytest.raises(NotFound):
            await ordering.get_customer_order(s, other.id, placed.code)


async def test_pickup_options_say_why_a_day_is_unavailable(shop: SessionFactory) -> None:
    async with shop() as s:
        p = await product(s, "RTI-MNS-CKL")
        options = await catalogue.pickup_options(s, p, wib(2026, 11, 27, 15, 0), count=4)
    assert [(o.day.isoformat(), o.available, o.reason) for o in options] == [
        ("2026-11-28", False, "past_cutoff"),
        ("2026-11-29", False, "closed_weekday"),
        ("2026-11-30", True, None),
        ("2026-12-01", True, None),
    ]
