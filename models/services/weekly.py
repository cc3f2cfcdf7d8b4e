"""The managers' weekly summary: sales per category against the week before, payments, no-shows,
refused demand, the paving pipeline and the estimated PNBP / premi / capital split.

Definitions (the tests check each figure against them):
- An order belongs to the week (Monday 00.00 to Monday 00.00 WIB) in which it was placed (`created_at`).
- Sales (units, revenue, top products, the split) count the lines of orders whose money was received
  (the CONFIRMED statuses, so a no-show that paid still counts).
- Paid vs unpaid counts the week's orders by status; "received" sums the payments confirmed in the week
  (their instalments); the unique codes ("kode unik") paid on top are summed apart and are not sales.
- No-shows count orders whose pickup day is in the week and that were not collected.
- Surplus is the bread baked beyond the paid orders on the week's production sheets (to the Galeri shelf).
- Refused demand reads the `demand.refused` audit entries written when an order was refused.
- The paving pipeline is the state at the time of the report; delivered counts handovers in the week.
- The split is an ESTIMATE: per category, percentages of sales or of profit; profit is not recorded, so
  it is estimated as `profit_margin_pct` of sales (an assumption shown in the summary).

Every figure comes from an aggregate query (GROUP BY / SUM / COUNT over the columns it needs), so the cost
follows the orders of the period, not the whole history; only the spreadsheet rows (one per order line of
the week) are read one by one, as plain columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.audit import AuditEntry
from models.catalog import Category, Family, Product, SplitBasis
from models.order import Order, OrderLine, OrderStatus, StatusChange
from models.payment import Payment, PaymentState
from models.rules.batches import plan_batches
from models.rules.calendar import WIB, to_wib
from models.rules.lifecycle import CONFIRMED
from models.services.demand import REFUSED

DEFAULT_PROFIT_MARGIN_PCT = 30
TOP_PRODUCTS = 5


@dataclass(frozen=True)
class CategoryFigures:
    """Units and revenue of one category this week and the week before, with its split setting."""

    slug: str
    name: str
    units: int
    revenue: int
    prev_units: int
    prev_revenue: int
    basis: SplitBasis
    pnbp_pct: int
    premi_pct: int
    capital_pct: int

    @property
    def change_pct(self) -> int | None:
        """Revenue change against the week before in whole percent (None when there was none)."""
        if self.prev_revenue == 0:
            return None
        return round((self.revenue - self.prev_revenue) * 100 / self.prev_revenue)


@dataclass(frozen=True)
class ProductFigures:
    """A best-selling product of the week."""

    sku: str
    name: str
    unit: str
    units: int
    revenue: int


@dataclass(frozen=True)
class Count:
    """A number of orders and their value in rupiah."""

    orders: int = 0
    amount: int = 0


@dataclass(frozen=True)
class Refusals:
    """Demand the rules turned away, per reason: number of attempts and units asked for."""

    by_reason: dict[str, tuple[int, int]] = field(default_factory=dict)

    def attempts(self, reason: str) -> int:
        """Attempts refused for `reason`."""
        return self.by_reason.get(reason, (0, 0))[0]

    def units(self, reason: str) -> int:
        """Units asked for in attempts refused for `reason`."""
        return self.by_reason.get(reason, (0, 0))[1]


@dataclass(frozen=True)
class PavingPipeline:
    """Paving pieces by stage (now), pieces handed over in the week, and balances still due."""

    ordered: int
    curing: int
    ready: int
    delivered: int
    balances_due: int
    balance_orders: int


@dataclass(frozen=True)
class SplitLine:
    """The estimated split of one category (or of everything)."""

    name: str
    basis: SplitBasis | None
    base_amount: int
    pnbp: int
    premi: int
    capital: int


@dataclass(frozen=True)
class OrderRow:
    """One order line for the spreadsheet (no phone numbers or addresses)."""

    code: str
    created_at: datetime
    fulfil_date: date
    source: str
    status: str
    category: str
    sku: str
    product: str
    quantity: int
    unit: str
    unit_price: int
    line_total: int
    order_total: int
    paid_amount: int


@dataclass(frozen=True)
class WeeklySummary:
    """Everything the managers read on Monday morning."""

    monday: date
    categories: list[CategoryFigures]
    top_products: list[ProductFigures]
    paid: Count
    unpaid: Count
    expired: Count
    cancelled: Count
    received: int
    no_show: Count
    no_show_units: int
    surplus_units: int
    refusals: Refusals
    paving: PavingPipeline
    split: list[SplitLine]
    split_total: SplitLine
    profit_margin_pct: int
    rows: list[OrderRow]
    unique_codes: int = 0  # rupiah of unique codes paid in the week, apart from sales and "received"

    @property
    def sunday(self) -> date:
        """The last day of the week."""
        return self.monday + timedelta(days=6)

    @property
    def revenue(self) -> int:
        """Sales of the week, all categories."""
        return sum(c.revenue for c in self.categories)

    @property
    def prev_revenue(self) -> int:
        """Sales of the week before, all categories."""
        return sum(c.prev_revenue for c in self.categories)

    @property
    def units(self) -> int:
        """Units sold in the week, all categories."""
        return sum(c.units for c in self.categories)


def day_start(day: date) -> datetime:
    """Midnight WIB at the start of `day`, as aware UTC."""
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC)


def _placed(first: date, last: date) -> ColumnElement[bool]:
    """Orders placed from `first` to `last` (WIB days, inclusive)."""
    return (Order.created_at >= day_start(first)) & (Order.created_at < day_start(last + timedelta(days=1)))


async def orders_placed(session: AsyncSession, first: date, last: date) -> list[Order]:
    """Orders placed from `first` to `last` (WIB days, inclusive), oldest first, as full objects.

    Each comes with what `order_rows` reads: its lines, their products and the products' categories (two
    statements in all: the orders, then the lines joined to products and categories).
    """
    lines = selectinload(Order.lines).joinedload(OrderLine.product).joinedload(Product.category)
    stmt = select(Order).where(_placed(first, last)).order_by(Order.created_at, Order.id).options(lines)
    return list(await session.scalars(stmt))


def order_rows(orders: Iterable[Order]) -> list[OrderRow]:
    """Spreadsheet rows, one per order line, of orders loaded by `orders_placed` (lines, products, categories)."""
    return [
        OrderRow(
            code=o.code, created_at=to_wib(o.created_at), fulfil_date=o.fulfil_date, source=o.source.value,
            status=o.status.value, category=line.product.category.slug, sku=line.product.sku,
            product=line.product.name, quantity=line.quantity, unit=line.product.unit,
            unit_price=line.unit_price, line_total=line.line_total, order_total=o.total, paid_amount=o.paid_amount,
        )
        for o in orders
        for line in o.lines
    ]


async def placed_rows(session: AsyncSession, first: date, last: date) -> list[OrderRow]:
    """The same rows as `order_rows(await orders_placed(...))`, read as plain columns in one query."""
    stmt = (
        select(
            Order.code, Order.created_at, Order.fulfil_date, Order.source, Order.status, Category.slug, Product.sku,
            Product.name, OrderLine.quantity, Product.unit, OrderLine.unit_price, OrderLine.line_total, Order.total,
            Order.paid_amount,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Product, Product.id == OrderLine.product_id)
        .join(Category, Category.id == Product.category_id)
        .where(_placed(first, last))
        .order_by(Order.created_at, Order.id, OrderLine.id)
    )
    return [
        OrderRow(
            code, to_wib(created), fulfil, source.value, status.value, slug, sku, name, int(qty), unit,
            int(price), int(line_total), int(total), int(paid),
        )
        for code, created, fulfil, source, status, slug, sku, name, qty, unit, price, line_total, total, paid
        in await session.execute(stmt)
    ]


async def _by_status(session: AsyncSession, where: ColumnElement[bool]) -> dict[OrderStatus, Count]:
    """Number and value of the orders matching `where`, per status."""
    stmt = select(Order.status, func.count(), func.coalesce(func.sum(Order.total), 0)).where(where)
    rows = await session.execute(stmt.group_by(Order.status))
    return {status: Count(int(n), int(amount)) for status, n, amount in rows}


def _total(counts: dict[OrderStatus, Count], statuses: Iterable[OrderStatus]) -> Count:
    """The counts of several statuses added up."""
    picked = [counts[s] for s in statuses if s in counts]
    return Count(sum(c.orders for c in picked), sum(c.amount for c in picked))


@dataclass(frozen=True)
class _ProductSales:
    """Sales of one product in the week (`lines` > 0 when it sold at all) and the week before."""

    product: ProductFigures
    category_id: int
    lines: int
    prev_units: int
    prev_revenue: int


async def _sales(session: AsyncSession, monday: date) -> list[_ProductSales]:
    """Units and revenue per product of the orders whose money was received, this week and the week before.

    A product is listed when it has such a line in either week; `lines` counts its lines of this week, so a
    product sold only the week before counts for its category but stays out of the best sellers.
    """
    this_week = Order.created_at >= day_start(monday)

    def total(column: Any, week: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((week, column), else_=0)), 0)

    stmt = (
        select(
            Product.sku, Product.name, Product.unit, Product.category_id,
            total(OrderLine.quantity, this_week), total(OrderLine.line_total, this_week),
            total(1, this_week), total(OrderLine.quantity, ~this_week), total(OrderLine.line_total, ~this_week),
        )
        .join(OrderLine, OrderLine.product_id == Product.id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(_placed(monday - timedelta(days=7), monday + timedelta(days=6)), Order.status.in_(CONFIRMED))
        .group_by(Product.id, Product.sku, Product.name, Product.unit, Product.category_id)
    )
    return [
        _ProductSales(
            ProductFigures(sku, name, unit, int(units), int(revenue)), int(category_id), int(lines),
            int(prev_units), int(prev_revenue),
        )
        for sku, name, unit, category_id, units, revenue, lines, prev_units, prev_revenue
        in await session.execute(stmt)
    ]


async def _categories(session: AsyncSession, sales: list[_ProductSales]) -> list[CategoryFigures]:
    """Sales per category in the catalogue's order, for the categories that sold in either week."""
    per_category: dict[int, tuple[int, int, int, int]] = {}
    for s in sales:
        units, revenue, prev_units, prev_revenue = per_category.get(s.category_id, (0, 0, 0, 0))
        per_category[s.category_id] = (
            units + s.product.units, revenue + s.product.revenue, prev_units + s.prev_units,
            prev_revenue + s.prev_revenue,
        )
    stmt = select(
        Category.id, Category.slug, Category.name_id, Category.split_basis, Category.pnbp_pct, Category.premi_pct,
        Category.capital_pct,
    ).order_by(Category.position, Category.id)
    return [
        CategoryFigures(slug, name, *per_category[cid], basis, pnbp, premi, capital)
        for cid, slug, name, basis, pnbp, premi, capital in await session.execute(stmt)
        if cid in per_category
    ]


