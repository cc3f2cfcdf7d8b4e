"""Checkout: the buyer's cart placed as one order per fulfilment, all or nothing, exactly once.

The cart is split by how each part reaches the buyer: bread per pickup date and slot, paving per ready date
(making plus curing), goods from stock for pickup at the Galeri today, goods made to order per ready date.

Checkout is ALL-OR-NOTHING. Every order of the split is placed (with its capacity, slot and stock reservations
and its first payment code) in the caller's one transaction. When any order breaks a rule at that moment (the
cut-off passed while the buyer was choosing, the day filled up, the stock ran out), `CheckoutFailed` names the
cart item and the cause, the caller's transaction rolls back, and no order, reservation or payment remains;
the cart stays as it was so the buyer can change that item and confirm again. A half-placed checkout would
leave the buyer paying for part of what they asked for without having decided so.

Each order gets the checkout key `<token>:<n>`, so confirming the same summary twice (a double tap, a retry
after a crash) returns the orders already placed instead of placing them again.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import PickupSlot
from models.catalog import Family
from models.conversation import CartItem
from models.errors import DomainError, InvalidInput, NotFound, OrderError, PickupDateMissing
from models.order import Fulfilment, Order
from models.payment import Payment
from models.people import Customer
from models.rules.calendar import to_wib
from models.services import catalogue, conversation, demand, notify_staff, ordering, payments
from models.services.cart import clear, items
from models.services.notify_staff import StaffAlerts
from models.services.ordering import LineRequest, OrderPolicy, OrderRequest
from models.services.payments import PaymentPolicy

BREAD_BY_DATE = "bread_by_date"
PAVING_READY = "paving_ready"
GOODS_STOCK = "goods_stock"
GOODS_MADE = "goods_made"


class CartEmpty(InvalidInput):
    """Checkout of an empty cart."""

    code = "cart_empty"


class CartChanged(OrderError):
    """The cart's total is no longer the one the buyer saw on the summary."""

    code = "cart_changed"


class CheckoutFailed(OrderError):
    """One cart item cannot be ordered now; nothing was placed."""

    code = "checkout_failed"

    def __init__(self, item: CartItem, cause: DomainError) -> None:
        super().__init__(cause=cause.code, item_id=item.id, sku=item.product.sku)
        # Plain values: the caller reads them after its transaction rolled back and expired the item.
        self.item_id = item.id
        self.product_id = item.product_id
        self.product_name = item.product.name
        self.sku = item.product.sku
        self.unit = item.product.unit
        self.fulfil_date = item.fulfil_date
        self.quantity = item.quantity
        self.cause = cause


@dataclass(frozen=True)
class PlannedOrder:
    """One order the checkout will place: its family, date, slot, items, money and why it stands apart."""

    family: Family
    fulfil_date: date
    slot: PickupSlot | None
    items: list[CartItem]
    total: int
    deposit: int
    reason: str


@dataclass(frozen=True)
class CheckoutDetails:
    """Choices made during checkout that apply to the paving orders: pickup or delivery, and where to."""

    fulfilment: Fulfilment = Fulfilment.PICKUP
    address: str | None = None
    lat: Decimal | None = None
    lon: Decimal | None = None


@dataclass
class CheckoutResult:
    """The orders of one checkout with their open payment codes; `replayed` when they already existed."""

    orders: list[Order]
    payments: list[Payment]
    replayed: bool = False
    slots: dict[int, PickupSlot] = field(default_factory=dict)  # the pickup slots of the orders placed, by id


def new_checkout_token(customer_id: int) -> str:
    """A fresh token naming one checkout summary of one buyer (part of every order's checkout key)."""
    return f"c{customer_id}-{secrets.token_hex(4)}"


async def _group_key(session: AsyncSession, item: CartItem, now: datetime) -> tuple[Family, date, int | None, str]:
    """Which order an item belongs to: family, fulfilment date, slot, and the reason it stands apart."""
    product = item.product
    if product.family is Family.BREAD:
        if item.fulfil_date is None:
            raise CheckoutFailed(item, PickupDateMissing())
        return Family.BREAD, item.fulfil_date, item.slot_id, BREAD_BY_DATE
    if product.is_stock_item:
        return Family.GOODS, to_wib(now).date(), None, GOODS_STOCK
    ready = await catalogue.earliest_ready_date(session, product, item.quantity, now)
    reason = PAVING_READY if product.family is Family.PAVING else GOODS_MADE
    return product.family, ready, None, reason


