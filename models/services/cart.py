"""The buyer's cart: products with their quantities (and bread with its pickup date and slot).

The cart lives in `cart_items`, so a restart loses nothing. Adding checks what can still be ordered (the cut-off,
the slot, the stock, the day's free capacity) so the buyer is told early; the reservations themselves happen at
checkout (`models.services.checkout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.calendar import PickupSlot
from models.catalog import Family, Product
from models.conversation import CartItem
from models.errors import (
    CapacityFull,
    NotBread,
    NotFound,
    OrderError,
    OutOfStock,
    PickupDateMissing,
    PickupSlotMissing,
    SlotFull,
)
from models.rules.calendar import ensure_orderable
from models.services import catalogue, ledger, ordering

MAX_ITEMS = 20
# Every cart screen shows each item's product (name, unit, price): loaded in the same statement as the item.
_WITH_PRODUCT = joinedload(CartItem.product)
# Built once (every order step after the quantity reads the cart): constructing a statement costs more than SQLite
# takes to run it.
_ITEMS = (
    select(CartItem).where(CartItem.customer_id == bindparam("customer")).order_by(CartItem.id).options(_WITH_PRODUCT)
)
_COUNT = select(func.count()).select_from(CartItem).where(CartItem.customer_id == bindparam("customer"))


class CartFull(OrderError):
    """The cart already holds the most items one checkout may have."""

    code = "cart_full"


async def items(session: AsyncSession, customer_id: int) -> list[CartItem]:
    """The buyer's cart items in the order they were added, each with its product."""
    return list(await session.scalars(_ITEMS, {"customer": customer_id}))


async def count(session: AsyncSession, customer_id: int) -> int:
    """How many items the cart holds."""
    return int(await session.scalar(_COUNT, {"customer": customer_id}) or 0)


async def get_item(session: AsyncSession, customer_id: int, item_id: int) -> CartItem:
    """One of the buyer's own cart items with its product; someone else's is reported as not found."""
    # A query rather than `session.get`: an item already in the session would come back without its product.
    item = await session.scalar(select(CartItem).where(CartItem.id == item_id).options(_WITH_PRODUCT))
    if item is None or item.customer_id != customer_id:
        raise NotFound(what="cart_item", item_id=item_id)
    return item


async def _active_slot(session: AsyncSession, slot_id: int | None, family: Family) -> PickupSlot:
    """The active pickup slot of the family, or NotFound."""
    slot = await session.get(PickupSlot, slot_id) if slot_id is not None else None
    if slot is None or not slot.active or slot.family is not family:
        raise NotFound(what="slot", slot_id=slot_id)
    return slot


async def check_pickup(
    session: AsyncSession, product: Product, day: date | None, slot_id: int | None, now: datetime
) -> PickupSlot | None:
    """Checks that bread can still be ordered for the day (and slot, when given); returns the slot.

    The real reservation happens at checkout; this only stops a buyer from choosing what is already gone.
    """
    if day is None:
        raise PickupDateMissing()
    calendar = await catalogue.load_calendar(session, product.family)
    ensure_orderable(now, day, calendar, product.lead_days, catalogue.cutoff_of(product))
    if slot_id is None:
        return None
    slot = await _active_slot(session, slot_id, product.family)
    if await ledger.slot_remaining(session, slot, day) < 1:
        raise SlotFull(slot_id=slot.id, day=day)
    return slot


async def _check_amount(session: AsyncSession, product: Product, qty: int, day: date | None) -> None:
    """Checks a cart quantity against the product's limits, its stock and the day's free capacity."""
    ordering.check_quantity(product, qty)
    if product.is_stock_item and qty > (product.stock_on_hand or 0):
        raise OutOfStock(on_hand=product.stock_on_hand or 0, sku=product.sku, unit=product.unit)
    if product.family is Family.BREAD and day is not None:
        left = await ledger.remaining_capacity(session, product, day)
        if left is not None and qty > left:
            raise CapacityFull(remaining=left, day=day, sku=product.sku, unit=product.unit)