def _pct(amount: int, pct: int) -> int:
    """`pct` percent of an amount in whole rupiah, rounded half up."""
    return (amount * pct + 50) // 100


def split_of(name: str, basis: SplitBasis | None, revenue: int, pcts: tuple[int, int, int], margin: int) -> SplitLine:
    """The estimated PNBP / premi / capital of a revenue under a category's split setting."""
    base = revenue if basis is SplitBasis.SALES else _pct(revenue, margin)
    pnbp, premi, capital = pcts
    return SplitLine(name, basis, base, _pct(base, pnbp), _pct(base, premi), _pct(base, capital))


async def _received(session: AsyncSession, first: date, last: date) -> tuple[int, int]:
    """Payments confirmed from `first` to `last` (WIB days, inclusive): (their instalments, their unique codes)."""
    stmt = select(func.coalesce(func.sum(Payment.amount), 0), func.coalesce(func.sum(Payment.unique_code), 0)).where(
        Payment.state == PaymentState.PAID,
        Payment.paid_at >= day_start(first),
        Payment.paid_at < day_start(last + timedelta(days=1)),
    )
    received, codes = (await session.execute(stmt)).one()
    return int(received), int(codes)


async def _no_shows(session: AsyncSession, monday: date) -> tuple[Count, int]:
    """Orders for pickup in the week that were not collected, and their units."""
    units = select(func.sum(OrderLine.quantity)).where(OrderLine.order_id == Order.id).scalar_subquery()
    stmt = select(func.count(), func.coalesce(func.sum(Order.total), 0), func.coalesce(func.sum(units), 0)).where(
        Order.status == OrderStatus.NO_SHOW,
        Order.fulfil_date >= monday,
        Order.fulfil_date <= monday + timedelta(days=6),
    )
    orders, amount, quantity = (await session.execute(stmt)).one()
    return Count(int(orders), int(amount)), int(quantity)


