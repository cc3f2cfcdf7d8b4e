"""The staff desk: order actions by staff, each checking the role again and telling the buyer.

Every function takes the acting staff member's Telegram id, checks their role with `require_role`
(defence in depth: the handler checked it too), changes the order through the lifecycle services,
and writes the buyer's notice to the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.base import ExecutableOption

from models.audit import AuditEntry
from models.calendar import PickupSlot
from models.errors import FullyPaid, InvalidTransition, NoOpenCode, NotFound
from models.order import Fulfilment, Order, OrderStatus
from models.payment import ConfirmedVia, Payment
from models.people import Role, StaffMember
from models.rules.codes import normalize_order_code
from models.rules.lifecycle import FINAL, OPEN
from models.services import fulfilment, notices, ordering, payments, reports
from models.services import staff as staff_service
from models.services.notices import Wording
from models.services.payments import PaymentPolicy

PAYABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PARTIALLY_PAID})
# What a staff card lists besides the order row: its lines with their products.
CARD: tuple[ExecutableOption, ...] = (ordering.LINES,)


async def require_staff(session: AsyncSession, staff_telegram_id: int) -> StaffMember:
    """The acting staff member (any line, managers and admins too), or NotAllowed."""
    return await staff_service.require_role(session, staff_telegram_id, Role.STAFF)


async def find_order(
    session: AsyncSession, staff_telegram_id: int, code: str, *, load: Sequence[ExecutableOption] = CARD
) -> Order:
    """Any order by its code as staff typed it ("kb 7gq2xm"), loaded for its card unless `load` says; or NotFound."""
    await require_staff(session, staff_telegram_id)
    normalized = normalize_order_code(code)
    if normalized is None:
        raise NotFound(what="order", code=code)
    return await ordering.get_order(session, normalized, load=load)


async def order_by_id(
    session: AsyncSession, staff_telegram_id: int, order_id: int, *, load: Sequence[ExecutableOption] = CARD
) -> Order:
    """Any order by id (from a button), loaded for its card unless `load` says otherwise; or NotFound."""
    await require_staff(session, staff_telegram_id)
    # A query, not `session.get`: that returns an order already in the session as it is, without loading anything.
    order = await session.scalar(select(Order).where(Order.id == order_id).options(*load))
    if order is None:
        raise NotFound(what="order", id=order_id)
    return order


def _audit(session: AsyncSession, actor: int, action: str, order: Order, now: datetime, **detail: object) -> None:
    """Adds an audit entry about an order."""
    session.add(
        AuditEntry(actor_telegram_id=actor, action=action, subject=f"order:{order.code}", detail=detail, at=now)
    )


async def after_payment(
    session: AsyncSession, order: Order, payment: Payment, *, now: datetime, wording: Wording, policy: PaymentPolicy
) -> None:
    """Tells the buyer the money arrived; after a deposit, issues the balance code and sends it along.

    A gateway's balance code has no QR yet (the gateway makes it after this commits): the buyer is asked to
    press "Bayar" for it instead.
    """
    if order.balance_due > 0 and order.status in PAYABLE:
        balance = await payments.issue_payment(session, order, policy, now=now)
        kind = notices.PAID_PARTIAL if balance.payload else notices.PAID_PARTIAL_ASK
        await notices.notify_buyer(
            session, order, kind, wording=wording, now=now, key=str(payment.id),
            extra={"amount": payment.payable_amount, "balance": order.balance_due},
            qr_payment=balance if balance.payload else None,
        )
        return
    await notices.notify_buyer(
        session, order, notices.PAID, wording=wording, now=now, key=str(payment.id),
        extra={"amount": payment.payable_amount},
    )


async def confirm_payment(
    session: AsyncSession,
    payment_id: int,
    *,
    staff_telegram_id: int,
    now: datetime,
    wording: Wording,
    policy: PaymentPolicy,
    via: ConfirmedVia = ConfirmedVia.STAFF,
    reference: str | None = None,
    received: int | None = None,
) -> tuple[Order, Payment]:
    """Confirms a payment seen in the merchant app (or in its statement, `via`); a second confirmation raises
    AlreadyDone. The buyer is told, and gets the next code when a balance is left."""
    await require_staff(session, staff_telegram_id)
    payment = await payments.get_payment(session, payment_id)
    order = await payments.confirm_payment(
        session, payment, staff_telegram_id=staff_telegram_id, now=now, via=via, reference=reference,
        received=received,
    )
    action = "payment.statement" if via is ConfirmedVia.STATEMENT else "payment.confirm"
    _audit(session, staff_telegram_id, action, order, now, payment_id=payment.id, amount=payment.amount,
           unique_code=payment.unique_code, reference=payment.reference)
    await after_payment(session, order, payment, now=now, wording=wording, policy=policy)
    await session.flush()
    return order, payment


async def confirm_by_code(
    session: AsyncSession,
    code: str,
    *,
    staff_telegram_id: int,
    now: datetime,
    wording: Wording,
    policy: PaymentPolicy,
) -> tuple[Order, Payment]:
    """Confirms the open payment code of an order (`/bayar KODE`)."""
    order = await find_order(session, staff_telegram_id, code, load=())
    payment = await payments.pending_payment(session, order)
    if payment is None:
        if order.balance_due == 0:
            raise FullyPaid(code=order.code)
        raise NoOpenCode(code=order.code, status=order.status)
    return await confirm_payment(
        session, payment.id, staff_telegram_id=staff_telegram_id, now=now, wording=wording, policy=policy
    )


async def receive_cash(
    session: AsyncSession,
    order_id: int,
    *,
    staff_telegram_id: int,
    now: datetime,
    wording: Wording,
    policy: PaymentPolicy,
) -> tuple[Order, Payment]:
    """Records the whole balance paid in cash at the counter; open QRIS codes of the order are withdrawn."""
    order = await order_by_id(session, staff_telegram_id, order_id, load=())
    if order.balance_due == 0:
        raise FullyPaid(code=order.code)
    payment = await payments.take_cash(
        session, order, order.balance_due, staff_telegram_id=staff_telegram_id, now=now
    )
    order = payment.order
    _audit(session, staff_telegram_id, "payment.cash", order, now, payment_id=payment.id, amount=payment.amount)
    await notices.notify_buyer(
        session, order, notices.PAID, wording=wording, now=now, key=str(payment.id),
        extra={"amount": payment.payable_amount},
    )
    return order, payment


async def reject_proof(
    session: AsyncSession, payment_id: int, *, staff_telegram_id: int, now: datetime, wording: Wording, reason: str
) -> tuple[Order, Payment]:
    """Records that no money matches a buyer's proof and tells the buyer; the code stays payable."""
    await require_staff(session, staff_telegram_id)
    payment = await payments.get_payment(session, payment_id)
    await payments.reject_proof(session, payment, staff_telegram_id=staff_telegram_id, reason=reason)
    order = payment.order
    _audit(session, staff_telegram_id, "payment.proof_rejected", order, now, payment_id=payment.id)
    await notices.notify_buyer(
        session, order, notices.PROOF_REJECTED, wording=wording, now=now,
        key=f"{payment.id}:{int(now.timestamp())}", extra={"amount": payment.payable_amount},
    )
    return order, payment


