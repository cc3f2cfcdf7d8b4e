"""Atomic capacity, slot and stock bookkeeping: conditional UPDATEs that never oversell.

A day's capacity row and a slot's usage row are created by the day's first order. Reserving tries the UPDATE
first, so every later order takes one statement; only when it matches nothing is the row added (unless another
transaction added it meanwhile: ON CONFLICT DO NOTHING waits for it) and the UPDATE tried once more.
"""

from __future__ import annotations

import functools
from datetime import date

from sqlalchemy import Insert, Update, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import DayCapacity, PickupSlot, SlotUsage
from models.catalog import Family, Product
from models.errors import CapacityFull, OutOfStock, SlotFull
from models.upsert import insert_for

# The reads of the order steps, built once: constructing a statement costs more than SQLite takes to run it.
_DAY_ROW = select(DayCapacity.capacity, DayCapacity.committed).where(
    DayCapacity.product_id == bindparam("product"), DayCapacity.day == bindparam("day")
)
_DAY_ROWS = select(DayCapacity.day, DayCapacity.capacity, DayCapacity.committed).where(
    DayCapacity.product_id == bindparam("product"), DayCapacity.day.in_(bindparam("days", expanding=True))
)
_SLOT_USED = select(SlotUsage.used).where(SlotUsage.slot_id == bindparam("slot"), SlotUsage.day == bindparam("day"))
_SLOTS_WITH_USE = (
    select(PickupSlot, SlotUsage.used)
    .outerjoin(SlotUsage, and_(SlotUsage.slot_id == PickupSlot.id, SlotUsage.day == bindparam("day")))
    .where(PickupSlot.family == bindparam("family"), PickupSlot.active.is_(True))
    .order_by(PickupSlot.starts_at)
)


# The writes of placing an order, built once as well (the INSERTs once per dialect). Their parameters are named
# apart from the columns: SQLAlchemy keeps a column's own name for the VALUES and SET it fills in.
_COMMIT_CAPACITY = (
    update(DayCapacity)
    .where(
        DayCapacity.product_id == bindparam("of_product"),
        DayCapacity.day == bindparam("on_day"),
        DayCapacity.committed + bindparam("qty") <= DayCapacity.capacity,
    )
    .values(committed=DayCapacity.committed + bindparam("qty"))
    .execution_options(synchronize_session=False)
)
_BOOK_SLOT = (
    update(SlotUsage)
    .where(SlotUsage.slot_id == bindparam("of_slot"), SlotUsage.day == bindparam("on_day"),
           SlotUsage.used < bindparam("slot_capacity"))
    .values(used=SlotUsage.used + 1)
    .execution_options(synchronize_session=False)
)


@functools.cache
def _add_day_row(dialect: str) -> Insert:
    """INSERT of a product's capacity row for a day, unless it exists (ON CONFLICT DO NOTHING)."""
    return (
        insert_for(dialect, DayCapacity.__table__)
        .values(product_id=bindparam("of_product"), day=bindparam("on_day"), capacity=bindparam("day_capacity"),
                committed=0)
        .on_conflict_do_nothing(index_elements=["product_id", "day"])
    )


@functools.cache
def _add_slot_row(dialect: str) -> Insert:
    """INSERT of a slot's usage row for a day, unless it exists (ON CONFLICT DO NOTHING)."""
    return (
        insert_for(dialect, SlotUsage.__table__)
        .values(slot_id=bindparam("of_slot"), day=bindparam("on_day"), used=0)
        .on_conflict_do_nothing(index_elements=["slot_id", "day"])
    )


async def _ensure_day_row(session: AsyncSession, product: Product, day: date) -> None:
    """Creates the product's ledger row for `day` with its default daily capacity."""
    if product.daily_capacity is None:
        return
    await session.execute(_add_day_row(session.get_bind().dialect.name),
                          {"of_product": product.id, "on_day": day, "day_capacity": product.daily_capacity})


async def remaining_capacity(session: AsyncSession, product: Product, day: date) -> int | None:
    """Units still free on `day`, or None when the product has no daily limit."""
    if product.daily_capacity is None:
        return None
    row = (await session.execute(_DAY_ROW, {"product": product.id, "day": day})).first()
    if row is None:
        return product.daily_capacity
    return max(0, row.capacity - row.committed)


