"""Payments a gateway reports: the code it made, and what its status API says became of it.

`apply_status` is the one way a gateway's word changes a payment: a settled transaction for the exact amount
becomes paid through `payments.confirm_payment` (via MIDTRANS, the transaction id as reference), with the buyer's
notice and the next instalment as after a staff confirmation, plus an alert to the staff of the line; a dead one
(expired, cancelled, denied) retires the code, and the order follows the usual expiry rules. Whatever arrives
twice or late has one effect: a payment is paid once, and the recorded status only moves forward.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.errors import AlreadyDone, DomainError, NotFound
from models.order import Order
from models.payment import ConfirmedVia, Payment, PaymentState
from models.services import desk, gateway_codes, notify_staff, payments
from models.services.gateway import PENDING, ChargeRequest, GatewayStatus, IssuedCode, moves_forward
from models.services.notices import Wording
from models.services.notify_staff import StaffAlerts
from models.services.payments import PaymentPolicy

log = logging.getLogger(__name__)
RECONCILE_AFTER = timedelta(minutes=10)  # a code this old with no word from the gateway is asked about
ASK_AGAIN_AFTER = timedelta(minutes=5)  # ...and again at most this often, the least recently asked first
DEFAULT_LIFETIME = timedelta(minutes=60)


class Outcome(enum.StrEnum):
    """What a status did to the bot's records."""

    PAID = "paid"
    ALREADY_PAID = "already_paid"
    PENDING = "pending"
    DEAD = "dead"
    AMOUNT_DIFFERS = "amount_differs"
    NEEDS_STAFF = "needs_staff"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Booking:
    """What booking a gateway payment needs besides the session: buyer wording, staff alerts, the payment policy."""

    wording: Wording
    alerts: StaffAlerts
    policy: PaymentPolicy


def charge_request(payment: Payment, *, now: datetime) -> ChargeRequest:
    """What to ask the gateway for a payment issued without a code: its order id, exact amount and deadline."""
    if payment.provider_order_id is None:
        raise ValueError("payment was not issued for a gateway")
    expires_at = payment.expires_at or now + DEFAULT_LIFETIME
    return ChargeRequest(payment.provider_order_id, payment.payable_amount, now, expires_at)


async def by_order_id(session: AsyncSession, order_id: str) -> Payment | None:
    """The payment the gateway knows by `order_id`, with its order, or None."""
    return await session.scalar(
        select(Payment).where(Payment.provider_order_id == order_id).options(joinedload(Payment.order))
    )


async def current(session: AsyncSession, payment_id: int) -> Payment:
    """The payment as the database has it now (another unit of work may have kept its code), with its order."""
    payment = await session.scalar(
        select(Payment).where(Payment.id == payment_id).options(joinedload(Payment.order))
        .execution_options(populate_existing=True)
    )
    if payment is None:
        raise NotFound(what="payment", id=payment_id)
    return payment


async def record_code(session: AsyncSession, payment_id: int, issued: IssuedCode) -> Payment:
    """Keeps the QR string and transaction id the gateway made for a payment; returns it with its order."""
    payment = await current(session, payment_id)
    if not payment.payload:  # a concurrent attempt may have kept the same code already
        payment.payload = issued.qr_string
    payment.provider_transaction_id = payment.provider_transaction_id or issued.transaction_id
    _note(payment, issued.status)
    await session.flush()
    return payment


async def renew_order_id(session: AsyncSession, payment_id: int) -> str:
    """Gives a payment the next order id (its first transaction was cancelled unseen); returns it."""
    payment = await session.get(Payment, payment_id)
    if payment is None or payment.provider_order_id is None:
        raise NotFound(what="payment", id=payment_id)
    old = payment.provider_order_id
    stem, _, suffix = old.rpartition("-")
    base = stem if stem and suffix.isdigit() else old  # "KB7K3QXM-2" -> "KB7K3QXM"
    payment.provider_order_id = await gateway_codes.gateway_order_id(session, base)
    payment.note = f"{old} cancelled unseen (its charge answer was lost)"
    await session.flush()
    return payment.provider_order_id


def _note(payment: Payment, status: str) -> None:
    """Records the gateway's status when it is news (statuses only move forward)."""
    if payment.provider_status is None or moves_forward(payment.provider_status, status):
        payment.provider_status = status[:20]


async def apply_status(session: AsyncSession, status: GatewayStatus, *, now: datetime, booking: Booking) -> Outcome:
    """Acts on what the gateway's status API said about one transaction (see the module docstring)."""
    payment = await by_order_id(session, status.order_id)
    if payment is None:
        return Outcome.UNKNOWN
    payment.provider_checked_at = now
    if status.transaction_id and not payment.provider_transaction_id:
        payment.provider_transaction_id = status.transaction_id[:64]
    if status.paid:
        return await _settled(session, payment, status, now=now, booking=booking)
    _note(payment, status.transaction_status)
    if status.dead:
        if payment.state is PaymentState.PENDING:
            payment.state = PaymentState.EXPIRED
            payment.note = f"{payment.provider}: {status.transaction_status}"
        await session.flush()
        return Outcome.DEAD
    await session.flush()
    return Outcome.ALREADY_PAID if payment.state is PaymentState.PAID else Outcome.PENDING


