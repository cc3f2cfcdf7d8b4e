"""The managers' weekly summary: sales per category against the week before, payments, no-shows,
refused demand, the paving pipeline and the estimated PNBP / premi / capital split.

Definitions (the tests check each figure against them):
- An order belongs to the week (Monday 00.00 to Monday 00.00 WIB) in which it was placed (`created_at`).
- Sales (units, revenue, top products, the split) count the lines of orders whose money was received
  (the CONFIRMED statuses, so a no-show that paid still counts).
- Paid vs unpaid counts the week's orders by status; "received" sums the payments confirmed in the week.
- No-shows count orders whose pickup day is in the week and that were not collected.
- Surplus is the bread baked beyond the paid orders on the week's production sheets (to the Galeri shelf).
- Refused demand reads the `demand.refused` audit entries written when an order was refused.
- The paving pipeline is the state at the time of the report; delivered counts handovers in the week.
- The split is an ESTIMATE: per category, percentages of sales or of profit; profit is not recorded, so
  it is estimated as `profit_margin_pct` of sales (an assumption shown in the summary).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.catalog import Category, Family, SplitBasis
from models.order import Order, OrderStatus
from models.payment import Payment, PaymentState
from models.rules.calendar import WIB, to_wib
from models.rules.lifecycle import CONFIRMED
from models.services import reports

DEFAULT_PROFIT_MARGIN_PCT = 30
TOP_PRODUCTS = 5
REFUSED = "demand.refused"


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


async def orders_placed(session: AsyncSession, first: date, last: date) -> list[Order]:
    """Orders placed from `first` to `last` (WIB days, inclusive), oldest first."""
    stmt = (
        select(Order)
        .where(Order.created_at >= day_start(first), Order.created_at < day_start(last + timedelta(days=1)))
        .order_by(Order.created_at, Order.id)
    )
    return list((await session.scalars(stmt)).unique())


def order_rows(orders: Iterable[Order]) -> list[OrderRow]:
    """Spreadsheet rows, one per order line."""
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


def _count(orders: Iterable[Order]) -> Count:
    """Number and value of orders."""
    listed = list(orders)
    return Count(len(listed), sum(o.total for o in listed))


def _sales(orders: Iterable[Order]) -> tuple[dict[int, tuple[int, int]], dict[str, ProductFigures]]:
    """Units and revenue per category id, and per product, of the orders whose money was received."""
    per_category: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_product: dict[str, ProductFigures] = {}
    for order in orders:
        if order.status not in CONFIRMED:
            continue
        for line in order.lines:
            p = line.product
            per_category[p.category_id][0] += line.quantity
            per_category[p.category_id][1] += line.line_total
            old = per_product.get(p.sku, ProductFigures(p.sku, p.name, p.unit, 0, 0))
            per_product[p.sku] = ProductFigures(
                p.sku, p.name, p.unit, old.units + line.quantity, old.revenue + line.line_total
            )
    return {k: (v[0], v[1]) for k, v in per_category.items()}, per_product


def _pct(amount: int, pct: int) -> int:
    """`pct` percent of an amount in whole rupiah, rounded half up."""
    return (amount * pct + 50) // 100


def split_of(name: str, basis: SplitBasis | None, revenue: int, pcts: tuple[int, int, int], margin: int) -> SplitLine:
    """The estimated PNBP / premi / capital of a revenue under a category's split setting."""
    base = revenue if basis is SplitBasis.SALES else _pct(revenue, margin)
    pnbp, premi, capital = pcts
    return SplitLine(name, basis, base, _pct(base, pnbp), _pct(base, premi), _pct(base, capital))


async def _refusals(session: AsyncSession, monday: date) -> Refusals:
    """Refused order attempts of the week by reason."""
    entries = await session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == REFUSED,
            AuditEntry.at >= day_start(monday),
            AuditEntry.at < day_start(monday + timedelta(days=7)),
        )
    )
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        detail = entry.detail or {}
        reason = str(detail.get("reason", "other"))
        found[reason][0] += 1
        found[reason][1] += int(detail.get("quantity", 0) or 0)
    return Refusals({k: (v[0], v[1]) for k, v in found.items()})


async def record_refusal(
    session: AsyncSession, *, reason: str, sku: str, quantity: int, day: date | None, now: datetime,
    actor_telegram_id: int | None = None,
) -> None:
    """Records an order attempt the rules refused (past cut-off, capacity full...) for the weekly summary."""
    session.add(
        AuditEntry(
            actor_telegram_id=actor_telegram_id, action=REFUSED, subject=f"product:{sku}",
            detail={"reason": reason, "quantity": quantity, "day": day.isoformat() if day else None}, at=now,
        )
    )
    await session.flush()


