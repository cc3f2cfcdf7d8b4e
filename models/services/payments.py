"""The payment lifecycle: QRIS codes per instalment, staff confirmation, proofs, and expiry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import events, qris
from models.errors import (
    AlreadyPaid,
    BadCashAmount,
    ExceedsBalance,
    FullyPaid,
    NotFound,
    OrderClosed,
    OrderExpired,
    PaymentNotPending,
    ProofAlreadyDecided,
)
from models.order import ActorKind, Order, OrderStatus
from models.payment import UNIQUE_CODE_MAX, ConfirmedVia, Payment, PaymentKind, PaymentMethod, PaymentState
from models.services import gateway_codes, unique_amounts
from models.services.gateway import STATIC_QRIS
from models.services.ordering import transition
from models.services.unique_amounts import CodePicker

PayloadBuilder = Callable[[int, str], str]


# The reasons this module gives an order's status changes; the audit trail reads them back (services/admin.py).
TIMEOUT_REASON = "payment timeout"
PAID_REASON = re.compile(rf"payment ({'|'.join(kind.value for kind in PaymentKind)}) Rp(\d+)")


def paid_reason(payment: Payment) -> str:
    """The reason of the status change a payment caused: "payment full Rp42000" (PAID_REASON reads it)."""
    return f"payment {payment.kind.value} Rp{payment.amount}"


@dataclass(frozen=True)
class PaymentPolicy:
    """How payment codes are made and how long they stay valid."""

    merchant_payload: str
    timeout: timedelta = timedelta(minutes=60)
    max_amount: int = 10_000_000
    unique_codes: bool = False  # QRIS_UNIQUE_CODE: 1..999 rupiah added to each open code, no two amounts alike
    pick_code: CodePicker = field(default=unique_amounts.random_code, compare=False)
    provider: str = STATIC_QRIS  # PAYMENT_PROVIDER: who makes the code (models/services/gateway.py)

    @property
    def by_gateway(self) -> bool:
        """True when a gateway makes the codes over HTTP after the payment is committed (no payload at issue)."""
        return self.provider != STATIC_QRIS

    @property
    def instalment_cap(self) -> int:
        """The largest instalment: the QRIS limit, less room for the largest unique code when codes are on."""
        return self.max_amount - (UNIQUE_CODE_MAX if self.unique_codes else 0)

    def build(self, amount: int, bill_number: str) -> str:
        """The dynamic QRIS payload for an exact amount with the order code as bill number."""
        return qris.to_dynamic(self.merchant_payload, amount, bill_number=bill_number.replace("-", ""))


def next_instalment(order: Order, max_amount: int) -> tuple[PaymentKind, int] | None:
    """The next payment an order needs: deposit first, then the balance in chunks within the QRIS limit."""
    due = order.total - order.paid_amount
    if due <= 0:
        return None
    if order.paid_amount == 0 and order.deposit_amount > 0:
        return PaymentKind.DEPOSIT, order.deposit_amount
    if order.paid_amount == 0:
        return PaymentKind.FULL, min(due, max_amount)
    return PaymentKind.BALANCE, min(due, max_amount)


async def pending_payment(session: AsyncSession, order: Order) -> Payment | None:
    """The order's open payment code, if any."""
    return await session.scalar(
        select(Payment)
        .where(Payment.order_id == order.id, Payment.state == PaymentState.PENDING)
        .order_by(Payment.id.desc())
    )


async def _lock_order(session: AsyncSession, order: Order) -> None:
    """Locks the order row until commit and re-reads what a concurrent unit of work may have changed.

    Two staff confirming the same code, the expiry job and a confirmation, or a double-tapped "Bayar"
    then queue on the order instead of acting on a stale read (SQLite already serializes writers).
    """
    await session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    await session.refresh(order, ["status", "paid_amount", "total", "expires_at"])


def _ensure_open(order: Order) -> None:
    """Refuses money for an order that can no longer take it."""
    if order.status in (OrderStatus.CANCELLED, OrderStatus.NO_SHOW):
        raise OrderClosed(status=order.status)
    if order.status is OrderStatus.EXPIRED:
        raise OrderExpired(status=order.status)


def bill_number_for(order_code: str, kind: PaymentKind, instalment: int) -> str:
    """The bill number a payment code carries: the order code, plus DP or L<n> so instalments differ in the app."""
    base = order_code.replace("-", "")
    if kind is PaymentKind.DEPOSIT:
        return f"{base}DP"
    if kind is PaymentKind.BALANCE:
        return f"{base}L{instalment}"
    return base


async def _paid_count(session: AsyncSession, order: Order) -> int:
    """How many payments of the order are already paid."""
    paid = await session.scalars(
        select(Payment.id).where(Payment.order_id == order.id, Payment.state == PaymentState.PAID)
    )
    return len(list(paid))