async def _settled(
    session: AsyncSession, payment: Payment, status: GatewayStatus, *, now: datetime, booking: Booking
) -> Outcome:
    """Books settled money: paid exactly once for the exact amount, else the staff are told."""
    order = payment.order
    _note(payment, status.transaction_status)
    received = status.gross_amount[:20]
    if payment.state is PaymentState.PAID and payment.confirmed_via is not ConfirmedVia.MIDTRANS:
        # Staff confirmed it by hand (money seen elsewhere?): the buyer may have paid twice, people must look.
        await notify_staff.gateway_problem(
            session, booking.alerts, payment, order, problem="confirmed", received=received, now=now
        )
        await session.flush()
        return Outcome.NEEDS_STAFF
    if payment.state is PaymentState.PAID:
        await session.flush()
        return Outcome.ALREADY_PAID
    if status.amount() != payment.payable_amount:
        await notify_staff.gateway_problem(
            session, booking.alerts, payment, order, problem="amount", received=received, now=now
        )
        log.warning("gateway order %s settled for %s, not the code's Rp%d: not booked, staff told",
                    status.order_id, received, payment.payable_amount)
        await session.flush()
        return Outcome.AMOUNT_DIFFERS
    try:
        order = await payments.confirm_payment(
            session, payment, staff_telegram_id=None, now=now, via=ConfirmedVia.MIDTRANS,
            reference=status.transaction_id,
        )
    except AlreadyDone:
        return Outcome.ALREADY_PAID
    except DomainError as exc:  # money for an order that can no longer take it: people must refund or reinstate
        await notify_staff.gateway_problem(
            session, booking.alerts, payment, order, problem="closed", received=received, now=now
        )
        log.warning("gateway order %s settled but not booked (%s): staff told", status.order_id, exc.code)
        await session.flush()
        return Outcome.NEEDS_STAFF
    await desk.after_payment(session, order, payment, now=now, wording=booking.wording, policy=booking.policy)
    await notify_staff.gateway_paid(session, booking.alerts, payment, order, now=now)
    await session.flush()
    return Outcome.PAID


async def to_reconcile(
    session: AsyncSession, *, now: datetime, overdue_only: bool = False, limit: int = 50
) -> list[str]:
    """Order ids of gateway codes still open past their deadline or older than 10 minutes and not asked about in
    the last 5 (`overdue_only`: past their deadline, however recently asked); the least recently asked first."""
    due = Payment.expires_at <= now
    if not overdue_only:
        quiet = or_(Payment.provider_checked_at.is_(None), Payment.provider_checked_at <= now - ASK_AGAIN_AFTER)
        due = or_(due, Payment.created_at <= now - RECONCILE_AFTER) & quiet
    rows = await session.scalars(
        select(Payment.provider_order_id)
        .where(
            Payment.provider_order_id.is_not(None), Payment.payload.is_not(None),
            Payment.state == PaymentState.PENDING, due,
        )
        .order_by(Payment.provider_checked_at.asc().nulls_first(), Payment.id)
        .limit(limit)
    )
    return [row for row in rows if row is not None]


async def to_cancel(session: AsyncSession, *, limit: int = 50) -> list[str]:
    """Order ids of codes the bot retired (expiry, cancel, cash) that the gateway may still take money for."""
    rows = await session.scalars(
        select(Payment.provider_order_id)
        .where(
            Payment.provider_order_id.is_not(None),
            Payment.payload.is_not(None),
            Payment.state.in_((PaymentState.EXPIRED, PaymentState.REJECTED)),
            or_(Payment.provider_status.is_(None), Payment.provider_status == PENDING),
        )
        .order_by(Payment.id)
        .limit(limit)
    )
    return [row for row in rows if row is not None]


async def open_order_id(session: AsyncSession, order_code: str | None = None) -> str | None:
    """The gateway order id of an order's open code that the buyer has seen (the newest of any order without a
    code); None when there is none. The offline demo "pays" it."""
    stmt = select(Payment.provider_order_id).where(
        Payment.provider_order_id.is_not(None), Payment.payload.is_not(None), Payment.state == PaymentState.PENDING
    )
    if order_code is not None:
        stmt = stmt.join(Order, Order.id == Payment.order_id).where(Order.code == order_code)
    return await session.scalar(stmt.order_by(Payment.id.desc()).limit(1))
