"""What the bot asks Midtrans by itself: a lost notification is caught by the reconciliation job once the clock has
moved on, and the codes of expired or cancelled orders are cancelled at the gateway, again later when that fails."""

from __future__ import annotations

import asyncio

from jobs.reconcile import reconcile, settle
from jobs.registry import run_expiry
from models.order import OrderStatus
from models.payment import ConfirmedVia, PaymentState
from models.services.gateway_payments import Outcome
from tests.gateway.support import GatewayShop, ordered
from tests.support.eventually import eventually


async def test_a_lost_notification_is_caught_by_reconciliation_after_ten_minutes(shop: GatewayShop) -> None:
    order_id = await ordered(shop)
    shop.sandbox.faults.notifications.lose()
    shop.sandbox.pay(order_id)
    await shop.sandbox.idle()
    assert await reconcile(shop.services) == {}  # a fresh code is not asked about yet
    [payment] = await shop.payments()
    assert payment.state is PaymentState.PENDING

    shop.bot.harness.clock.advance(minutes=11)
    assert await reconcile(shop.services) == {Outcome.PAID: 1}
    await shop.buyer.wait_for("Lunas", timeout=15)
    await shop.staff.wait_for("Midtrans", timeout=15)
    [payment] = await shop.payments()
    assert (payment.state, payment.confirmed_via) == (PaymentState.PAID, ConfirmedVia.MIDTRANS)
    assert await reconcile(shop.services) == {}  # nothing left to ask


async def test_an_order_past_its_deadline_is_asked_about_then_expired_with_its_code(shop: GatewayShop) -> None:
    await ordered(shop)
    shop.bot.harness.clock.advance(minutes=61)
    assert await run_expiry(shop.services) == 1
    [order] = await shop.orders()
    assert order.status is OrderStatus.EXPIRED
    [transaction] = shop.sandbox.transactions
    [payment] = await shop.payments()
    assert (payment.state, payment.provider_status, transaction.status) == (PaymentState.EXPIRED, "expire", "expire")
    await shop.buyer.wait_for("Waktu", timeout=15)


async def test_money_paid_at_the_last_moment_is_booked_before_the_expiry_job_can_refuse_it(
    shop: GatewayShop,
) -> None:
    order_id = await ordered(shop)
    shop.bot.harness.clock.advance(minutes=59)
    shop.sandbox.faults.notifications.lose()
    shop.sandbox.pay(order_id)  # paid in time, but Midtrans' word is lost
    await shop.sandbox.idle()
    shop.bot.harness.clock.advance(minutes=2)
    assert await run_expiry(shop.services) == 0
    [order] = await shop.orders()
    assert order.status is OrderStatus.PAID
    await shop.buyer.wait_for("Lunas", timeout=15)


async def test_a_buyer_who_cancels_has_the_midtrans_code_cancelled_again_after_a_failure(shop: GatewayShop) -> None:
    await ordered(shop)
    [transaction] = shop.sandbox.transactions
    [order] = await shop.orders()
    shop.sandbox.faults.api.server_errors(1, calls=["cancel"])
    buyer = shop.buyer
    await buyer.send("/pesananku")
    await buyer.wait_for("Pesanan Saya")
    await buyer.press(order.code)
    await buyer.wait_for(f"Pesanan {order.code}")
    await buyer.press("Batalkan")
    await buyer.wait_for("Yakin membatalkan")
    await buyer.press("Ya, batalkan")
    await buyer.wait_for("Status: Dibatalkan")
    await eventually(lambda: [c.status for c in shop.sandbox.calls if c.call == "cancel"] == [500], timeout=10,
                     what="the cancel tried once, and failed")
    assert transaction.status == "pending"  # the cancel itself stands; Midtrans is asked again later
    [payment] = await shop.payments()
    assert (payment.state, payment.provider_status) == (PaymentState.EXPIRED, "pending")

    await reconcile(shop.services)
    assert transaction.status == "cancel"
    [payment] = await shop.payments()
    assert payment.provider_status == "cancel"


async def test_staff_who_cancel_an_order_have_its_midtrans_code_cancelled(shop: GatewayShop) -> None:
    await ordered(shop)
    [transaction] = shop.sandbox.transactions
    [order] = await shop.orders()
    staff = shop.staff
    await staff.send(f"/pesanan {order.code}")
    await staff.wait_for(order.code)
    await staff.press("Batalkan")
    await staff.wait_for("Ketik alasan pembatalan")
    await staff.send("Oven rusak")
    await staff.wait_for("dibatalkan. Pembeli diberi tahu")
    await eventually(lambda: transaction.status == "cancel", timeout=10, what="the Midtrans code cancelled")
    [payment] = await shop.payments()
    assert payment.state is PaymentState.EXPIRED


async def test_five_notifications_booked_at_the_same_moment_pay_once(shop: GatewayShop) -> None:
    order_id = await ordered(shop)
    shop.sandbox.faults.notifications.lose()
    shop.sandbox.pay(order_id)
    await shop.sandbox.idle()
    outcomes = await asyncio.gather(*(settle(shop.services, order_id) for _ in range(5)))
    assert sorted(outcomes) == sorted([Outcome.PAID] + [Outcome.ALREADY_PAID] * 4)
    await shop.buyer.wait_for("Lunas", timeout=15)
    templates = [m.template for m in await shop.outbox()]
    assert templates.count("notice.paid") == 1 and templates.count("gateway.paid") == 1
    [order] = await shop.orders()
    assert order.paid_amount == 42_000