async def plan(session: AsyncSession, customer_id: int, *, now: datetime, policy: OrderPolicy) -> list[PlannedOrder]:
    """Splits the cart into the orders checkout would place, in a stable order (by date, bread first)."""
    groups: dict[tuple[Family, date, int | None, str], list[CartItem]] = {}
    for item in await items(session, customer_id):
        groups.setdefault(await _group_key(session, item, now), []).append(item)
    family_rank = {Family.BREAD: 0, Family.PAVING: 1, Family.GOODS: 2}
    planned: list[PlannedOrder] = []
    for (family, day, slot_id, reason), grouped in sorted(
        groups.items(), key=lambda kv: (kv[0][1], family_rank[kv[0][0]], kv[0][2] or 0, kv[0][3])
    ):
        total = sum(i.product.price * i.quantity for i in grouped)
        slot = await session.get(PickupSlot, slot_id) if slot_id is not None else None
        deposit = ordering.deposit_for(total, [i.product for i in grouped], policy)
        planned.append(PlannedOrder(family, day, slot, grouped, total, deposit, reason))
    return planned


async def orders_of_checkout(session: AsyncSession, customer_id: int, token: str) -> list[Order]:
    """The orders a checkout token already placed for this buyer (empty when none), with their lines and products."""
    stmt = (
        select(Order)
        .where(Order.customer_id == customer_id, Order.checkout_key.startswith(f"{token}:", autoescape=True))
        .order_by(Order.id)
        .options(ordering.LINES)
    )
    return list(await session.scalars(stmt))


async def _open_payments(session: AsyncSession, orders: Sequence[Order]) -> list[Payment]:
    """The open payment code of each order that has one."""
    found = [await payments.pending_payment(session, order) for order in orders]
    return [p for p in found if p is not None]


async def checkout(
    session: AsyncSession,
    customer: Customer,
    token: str,
    details: CheckoutDetails,
    *,
    now: datetime,
    order_policy: OrderPolicy,
    payment_policy: PaymentPolicy,
    expected_total: int | None = None,
) -> CheckoutResult:
    """Places every order of the cart with its first payment code, all or nothing; idempotent per token.

    The orders come back with their lines and the lines' products, placed or replayed.
    """
    existing = await orders_of_checkout(session, customer.id, token)
    if existing:
        return CheckoutResult(existing, await _open_payments(session, existing), replayed=True)
    planned = await plan(session, customer.id, now=now, policy=order_policy)
    if not planned:
        raise CartEmpty()
    total = sum(p.total for p in planned)
    if expected_total is not None and total != expected_total:
        raise CartChanged(total=total, expected=expected_total)
    placed: list[Order] = []
    for number, group in enumerate(planned, start=1):
        placed.append(await _place(session, customer, token, number, group, details, now, order_policy))
    issued = [await payments.issue_first_payment(session, order, payment_policy, now=now) for order in placed]
    await clear(session, customer.id)
    slots = {g.slot.id: g.slot for g in planned if g.slot is not None}
    return CheckoutResult(placed, issued, slots=slots)


async def _place(
    session: AsyncSession,
    customer: Customer,
    token: str,
    number: int,
    group: PlannedOrder,
    details: CheckoutDetails,
    now: datetime,
    policy: OrderPolicy,
) -> Order:
    """Places one planned order, naming the cart item at fault when a rule refuses it."""
    delivery = group.family is Family.PAVING and details.fulfilment is Fulfilment.DELIVERY
    request = OrderRequest(
        customer_id=customer.id,
        lines=[LineRequest(i.product_id, i.quantity, i.area_m2) for i in group.items],
        fulfil_date=group.fulfil_date if group.family is Family.BREAD else None,
        slot_id=group.slot.id if group.slot is not None else None,
        fulfilment=Fulfilment.DELIVERY if delivery else Fulfilment.PICKUP,
        delivery_address=details.address if delivery else None,
        delivery_lat=details.lat if delivery else None,
        delivery_lon=details.lon if delivery else None,
        contact_name=customer.name,
        contact_phone=customer.phone,
        checkout_key=f"{token}:{number}",
    )
    try:
        return await ordering.place_order(session, request, now=now, policy=policy, key_unused=True)
    except DomainError as exc:
        culprit = _culprit(group.items, exc)
        raise CheckoutFailed(culprit, exc) from exc


def _culprit(grouped: Sequence[CartItem], exc: DomainError) -> CartItem:
    """The cart item an order error is about (by SKU when the error names one)."""
    sku = exc.details.get("sku")
    return next((i for i in grouped if i.product.sku == sku), grouped[0])


