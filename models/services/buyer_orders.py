"""What a buyer may do with their own orders and payment codes; everything is checked against ownership.

Callback data can be forged, so every function takes the acting buyer's customer id and reports another
buyer's order or payment as not found, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.errors import (
    AlreadyPaid,
    FullyPaid,
    NotFound,
    OrderClosed,
    OrderExpired,
    PaymentNotPending,
)
from models.order import Order, OrderStatus
from models.payment import Payment, PaymentState
from models.services import fulfilment, notify_staff, ordering, payments
from models.services.payments import PaymentPolicy

PAYABLE = frozenset(
    {
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PARTIALLY_PAID,
        OrderStatus.PAID,
        OrderStatus.IN_PRODUCTION,
        OrderStatus.READY,
    }
)


async def own_payment(session: AsyncSession, customer_id: int, payment_id: int) -> Payment:
    """One of the buyer's payment codes with its order; anyone else's is reported as not found."""
    payment = await session.scalar(select(Payment).where(Payment.id == payment_id).options(joinedload(Payment.order)))
    if payment is None or payment.order.customer_id != customer_id:
        raise NotFound(what="payment", id=payment_id)
    return payment


def is_payable(order: Order) -> bool:
    """True while the order still owes money and is not closed."""
    return order.status in PAYABLE and order.balance_due > 0


async def next_payment(
    session: AsyncSession, customer_id: int, code: str, policy: PaymentPolicy, *, now: datetime
) -> Payment:
    """The open payment code of the buyer's order, issuing the next instalment when none is open."""
    order = await ordering.get_customer_order(session, customer_id, code, load=())
    if order.balance_due <= 0:
        raise FullyPaid(code=order.code)
    if order.status not in PAYABLE:
        raise OrderClosed(status=order.status, code=order.code)
    open_payment = await payments.pending_payment(session, order)
    if open_payment is not None and open_payment.expires_at is not None and open_payment.expires_at <= now:
        if order.status is OrderStatus.AWAITING_PAYMENT:
            raise OrderExpired(status=order.status, code=order.code)
        open_payment.state = PaymentState.EXPIRED
        await session.flush()
    return await payments.issue_payment(session, order, policy, now=now)


_SET_QR_FILE = (
    update(Payment).where(Payment.id == bindparam("payment"), Payment.qr_file_id.is_(None))
    .values(qr_file_id=bindparam("file_id"))
)


async def remember_qr_files(session: AsyncSession, files: Mapping[int, str]) -> None:
    """Keeps Telegram's file ids of payments' QR photos (by payment id) so they can be sent again without
    uploading; a payment that has one keeps it. One statement, in payment order."""
    rows = [{"payment": payment, "file_id": file_id[:255]} for payment, file_id in sorted(files.items())]
    await (await session.connection()).execute(_SET_QR_FILE, rows)  # Core: the ORM reads a list as bulk-by-key


async def start_proof(session: AsyncSession, customer_id: int, payment_id: int) -> Payment:
    """Checks that the buyer may send a proof for this payment code (their own, still open)."""
    payment = await own_payment(session, customer_id, payment_id)
    if payment.state is PaymentState.PAID:
        raise AlreadyPaid(payment_id=payment.id)
    if payment.state is not PaymentState.PENDING or payment.order.status not in PAYABLE:
        raise PaymentNotPending(state=payment.state, code=payment.order.code)
    return payment


async def submit_proof(session: AsyncSession, customer_id: int, payment_id: int, file_id: str) -> Payment:
    """Keeps the buyer's proof photo on their open payment code for staff to check."""
    payment = await start_proof(session, customer_id, payment_id)
    return await payments.attach_proof(session, payment, file_id[:255])


async def cancel(session: AsyncSession, customer_id: int, code: str, *, telegram_id: int, now: datetime) -> Order:
    """Cancels the buyer's own order when the rules allow it; open payment codes stop being payable.

    The order comes back with its lines and their products (the cancel rule reads the first line's product).
    """
    order = await ordering.get_customer_order(session, customer_id, code)
    await fulfilment.cancel_by_buyer(session, order, telegram_id=telegram_id, now=now)
    for payment in await session.scalars(
        select(Payment).where(Payment.order_id == order.id, Payment.state == PaymentState.PENDING)
    ):
        payment.state = PaymentState.EXPIRED
    await session.flush()
    return order


async def payment_to_send(
    session: AsyncSession, customer_id: int, code: str, policy: PaymentPolicy, *, now: datetime
) -> tuple[Payment, Order]:
    """The payment code to show for "Bayar" (see `next_payment`) with its order."""
    payment = await next_payment(session, customer_id, code, policy, now=now)
    return payment, await ordering.get_customer_order(session, customer_id, code)


async def send_proof(
    session: AsyncSession,
    customer_id: int,
    payment_id: int,
    *,
    file_id: str,
    unique_id: str,
    kind: str,
    alerts: notify_staff.StaffAlerts,
    now: datetime,
) -> Order:
    """Keeps the buyer's proof on the payment and sends it to the staff of the line to approve or reject."""
    payment = await submit_proof(session, customer_id, payment_id, file_id)
    order = payment.order
    await notify_staff.proof_sent(
        session, alerts, payment, order, kind=kind, file_id=file_id, unique_id=unique_id, now=now
    )
    return order


async def cancel_and_tell(
    session: AsyncSession, customer_id: int, code: str, *, telegram_id: int, alerts: notify_staff.StaffAlerts,
    now: datetime,
) -> Order:
    """Cancels the buyer's own order (see `cancel`) and tells the staff of its line."""
    order = await cancel(session, customer_id, code, telegram_id=telegram_id, now=now)
    await notify_staff.order_cancelled(session, alerts, order, now=now)
    return order


async def recent_orders(
    session: AsyncSession, customer_id: int, *, limit: int = 10
) -> list[tuple[Order, Payment | None]]:
    """The buyer's latest orders, newest first, with their lines and, while payable, their open payment code."""
    stmt = (
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
        .options(ordering.LINES)
    )
    found = list(await session.scalars(stmt))
    return [(o, await payments.pending_payment(session, o) if is_payable(o) else None) for o in found]
