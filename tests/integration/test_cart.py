"""The cart and its all-or-nothing checkout, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import DayCapacity, PickupSlot
from models.catalog import Family
from models.conversation import CartItem
from models.db import SessionFactory
from models.errors import (
    BelowMinimum,
    CapacityFull,
    InvalidInput,
    InvalidQuantity,
    NotAllowed,
    NotFound,
    OutOfStock,
    PastCutoff,
    ProductUnavailable,
)
from models.order import Fulfilment, Order, OrderStatus
from models.outbox import OutboxMessage
from models.payment import Payment, PaymentKind, PaymentState
from models.people import Customer, Line, Role
from models.qris import SAMPLE_MERCHANT_PAYLOAD
from models.services import buyer_orders, cart, checkout, notify_staff, ordering, paving_offer
from models.services import staff as staff_service
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import buyer, product

SATURDAY = date(2026, 11, 28)
MONDAY = date(2026, 11, 30)
FRIDAY_10 = wib(2026, 11, 27, 10, 0)
ORDER_POLICY = ordering.OrderPolicy()
PAYMENT_POLICY = PaymentPolicy(merchant_payload=SAMPLE_MERCHANT_PAYLOAD)


async def _checkout(
    s: AsyncSession,
    customer: Customer,
    token: str | None = None,
    details: checkout.CheckoutDetails | None = None,
    *,
    now: datetime = FRIDAY_10,
    expected_total: int | None = None,
) -> checkout.CheckoutResult:
    """Checks the buyer's cart out with the default policies."""
    return await checkout.checkout(
        s,
        customer,
        token or checkout.new_checkout_token(customer.id),
        details or checkout.CheckoutDetails(),
        now=now,
        order_policy=ORDER_POLICY,
        payment_policy=PAYMENT_POLICY,
        expected_total=expected_total,
    )


async def _bread_slot(session: AsyncSession) -> PickupSlot:
    """The first bread pickup slot (10.00-12.00)."""
    slot = await session.scalar(
        select(PickupSlot).where(PickupSlot.family == Family.BREAD).order_by(PickupSlot.starts_at)
    )
    assert slot is not None
    return slot


async def _fill_cart(shop: SessionFactory) -> int:
    """A buyer with bread for Saturday and Monday, paving by area and two stock goods; returns the customer id."""
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        await cart.add(
            s, c.id, (await product(s, "RTI-MNS-CKL")).id, 10, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id
        )
        await cart.add(
            s, c.id, (await product(s, "RTI-TWR-400")).id, 2, now=FRIDAY_10, fulfil_date=MONDAY, slot_id=slot.id
        )
        await cart.add(s, c.id, (await product(s, "PVB-BTA-6")).id, 2310, now=FRIDAY_10, area_m2=Decimal(50))
        await cart.add(s, c.id, (await product(s, "TAS-HB-01")).id, 1, now=FRIDAY_10)
        await cart.add(s, c.id, (await product(s, "KRP-UBI-200")).id, 3, now=FRIDAY_10)
        return c.id