async def _same_item(
    session: AsyncSession, customer_id: int, product_id: int, day: date | None, slot_id: int | None
) -> CartItem | None:
    """The cart item for the same product, date and slot with its product, if any (adding again adds to it)."""
    stmt = select(CartItem).where(
        CartItem.customer_id == customer_id,
        CartItem.product_id == product_id,
        CartItem.fulfil_date.is_(None) if day is None else CartItem.fulfil_date == day,
        CartItem.slot_id.is_(None) if slot_id is None else CartItem.slot_id == slot_id,
    )
    return (await session.scalars(stmt.options(_WITH_PRODUCT))).first()


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
) -> Added:
    """Puts a product in the cart (bread with its pickup date and slot); the same choice again adds up.

    The item comes back with its product, and with the cart's count and total after it: the cart is read once,
    to find the same choice, to count the items and to sum them.
    """
    product = await catalogue.get_product(session, product_id)
    if product.family is Family.BREAD:
        if slot_id is None:
            raise PickupSlotMissing()
        await check_pickup(session, product, fulfil_date, slot_id, now)
    else:
        fulfil_date, slot_id = None, None
    in_cart = await items(session, customer_id)
    choice = (product.id, fulfil_date, slot_id)
    existing = next((i for i in in_cart if (i.product_id, i.fulfil_date, i.slot_id) == choice), None)
    total_qty = quantity + (existing.quantity if existing else 0)
    await _check_amount(session, product, total_qty, fulfil_date)
    if existing is not None:
        existing.quantity = total_qty
        if existing.area_m2 is not None and area_m2 is not None:
            existing.area_m2 = existing.area_m2 + area_m2
        else:
            existing.area_m2 = None
        await session.flush()
        return Added(existing, _summary(in_cart))
    if len(in_cart) >= MAX_ITEMS:
        raise CartFull(maximum=MAX_ITEMS)
    item = CartItem(
        customer_id=customer_id,
        product=product,  # already loaded: no query to show the new item
        product_id=product.id,
        quantity=quantity,
        fulfil_date=fulfil_date,
        slot_id=slot_id,
        area_m2=area_m2,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return Added(item, _summary([*in_cart, item]))


async def change_quantity(
    session: AsyncSession, customer_id: int, item_id: int, quantity: int, *, now: datetime
) -> CartItem:
    """Sets a cart item's quantity (a typed area no longer applies once the pieces are changed by hand)."""
    item = await get_item(session, customer_id, item_id)
    product = await catalogue.get_product(session, item.product_id)  # still orderable (not switched off or hidden)
    await _check_amount(session, product, quantity, item.fulfil_date)
    if quantity != item.quantity:
        item.area_m2 = None
    item.quantity = quantity
    await session.flush()
    return item


async def move(
    session: AsyncSession, customer_id: int, item_id: int, fulfil_date: date, slot_id: int, *, now: datetime
) -> CartItem:
    """Moves a bread item to another pickup date and slot (joining an item already there); returned with its product."""
    item = await get_item(session, customer_id, item_id)
    product = await catalogue.get_product(session, item.product_id)  # still orderable (not switched off or hidden)
    if product.family is not Family.BREAD:
        raise NotBread()
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
    order = await ordering.get_customer_order(session, customer_id, code)  # the lines, and their products for `add`
    added: list[CartItem] = []
    for line in order.lines:
        placed = await add(
            session,
            customer_id,
            line.product_id,
            line.quantity,
            now=now,
            fulfil_date=fulfil_date,
            slot_id=slot_id,
            area_m2=line.area_m2,
        )
        added.append(placed.item)
    return added


@dataclass(frozen=True)
class CartSummary:
    """How many items the cart holds and its total at today's prices."""

    count: int
    total: int


@dataclass(frozen=True)
class Added:
    """A cart item just added (or added to), and the cart's count and total after it."""

    item: CartItem
    summary: CartSummary


def _summary(in_cart: list[CartItem]) -> CartSummary:
    """The count and total of cart items loaded with their products."""
    return CartSummary(len(in_cart), sum(i.product.price * i.quantity for i in in_cart))


async def bread_pickup_slots(
    session: AsyncSession, product_id: int, day: date, now: datetime
) -> tuple[Product, list[catalogue.SlotOption]]:
    """A bread product and the pickup slots of a day it can still be ordered for; NotBread for anything else."""
    product = await catalogue.get_product(session, product_id)
    if product.family is not Family.BREAD:
        raise NotBread(product_id=product_id)
    await check_pickup(session, product, day, None, now)
    return product, await catalogue.slot_options(session, product.family, day)


async def pickup_room(
    session: AsyncSession, product: Product, day: date, slot_id: int, now: datetime
) -> tuple[PickupSlot | None, int | None]:
    """The chosen slot (checked to be open) and the day's capacity left for the product."""
    slot = await check_pickup(session, product, day, slot_id, now)
    return slot, await ledger.remaining_capacity(session, product, day)


@dataclass(frozen=True)
class CartView:
    """Cart items with the pickup slots they name, as the cart screen shows them."""

    items: list[CartItem]
    slots: dict[int, PickupSlot]

    @property
    def item(self) -> CartItem:
        """The one item of a single-item view."""
        return self.items[0]


async def view(session: AsyncSession, customer_id: int) -> CartView:
    """The buyer's cart with its slots."""
    found = await items(session, customer_id)
    return CartView(found, await catalogue.slots_by_id(session, {i.slot_id for i in found if i.slot_id is not None}))


async def item_view(session: AsyncSession, customer_id: int, item_id: int) -> CartView:
    """One of the buyer's own cart items with its slot."""
    item = await get_item(session, customer_id, item_id)
    return CartView([item], await catalogue.slots_by_id(session, {item.slot_id} if item.slot_id is not None else set()))


async def move_dates(
    session: AsyncSession, customer_id: int, item_id: int, now: datetime
) -> tuple[CartItem, list[catalogue.DateOption]]:
    """A bread item of the buyer's cart and the pickup dates it could move to; NotBread for other items."""
    item = await get_item(session, customer_id, item_id)
    if item.product.family is not Family.BREAD:
        raise NotBread(item_id=item_id)
    return item, await catalogue.pickup_options(session, item.product, now)


async def move_slots(
    session: AsyncSession, customer_id: int, item_id: int, day: date, now: datetime
) -> tuple[CartItem, list[catalogue.SlotOption]]:
    """A bread item of the buyer's cart and the slots of the day it moves to (checked to be orderable)."""
    item = await get_item(session, customer_id, item_id)
    await check_pickup(session, item.product, day, None, now)
    return item, await catalogue.slot_options(session, item.product.family, day)


async def reorder_dates(
    session: AsyncSession, customer_id: int, code: str, now: datetime
) -> tuple[Product, list[catalogue.DateOption]] | None:
    """For "Pesan lagi" of a bread order: its first product and the pickup dates to choose; None for other orders."""
    order = await ordering.get_customer_order(session, customer_id, code)
    if order.family is not Family.BREAD:
        return None
    product = order.lines[0].product
    return product, await catalogue.pickup_options(session, product, now)


async def reorder_slots(
    session: AsyncSession, customer_id: int, code: str, day: date, now: datetime
) -> tuple[Product, list[catalogue.SlotOption]]:
    """For "Pesan lagi" of a bread order: the slots of the chosen day (checked to be orderable)."""
    order = await ordering.get_customer_order(session, customer_id, code)
    product = order.lines[0].product
    await check_pickup(session, product, day, None, now)
    return product, await catalogue.slot_options(session, Family.BREAD, day)
