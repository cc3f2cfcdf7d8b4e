"""The floors of benchmark 4: plain SQL (no ORM) that computes what the reports show.

The production sheet's floor is one aggregate (paid and unpaid units per bread product for the day) plus the
list of unpaid orders the sheet prints. The weekly summary's floor follows the definitions in
models/services/weekly.py: aggregates for sales per category (this week and the week before), top products,
orders per status, money received, no-shows, the bread surplus of the week's sheets, refused demand and the
paving pipeline, plus the spreadsheet rows (one per order line of the week) that the summary also returns.
Each floor returns `Totals` so the run can check the report and its floor agree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause

from models.base import UtcDateTime
from models.order import OrderStatus
from models.rules.batches import plan_batches
from models.rules.lifecycle import CONFIRMED
from models.services.reports import ProductionSheet
from models.services.weekly import WeeklySummary, day_start

S = OrderStatus
_PAVING_OPEN = (S.PARTIALLY_PAID, S.PAID, S.IN_PRODUCTION, S.READY, S.OUT_FOR_DELIVERY, S.DONE)
Totals = dict[str, Any]


def _in(statuses: Iterable[OrderStatus]) -> str:
    """An SQL list of status literals (fixed enum values, never user input)."""
    return "(" + ", ".join(f"'{s.value}'" for s in sorted(statuses)) + ")"


def _sql(sql: str, *dates: str, stamps: tuple[str, ...] = ()) -> TextClause:
    """A text query whose date and timestamp parameters are typed like the ORM columns."""
    params = [bindparam(d, type_=Date()) for d in dates] + [bindparam(s, type_=UtcDateTime()) for s in stamps]
    return text(sql).bindparams(*params)


SHEET_TOTALS = _sql(
    f"""SELECT ol.product_id,
        COALESCE(SUM(CASE WHEN o.status IN {_in(CONFIRMED)} THEN ol.quantity END), 0),
        COALESCE(SUM(CASE WHEN o.status = 'AWAITING_PAYMENT' THEN ol.quantity END), 0)
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id
    WHERE o.fulfil_date = :day AND o.family = 'bread'
    GROUP BY ol.product_id""",
    "day",
)
SHEET_UNPAID = _sql(
    """SELECT o.code, p.sku, ol.quantity
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN products p ON p.id = ol.product_id
    WHERE o.fulfil_date = :day AND o.family = 'bread' AND o.status = 'AWAITING_PAYMENT'
    ORDER BY o.code""",
    "day",
)


async def sheet_floor(conn: AsyncConnection, day: date) -> Totals:
    """Paid and unpaid units per product, and the unpaid entries, for one pickup day."""
    result = await conn.execute(SHEET_TOTALS, {"day": day})
    totals = {int(pid): (int(paid), int(unpaid)) for pid, paid, unpaid in result}
    unpaid = [tuple(row) for row in await conn.execute(SHEET_UNPAID, {"day": day})]
    return {"units": {k: v for k, v in totals.items() if v != (0, 0)}, "unpaid": len(unpaid)}


def sheet_totals(sheet: ProductionSheet, sku_to_id: dict[str, int]) -> Totals:
    """The same figures read from the report."""
    units = {sku_to_id[line.sku]: (line.plan.need, line.unpaid_qty) for line in sheet.lines}
    return {"units": units, "unpaid": len(sheet.unpaid)}


_WEEK = "o.created_at >= :start AND o.created_at < :end"
_CATEGORY_SALES = _sql(
    f"""SELECT p.category_id,
        SUM(CASE WHEN o.created_at >= :start THEN ol.quantity ELSE 0 END),
        SUM(CASE WHEN o.created_at >= :start THEN ol.line_total ELSE 0 END),
        SUM(CASE WHEN o.created_at < :start THEN ol.quantity ELSE 0 END),
        SUM(CASE WHEN o.created_at < :start THEN ol.line_total ELSE 0 END)
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN products p ON p.id = ol.product_id
    WHERE o.created_at >= :prev AND o.created_at < :end AND o.status IN {_in(CONFIRMED)}
    GROUP BY p.category_id""",
    stamps=("start", "end", "prev"),
)
_TOP = _sql(
    f"""SELECT p.sku, SUM(ol.quantity) AS units, SUM(ol.line_total) AS revenue
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN products p ON p.id = ol.product_id
    WHERE {_WEEK} AND o.status IN {_in(CONFIRMED)}
    GROUP BY p.sku ORDER BY revenue DESC, units DESC, p.sku LIMIT 5""",
    stamps=("start", "end"),
)
_STATUS = _sql(
    f"SELECT o.status, COUNT(*), COALESCE(SUM(o.total), 0) FROM orders o WHERE {_WEEK} GROUP BY o.status",
    stamps=("start", "end"),
)
_RECEIVED = _sql(
    "SELECT COALESCE(SUM(amount), 0) FROM payments WHERE state = 'paid' AND paid_at >= :start AND paid_at < :end",
    stamps=("start", "end"),
)
_NO_SHOW = _sql(
    """SELECT COUNT(*), COALESCE(SUM(total), 0) FROM orders
    WHERE status = 'NO_SHOW' AND fulfil_date >= :first AND fulfil_date <= :last""",
    "first", "last",
)
_NO_SHOW_UNITS = _sql(
    """SELECT COALESCE(SUM(ol.quantity), 0) FROM orders o JOIN order_lines ol ON ol.order_id = o.id
    WHERE o.status = 'NO_SHOW' AND o.fulfil_date >= :first AND o.fulfil_date <= :last""",
    "first", "last",
)
_BAKED = _sql(
    f"""SELECT o.fulfil_date, ol.product_id, SUM(ol.quantity)
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id
    WHERE o.fulfil_date >= :first AND o.fulfil_date <= :last AND o.family = 'bread' AND o.status IN {_in(CONFIRMED)}
    GROUP BY o.fulfil_date, ol.product_id""",
    "first", "last",
)
_BATCHES = text("SELECT id, batch_yield, units_per_tray FROM products")
_REFUSED = _sql(
    "SELECT detail FROM audit_log WHERE action = 'demand.refused' AND at >= :start AND at < :end",
    stamps=("start", "end"),
)
_PAVING = text(
    f"""SELECT o.status, SUM(ol.quantity) FROM orders o JOIN order_lines ol ON ol.order_id = o.id
    WHERE o.family = 'paving' AND o.status IN {_in(_PAVING_OPEN)} GROUP BY o.status"""
)
_PAVING_DELIVERED = _sql(
    """SELECT COALESCE(SUM(ol.quantity), 0) FROM orders o JOIN order_lines ol ON ol.order_id = o.id
    WHERE o.family = 'paving' AND o.status = 'DONE' AND EXISTS (
        SELECT 1 FROM order_status_history h
        WHERE h.order_id = o.id AND h.to_status = 'DONE' AND h.at >= :start AND h.at < :end)""",
    stamps=("start", "end"),
)
_PAVING_OWING = text(
    f"""SELECT COUNT(*), COALESCE(SUM(total - paid_amount), 0) FROM orders
    WHERE family = 'paving' AND status IN {_in(set(_PAVING_OPEN) - {S.DONE})} AND total > paid_amount"""
)
_ROWS = _sql(
    f"""SELECT o.code, o.created_at, o.fulfil_date, o.source, o.status, c.slug, p.sku, p.name, ol.quantity, p.unit,
        ol.unit_price, ol.line_total, o.total, o.paid_amount
    FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN products p ON p.id = ol.product_id
        JOIN categories c ON c.id = p.category_id
    WHERE {_WEEK} ORDER BY o.created_at, o.id, ol.id""",
    stamps=("start", "end"),
)


async def weekly_floor(conn: AsyncConnection, monday: date) -> Totals:
    """The weekly summary's figures from plain SQL."""
    sunday = monday + timedelta(days=6)
    week = {"start": day_start(monday), "end": day_start(monday + timedelta(days=7))}
    days = {"first": monday, "last": sunday}
    sales = {
        int(cid): (int(u), int(r), int(pu), int(pr))
        for cid, u, r, pu, pr in await conn.execute(_CATEGORY_SALES, {**week, "prev": day_start(monday - timedelta(7))})
    }
    top = [str(sku) for sku, _, _ in await conn.execute(_TOP, week)]
    by_status = {str(s): (int(n), int(v)) for s, n, v in await conn.execute(_STATUS, week)}
    received = int((await conn.execute(_RECEIVED, week)).scalar_one())
    no_show = tuple(int(x) for x in (await conn.execute(_NO_SHOW, days)).one())
    no_show_units = int((await conn.execute(_NO_SHOW_UNITS, days)).scalar_one())
    batches = {int(pid): (by, upt) for pid, by, upt in await conn.execute(_BATCHES)}
    surplus = sum(
        plan_batches(int(units), batches[int(pid)][0] or 1, batches[int(pid)][1]).surplus
        for _, pid, units in await conn.execute(_BAKED, days)
    )
    refused: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (detail,) in await conn.execute(_REFUSED, week):
        entry = json.loads(detail) if isinstance(detail, str) else detail or {}
        refused[str(entry.get("reason", "other"))][0] += 1
        refused[str(entry.get("reason", "other"))][1] += int(entry.get("quantity", 0) or 0)
    paving = {str(s): int(q) for s, q in await conn.execute(_PAVING)}
    delivered = int((await conn.execute(_PAVING_DELIVERED, week)).scalar_one())
    owing = tuple(int(x) for x in (await conn.execute(_PAVING_OWING)).one())
    rows = (await conn.execute(_ROWS, week)).all()

    def count(*statuses: OrderStatus) -> tuple[int, int]:
        picked = [by_status.get(s.value, (0, 0)) for s in statuses]
        return sum(n for n, _ in picked), sum(v for _, v in picked)

    return {
        "sales": {k: v for k, v in sales.items() if any(v)},
        "top": top,
        "paid": count(*CONFIRMED),
        "unpaid": count(S.AWAITING_PAYMENT),
        "expired": count(S.EXPIRED),
        "cancelled": count(S.CANCELLED),
        "received": received,
        "no_show": (*no_show, no_show_units),
        "surplus": surplus,
        "refused": {k: tuple(v) for k, v in refused.items()},
        "paving": (
            sum(paving.get(s.value, 0) for s in (S.PARTIALLY_PAID, S.PAID)),
            paving.get(S.IN_PRODUCTION.value, 0),
            sum(paving.get(s.value, 0) for s in (S.READY, S.OUT_FOR_DELIVERY)),
            delivered,
            owing[1],
            owing[0],
        ),
        "rows": len(rows),
    }