async def remaining_capacities(session: AsyncSession, product: Product, days: list[date]) -> dict[date, int | None]:
    """Units still free on each of `days` (None for a product without a daily limit), in one statement."""
    if product.daily_capacity is None:
        return dict.fromkeys(days)
    rows = await session.execute(_DAY_ROWS, {"product": product.id, "days": days})
    found: dict[date, int | None] = dict.fromkeys(days, product.daily_capacity)
    for day, capacity, committed in rows:
        found[day] = max(0, capacity - committed)
    return found


async def reserve_capacity(session: AsyncSession, product: Product, day: date, qty: int) -> None:
    """Commits `qty` units of the day's capacity, or raises CapacityFull with what is left."""
    if product.daily_capacity is None:
        return
    values = {"of_product": product.id, "on_day": day, "qty": qty}
    if await _changed_one(session, _COMMIT_CAPACITY, values):
        return
    # No room, or no row yet (the day's first order): add the row unless it exists, and try once more.
    await _ensure_day_row(session, product, day)
    if not await _changed_one(session, _COMMIT_CAPACITY, values):
        left = await remaining_capacity(session, product, day)
        raise CapacityFull(remaining=left or 0, day=day, sku=product.sku)


async def _changed_one(session: AsyncSession, statement: Update, values: dict[str, object]) -> bool:
    """Runs a conditional UPDATE of one ledger row; True when it matched (the row exists and had room)."""
    result = await session.execute(statement, values)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def release_capacity(session: AsyncSession, product: Product, day: date, qty: int) -> None:
    """Gives `qty` units back to the day's capacity."""
    if product.daily_capacity is None:
        return
    await session.execute(
        update(DayCapacity)
        .where(DayCapacity.product_id == product.id, DayCapacity.day == day)
        .values(committed=DayCapacity.committed - qty)
        .execution_options(synchronize_session=False)
    )


async def slot_remaining(session: AsyncSession, slot: PickupSlot, day: date) -> int:
    """Orders the slot can still take on `day`."""
    return _room(slot, await session.scalar(_SLOT_USED, {"slot": slot.id, "day": day}))


async def slots_with_room(session: AsyncSession, family: Family, day: date) -> list[tuple[PickupSlot, int]]:
    """The family's active pickup slots in time order, each with the orders it can still take on `day` (one
    statement for all of them)."""
    rows = await session.execute(_SLOTS_WITH_USE, {"family": family, "day": day})
    return [(slot, _room(slot, used)) for slot, used in rows]


def _room(slot: PickupSlot, used: int | None) -> int:
    """Orders the slot can still take, given its usage row's count (None: no row yet, nothing booked)."""
    return max(0, slot.capacity - (used or 0))


async def reserve_slot(session: AsyncSession, slot: PickupSlot, day: date) -> None:
    """Books one order into the slot, or raises SlotFull."""
    values = {"of_slot": slot.id, "on_day": day, "slot_capacity": slot.capacity}
    if await _changed_one(session, _BOOK_SLOT, values):
        return
    await session.execute(_add_slot_row(session.get_bind().dialect.name), {"of_slot": slot.id, "on_day": day})
    if not await _changed_one(session, _BOOK_SLOT, values):
        raise SlotFull(slot_id=slot.id, day=day)


async def release_slot(session: AsyncSession, slot_id: int, day: date) -> None:
    """Frees the order's place in its slot."""
    await session.execute(
        update(SlotUsage)
        .where(SlotUsage.slot_id == slot_id, SlotUsage.day == day, SlotUsage.used > 0)
        .values(used=SlotUsage.used - 1)
        .execution_options(synchronize_session=False)
    )


async def take_stock(session: AsyncSession, product: Product, qty: int) -> None:
    """Takes `qty` units off the shelf, or raises OutOfStock with what is on hand."""
    if not product.is_stock_item:
        return
    result = await session.execute(
        update(Product)
        .where(Product.id == product.id, Product.stock_on_hand >= qty)
        .values(stock_on_hand=Product.stock_on_hand - qty)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        on_hand = await session.scalar(select(Product.stock_on_hand).where(Product.id == product.id))
        raise OutOfStock(on_hand=on_hand or 0, sku=product.sku)
    await session.refresh(product, ["stock_on_hand"])


async def return_stock(session: AsyncSession, product: Product, qty: int) -> None:
    """Puts `qty` units back on the shelf."""
    if not product.is_stock_item:
        return
    await session.execute(
        update(Product)
        .where(Product.id == product.id)
        .values(stock_on_hand=Product.stock_on_hand + qty)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(product, ["stock_on_hand"])