async def _surplus(session: AsyncSession, monday: date) -> int:
    """Bread baked beyond the paid orders on the production sheets of the week's seven days.

    A sheet bakes each product's paid units of the day (confirmed bread orders) up to whole batches. The status
    test sits in the sum rather than the WHERE clause so that SQLite reads the week through the pickup-day index.
    """
    paid = func.sum(case((Order.status.in_(CONFIRMED), OrderLine.quantity), else_=0))
    stmt = (
        select(Product.batch_yield, Product.units_per_tray, paid)
        .join(OrderLine, OrderLine.product_id == Product.id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.fulfil_date >= monday, Order.fulfil_date <= monday + timedelta(days=6), Order.family == Family.BREAD
        )
        .group_by(Order.fulfil_date, Product.id, Product.batch_yield, Product.units_per_tray)
    )
    return sum(
        plan_batches(int(need), batch_yield or 1, per_tray).surplus
        for batch_yield, per_tray, need in await session.execute(stmt)
        if need
    )


async def _refusals(session: AsyncSession, monday: date) -> Refusals:
    """Refused order attempts of the week by reason."""
    details = await session.scalars(
        select(AuditEntry.detail).where(
            AuditEntry.action == REFUSED,
            AuditEntry.at >= day_start(monday),
            AuditEntry.at < day_start(monday + timedelta(days=7)),
        )
    )
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for detail in details:
        entry = detail or {}
        reason = str(entry.get("reason", "other"))
        found[reason][0] += 1
        found[reason][1] += int(entry.get("quantity", 0) or 0)
    return Refusals({k: (v[0], v[1]) for k, v in found.items()})