async def test_adding_returns_the_carts_count_and_total_after_it(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        bread = await product(s, "RTI-MNS-CKL")
        bag = await product(s, "TAS-HB-01")
        first = await cart.add(s, c.id, bread.id, 10, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id)
        second = await cart.add(s, c.id, bag.id, 2, now=FRIDAY_10)
    assert first.summary == cart.CartSummary(1, 10 * bread.price)
    assert second.summary == cart.CartSummary(2, 10 * bread.price + 2 * bag.price)


async def test_adding_the_same_bread_for_the_same_pickup_adds_up(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        pid = (await product(s, "RTI-MNS-CKL")).id
        await cart.add(s, c.id, pid, 10, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id)
        added = await cart.add(s, c.id, pid, 5, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id)
        assert added.item.quantity == 15
        assert await cart.count(s, c.id) == 1
        assert added.summary == cart.CartSummary(1, 15 * added.item.product.price)  # what the buyer is shown


async def test_bread_past_the_cutoff_cannot_enter_the_cart(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        with pytest.raises(PastCutoff):
            await cart.add(
                s,
                c.id,
                (await product(s, "RTI-MNS-CKL")).id,
                1,
                now=wib(2026, 11, 27, 14, 1),
                fulfil_date=SATURDAY,
                slot_id=slot.id,
            )


async def test_cart_quantities_obey_stock_minimum_and_capacity(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        with pytest.raises(OutOfStock) as stock:
            await cart.add(s, c.id, (await product(s, "TAS-HB-01")).id, 21, now=FRIDAY_10)
        assert stock.value.details["on_hand"] == 20
        with pytest.raises(BelowMinimum):
            await cart.add(s, c.id, (await product(s, "PVB-BTA-6")).id, 100, now=FRIDAY_10)
        with pytest.raises(InvalidQuantity):
            await cart.add(s, c.id, (await product(s, "TAS-HB-01")).id, 0, now=FRIDAY_10)
        with pytest.raises(CapacityFull) as full:
            await cart.add(
                s, c.id, (await product(s, "RTI-SBK-10")).id, 37, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id
            )
        assert full.value.details["remaining"] == 36
        with pytest.raises(ProductUnavailable):
            await cart.add(s, c.id, 999_999, 1, now=FRIDAY_10)
        assert await cart.count(s, c.id) == 0


async def test_another_buyers_cart_item_is_not_found(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        siti = await buyer(s, 1001, "Siti")
        budi = await buyer(s, 1002, "Budi")
        item = (await cart.add(s, siti.id, (await product(s, "TAS-HB-01")).id, 1, now=FRIDAY_10)).item
        with pytest.raises(NotFound):
            await cart.remove(s, budi.id, item.id)
        with pytest.raises(NotFound):
            await cart.change_quantity(s, budi.id, item.id, 3, now=FRIDAY_10)
        assert (await cart.get_item(s, siti.id, item.id)).quantity == 1


async def test_the_cart_splits_into_one_order_per_fulfilment_with_a_reason(shop: SessionFactory) -> None:
    customer_id = await _fill_cart(shop)
    async with shop() as s:
        planned = await checkout.plan(s, customer_id, now=FRIDAY_10, policy=ORDER_POLICY)
    summary = [(p.family, p.fulfil_date, p.reason, len(p.items), p.total, p.deposit) for p in planned]
    assert summary == [
        (Family.GOODS, date(2026, 11, 27), checkout.GOODS_STOCK, 2, 125_000 + 45_000, 0),
        (Family.BREAD, SATURDAY, checkout.BREAD_BY_DATE, 1, 35_000, 0),
        (Family.BREAD, MONDAY, checkout.BREAD_BY_DATE, 1, 30_000, 0),
        (Family.PAVING, date(2026, 12, 12), checkout.PAVING_READY, 1, 4_620_000, 2_310_000),
    ]


async def test_checkout_places_every_order_with_a_payment_code_and_empties_the_cart(shop: SessionFactory) -> None:
    customer_id = await _fill_cart(shop)
    async with shop.begin() as s:
        customer = await buyer(s)
        token = checkout.new_checkout_token(customer_id)
        details = checkout.CheckoutDetails(Fulfilment.DELIVERY, "Jl. Melati 5, Kec. Medan Helvetia, Kota Medan")
        result = await _checkout(s, customer, token, details, expected_total=4_855_000)
        assert not result.replayed
        assert [o.family for o in result.orders] == [Family.GOODS, Family.BREAD, Family.BREAD, Family.PAVING]
        assert [o.fulfilment for o in result.orders][-1] is Fulfilment.DELIVERY
        assert result.orders[0].fulfilment is Fulfilment.PICKUP
        assert result.orders[-1].delivery_address is not None and result.orders[0].delivery_address is None
        assert [(p.kind, p.amount) for p in result.payments] == [
            (PaymentKind.FULL, 170_000),
            (PaymentKind.FULL, 35_000),
            (PaymentKind.FULL, 30_000),
            (PaymentKind.DEPOSIT, 2_310_000),
        ]
        assert await cart.count(s, customer_id) == 0
    async with shop.begin() as s:
        customer = await buyer(s)
        again = await _checkout(s, customer, token, details)
        assert again.replayed
        assert [o.code for o in again.orders] == [o.code for o in result.orders]
        assert [p.id for p in again.payments] == [p.id for p in result.payments]
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 4
        assert await s.scalar(select(func.count()).select_from(Payment)) == 4
        bag = await product(s, "TAS-HB-01")
        assert bag.stock_on_hand == 19


async def test_a_cutoff_passed_while_choosing_leaves_no_half_written_orders(shop: SessionFactory) -> None:
    customer_id = await _fill_cart(shop)
    late = wib(2026, 11, 27, 14, 5)
    with pytest.raises(checkout.CheckoutFailed) as failed:
        async with shop.begin() as s:
            customer = await buyer(s)
            await _checkout(s, customer, now=late)
    assert isinstance(failed.value.cause, PastCutoff)
    assert failed.value.sku == "RTI-MNS-CKL"
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 0
        assert await s.scalar(select(func.count()).select_from(Payment)) == 0
        assert [r.committed for r in await s.scalars(select(DayCapacity))] in ([], [0], [0, 0])
        assert (await product(s, "TAS-HB-01")).stock_on_hand == 20
        assert await cart.count(s, customer_id) == 5


async def test_checkout_refuses_a_cart_whose_total_changed_since_the_summary(shop: SessionFactory) -> None:
    await _fill_cart(shop)
    with pytest.raises(checkout.CartChanged):
        async with shop.begin() as s:
            await _checkout(s, await buyer(s), expected_total=1)
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 0


async def test_an_empty_cart_cannot_be_checked_out(shop: SessionFactory) -> None:
    with pytest.raises(InvalidInput):
        async with shop.begin() as s:
            c = await buyer(s)
            await _checkout(s, c)


async def test_an_order_above_the_qris_limit_gets_a_deposit_code_first(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        await cart.add(s, c.id, (await product(s, "LKS-KNV-01")).id, 14, now=FRIDAY_10)
        result = await _checkout(s, c)
        order, payment = result.orders[0], result.payments[0]
        assert order.total == 10_500_000
        assert (payment.kind, payment.amount) == (PaymentKind.DEPOSIT, 5_250_000)


async def test_paving_quote_echoes_the_worked_example_of_the_domain(shop: SessionFactory) -> None:
    async with shop() as s:
        pid = (await product(s, "PVB-BTA-6")).id
        offer = await paving_offer.quote_paving_for(s, pid, "10x5", now=FRIDAY_10, policy=ORDER_POLICY)
    assert offer.request.area_m2 == Decimal(50)
    assert (offer.quote.pieces, offer.quote.total_price, offer.quote.waste_pct) == (2310, 4_620_000, 5)
    assert offer.quote.weight_kg == Decimal("6699.0")
    assert offer.vehicles == {"pickup": 5, "engkel": 3, "colt_diesel": 1}
    assert offer.ready_date == date(2026, 12, 12)
    assert offer.deposit == 2_310_000


async def test_moving_bread_to_another_day_joins_an_item_already_there(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        pid = (await product(s, "RTI-MNS-CKL")).id
        first = (await cart.add(s, c.id, pid, 10, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id)).item
        await cart.add(s, c.id, pid, 4, now=FRIDAY_10, fulfil_date=MONDAY, slot_id=slot.id)
        moved = await cart.move(s, c.id, first.id, MONDAY, slot.id, now=FRIDAY_10)
        assert moved.quantity == 14
        assert [(i.fulfil_date, i.quantity) for i in await cart.items(s, c.id)] == [(MONDAY, 14)]


async def test_reorder_puts_the_lines_back_in_the_cart(shop: SessionFactory) -> None:
    customer_id = await _fill_cart(shop)
    async with shop.begin() as s:
        result = await _checkout(s, await buyer(s))
        goods = result.orders[0]
    async with shop.begin() as s:
        added = await cart.reorder(s, customer_id, goods.code, now=FRIDAY_10)
        assert sorted(i.product.sku for i in added) == ["KRP-UBI-200", "TAS-HB-01"]
    async with shop.begin() as s:
        other = await buyer(s, 1002, "Budi")
        with pytest.raises(NotFound):
            await cart.reorder(s, other.id, goods.code, now=FRIDAY_10)


async def test_buyer_cancel_releases_capacity_and_closes_the_payment_code(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        slot = await _bread_slot(s)
        await cart.add(
            s, c.id, (await product(s, "RTI-MNS-CKL")).id, 10, now=FRIDAY_10, fulfil_date=SATURDAY, slot_id=slot.id
        )
        result = await _checkout(s, c)
        code = result.orders[0].code
    async with shop.begin() as s:
        other = await buyer(s, 1002, "Budi")
        with pytest.raises(NotFound):
            await buyer_orders.cancel(s, other.id, code, telegram_id=1002, now=FRIDAY_10)
    async with shop.begin() as s:
        c = await buyer(s)
        order = await buyer_orders.cancel(s, c.id, code, telegram_id=1001, now=FRIDAY_10)
        assert order.status is OrderStatus.CANCELLED
    async with shop() as s:
        assert (await s.scalar(select(DayCapacity))).committed == 0  # type: ignore[union-attr]
        assert (await s.scalar(select(Payment))).state is PaymentState.EXPIRED  # type: ignore[union-attr]


async def test_proofs_and_payment_codes_belong_to_their_buyer_only(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        await cart.add(s, c.id, (await product(s, "TAS-HB-01")).id, 1, now=FRIDAY_10)
        result = await _checkout(s, c)
        payment_id, code = result.payments[0].id, result.orders[0].code
    async with shop.begin() as s:
        other = await buyer(s, 1002, "Budi")
        with pytest.raises(NotFound):
            await buyer_orders.submit_proof(s, other.id, payment_id, "forged")
        with pytest.raises(NotFound):
            await buyer_orders.next_payment(s, other.id, code, PAYMENT_POLICY, now=FRIDAY_10)
    async with shop.begin() as s:  # the QR photo's file id, written after Telegram's answer (models.group_commit)
        await buyer_orders.remember_qr_files(s, {payment_id: "file-1"})
    async with shop.begin() as s:  # a later upload does not replace it
        await buyer_orders.remember_qr_files(s, {payment_id: "file-2"})
    async with shop.begin() as s:
        c = await buyer(s)
        assert (await buyer_orders.next_payment(s, c.id, code, PAYMENT_POLICY, now=FRIDAY_10)).id == payment_id
        proof = await buyer_orders.submit_proof(s, c.id, payment_id, "proof-1")
        assert (proof.proof_file_id, proof.qr_file_id) == ("proof-1", "file-1")


async def test_staff_alerts_reach_the_line_privately_once(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await staff_service.add_staff(s, 501, "Roti", Role.STAFF, Line.BAKERY)
        await staff_service.add_staff(s, 502, "Paving", Role.STAFF, Line.PAVING)
        await staff_service.add_staff(s, 503, "Semua", Role.STAFF, None)
        for _ in range(2):
            await notify_staff.alert_line(
                s, Family.BREAD, lambda lang: f"baru {lang}", now=FRIDAY_10, dedupe_key="new:KB-1"
            )
    async with shop() as s:
        rows = [(m.chat_id, m.text) for m in await s.scalars(select(OutboxMessage).order_by(OutboxMessage.chat_id))]
    assert rows == [(501, "baru id"), (503, "baru id")]


async def test_staff_alerts_go_to_the_staff_group_when_one_is_configured(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await staff_service.add_staff(s, 501, "Roti", Role.STAFF, Line.BAKERY)
        await notify_staff.alert_line(
            s, Family.BREAD, lambda _: "baru", now=FRIDAY_10, dedupe_key="new:KB-1", group_chat_id=-100
        )
    async with shop() as s:
        assert [m.chat_id for m in await s.scalars(select(OutboxMessage))] == [-100]


async def test_erasing_data_is_refused_while_an_order_is_open(shop: SessionFactory) -> None:
    from models.services import customers

    async with shop.begin() as s:
        c = await buyer(s)
        await cart.add(s, c.id, (await product(s, "TAS-HB-01")).id, 1, now=FRIDAY_10)
        await _checkout(s, c)
    with pytest.raises(NotAllowed):
        async with shop.begin() as s:
            await customers.erase_personal_data(s, await buyer(s))
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(CartItem)) == 0


async def test_a_forged_checkout_token_with_wildcards_finds_nothing(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        c = await buyer(s)
        await cart.add(s, c.id, (await product(s, "TAS-HB-01")).id, 1, now=FRIDAY_10)
        placed = await _checkout(s, c, checkout.new_checkout_token(c.id))
        assert placed.orders
    async with shop() as s:
        c = await buyer(s)
        assert await checkout.orders_of_checkout(s, c.id, f"c{c.id}-________") == []
        assert await checkout.orders_of_checkout(s, c.id, "%") == []