async def start_production(session: AsyncSession, order_id: int, *, staff_telegram_id: int, now: datetime) -> Order:
    """Marks a paid order as in production (no buyer notice: nothing for them to do)."""
    order = await order_by_id(session, staff_telegram_id, order_id, load=())
    return await fulfilment.start_production(session, order, staff_telegram_id=staff_telegram_id, now=now)


async def mark_ready(
    session: AsyncSession, order_id: int, *, staff_telegram_id: int, now: datetime, wording: Wording
) -> Order:
    """Marks an order ready for pickup (or out for delivery) and sends the buyer the pickup code.

    The order comes back with its customer: the answer to staff says whether the buyer can be reached by chat.
    """
    order = await order_by_id(session, staff_telegram_id, order_id, load=(joinedload(Order.customer),))
    order = await fulfilment.mark_ready(session, order, staff_telegram_id=staff_telegram_id, now=now)
    kind = notices.OUT_FOR_DELIVERY if order.fulfilment is Fulfilment.DELIVERY else notices.READY
    await notices.notify_buyer(session, order, kind, wording=wording, now=now)
    return order


async def hand_over(session: AsyncSession, order_id: int, *, staff_telegram_id: int, now: datetime) -> Order:
    """Marks an order picked up or delivered; the balance must be paid first."""
    order = await order_by_id(session, staff_telegram_id, order_id, load=())
    return await fulfilment.mark_handed_over(session, order, staff_telegram_id=staff_telegram_id, now=now)


