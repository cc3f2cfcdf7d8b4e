"""Placing, changing and cancelling orders under every acceptance rule of the domain."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from models import events
from models.calendar import PickupSlot
from models.catalog import Family, Product
from models.errors import (
    AboveMaximum,
    BelowMinimum,
    CodeSpaceExhausted,
    EmptyOrder,
    MixedFamilies,
    NotFound,
    PickupDateMissing,
    TooLarge,
    TooSoon,
    ZeroOrNegative,
)
from models.order import ActorKind, Fulfilment, Order, OrderLine, OrderSource, OrderStatus, StatusChange
from models.people import StaffMember
from models.rules.calendar import ensure_orderable, to_wib
from models.rules.codes import new_order_code
from models.rules.lifecycle import HOLDS_CAPACITY, check_move
from models.services import catalogue, ledger

MAX_LINE_QTY = 1_000_000

# An order's lines with their products, which every screen, card and alert about an order lists: one more
# statement per query (the lines joined to their products), whatever the number of orders it returns.
LINES: ExecutableOption = selectinload(Order.lines).joinedload(OrderLine.product)


@dataclass(frozen=True)
class LineRequest:
    """A product and how many units of it."""

    product_id: int
    quantity: int
    area_m2: Decimal | None = None


@dataclass(frozen=True)
class OrderRequest:
    """Everything needed to place one order for one fulfilment date."""

    customer_id: int
    lines: Sequence[LineRequest]
    fulfil_date: date | None = None
    slot_id: int | None = None
    fulfilment: Fulfilment = Fulfilment.PICKUP
    delivery_address: str | None = None
    delivery_lat: Decimal | None = None
    delivery_lon: Decimal | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    note: str | None = None
    source: OrderSource = OrderSource.BOT
    checkout_key: str | None = None
    placed_by_staff_id: int | None = None


@dataclass(frozen=True)
class OrderPolicy:
    """Configurable money and time rules applied when an order is placed."""

    payment_timeout: timedelta = timedelta(minutes=60)
    paving_deposit_pct: int = 50
    qris_max_amount: int = 10_000_000
    large_order_deposit_pct: int = 50
    code_factory: Callable[[], str] = field(default=new_order_code)


def check_quantity(product: Product, qty: int) -> None:
    """Raises unless `qty` is a whole number within the product's minimum and maximum."""
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
        raise ZeroOrNegative(reason="zero_or_negative")
    if qty > MAX_LINE_QTY:
        raise TooLarge(reason="too_large", maximum=MAX_LINE_QTY)
    if qty < product.min_qty:
        raise BelowMinimum(minimum=product.min_qty, sku=product.sku, unit=product.unit)
    if product.max_qty is not None and qty > product.max_qty:
        raise AboveMaximum(maximum=product.max_qty, sku=product.sku, unit=product.unit)


def deposit_for(total: int, products: Sequence[Product], policy: OrderPolicy) -> int:
    """The deposit an order needs first (0 when it is paid in one go)."""
    pct = max((p.deposit_pct or 0) for p in products)
    if any(p.family is Family.PAVING for p in products):
        pct = max(pct, policy.paving_deposit_pct)
    if total > policy.qris_max_amount and not 0 < pct < 100:
        pct = policy.large_order_deposit_pct
    if not 0 < pct < 100:
        return 0
    return min(math.ceil(total * pct / 100), policy.qris_max_amount)


async def _check_date(session: AsyncSession, product: Product, req: OrderRequest, now: datetime) -> date:
    """Checks and returns the fulfilment date for one product."""
    if product.family is Family.BREAD:
        if req.fulfil_date is None:
            raise PickupDateMissing()
        calendar = await catalogue.load_calendar(session, product.family)
        ensure_orderable(now, req.fulfil_date, calendar, product.lead_days, catalogue.cutoff_of(product))
        return req.fulfil_date
    qty = sum(line.quantity for line in req.lines if line.product_id == product.id)
    earliest = await catalogue.earliest_ready_date(session, product, qty, now)
    if product.is_stock_item:
        earliest = to_wib(now).date()
    if req.fulfil_date is None:
        return earliest
    if req.fulfil_date < earliest:
        raise TooSoon(earliest=earliest)
    calendar = await catalogue.load_calendar(session, product.family)
    if not calendar.is_production_day(req.fulfil_date):
        return calendar.next_production_days(req.fulfil_date, 1)[0]
    return req.fulfil_date


_CODE_TAKEN = select(Order.id).where(Order.code == bindparam("code"))


async def _new_code(session: AsyncSession, policy: OrderPolicy) -> str:
    """Draws order codes until one is unused."""
    for _ in range(20):
        code = policy.code_factory()
        if await session.scalar(_CODE_TAKEN, {"code": code}) is None:
            return code
    raise CodeSpaceExhausted()