async def _paving(session: AsyncSession, monday: date) -> PavingPipeline:
    """The paving pipeline now, plus the pieces handed over during the week."""
    open_statuses = [
        OrderStatus.PARTIALLY_PAID, OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.READY,
        OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DONE,
    ]
    orders = list(
        (await session.scalars(select(Order).where(Order.family == Family.PAVING, Order.status.in_(open_statuses))))
        .unique()
    )
    start, end = day_start(monday), day_start(monday + timedelta(days=7))

    def pieces(statuses: set[OrderStatus]) -> int:
        return sum(line.quantity for o in orders if o.status in statuses for line in o.lines)

    delivered = sum(
        line.quantity
        for o in orders
        if o.status is OrderStatus.DONE
        and any(h.to_status is OrderStatus.DONE and start <= h.at < end for h in o.history)
        for line in o.lines
    )
    owing = [o for o in orders if o.status is not OrderStatus.DONE and o.balance_due > 0]
    return PavingPipeline(
        ordered=pieces({OrderStatus.PARTIALLY_PAID, OrderStatus.PAID}),
        curing=pieces({OrderStatus.IN_PRODUCTION}),
        ready=pieces({OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY}),
        delivered=delivered,
        balances_due=sum(o.balance_due for o in owing),
        balance_orders=len(owing),
    )


async def weekly_summary(
    session: AsyncSession, monday: date, *, profit_margin_pct: int = DEFAULT_PROFIT_MARGIN_PCT
) -> WeeklySummary:
    """The summary of the week starting on `monday` (any date is moved back to its Monday)."""
    monday = monday - timedelta(days=monday.weekday())
    sunday = monday + timedelta(days=6)
    this_week = await orders_placed(session, monday, sunday)
    last_week = await orders_placed(session, monday - timedelta(days=7), monday - timedelta(days=1))
    sales, products = _sales(this_week)
    prev_sales, _ = _sales(last_week)
    categories = list(await session.scalars(select(Category).order_by(Category.position, Category.id)))
    figures = [
        CategoryFigures(
            c.slug, c.name_id, *sales.get(c.id, (0, 0)), *prev_sales.get(c.id, (0, 0)),
            c.split_basis, c.pnbp_pct, c.premi_pct, c.capital_pct,
        )
        for c in categories
        if c.id in sales or c.id in prev_sales
    ]
    split = [
        split_of(f.name, f.basis, f.revenue, (f.pnbp_pct, f.premi_pct, f.capital_pct), profit_margin_pct)
        for f in figures
        if f.revenue
    ]
    total = SplitLine(
        "Total", None, sum(s.base_amount for s in split), sum(s.pnbp for s in split),
        sum(s.premi for s in split), sum(s.capital for s in split),
    )
    received = await session.scalars(
        select(Payment.amount).where(
            Payment.state == PaymentState.PAID,
            Payment.paid_at >= day_start(monday),
            Payment.paid_at < day_start(sunday + timedelta(days=1)),
        )
    )
    no_shows = list(
        (
            await session.scalars(
                select(Order).where(
                    Order.status == OrderStatus.NO_SHOW, Order.fulfil_date >= monday, Order.fulfil_date <= sunday
                )
            )
        ).unique()
    )
    surplus = 0
    for offset in range(7):
        sheet = await reports.production_sheet(session, monday + timedelta(days=offset))
        surplus += sum(line.plan.surplus for line in sheet.lines)
    top = sorted(products.values(), key=lambda p: (-p.revenue, -p.units, p.sku))[:TOP_PRODUCTS]
    return WeeklySummary(
        monday=monday,
        categories=figures,
        top_products=top,
        paid=_count(o for o in this_week if o.status in CONFIRMED),
        unpaid=_count(o for o in this_week if o.status is OrderStatus.AWAITING_PAYMENT),
        expired=_count(o for o in this_week if o.status is OrderStatus.EXPIRED),
        cancelled=_count(o for o in this_week if o.status is OrderStatus.CANCELLED),
        received=sum(received),
        no_show=_count(no_shows),
        no_show_units=sum(line.quantity for o in no_shows for line in o.lines),
        surplus_units=surplus,
        refusals=await _refusals(session, monday),
        paving=await _paving(session, monday),
        split=split,
        split_total=total,
        profit_margin_pct=profit_margin_pct,
        rows=order_rows(this_week),
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


async def daily_recap(session: AsyncSession, day: date) -> DailyRecap:
    """Orders placed today, money received today, and how today's pickups went."""
    placed = await orders_placed(session, day, day)
    received = await session.scalars(
        select(Payment.amount).where(
            Payment.state == PaymentState.PAID,
            Payment.paid_at >= day_start(day),
            Payment.paid_at < day_start(day + timedelta(days=1)),
        )
    )
    due_today = list((await session.scalars(select(Order).where(Order.fulfil_date == day))).unique())
    return DailyRecap(
        day=day,
        new=_count(placed),
        received=sum(received),
        done=sum(1 for o in due_today if o.status is OrderStatus.DONE),
        no_show=sum(1 for o in due_today if o.status is OrderStatus.NO_SHOW),
        unpaid=sum(1 for o in placed if o.status is OrderStatus.AWAITING_PAYMENT),
        expired=sum(1 for o in placed if o.status is OrderStatus.EXPIRED),
    )
