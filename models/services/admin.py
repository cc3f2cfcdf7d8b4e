"""Manager changes to the catalogue and calendar, and the audit trail of an order.

Every change checks the manager role here (not only in the handler) and is recorded with who and when.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.calendar import DayCapacity, Holiday
from models.catalog import Family, Product
from models.errors import (
    AlreadySet,
    BadAmount,
    BadPrice,
    BelowCommitted,
    CannotRemoveSelf,
    HolidayExists,
    NoDailyCapacity,
    NoStockForBread,
    NotFound,
    RoleRequired,
)
from models.order import ActorKind, Order, OrderSource, OrderStatus, StatusChange
from models.payment import Payment, PaymentKind, PaymentMethod
from models.people import Role, StaffMember
from models.rules.codes import normalize_order_code
from models.rules.lifecycle import OPEN
from models.services import catalogue, ordering, payments, weekly
from models.services import staff as staff_service

MAX_PRICE = 1_000_000_000
MAX_STOCK = 10_000_000


def _audit(session: AsyncSession, actor: int, action: str, subject: str, now: datetime, **detail: object) -> None:
    """Records one manager change."""
    session.add(AuditEntry(actor_telegram_id=actor, action=action, subject=subject, detail=detail, at=now))


async def _manager(session: AsyncSession, actor: int) -> None:
    """Refuses anyone below manager."""
    await staff_service.require_role(session, actor, Role.MANAGER)


async def set_price(session: AsyncSession, actor: int, sku: str, price: int, *, now: datetime) -> Product:
    """Changes a product's price for new orders (placed orders keep the price they copied)."""
    return (await change_price(session, actor, sku, price, now=now))[0]


async def change_price(
    session: AsyncSession, actor: int, sku: str, price: int, *, now: datetime
) -> tuple[Product, int]:
    """Changes a product's price and returns it with the price it had before."""
    await _manager(session, actor)
    if isinstance(price, bool) or not 1 <= price <= MAX_PRICE:
        raise BadPrice(price=price)
    product = await catalogue.product_by_sku(session, sku)
    old = product.price
    product.price = price
    product.version += 1  # a draft begun before this change is refused (models/services/product_changes.py)
    _audit(session, actor, "product.price", f"product:{product.sku}", now, old=old, new=price)
    await session.flush()
    return product, old


async def list_products(session: AsyncSession, actor: int) -> list[Product]:
    """Every product, on or off, for a manager's overview."""
    await _manager(session, actor)
    return list(await session.scalars(select(Product).order_by(Product.family, Product.id)))


async def set_active(session: AsyncSession, actor: int, sku: str, active: bool, *, now: datetime) -> Product:
    """Switches a product on or off for buyers."""
    await _manager(session, actor)
    product = await catalogue.product_by_sku(session, sku)
    if product.active is active:
        raise AlreadySet(sku=product.sku, active=active)
    product.active = active
    product.version += 1
    _audit(session, actor, "product.active", f"product:{product.sku}", now, active=active)
    await session.flush()
    return product


async def set_stock(session: AsyncSession, actor: int, sku: str, quantity: int, *, now: datetime) -> Product:
    """Sets the units on hand (goods) or the cured pieces ready (paving); bread has no stock."""
    await _manager(session, actor)
    if not 0 <= quantity <= MAX_STOCK:
        raise BadAmount(quantity=quantity)
    product = await catalogue.product_by_sku(session, sku)
    if product.family is Family.BREAD:
        raise NoStockForBread(sku=product.sku)
    if product.family is Family.PAVING:
        old, product.stock_ready = product.stock_ready, quantity
    else:
        old, product.stock_on_hand = product.stock_on_hand, quantity
    product.version += 1
    _audit(session, actor, "product.stock", f"product:{product.sku}", now, old=old, new=quantity)
    await session.flush()
    return product