async def issue_payment(session: AsyncSession, order: Order, policy: PaymentPolicy, *, now: datetime) -> Payment:
    """Creates (or returns the open) payment code for the order's next instalment; a new one knows its order."""
    await _lock_order(session, order)
    _ensure_open(order)
    open_payment = await pending_payment(session, order)
    if open_payment is not None:
        return open_payment
    step = next_instalment(order, policy.instalment_cap)
    if step is None:
        raise FullyPaid(code=order.code)
    return await _add_payment(session, order, step, await _paid_count(session, order), policy, now)


async def issue_first_payment(session: AsyncSession, order: Order, policy: PaymentPolicy, *, now: datetime) -> Payment:
    """The first payment code of an order placed in this same unit of work (nothing to lock or re-read yet)."""
    step = next_instalment(order, policy.instalment_cap)
    if step is None:
        raise FullyPaid(code=order.code)
    return await _add_payment(session, order, step, 0, policy, now)


async def _add_payment(
    session: AsyncSession, order: Order, step: tuple[PaymentKind, int], paid_before: int, policy: PaymentPolicy,
    now: datetime,
) -> Payment:
    """Adds the payment code of one instalment (`paid_before`: how many of the order's payments are paid).

    With unique codes on, the QR asks for the instalment plus a code no other open code's amount uses.
    """
    kind, amount = step
    bill_number = bill_number_for(order.code, kind, paid_before)
    if policy.by_gateway:
        expires_at = order.expires_at if kind is not PaymentKind.BALANCE else now + policy.timeout
        return await gateway_codes.add_payment(
            session, order, kind, amount, bill_number, provider=policy.provider, expires_at=expires_at, now=now
        )

    def make(code: int) -> Payment:
        """The payment row for the instalment with `code` rupiah added."""
        return Payment(
            order=order,  # in memory: `payment.order` needs no query
            order_id=order.id,
            kind=kind,
            method=PaymentMethod.QRIS,
            amount=amount,
            unique_code=code,
            payable_amount=amount + code,
            payload=policy.build(amount + code, bill_number),
            state=PaymentState.PENDING,
            expires_at=order.expires_at if kind is not PaymentKind.BALANCE else now + policy.timeout,
            created_at=now,
        )

    if policy.unique_codes:
        return await unique_amounts.add_coded(
            session, make, amount, max_amount=policy.max_amount, pick=policy.pick_code
        )
    payment = make(0)
    session.add(payment)
    await session.flush()
    return payment


async def get_payment(session: AsyncSession, payment_id: int) -> Payment:
    """A payment by id with its order (joined in the same statement), or NotFound."""
    payment = await session.scalar(select(Payment).where(Payment.id == payment_id).options(joinedload(Payment.order)))
    if payment is None:
        raise NotFound(what="payment", id=payment_id)
    return payment


async def confirm_payment(
    session: AsyncSession,
    payment: Payment,
    *,
    staff_telegram_id: int | None,
    now: datetime,
    method: PaymentMethod | None = None,
    via: ConfirmedVia = ConfirmedVia.STAFF,
    reference: str | None = None,
    received: int | None = None,
) -> Order:
    """Marks a payment as received and moves the order on; a second confirmation raises AlreadyDone.

    The one place a payment becomes paid, however it became known (`via`: by hand, from a statement row whose
    `reference` is kept, from a gateway's status API with the transaction id as reference and no staff id). Only
    the instalment's `amount` counts toward the order; its unique code does not. When
    the money `received` is known to be the instalment without its code (a statement row matched by its bill
    number), the payment records that no code was paid, so reports do not count one.
    `payment.order` must be loaded (`get_payment` and the payments made here load it).
    """
    order = payment.order
    await _lock_order(session, order)
    await session.refresh(payment, ["state"])
    if payment.state is PaymentState.PAID:
        raise AlreadyPaid(payment_id=payment.id)
    if payment.state is not PaymentState.PENDING and payment.state is not PaymentState.EXPIRED:
        raise PaymentNotPending(state=payment.state)
    _ensure_open(order)
    if order.paid_amount >= order.total:
        raise FullyPaid(code=order.code)
    if order.paid_amount + payment.amount > order.total:
        raise ExceedsBalance(due=order.total - order.paid_amount, amount=payment.amount)
    payment.state = PaymentState.PAID
    payment.paid_at = now
    payment.confirmed_by = staff_telegram_id
    payment.confirmed_via = via
    if reference:
        payment.reference = reference[:64]
    if received is not None and received == payment.amount and payment.unique_code:
        payment.unique_code, payment.payable_amount = 0, payment.amount  # paid without its unique code
    if method is not None:
        payment.method = method
    order.paid_amount += payment.amount
    target = OrderStatus.PAID if order.paid_amount >= order.total else OrderStatus.PARTIALLY_PAID
    if order.status is not target and order.status in (
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PARTIALLY_PAID,
    ):
        await transition(
            session,
            order,
            target,
            actor_kind=ActorKind.STAFF if staff_telegram_id is not None else ActorKind.SYSTEM,
            actor_id=staff_telegram_id,
            now=now,
            reason=paid_reason(payment),
        )
    order.expires_at = None
    await session.flush()
    events.record(session, events.PaymentConfirmed(payment.method or PaymentMethod.QRIS))
    return order


