"""After payment: production, ready for pickup, handed over, no-shows and cancellations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Family
from models.errors import (
    AlreadyCancelled,
    AlreadyHandedOver,
    AlreadyInProduction,
    AlreadyReady,
    BalanceDue,
    CannotCancel,
)
from models.order import ActorKind, Fulfilment, Order, OrderStatus
from models.rules.calendar import is_orderable
from models.rules.codes import new_pickup_code
from models.services import catalogue
from models.services.ordering import transition

BUYER_CANCELLABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PARTIALLY_PAID})


def buyer_may_cancel(order: Order, now: datetime) -> bool:
    """A buyer may cancel an unpaid order, or a paid one while its order deadline has not passed.

    Reads the first line's product of a paid bread order: the caller loads the lines with their products.
    """
    if order.status is OrderStatus.AWAITING_PAYMENT:
        return True
    if order.status not in BUYER_CANCELLABLE:
        return False
    if order.family is Family.BREAD and order.lines:
        product = order.lines[0].product
        return is_orderable(now, order.fulfil_date, product.lead_days, catalogue.cutoff_of(product))
    return False


async def cancel_by_buyer(session: AsyncSession, order: Order, *, telegram_id: int, now: datetime) -> Order:
    """Cancels the buyer's own order when the rules allow it; releases capacity."""
    if order.status is OrderStatus.CANCELLED:
        raise AlreadyCancelled(code=order.code)
    if not buyer_may_cancel(order, now):
        raise CannotCancel(status=order.status)
    return await transition(
        session,
        order,
        OrderStatus.CANCELLED,
        actor_kind=ActorKind.CUSTOMER,
        actor_id=telegram_id,
        now=now,
        reason="dibatalkan pembeli",
    )


async def cancel_by_staff(
    session: AsyncSession, order: Order, *, staff_telegram_id: int, reason: str, now: datetime
) -> Order:
    """Cancels an order on the staff's word, with the reason the buyer will read."""
    if order.status is OrderStatus.CANCELLED:
        raise AlreadyCancelled(code=order.code)
    return await transition(
        session,
        order,
        OrderStatus.CANCELLED,
        actor_kind=ActorKind.STAFF,
        actor_id=staff_telegram_id,
        now=now,
        reason=reason.strip()[:300] or "dibatalkan petugas",
    )


async def start_production(
    session: AsyncSession, order: Order, *, staff_telegram_id: int, now: datetime
) -> Order:
    """Marks a paid (or deposit-paid) order as in production."""
    if order.status is OrderStatus.IN_PRODUCTION:
        raise AlreadyInProduction(code=order.code)
    return await transition(
        session,
        order,
        OrderStatus.IN_PRODUCTION,
        actor_kind=ActorKind.STAFF,
        actor_id=staff_telegram_id,
        now=now,
    )


async def mark_ready(session: AsyncSession, order: Order, *, staff_telegram_id: int, now: datetime) -> Order:
    """Marks an order ready for pickup (or out for delivery) and gives it a pickup code."""
    if order.status in (OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY):
        raise AlreadyReady(code=order.code)
    target = OrderStatus.OUT_FOR_DELIVERY if order.fulfilment is Fulfilment.DELIVERY else OrderStatus.READY
    if target is OrderStatus.OUT_FOR_DELIVERY and order.balance_due > 0:
        raise BalanceDue(due=order.balance_due)
    order.pickup_code = order.pickup_code or new_pickup_code()
    return await transition(
        session, order, target, actor_kind=ActorKind.STAFF, actor_id=staff_telegram_id, now=now
    )


async def mark_handed_over(
    session: AsyncSession, order: Order, *, staff_telegram_id: int, now: datetime
) -> Order:
    """Marks an order picked up or delivered; the balance must be paid first."""
    if order.status is OrderStatus.DONE:
        raise AlreadyHandedOver(code=order.code)
    if order.balance_due > 0:
        raise BalanceDue(due=order.balance_due)
    return await transition(
        session, order, OrderStatus.DONE, actor_kind=ActorKind.STAFF, actor_id=staff_telegram_id, now=now
    )


async def mark_no_show(session: AsyncSession, order: Order, *, actor_id: int | None, now: datetime) -> Order:
    """Records that a ready order was not collected."""
    return await transition(
        session,
        order,
        OrderStatus.NO_SHOW,
        actor_kind=ActorKind.SYSTEM if actor_id is None else ActorKind.STAFF,
        actor_id=actor_id,
        now=now,
        reason="tidak diambil",
    )