def weekly_totals(summary: WeeklySummary, slug_to_id: dict[str, int]) -> Totals:
    """The same figures read from the summary."""
    p = summary.paving
    return {
        "sales": {
            slug_to_id[c.slug]: (c.units, c.revenue, c.prev_units, c.prev_revenue)
            for c in summary.categories
            if (c.units, c.revenue, c.prev_units, c.prev_revenue) != (0, 0, 0, 0)
        },
        "top": [t.sku for t in summary.top_products],
        "paid": (summary.paid.orders, summary.paid.amount),
        "unpaid": (summary.unpaid.orders, summary.unpaid.amount),
        "expired": (summary.expired.orders, summary.expired.amount),
        "cancelled": (summary.cancelled.orders, summary.cancelled.amount),
        "received": summary.received,
        "no_show": (summary.no_show.orders, summary.no_show.amount, summary.no_show_units),
        "surplus": summary.surplus_units,
        "refused": dict(summary.refusals.by_reason),
        "paving": (p.ordered, p.curing, p.ready, p.delivered, p.balances_due, p.balance_orders),
        "rows": len(summary.rows),
    }


def differences(report: Totals, floor: Totals) -> list[str]:
    """The figures on which a report and its floor disagree (empty when they agree)."""
    return [key for key in sorted(set(report) | set(floor)) if report.get(key) != floor.get(key)]