async def place_order(
    session: AsyncSession, req: OrderRequest, *, now: datetime, policy: OrderPolicy | None = None,
    key_unused: bool = False,
) -> Order:
    """Places one order, reserving capacity, slot and stock; the same checkout key returns the same order.

    `key_unused`: the caller has just checked that no order carries the checkout key (checkout does, for all the
    orders of one summary at once), so it is not looked up again. The order comes back with its lines and their
    products loaded (a new one from memory, a replayed one by query).
    """
    policy = policy or OrderPolicy()
    if req.checkout_key and not key_unused:
        existing = await session.scalar(
            select(Order).where(Order.checkout_key == req.checkout_key).options(LINES)
        )
        if existing is not None:
            return existing
    if not req.lines:
        raise EmptyOrder()
    products = {line.product_id: await catalogue.get_product(session, line.product_id) for line in req.lines}
    families = {p.family for p in products.values()}
    if len(families) != 1:
        raise MixedFamilies()
    family = families.pop()
    for line in req.lines:
        check_quantity(products[line.product_id], line.quantity)
    days = {await _check_date(session, p, req, now) for p in products.values()}
    fulfil_date = max(days)
    for line in req.lines:
        product = products[line.product_id]
        if family is Family.BREAD:
            await ledger.reserve_capacity(session, product, fulfil_date, line.quantity)
        await ledger.take_stock(session, product, line.quantity)
    if req.slot_id is not None:
        slot = await session.get(PickupSlot, req.slot_id)
        if slot is None or not slot.active or slot.family is not family:
            raise NotFound(what="slot", slot_id=req.slot_id)
        await ledger.reserve_slot(session, slot, fulfil_date)
    staff_telegram_id = (
        await session.scalar(select(StaffMember.telegram_id).where(StaffMember.id == req.placed_by_staff_id))
        if req.placed_by_staff_id
        else None
    )
    lines = [
        OrderLine(
            product=products[line.product_id],  # already loaded: the new line can be shown without a query
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=products[line.product_id].price,
            line_total=products[line.product_id].price * line.quantity,
            area_m2=line.area_m2,
        )
        for line in req.lines
    ]
    total = sum(line.line_total for line in lines)
    order = Order(
        code=await _new_code(session, policy),
        customer_id=req.customer_id,
        family=family,
        status=OrderStatus.AWAITING_PAYMENT,
        source=req.source,
        fulfilment=req.fulfilment,
        fulfil_date=fulfil_date,
        slot_id=req.slot_id,
        total=total,
        deposit_amount=deposit_for(total, list(products.values()), policy),
        paid_amount=0,
        delivery_address=req.delivery_address,
        delivery_lat=req.delivery_lat,
        delivery_lon=req.delivery_lon,
        contact_name=req.contact_name,
        contact_phone=req.contact_phone,
        note=req.note,
        checkout_key=req.checkout_key,
        placed_by_staff_id=req.placed_by_staff_id,
        expires_at=now + policy.payment_timeout,
        created_at=now,
        lines=lines,
        history=[
            StatusChange(
                from_status=None,
                to_status=OrderStatus.AWAITING_PAYMENT,
                actor_kind=ActorKind.STAFF if staff_telegram_id else ActorKind.CUSTOMER,
                actor_id=staff_telegram_id or req.customer_id,
                reason=req.source.value,
                at=now,
            )
        ],
    )
    session.add(order)
    await session.flush()
    events.record(session, events.OrderPlaced(family))
    return order


async def release_holdings(session: AsyncSession, order: Order) -> None:
    """Gives back the capacity, slot place and stock an order held.

    Reads the lines with their products itself (one statement), so callers need not have loaded them.
    """
    lines = await session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).options(joinedload(OrderLine.product))
    )
    for line in lines:
        if order.family is Family.BREAD:
            await ledger.release_capacity(session, line.product, order.fulfil_date, line.quantity)
        await ledger.return_stock(session, line.product, line.quantity)
    if order.slot_id is not None:
        await ledger.release_slot(session, order.slot_id, order.fulfil_date)


async def transition(
    session: AsyncSession,
    order: Order,
    target: OrderStatus,
    *,
    actor_kind: ActorKind,
    actor_id: int | None,
    now: datetime,
    reason: str | None = None,
) -> Order:
    """Moves an order to `target` if legal, records who/when/why, and releases holdings on cancel or expiry."""
    current = order.status
    check_move(current, target)
    if target in (OrderStatus.CANCELLED, OrderStatus.EXPIRED) and current in HOLDS_CAPACITY:
        await release_holdings(session, order)
    order.status = target
    if target is OrderStatus.CANCELLED:
        order.cancel_reason = reason
    # Added through the session, not `order.history.append`: the history need not be loaded to grow (the
    # backref still appends to it when some query did load it).
    session.add(
        StatusChange(
            order=order,
            from_status=current,
            to_status=target,
            actor_kind=actor_kind,
            actor_id=actor_id,
            reason=reason,
            at=now,
        )
    )
    await session.flush()
    return order


async def get_order(session: AsyncSession, code: str, *, load: Sequence[ExecutableOption] = (LINES,)) -> Order:
    """An order by its code (or NotFound), its lines and their products loaded unless `load` says otherwise."""
    order = await session.scalar(select(Order).where(Order.code == code.strip().upper()).options(*load))
    if order is None:
        raise NotFound(what="order", code=code)
    return order


async def get_customer_order(
    session: AsyncSession, customer_id: int, code: str, *, load: Sequence[ExecutableOption] = (LINES,)
) -> Order:
    """The buyer's own order by code (another buyer's is "not found"), lines and products loaded unless `load` says."""
    order = await session.scalar(
        select(Order).where(Order.code == code.strip().upper(), Order.customer_id == customer_id).options(*load)
    )
    if order is None:
        raise NotFound(what="order", code=code)
    return order


async def list_customer_orders(session: AsyncSession, customer_id: int, *, limit: int = 10) -> list[Order]:
    """The buyer's most recent orders, newest first (the order rows only: the list shows code, date, status)."""
    stmt = (
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(stmt))


async def customer_order_with_slot(
    session: AsyncSession, customer_id: int, code: str
) -> tuple[Order, PickupSlot | None]:
    """The buyer's own order by code (lines with products) with its pickup slot (None for orders without one)."""
    order = await get_customer_order(session, customer_id, code)
    return order, await session.get(PickupSlot, order.slot_id) if order.slot_id else None