async def attach_proof(session: AsyncSession, payment: Payment, file_id: str) -> Payment:
    """Keeps the buyer's proof-of-payment photo on the payment for staff to check."""
    if payment.state is not PaymentState.PENDING:
        raise PaymentNotPending(state=payment.state)
    payment.proof_file_id = file_id
    await session.flush()
    return payment


async def reject_proof(session: AsyncSession, payment: Payment, *, staff_telegram_id: int, reason: str) -> Payment:
    """Records that staff found no money for a proof; the code stays payable until it expires."""
    if payment.state is not PaymentState.PENDING:
        raise ProofAlreadyDecided(state=payment.state)
    payment.proof_file_id = None
    payment.note = f"proof rejected by {staff_telegram_id}: {reason}"
    await session.flush()
    return payment


async def expire_due(session: AsyncSession, *, now: datetime) -> list[Order]:
    """Expires unpaid orders past their deadline, releasing capacity; returns the orders expired (rows only)."""
    orders = list(
        await session.scalars(
            select(Order)
            .where(
                Order.status == OrderStatus.AWAITING_PAYMENT,
                Order.expires_at.is_not(None),
                Order.expires_at <= now,
            )
            .with_for_update(of=Order)
        )
    )
    for order in orders:
        await transition(
            session,
            order,
            OrderStatus.EXPIRED,
            actor_kind=ActorKind.SYSTEM,
            actor_id=None,
            now=now,
            reason=TIMEOUT_REASON,
        )
        for payment in await session.scalars(
            select(Payment).where(Payment.order_id == order.id, Payment.state == PaymentState.PENDING)
        ):
            payment.state = PaymentState.EXPIRED
    # Balance codes of orders already under way expire too; the order stays, a new code is issued on request.
    for payment in await session.scalars(
        select(Payment).where(
            Payment.state == PaymentState.PENDING,
            Payment.kind == PaymentKind.BALANCE,
            Payment.expires_at.is_not(None),
            Payment.expires_at <= now,
        )
    ):
        payment.state = PaymentState.EXPIRED
    await session.flush()
    return orders


async def retire_open_codes(session: AsyncSession, order: Order, *, note: str) -> None:
    """Makes the order's open payment codes unpayable (a gateway's are then cancelled there too)."""
    for payment in await session.scalars(
        select(Payment).where(Payment.order_id == order.id, Payment.state == PaymentState.PENDING)
    ):
        payment.state = PaymentState.EXPIRED
        payment.note = note
    await session.flush()


async def record_cash_payment(
    session: AsyncSession, order: Order, amount: int, *, staff_telegram_id: int, now: datetime
) -> Order:
    """Records cash paid at the counter for a walk-in order (at most what is still due)."""
    return (await take_cash(session, order, amount, staff_telegram_id=staff_telegram_id, now=now)).order


async def take_cash(
    session: AsyncSession, order: Order, amount: int, *, staff_telegram_id: int, now: datetime
) -> Payment:
    """Records cash paid at the counter (1 up to what is still due) and returns the confirmed payment.

    Open QRIS codes of the order are retired: their amounts no longer match what is due.
    """
    await _lock_order(session, order)
    _ensure_open(order)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= order.balance_due:
        raise BadCashAmount(amount=amount, due=order.balance_due)
    for stale in await session.scalars(
        select(Payment).where(Payment.order_id == order.id, Payment.state == PaymentState.PENDING)
    ):
        stale.state = PaymentState.EXPIRED
        stale.note = f"superseded by cash received by {staff_telegram_id}"
    if order.paid_amount > 0:
        kind = PaymentKind.BALANCE
    else:
        kind = PaymentKind.FULL if amount >= order.total else PaymentKind.DEPOSIT
    payment = Payment(
        order=order,  # in memory: `confirm_payment` reads `payment.order` without a query
        order_id=order.id,
        kind=kind,
        method=PaymentMethod.CASH,
        amount=amount,
        state=PaymentState.PENDING,
        created_at=now,
    )
    session.add(payment)
    await session.flush()
    await confirm_payment(session, payment, staff_telegram_id=staff_telegram_id, now=now)
    return payment