# Paving orders still on their way: paid in part or in full, curing, ready or out for delivery.
_PAVING_OPEN = (
    OrderStatus.PARTIALLY_PAID, OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.READY,
    OrderStatus.OUT_FOR_DELIVERY,
)


async def _paving(session: AsyncSession, monday: date) -> PavingPipeline:
    """The paving pipeline now (open orders only), plus the pieces handed over during the week."""
    pieces = select(func.sum(OrderLine.quantity)).where(OrderLine.order_id == Order.id).scalar_subquery()
    owing = Order.total > Order.paid_amount
    stages = await session.execute(
        select(
            Order.status,
            func.coalesce(func.sum(pieces), 0),
            func.count(case((owing, 1))),
            func.coalesce(func.sum(case((owing, Order.total - Order.paid_amount), else_=0)), 0),
        )
        .where(Order.family == Family.PAVING, Order.status.in_(_PAVING_OPEN))
        .group_by(Order.status)
    )
    by_stage: dict[OrderStatus, int] = {}
    balances_due = balance_orders = 0
    for status, quantity, owing_orders, owed in stages:
        by_stage[status] = int(quantity)
        balance_orders += int(owing_orders)
        balances_due += int(owed)
    handed_over = select(StatusChange.order_id).where(
        StatusChange.to_status == OrderStatus.DONE,
        StatusChange.at >= day_start(monday),
        StatusChange.at < day_start(monday + timedelta(days=7)),
    )
    delivered = await session.execute(
        select(func.coalesce(func.sum(OrderLine.quantity), 0))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.family == Family.PAVING, Order.status == OrderStatus.DONE, Order.id.in_(handed_over))
    )

    def stage(*statuses: OrderStatus) -> int:
        return sum(by_stage.get(s, 0) for s in statuses)

    return PavingPipeline(
        ordered=stage(OrderStatus.PARTIALLY_PAID, OrderStatus.PAID),
        curing=stage(OrderStatus.IN_PRODUCTION),
        ready=stage(OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY),
        delivered=int(delivered.scalar_one()),
        balances_due=balances_due,
        balance_orders=balance_orders,
    )


