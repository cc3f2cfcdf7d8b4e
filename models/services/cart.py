"""The buyer's cart and its checkout into one order per fulfilment.

The cart lives in `cart_items`, so a restart loses nothing. Checkout splits it by how each part reaches the
buyer: bread per pickup date and slot, paving per ready date (making plus curing), goods from stock for pickup
at the Galeri today, goods made to order per ready date.

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

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import PickupSlot
from models.catalog import Family, Product
from models.conversation import CartItem
from models.errors import CapacityFull, DomainError, InvalidInput, NotFound, OrderError, OutOfStock, SlotFull
from models.order import Fulfilment, Order
from models.payment import Payment
from models.people import Customer
from models.rules.calendar import ensure_orderable, to_wib
from models.rules.paving import PavingQuote, PavingRequest, parse_paving_request, quote_paving
from models.services import catalogue, ledger, ordering, payments
from models.services.ordering import LineRequest, OrderPolicy, OrderRequest
from models.services.payments import PaymentPolicy

MAX_ITEMS = 20
# Vehicle loads for 6 cm bata (domain.md / the catalogue defaults); the trips echo uses them for every paving.
VEHICLE_CAPACITY_PCS = {"pickup": 500, "engkel": 1000, "colt_diesel": 2500}
DEFAULT_WASTE_PCT = 5

BREAD_BY_DATE = "bread_by_date"
PAVING_READY = "paving_ready"
GOODS_STOCK = "goods_stock"
GOODS_MADE = "goods_made"


class CartFull(OrderError):
    """The cart already holds the most items one checkout may have."""

    code = "cart_full"


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
        super().__init__(cause.code, item_id=item.id, sku=item.product.sku)
        # Plain values: the caller reads them after its transaction rolled back and expired the item.
        self.item_id = item.id
        self.product_id = item.product_id
        self.product_name = item.product.name
        self.sku = item.product.sku
        self.unit = item.product.unit
        self.fulfil_date = item.fulfil_date
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


@dataclass(frozen=True)
class PavingOffer:
    """A paving quote for one product with the earliest date the pieces can be collected."""

    product: Product
    request: PavingRequest
    quote: PavingQuote
    ready_date: date
    deposit: int = 0
    vehicles: dict[str, int] = field(default_factory=dict)


def new_checkout_token(customer_id: int) -> str:
    """A fresh token naming one checkout summary of one buyer (part of every order's checkout key)."""
    return f"c{customer_id}-{secrets.token_hex(4)}"


async def items(session: AsyncSession, customer_id: int) -> list[CartItem]:
    """The buyer's cart items in the order they were added."""
    rows = await session.scalars(select(CartItem).where(CartItem.customer_id == customer_id).order_by(CartItem.id))
    return list(rows.unique())


async def count(session: AsyncSession, customer_id: int) -> int:
    """How many items the cart holds."""
    return int(
        await session.scalar(select(func.count()).select_from(CartItem).where(CartItem.customer_id == customer_id)) or 0
    )


async def get_item(session: AsyncSession, customer_id: int, item_id: int) -> CartItem:
    """One of the buyer's own cart items; someone else's is reported as not found."""
    item = await session.get(CartItem, item_id)
    if item is None or item.customer_id != customer_id:
        raise NotFound("cart_item", item_id=item_id)
    return item


async def _active_slot(session: AsyncSession, slot_id: int | None, family: Family) -> PickupSlot:
    """The active pickup slot of the family, or NotFound."""
    slot = await session.get(PickupSlot, slot_id) if slot_id is not None else None
    if slot is None or not slot.active or slot.family is not family:
        raise NotFound("slot", slot_id=slot_id)
    return slot


async def check_pickup(
    session: AsyncSession, product: Product, day: date | None, slot_id: int | None, now: datetime
) -> PickupSlot | None:
    """Checks that bread can still be ordered for the day (and slot, when given); returns the slot.

    The real reservation happens at checkout; this only stops a buyer from choosing what is already gone.
    """
    if day is None:
        raise InvalidInput("pickup_date_missing")
    calendar = await catalogue.load_calendar(session, product.family)
    ensure_orderable(now, day, calendar, product.lead_days, catalogue.cutoff_of(product))
    if slot_id is None:
        return None
    slot = await _active_slot(session, slot_id, product.family)
    if await ledger.slot_remaining(session, slot, day) < 1:
        raise SlotFull("slot_full", slot_id=slot.id, day=day)
    return slot


async def _check_amount(session: AsyncSession, product: Product, qty: int, day: date | None) -> None:
    """Checks a cart quantity against the product's limits, its stock and the day's free capacity."""
    ordering.check_quantity(product, qty)
    if product.is_stock_item and qty > (product.stock_on_hand or 0):
        raise OutOfStock("out_of_stock", on_hand=product.stock_on_hand or 0, sku=product.sku, unit=product.unit)
    if product.family is Family.BREAD and day is not None:
        left = await ledger.remaining_capacity(session, product, day)
        if left is not None and qty > left:
            raise CapacityFull("capacity_full", remaining=left, day=day, sku=product.sku, unit=product.unit)


async def _same_item(
    session: AsyncSession, customer_id: int, product_id: int, day: date | None, slot_id: int | None
) -> CartItem | None:
    """The cart item for the same product, date and slot, if any (adding again adds to it)."""
    stmt = select(CartItem).where(
        CartItem.customer_id == customer_id,
        CartItem.product_id == product_id,
        CartItem.fulfil_date.is_(None) if day is None else CartItem.fulfil_date == day,
        CartItem.slot_id.is_(None) if slot_id is None else CartItem.slot_id == slot_id,
    )
    return (await session.scalars(stmt)).unique().first()


async def add(
    session: AsyncSession,
    customer_id: int,
    product_id: int,
    quantity: int,
    *,
    now: datetime,
    fulfil_date: date | None = None,
    slot_id: int | None = None,
    area_m2: Decimal | None = None,
) -> CartItem:
    """Puts a product in the cart (bread with its pickup date and slot); the same choice again adds up."""
    product = await catalogue.get_product(session, product_id)
    if product.family is Family.BREAD:
        if slot_id is None:
            raise InvalidInput("pickup_slot_missing")
        await check_pickup(session, product, fulfil_date, slot_id, now)
    else:
        fulfil_date, slot_id = None, None
    existing = await _same_item(session, customer_id, product.id, fulfil_date, slot_id)
    total_qty = quantity + (existing.quantity if existing else 0)
    await _check_amount(session, product, total_qty, fulfil_date)
    if existing is not None:
        existing.quantity = total_qty
        if existing.area_m2 is not None and area_m2 is not None:
            existing.area_m2 = existing.area_m2 + area_m2
        else:
            existing.area_m2 = None
        await session.flush()
        return existing
    if await count(session, customer_id) >= MAX_ITEMS:
        raise CartFull("cart_full", maximum=MAX_ITEMS)
    item = CartItem(
        customer_id=customer_id,
        product_id=product.id,
        quantity=quantity,
        fulfil_date=fulfil_date,
        slot_id=slot_id,
        area_m2=area_m2,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    await session.refresh(item, ["product"])
    return item


async def change_quantity(
    session: AsyncSession, customer_id: int, item_id: int, quantity: int, *, now: datetime
) -> CartItem:
    """Sets a cart item's quantity (a typed area no longer applies once the pieces are changed by hand)."""
    item = await get_item(session, customer_id, item_id)
    product = await catalogue.get_product(session, item.product_id)
    await _check_amount(session, product, quantity, item.fulfil_date)
    if quantity != item.quantity:
        item.area_m2 = None
    item.quantity = quantity
    await session.flush()
    return item


async def move(
    session: AsyncSession, customer_id: int, item_id: int, fulfil_date: date, slot_id: int, *, now: datetime
) -> CartItem:
    """Moves a bread item to another pickup date and slot (joining an item already there)."""
    item = await get_item(session, customer_id, item_id)
    product = await catalogue.get_product(session, item.product_id)
    if product.family is not Family.BREAD:
        raise InvalidInput("not_bread")
    await check_pickup(session, product, fulfil_date, slot_id, now)
    other = await _same_item(session, customer_id, product.id, fulfil_date, slot_id)
    if other is not None and other.id != item.id:
        await _check_amount(session, product, other.quantity + item.quantity, fulfil_date)
        other.quantity += item.quantity
        await session.delete(item)
        await session.flush()
        return other
    await _check_amount(session, product, item.quantity, fulfil_date)
    item.fulfil_date, item.slot_id = fulfil_date, slot_id
    await session.flush()
    return item


async def remove(session: AsyncSession, customer_id: int, item_id: int) -> None:
    """Takes one item out of the cart."""
    item = await get_item(session, customer_id, item_id)
    await session.delete(item)
    await session.flush()


async def clear(session: AsyncSession, customer_id: int) -> None:
    """Empties the cart."""
    await session.execute(delete(CartItem).where(CartItem.customer_id == customer_id))
    await session.flush()


async def _group_key(session: AsyncSession, item: CartItem, now: datetime) -> tuple[Family, date, int | None, str]:
    """Which order an item belongs to: family, fulfilment date, slot, and the reason it stands apart."""
    product = item.product
    if product.family is Family.BREAD:
        if item.fulfil_date is None:
            raise CheckoutFailed(item, InvalidInput("pickup_date_missing"))
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
    """The orders a checkout token already placed for this buyer (empty when none)."""
    stmt = (
        select(Order).where(Order.customer_id == customer_id, Order.checkout_key.like(f"{token}:%")).order_by(Order.id)
    )
    return list((await session.scalars(stmt)).unique())


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
    """Places every order of the cart with its first payment code, all or nothing; idempotent per token."""
    existing = await orders_of_checkout(session, customer.id, token)
    if existing:
        return CheckoutResult(existing, await _open_payments(session, existing), replayed=True)
    planned = await plan(session, customer.id, now=now, policy=order_policy)
    if not planned:
        raise CartEmpty("cart_empty")
    total = sum(p.total for p in planned)
    if expected_total is not None and total != expected_total:
        raise CartChanged("cart_changed", total=total, expected=expected_total)
    placed: list[Order] = []
    for number, group in enumerate(planned, start=1):
        placed.append(await _place(session, customer, token, number, group, details, now, order_policy))
    issued = [await payments.issue_payment(session, order, payment_policy, now=now) for order in placed]
    for order in placed:  # load the lines with their products, so callers can render without lazy loads
        await session.refresh(order, ["lines"])
    await clear(session, customer.id)
    return CheckoutResult(placed, issued)


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
        return await ordering.place_order(session, request, now=now, policy=policy)
    except DomainError as exc:
        culprit = _culprit(group.items, exc)
        raise CheckoutFailed(culprit, exc) from exc


def _culprit(grouped: Sequence[CartItem], exc: DomainError) -> CartItem:
    """The cart item an order error is about (by SKU when the error names one)."""
    sku = exc.details.get("sku")
    return next((i for i in grouped if i.product.sku == sku), grouped[0])


async def quote_paving_for(
    session: AsyncSession, product_id: int, text: str, *, now: datetime, policy: OrderPolicy
) -> PavingOffer:
    """Reads "50 m2", "10x5" or "2300 biji" for a paving product and quotes pieces, price, weight, trips, date."""
    product = await catalogue.get_product(session, product_id)
    if product.family is not Family.PAVING or not product.pcs_per_m2:
        raise InvalidInput("not_paving")
    request = parse_paving_request(text)
    quote = quote_paving(
        request,
        pcs_per_m2=product.pcs_per_m2,
        waste_pct=product.waste_pct if product.waste_pct is not None else DEFAULT_WASTE_PCT,
        unit_price=product.price,
        weight_kg=product.weight_kg,
        min_qty=product.min_qty,
        vehicle_capacity_pcs=VEHICLE_CAPACITY_PCS,
    )
    ordering.check_quantity(product, quote.pieces)
    ready = await catalogue.earliest_ready_date(session, product, quote.pieces, now)
    deposit = ordering.deposit_for(quote.total_price, [product], policy)
    return PavingOffer(product, request, quote, ready, deposit, dict(quote.trips))


async def reorder(
    session: AsyncSession,
    customer_id: int,
    code: str,
    *,
    now: datetime,
    fulfil_date: date | None = None,
    slot_id: int | None = None,
) -> list[CartItem]:
    """Puts the lines of one of the buyer's orders back in the cart (bread for the newly chosen date and slot)."""
    order = await ordering.get_customer_order(session, customer_id, code)
    added: list[CartItem] = []
    for line in order.lines:
        added.append(
            await add(
                session,
                customer_id,
                line.product_id,
                line.quantity,
                now=now,
                fulfil_date=fulfil_date,
                slot_id=slot_id,
                area_m2=line.area_m2,
            )
        )
    return added