async def cancel(
    session: AsyncSession, order_id: int, reason: str, *, staff_telegram_id: int, now: datetime, wording: Wording
) -> Order:
    """Cancels an order with the reason the buyer reads; capacity goes back."""
    order = await order_by_id(session, staff_telegram_id, order_id, load=())
    order = await fulfilment.cancel_by_staff(
        session, order, staff_telegram_id=staff_telegram_id, reason=reason, now=now
    )
    await payments.retire_open_codes(session, order, note=f"order cancelled by {staff_telegram_id}")
    await notices.notify_buyer(
        session, order, notices.CANCELLED, wording=wording, now=now, extra={"reason": order.cancel_reason or ""}
    )
    return order


async def expire_unpaid(session: AsyncSession, *, now: datetime, wording: Wording) -> list[Order]:
    """Expires unpaid orders past their deadline (capacity goes back) and tells each buyer."""
    expired = await payments.expire_due(session, now=now)
    for order in expired:
        await notices.notify_buyer(session, order, notices.EXPIRED, wording=wording, now=now)
    return expired


@dataclass(frozen=True)
class OrderView:
    """An order with what its staff card needs: the open payment code and the pickup slot."""

    order: Order
    pending: Payment | None
    slot: PickupSlot | None


async def view_of(session: AsyncSession, order: Order) -> OrderView:
    """The card data of an order (the caller has checked the role)."""
    slot = await session.get(PickupSlot, order.slot_id) if order.slot_id is not None else None
    return OrderView(order, await payments.pending_payment(session, order), slot)


async def todays_pickups(session: AsyncSession, staff_telegram_id: int, day: date) -> list[OrderView]:
    """Orders to hand out on `day`, paid or not (cancelled and expired ones left out), by slot and code."""
    await require_staff(session, staff_telegram_id)
    return await pickups_on(session, day)


async def pickups_on(session: AsyncSession, day: date) -> list[OrderView]:
    """Orders handed out on `day` by slot and code, with lines and products, for scheduled jobs (no actor check)."""
    shown = [*OPEN, OrderStatus.DONE, OrderStatus.NO_SHOW]
    stmt = select(Order).where(Order.fulfil_date == day, Order.status.in_(shown)).options(ordering.LINES)
    orders = list(await session.scalars(stmt))
    views = [await view_of(session, o) for o in orders]
    views.sort(key=lambda v: (v.slot is None, v.slot.starts_at if v.slot else None, v.order.code))
    return views


async def card(session: AsyncSession, staff_telegram_id: int, order_id: int) -> OrderView:
    """An order's staff card (role checked; lines with their products)."""
    return await view_of(session, await order_by_id(session, staff_telegram_id, order_id))


async def card_by_code(session: AsyncSession, staff_telegram_id: int, code: str) -> OrderView:
    """An order's staff card by the code staff typed (role checked)."""
    return await view_of(session, await find_order(session, staff_telegram_id, code))


async def start_cancelling(session: AsyncSession, staff_telegram_id: int, order_id: int) -> Order:
    """The order staff want to cancel, checked to be still cancellable (the reason is asked next)."""
    order = await order_by_id(session, staff_telegram_id, order_id)
    if order.status in FINAL:
        raise InvalidTransition(code=order.code, current=order.status, target=OrderStatus.CANCELLED)
    return order


async def production_sheet(session: AsyncSession, staff_telegram_id: int, day: date) -> reports.ProductionSheet:
    """The bakery's production sheet of a day, for staff (role checked)."""
    await require_staff(session, staff_telegram_id)
    return await reports.production_sheet(session, day)
