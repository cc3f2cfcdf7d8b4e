"""Reports from the shared database: the production sheet for a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import BindParameter, Date, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Family, Product
from models.order import Order, OrderLine, OrderStatus
from models.rules.batches import BatchPlan, plan_batches
from models.rules.lifecycle import CONFIRMED


@dataclass(frozen=True)
class SheetLine:
    """One bread product on the sheet: what is ordered and paid, and what to bake."""

    sku: str
    name: str
    unit: str
    plan: BatchPlan
    unpaid_qty: int


@dataclass(frozen=True)
class UnpaidEntry:
    """An order still awaiting payment, listed apart and not baked for."""

    code: str
    sku: str
    name: str  # what bakers read; the SKU stays for exports and lookups
    quantity: int


@dataclass(frozen=True)
class ProductionSheet:
    """What the bakery bakes for one pickup day."""

    day: date
    lines: list[SheetLine]
    unpaid: list[UnpaidEntry]

    @property
    def total_planned(self) -> int:
        """Units to bake in all."""
        return sum(line.plan.planned for line in self.lines)


# Built once: constructing a statement costs more than SQLite takes to run it for a day's orders.
_DAY: BindParameter[date] = bindparam("day", type_=Date())
_SHEET_QUANTITIES = (
    select(
        Product.sku, Product.name, Product.unit, Product.batch_yield, Product.units_per_tray,
        func.coalesce(func.sum(OrderLine.quantity).filter(Order.status.in_(CONFIRMED)), 0),
        func.coalesce(func.sum(OrderLine.quantity).filter(Order.status == OrderStatus.AWAITING_PAYMENT), 0),
    )
    .join(OrderLine, OrderLine.product_id == Product.id)
    .join(Order, Order.id == OrderLine.order_id)
    .where(Order.fulfil_date == _DAY, Order.family == Family.BREAD)
    .group_by(Product.id)
    .order_by(Product.id)
)
_SHEET_UNPAID = (
    select(Order.code, Product.sku, Product.name, OrderLine.quantity)
    .join(OrderLine, OrderLine.order_id == Order.id)
    .join(Product, Product.id == OrderLine.product_id)
    .where(Order.fulfil_date == _DAY, Order.family == Family.BREAD, Order.status == OrderStatus.AWAITING_PAYMENT)
    .order_by(Order.code)
)


async def production_sheet(session: AsyncSession, day: date) -> ProductionSheet:
    """Paid quantities per bread product for `day`, rounded up to whole batches; unpaid orders apart."""
    conn = await session.connection()  # Core execution: no ORM entities in these rows
    rows = (await conn.execute(_SHEET_QUANTITIES, {"day": day})).all()
    lines = [
        SheetLine(
            sku=sku,
            name=name,
            unit=unit,
            plan=plan_batches(int(paid), batch_yield or 1, units_per_tray),
            unpaid_qty=int(unpaid),
        )
        for sku, name, unit, batch_yield, units_per_tray, paid, unpaid in rows
        if paid or unpaid
    ]
    unpaid_rows = (await conn.execute(_SHEET_UNPAID, {"day": day})).all()
    return ProductionSheet(day, lines, [UnpaidEntry(*row) for row in unpaid_rows])
