"""What a payment gateway's status does to the records, on SQLite and PostgreSQL: paid exactly once with the buyer's
notice and the staff alert, a different amount or a closed order left to staff, dead codes retired, statuses that
only move forward, and order ids that never repeat."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.render.buyer_alerts import StaffAlertWording
from models import qris
from models.db import SessionFactory
from models.order import ActorKind, Order, OrderStatus, StatusChange
from models.outbox import OutboxMessage
from models.payment import ConfirmedVia, Payment, PaymentKind, PaymentState
from models.services import gateway_payments, payments
from models.services.gateway import MIDTRANS, GatewayStatus
from models.services.gateway_payments import Booking, Outcome
from models.services.notify_staff import StaffAlerts
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import POLICY, PlainWords, order

SATURDAY = date(2026, 11, 28)
FRIDAY_10 = wib(2026, 11, 27, 10, 0)
GROUP = -100_500
GATEWAY = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout,
                        provider=MIDTRANS)
BOOKING = Booking(PlainWords(), StaffAlerts(StaffAlertWording(), GROUP), GATEWAY)


def settled(order_id: str, amount: str = "42000.00", status: str = "settlement") -> GatewayStatus:
    """What the status API says of a paid transaction."""
    return GatewayStatus(order_id, status, "200", amount, transaction_id=f"tx-{order_id}", fraud_status="accept")


async def issue(shop: SessionFactory) -> tuple[int, str]:
    """A 12-piece bread order (Rp42.000) with a gateway code that has its QR string: (payment id, order id)."""
    async with shop.begin() as session:
        placed = await order(session, "RTI-MNS-CKL", 12, now=FRIDAY_10, day=SATURDAY)
        payment = await payments.issue_payment(session, placed, GATEWAY, now=FRIDAY_10)
        assert payment.payload is None and payment.provider_order_id == placed.code.replace("-", "")
        payment.payload = "qr from the gateway"
        return payment.id, payment.provider_order_id


async def apply(shop: SessionFactory, status: GatewayStatus, minutes: int = 5) -> Outcome:
    """Books one status in its own unit of work."""
    async with shop.begin() as session:
        return await gateway_payments.apply_status(
            session, status, now=FRIDAY_10 + timedelta(minutes=minutes), booking=BOOKING
        )


async def state(shop: SessionFactory, payment_id: int) -> tuple[Payment, Order, list[OutboxMessage]]:
    """The payment, its order and every queued message, as stored."""
    async with shop() as session:
        payment = await session.get(Payment, payment_id)
        assert payment is not None
        found = await session.get(Order, payment.order_id)
        assert found is not None
        return payment, found, list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_settled_transaction_pays_the_code_once_with_the_buyer_notice_and_a_staff_alert(
    shop: SessionFactory,
) -> None:
    payment_id, order_id = await issue(shop)
    assert await apply(shop, settled(order_id)) is Outcome.PAID
    assert await apply(shop, settled(order_id)) is Outcome.ALREADY_PAID  # a duplicate notification
    payment, paid, messages = await state(shop, payment_id)
    assert (payment.state, payment.confirmed_via, payment.reference) == (
        PaymentState.PAID, ConfirmedVia.MIDTRANS, f"tx-{order_id}")
    assert (payment.confirmed_by, payment.provider_status) == (None, "settlement")
    assert (paid.status, paid.paid_amount) == (OrderStatus.PAID, 42_000)
    assert [m.template for m in messages] == ["notice.paid", "gateway.paid"]
    assert messages[1].chat_id == GROUP and "Midtrans" in messages[1].text
    async with shop() as session:
        moves = list(await session.scalars(select(StatusChange).where(StatusChange.to_status == OrderStatus.PAID)))
    assert [(m.actor_kind, m.actor_id) for m in moves] == [(ActorKind.SYSTEM, None)]


async def test_statuses_only_move_forward_so_a_late_pending_changes_nothing(shop: SessionFactory) -> None:
    payment_id, order_id = await issue(shop)
    assert await apply(shop, settled(order_id)) is Outcome.PAID
    late = GatewayStatus(order_id, "pending", "201", "42000.00", transaction_id=f"tx-{order_id}")
    assert await apply(shop, late) is Outcome.ALREADY_PAID
    payment, paid, _ = await state(shop, payment_id)
    assert (payment.state, payment.provider_status, paid.status) == (PaymentState.PAID, "settlement",
                                                                       OrderStatus.PAID)


async def test_a_capture_counts_only_when_fraud_screening_accepted_it(shop: SessionFactory) -> None:
    payment_id, order_id = await issue(shop)
    challenged = GatewayStatus(order_id, "capture", "200", "42000.00", fraud_status="challenge")
    assert await apply(shop, challenged) is Outcome.PENDING
    assert (await state(shop, payment_id))[0].state is PaymentState.PENDING
    assert await apply(shop, settled(order_id, status="capture")) is Outcome.PAID


async def test_a_different_amount_is_not_booked_and_the_staff_are_told(shop: SessionFactory) -> None:
    payment_id, order_id = await issue(shop)
    assert await apply(shop, settled(order_id, amount="4200.00")) is Outcome.AMOUNT_DIFFERS
    assert await apply(shop, settled(order_id, amount="4200.00")) is Outcome.AMOUNT_DIFFERS
    payment, unpaid, messages = await state(shop, payment_id)
    assert (payment.state, unpaid.status, unpaid.paid_amount) == (PaymentState.PENDING,
                                                                  OrderStatus.AWAITING_PAYMENT, 0)
    assert [m.template for m in messages] == ["gateway.amount"]
    assert "Rp4.200" in messages[0].text and "Rp42.000" in messages[0].text


async def test_a_dead_code_is_retired_and_the_order_waits_for_its_own_deadline(shop: SessionFactory) -> None:
    payment_id, order_id = await issue(shop)
    assert await apply(shop, GatewayStatus(order_id, "deny", "202", "42000.00")) is Outcome.DEAD
    payment, waiting, messages = await state(shop, payment_id)
    assert (payment.state, payment.provider_status) == (PaymentState.EXPIRED, "deny")
    assert waiting.status is OrderStatus.AWAITING_PAYMENT and messages == []


async def test_money_for_an_order_already_cancelled_is_left_to_staff_with_an_alert(shop: SessionFactory) -> None:
    payment_id, order_id = await issue(shop)
    async with shop.begin() as session:
        found = await session.get(Order, (await session.get(Payment, payment_id)).order_id)  # type: ignore[union-attr]
        assert found is not None
        found.status = OrderStatus.CANCELLED
    assert await apply(shop, settled(order_id)) is Outcome.NEEDS_STAFF
    payment, cancelled, messages = await state(shop, payment_id)
    assert payment.state is PaymentState.PENDING and cancelled.paid_amount == 0
    assert [m.template for m in messages] == ["gateway.closed"]


async def test_an_order_id_the_bot_never_issued_is_unknown(shop: SessionFactory) -> None:
    assert await apply(shop, settled("KBNOSUCH")) is Outcome.UNKNOWN


async def test_a_code_issued_again_gets_an_order_id_the_gateway_has_not_seen(shop: SessionFactory) -> None:
    payment_id, order_id = await issue(shop)
    assert await apply(shop, GatewayStatus(order_id, "expire", "407", "42000.00")) is Outcome.DEAD
    async with shop.begin() as session:
        first = await session.get(Payment, payment_id)
        assert first is not None
        found = await session.get(Order, first.order_id)
        assert found is not None
        again = await payments.issue_payment(session, found, GATEWAY, now=FRIDAY_10 + timedelta(minutes=6))
        assert again.kind is PaymentKind.FULL
        assert again.provider_order_id == f"{order_id}-2"


async def test_midtrans_money_for_a_code_staff_confirmed_by_hand_is_shown_to_staff_not_booked_again(
    shop: SessionFactory,
) -> None:
    payment_id, order_id = await issue(shop)
    async with shop.begin() as session:
        payment = await payments.get_payment(session, payment_id)
        await payments.confirm_payment(session, payment, staff_telegram_id=777, now=FRIDAY_10)
    assert await apply(shop, settled(order_id)) is Outcome.NEEDS_STAFF
    payment, paid, messages = await state(shop, payment_id)
    assert (payment.confirmed_via, payment.confirmed_by, paid.paid_amount) == (ConfirmedVia.STAFF, 777, 42_000)
    assert [m.template for m in messages] == ["gateway.confirmed"]
    assert "dua kali" in messages[0].text


async def test_a_paving_deposit_paid_at_midtrans_asks_the_buyer_to_press_bayar_for_the_balance(
    shop: SessionFactory,
) -> None:
    async with shop.begin() as session:
        placed = await order(session, "PVB-BTA-6", 2_310, now=FRIDAY_10)
        deposit = await payments.issue_payment(session, placed, GATEWAY, now=FRIDAY_10)
        assert (deposit.kind, deposit.amount, deposit.provider_order_id) == (
            PaymentKind.DEPOSIT, 2_310_000, placed.code.replace("-", "") + "DP")
        deposit.payload = "qr from the gateway"
        deposit_id, order_id = deposit.id, deposit.provider_order_id
    assert await apply(shop, settled(order_id, amount="2310000.00")) is Outcome.PAID
    async with shop() as session:
        codes = list(await session.scalars(select(Payment).order_by(Payment.id)))
        messages = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(p.id == deposit_id, p.kind, p.state, p.payload) for p in codes] == [
        (True, PaymentKind.DEPOSIT, PaymentState.PAID, "qr from the gateway"),
        (False, PaymentKind.BALANCE, PaymentState.PENDING, None),  # made by Midtrans when the buyer presses Bayar
    ]
    assert codes[1].provider_order_id == f"{order_id[:-2]}L1"
    assert [m.template for m in messages] == ["notice.paid_partial_ask", "gateway.paid"]
    assert messages[0].attachment is None  # no QR yet: the text asks for "Bayar"