# --- the checkout conversation: what is still missing, and Konfirmasi ------------------------------------------


class Need(enum.Enum):
    """What checkout asks next."""

    PHONE = "phone"
    FULFILMENT = "fulfilment"
    ADDRESS = "address"
    SUMMARY = "summary"


@dataclass(frozen=True)
class Progress:
    """Where a checkout stands: what it needs next; for the summary, the split, the token and the total."""

    need: Need
    planned: list[PlannedOrder]
    phone: str | None
    token: str = ""

    @property
    def total(self) -> int:
        """What the buyer pays in all, over every order of the split."""
        return sum(p.total for p in self.planned)

    @property
    def has_paving(self) -> bool:
        """True when one of the orders is paving (pickup or delivery must be chosen)."""
        return any(p.family is Family.PAVING for p in self.planned)


def details_of(data: dict[str, Any]) -> CheckoutDetails:
    """The checkout choices kept in the chat's step data (fulfilment, address, location)."""
    lat, lon = data.get("lat"), data.get("lon")
    return CheckoutDetails(
        fulfilment=Fulfilment(data.get("fulfilment", Fulfilment.PICKUP.value)),
        address=data.get("address"),
        lat=Decimal(str(lat)) if lat is not None else None,
        lon=Decimal(str(lon)) if lon is not None else None,
    )


async def progress(
    session: AsyncSession, customer_id: int, data: dict[str, Any], *, now: datetime, policy: OrderPolicy
) -> Progress:
    """What checkout still lacks (phone, paving pickup or delivery, the address), else a fresh summary token."""
    customer = await session.get(Customer, customer_id)
    planned = await plan(session, customer_id, now=now, policy=policy)
    if customer is None or not planned:
        raise CartEmpty()
    found = Progress(Need.SUMMARY, planned, customer.phone)
    if not customer.phone:
        return replace(found, need=Need.PHONE)
    if found.has_paving and "fulfilment" not in data:
        return replace(found, need=Need.FULFILMENT)
    if data.get("fulfilment") == Fulfilment.DELIVERY.value and not data.get("address"):
        return replace(found, need=Need.ADDRESS)
    return replace(found, token=new_checkout_token(customer_id))


class StaleSummary(NotFound):
    """A Konfirmasi press for a summary that is neither the chat's current one nor already placed."""

    code = "stale_summary"


async def confirm(
    session: AsyncSession,
    *,
    customer_id: int,
    chat_id: int,
    token: str,
    summary_step: str,
    now: datetime,
    order_policy: OrderPolicy,
    payment_policy: PaymentPolicy,
    alerts: StaffAlerts,
) -> CheckoutResult | CheckoutFailed:
    """Konfirmasi: places the summary's orders exactly once, tells staff, ends the checkout step.

    The press is current when the chat is at `summary_step` with this token; a press on an older summary whose
    orders exist replays them (a double tap, a retry after a crash); anything else is a StaleSummary. A rule that
    refuses an item now returns the CheckoutFailed (nothing placed; the refused demand recorded for the weekly
    summary) instead of raising, so the caller's transaction commits that record.
    """
    state = await conversation.get_state(session, chat_id)
    data = dict(state.data or {})
    current = state.step == summary_step and data.get("token") == token
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise StaleSummary()
    if not current:  # an older summary: show what it placed, never place it now
        existing = await orders_of_checkout(session, customer_id, token)
        if not existing:
            raise StaleSummary()
        return CheckoutResult(existing, await _open_payments(session, existing), replayed=True)
    try:
        async with session.begin_nested():  # a refusal or a lost race undoes only the placing
            result = await checkout(
                session, customer, token, details_of(data), now=now, order_policy=order_policy,
                payment_policy=payment_policy, expected_total=data.get("total"),
            )
    except CheckoutFailed as failed:
        if demand.is_refused_demand(failed.cause):
            await demand.record_refusal(
                session, reason=failed.cause.code, sku=failed.sku, quantity=failed.quantity, day=failed.fulfil_date,
                now=now,
            )
        return failed
    except IntegrityError:  # another process placed this summary a moment ago: show what it placed
        existing = await orders_of_checkout(session, customer_id, token)
        if not existing:
            raise
        result = CheckoutResult(existing, await _open_payments(session, existing), replayed=True)
    if not result.replayed:
        for order in result.orders:
            slot = result.slots.get(order.slot_id) if order.slot_id else None
            await notify_staff.new_order(session, alerts, order, slot, customer.name, now=now)
    await conversation.clear_step(session, chat_id)
    return result