async def set_day_capacity(
    session: AsyncSession, actor: int, sku: str, day: date, capacity: int, *, now: datetime
) -> DayCapacity:
    """Sets one day's capacity of a product; it cannot go below what is already committed."""
    await _manager(session, actor)
    if not 0 <= capacity <= MAX_STOCK:
        raise BadAmount(quantity=capacity)
    product = await catalogue.product_by_sku(session, sku)
    if product.daily_capacity is None:
        raise NoDailyCapacity(sku=product.sku)
    row = await session.scalar(
        select(DayCapacity).where(DayCapacity.product_id == product.id, DayCapacity.day == day).with_for_update()
    )
    if row is None:
        row = DayCapacity(product_id=product.id, day=day, capacity=capacity, committed=0, capacity_override=True)
        session.add(row)
        old = product.daily_capacity
    else:
        if capacity < row.committed:
            raise BelowCommitted(committed=row.committed, sku=product.sku)
        old, row.capacity, row.capacity_override = row.capacity, capacity, True
    _audit(session, actor, "capacity.set", f"product:{product.sku}", now, day=day.isoformat(), old=old, new=capacity)
    await session.flush()
    return row


async def add_holiday(session: AsyncSession, actor: int, day: date, name: str, *, now: datetime) -> int:
    """Closes a day for everything; returns how many open orders already fall on it (staff must call them)."""
    await _manager(session, actor)
    if await session.scalar(select(Holiday.id).where(Holiday.day == day)) is not None:
        raise HolidayExists(day=day)
    session.add(Holiday(day=day, name=" ".join(name.split())[:80] or "Libur"))
    _audit(session, actor, "holiday.add", f"holiday:{day.isoformat()}", now, name=name[:80])
    await session.flush()
    count = await session.scalar(
        select(func.count(Order.id)).where(Order.fulfil_date == day, Order.status.in_(list(OPEN)))
    )
    return int(count or 0)


async def remove_staff(session: AsyncSession, actor: int, telegram_id: int, *, now: datetime) -> str:
    """Takes a staff role away and returns the person's name; managers remove staff, only admins remove managers."""
    acting = await staff_service.require_role(session, actor, Role.MANAGER)
    if telegram_id == actor:
        raise CannotRemoveSelf()
    target = await staff_service.role_of(session, telegram_id)
    if target is None:
        raise NotFound(what="staff", telegram_id=telegram_id)
    if staff_service.RANK[target] >= staff_service.RANK[Role.MANAGER] and acting.role is not Role.ADMIN:
        raise RoleRequired(minimum=Role.ADMIN)
    name = await session.scalar(select(StaffMember.name).where(StaffMember.telegram_id == telegram_id))
    await staff_service.remove_staff(session, telegram_id, actor_telegram_id=actor)
    return name or str(telegram_id)


class TrailKind(enum.StrEnum):
    """What a line of an order's audit trail records."""

    STATUS = "status"  # the order moved from one status to another (from None: it was placed)
    CODE = "code"  # a payment code was issued
    PAID = "paid"  # a payment was received
    ACTION = "action"  # a staff action recorded in the audit log (AuditEntry.action)


@dataclass(frozen=True)
class TrailEntry:
    """One line of an order's audit trail, as data; the bot words it.

    actor: who (ActorKind) and, for staff, their name (their Telegram id when they are no longer on the staff
    list); a buyer is not named here, the order card says who they are. reason: a reason a person typed (a
    cancellation), shown as typed; the reasons the services write are read into `source`, `timeout` and
    `payment_kind`/`amount` instead.
    """

    at: datetime
    kind: TrailKind
    actor_kind: ActorKind
    actor: str | None = None
    from_status: OrderStatus | None = None
    to_status: OrderStatus | None = None
    source: OrderSource | None = None
    timeout: bool = False
    reason: str | None = None
    payment_id: int | None = None
    payment_kind: PaymentKind | None = None
    method: PaymentMethod | None = None
    amount: int | None = None
    action: str | None = None