async def weekly_summary(
    session: AsyncSession, monday: date, *, profit_margin_pct: int = DEFAULT_PROFIT_MARGIN_PCT
) -> WeeklySummary:
    """The summary of the week starting on `monday` (any date is moved back to its Monday)."""
    monday = monday - timedelta(days=monday.weekday())
    sunday = monday + timedelta(days=6)
    sales = await _sales(session, monday)
    figures = await _categories(session, sales)
    split = [
        split_of(f.name, f.basis, f.revenue, (f.pnbp_pct, f.premi_pct, f.capital_pct), profit_margin_pct)
        for f in figures
        if f.revenue
    ]
    total = SplitLine(
        "Total", None, sum(s.base_amount for s in split), sum(s.pnbp for s in split),
        sum(s.premi for s in split), sum(s.capital for s in split),
    )
    sold = [s.product for s in sales if s.lines]
    top = sorted(sold, key=lambda p: (-p.revenue, -p.units, p.sku))[:TOP_PRODUCTS]
    by_status = await _by_status(session, _placed(monday, sunday))
    no_show, no_show_units = await _no_shows(session, monday)
    received, unique_codes = await _received(session, monday, sunday)
    return WeeklySummary(
        monday=monday,
        categories=figures,
        top_products=top,
        paid=_total(by_status, CONFIRMED),
        unpaid=_total(by_status, [OrderStatus.AWAITING_PAYMENT]),
        expired=_total(by_status, [OrderStatus.EXPIRED]),
        cancelled=_total(by_status, [OrderStatus.CANCELLED]),
        received=received,
        no_show=no_show,
        no_show_units=no_show_units,
        surplus_units=await _surplus(session, monday),
        refusals=await _refusals(session, monday),
        paving=await _paving(session, monday),
        split=split,
        split_total=total,
        profit_margin_pct=profit_margin_pct,
        rows=await placed_rows(session, monday, sunday),
        unique_codes=unique_codes,
    )


@dataclass(frozen=True)
class DailyRecap:
    """The day at closing time."""

    day: date
    new: Count
    received: int
    done: int
    no_show: int
    unpaid: int
    expired: int
    unique_codes: int = 0  # rupiah of unique codes paid today, apart from "received"


async def daily_recap(session: AsyncSession, day: date) -> DailyRecap:
    """Orders placed today, money received today, and how today's pickups went."""
    placed = await _by_status(session, _placed(day, day))
    due = await session.execute(
        select(Order.status, func.count()).where(Order.fulfil_date == day).group_by(Order.status)
    )
    due_today = {status: int(n) for status, n in due}
    received, unique_codes = await _received(session, day, day)
    return DailyRecap(
        day=day,
        new=_total(placed, list(OrderStatus)),
        received=received,
        done=due_today.get(OrderStatus.DONE, 0),
        no_show=due_today.get(OrderStatus.NO_SHOW, 0),
        unpaid=_total(placed, [OrderStatus.AWAITING_PAYMENT]).orders,
        expired=_total(placed, [OrderStatus.EXPIRED]).orders,
        unique_codes=unique_codes,
    )
