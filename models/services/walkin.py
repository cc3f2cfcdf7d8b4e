"""Orders staff record for buyers outside Telegram (walk-in, phone, Instagram), under the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Product
from models.errors import DomainError, FormOutOfStep, NameMissing
from models.order import Order, OrderSource, OrderStatus
from models.payment import Payment
from models.people import Customer, Role
from models.rules.phone import normalize_phone
from models.services import demand, ordering, payments
from models.services import staff as staff_service
from models.services.ordering import LineRequest, OrderPolicy, OrderRequest
from models.services.payments import PaymentPolicy


@dataclass(frozen=True)
class WalkInOrder:
    """What staff typed for a buyer at the counter, on the phone or by Instagram DM."""

    source: OrderSource
    product_id: int
    quantity: int
    fulfil_date: date | None
    slot_id: int | None
    name: str
    phone: str
    cash: bool


async def _contact_customer(session: AsyncSession, name: str, phone: str) -> Customer:
    """The customer row of an off-Telegram buyer, found by phone (they have no Telegram id)."""
    customer = await session.scalar(
        select(Customer).where(
            Customer.phone == phone, Customer.telegram_id.is_(None), Customer.pseudonymised.is_(False)
        )
    )
    if customer is None:
        customer = Customer(telegram_id=None, name=name, phone=phone, language="id")
        session.add(customer)
        await session.flush()
    return customer


async def record_order(
    session: AsyncSession,
    request: WalkInOrder,
    *,
    staff_telegram_id: int,
    now: datetime,
    order_policy: OrderPolicy,
    payment_policy: PaymentPolicy,
    checkout_key: str | None = None,
) -> tuple[Order, Payment | None]:
    """Places the order (same capacity, cut-off and stock rules), then takes cash or issues a QRIS code."""
    member = await staff_service.require_role(session, staff_telegram_id, Role.STAFF)
    if request.source is OrderSource.BOT:
        raise FormOutOfStep()
    name = " ".join(request.name.split())[:128]
    if not name:
        raise NameMissing()
    phone = normalize_phone(request.phone)
    customer = await _contact_customer(session, name, phone)
    order = await ordering.place_order(
        session,
        OrderRequest(
            customer_id=customer.id,
            lines=[LineRequest(request.product_id, request.quantity)],
            fulfil_date=request.fulfil_date,
            slot_id=request.slot_id,
            contact_name=name,
            contact_phone=phone,
            source=request.source,
            checkout_key=checkout_key,
            placed_by_staff_id=member.id,
        ),
        now=now,
        policy=order_policy,
    )
    if order.paid_amount > 0 or order.status is not OrderStatus.AWAITING_PAYMENT:
        return order, None  # the same checkout key pressed twice: already recorded
    if request.cash:
        amount = order.deposit_amount or order.total
        order = await payments.record_cash_payment(
            session, order, amount, staff_telegram_id=staff_telegram_id, now=now
        )
        return order, None
    return order, await payments.issue_payment(session, order, payment_policy, now=now)


@dataclass(frozen=True)
class Refused:
    """A walk-in order the rules refused; the refused demand is recorded, nothing else changed."""

    cause: DomainError


async def save(
    session: AsyncSession,
    request: WalkInOrder,
    *,
    staff_telegram_id: int,
    now: datetime,
    order_policy: OrderPolicy,
    payment_policy: PaymentPolicy,
    checkout_key: str,
) -> tuple[Order, Payment | None] | Refused:
    """Records the order once (see `record_order`); a refusal that turned demand away is counted and returned."""
    try:
        async with session.begin_nested():
            return await record_order(
                session, request, staff_telegram_id=staff_telegram_id, now=now, order_policy=order_policy,
                payment_policy=payment_policy, checkout_key=checkout_key,
            )
    except DomainError as exc:
        if not demand.is_refused_demand(exc):
            raise
        product = await session.get(Product, request.product_id)
        await demand.record_refusal(
            session, reason=exc.code, sku=product.sku if product else "?", quantity=request.quantity,
            day=request.fulfil_date, now=now, actor_telegram_id=staff_telegram_id,
        )
        return Refused(exc)