def _staff_named(names: dict[int, str], telegram_id: int | None) -> tuple[ActorKind, str | None]:
    """A staff member by name (by Telegram id once off the staff list); the system when nobody is named."""
    if telegram_id is None:
        return ActorKind.SYSTEM, None
    return ActorKind.STAFF, names.get(telegram_id, str(telegram_id))


def _status_entry(change: StatusChange, names: dict[int, str]) -> TrailEntry:
    """A status change, its service-written reason read back into fields."""
    actor = _staff_named(names, change.actor_id)[1] if change.actor_kind is ActorKind.STAFF else None
    entry = TrailEntry(change.at, TrailKind.STATUS, change.actor_kind, actor, change.from_status, change.to_status)
    reason = change.reason or None
    if reason is None:
        return entry
    if change.from_status is None and reason in {s.value for s in OrderSource}:
        return replace(entry, source=OrderSource(reason))
    if reason == payments.TIMEOUT_REASON:
        return replace(entry, timeout=True)
    if (paid := payments.PAID_REASON.fullmatch(reason)) is not None:
        return replace(entry, payment_kind=PaymentKind(paid[1]), amount=int(paid[2]))
    return replace(entry, reason=reason)


async def order_trail(session: AsyncSession, actor: int, code: str) -> tuple[Order, list[TrailEntry]]:
    """Everything that happened to an order: status changes, payments and staff actions, oldest first."""
    await _manager(session, actor)
    normalized = normalize_order_code(code)
    if normalized is None:
        raise NotFound(what="order", code=code)
    order = await ordering.get_order(session, normalized, load=())
    history = list(await session.scalars(
        select(StatusChange).where(StatusChange.order_id == order.id).order_by(StatusChange.id)
    ))
    paid = list(await session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)))
    actions = list(await session.scalars(
        select(AuditEntry).where(AuditEntry.subject == f"order:{order.code}").order_by(AuditEntry.id)
    ))
    staff_ids = {h.actor_id for h in history if h.actor_kind is ActorKind.STAFF and h.actor_id is not None}
    staff_ids |= {p.confirmed_by for p in paid if p.confirmed_by is not None}
    staff_ids |= {a.actor_telegram_id for a in actions if a.actor_telegram_id is not None}
    rows = await session.execute(
        select(StaffMember.telegram_id, StaffMember.name).where(StaffMember.telegram_id.in_(staff_ids))
    )
    names = {telegram_id: name for telegram_id, name in rows}
    entries = [_status_entry(h, names) for h in history]
    for p in paid:
        entries.append(TrailEntry(p.created_at, TrailKind.CODE, ActorKind.SYSTEM, payment_id=p.id,
                                  payment_kind=p.kind, amount=p.amount))
        if p.paid_at is not None:
            kind, name = _staff_named(names, p.confirmed_by)
            entries.append(TrailEntry(p.paid_at, TrailKind.PAID, kind, name, payment_id=p.id, method=p.method,
                                      amount=p.amount))
    for a in actions:
        kind, name = _staff_named(names, a.actor_telegram_id)
        entries.append(TrailEntry(a.at, TrailKind.ACTION, kind, name, action=a.action))
    entries.sort(key=lambda e: e.at)
    return order, entries


async def weekly_summary(session: AsyncSession, actor: int, monday: date) -> weekly.WeeklySummary:
    """The weekly summary of the week starting `monday`, for a manager."""
    await _manager(session, actor)
    return await weekly.weekly_summary(session, monday)


async def orders_between(session: AsyncSession, actor: int, first: date, last: date) -> list[weekly.OrderRow]:
    """The spreadsheet rows of the orders placed from `first` to `last`, for a manager."""
    await _manager(session, actor)
    return weekly.order_rows(await weekly.orders_placed(session, first, last))


async def staff_list(session: AsyncSession, actor: int) -> list[StaffMember]:
    """The active staff, for a manager."""
    await _manager(session, actor)
    return await staff_service.list_staff(session)
