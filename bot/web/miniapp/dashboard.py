"""The managers' weekly dashboard as JSON: the weekly summary's figures, with texts in the manager's language.

Pure functions of a `WeeklySummary` (models/services/weekly.py, the same figures as the automated Monday
message); the cards' lines are the chat summary's own sections (bot/render/weekly.py) as plain text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from bot.render.plain import plain
from bot.render.weekly import weekly_sections
from bot.texts import Lang, t, tn, unit_name
from bot.texts.format import long_date, number, rupiah, short_date
from models.rules.lifecycle import CONFIRMED
from models.rules.parsing import week_name
from models.services.weekly import Count, SplitLine, WeeklySummary

_SOLD = frozenset(s.value for s in CONFIRMED)  # statuses whose lines count as sales (as in weekly._sales)


def change_pct(now: int, before: int) -> int | None:
    """Whole percent against the week before; None when there was nothing before."""
    return None if before == 0 else round((now - before) * 100 / before)


def change_text(lang: Lang, now: int, before: int) -> str:
    """ "+12% dari minggu lalu", "baru" (nothing the week before) or ""."""
    pct = change_pct(now, before)
    if pct is None:
        return t(lang, "mg_dash_new") if now else ""
    return t(lang, "mg_dash_change", sign="+" if pct >= 0 else "", pct=number(pct, lang))


def _money(amount: int) -> dict[str, Any]:
    """An amount with its text."""
    return {"amount": amount, "amount_text": rupiah(amount)}


def _count(lang: Lang, count: Count) -> dict[str, Any]:
    """A number of orders and their value, with texts."""
    return {"orders": count.orders, "orders_text": tn(lang, "n_orders", count.orders, n=number(count.orders, lang)),
            **_money(count.amount)}


def _units(lang: Lang, n: int) -> str:
    """ "12 unit" / "12 units"."""
    return tn(lang, "n_units", n, n=number(n, lang))


def _split_line(line: SplitLine) -> dict[str, Any]:
    """One line of the estimated split."""
    return {"name": line.name, "basis": line.basis.value if line.basis else None, "base": line.base_amount,
            "pnbp": line.pnbp, "premi": line.premi, "capital": line.capital,
            "pnbp_text": rupiah(line.pnbp), "premi_text": rupiah(line.premi), "capital_text": rupiah(line.capital)}


def days_json(summary: WeeklySummary, lang: Lang) -> list[dict[str, Any]]:
    """Sales per day the orders were placed (WIB), Monday to Sunday: they add up to the week's revenue."""
    per_day: dict[date, int] = defaultdict(int)
    for row in summary.rows:
        if row.status in _SOLD:
            per_day[row.created_at.date()] += row.line_total
    days = [summary.monday + timedelta(days=i) for i in range(7)]
    return [{"date": d.isoformat(), "label": short_date(d, lang), "revenue": per_day[d],
             "revenue_text": rupiah(per_day[d])} for d in days]


def weekly_json(summary: WeeklySummary, lang: Lang, this_monday: date) -> dict[str, Any]:
    """Every figure of the week; `this_monday` (the current week) says whether the week is over."""
    s, p = summary, summary.paving
    return {
        "week": week_name(s.monday), "monday": s.monday.isoformat(), "sunday": s.sunday.isoformat(),
        "prev_week": week_name(s.monday - timedelta(days=7)),
        "next_week": week_name(s.monday + timedelta(days=7)) if s.monday < this_monday else None,
        "complete": s.monday < this_monday,
        "title_text": t(lang, "mg_dash_span", first=long_date(s.monday, lang), last=long_date(s.sunday, lang)),
        "revenue": s.revenue, "revenue_text": rupiah(s.revenue),
        "prev_revenue": s.prev_revenue, "prev_revenue_text": rupiah(s.prev_revenue),
        "change_pct": change_pct(s.revenue, s.prev_revenue),
        "change_text": change_text(lang, s.revenue, s.prev_revenue),
        "units": s.units, "units_text": _units(lang, s.units),
        "orders": {name: _count(lang, c) for name, c in
                   (("paid", s.paid), ("unpaid", s.unpaid), ("expired", s.expired), ("cancelled", s.cancelled))},
        "received": s.received, "received_text": rupiah(s.received),
        "unique_codes": s.unique_codes, "unique_codes_text": rupiah(s.unique_codes),
        "losses": {"no_show": _count(lang, s.no_show), "no_show_units": s.no_show_units,
                   "surplus_units": s.surplus_units},
        "refused": [{"reason": reason, "attempts": n, "units": units}
                    for reason, (n, units) in sorted(s.refusals.by_reason.items())],
        "paving": {"ordered": p.ordered, "curing": p.curing, "ready": p.ready, "delivered": p.delivered,
                   "balances_due": p.balances_due, "balances_due_text": rupiah(p.balances_due),
                   "balance_orders": p.balance_orders},
        "split": {"lines": [_split_line(line) for line in s.split], "total": _split_line(s.split_total),
                  "margin_pct": s.profit_margin_pct},
        "top_products": [{"sku": x.sku, "name": x.name, "units": x.units, "revenue": x.revenue,
                          "units_text": f"{number(x.units, lang)} {unit_name(lang, x.unit, x.units)}",
                          "revenue_text": rupiah(x.revenue)} for x in s.top_products],
        "categories": [{"slug": c.slug, "name": c.name, "units": c.units, "revenue": c.revenue,
                        "revenue_text": rupiah(c.revenue), "prev_revenue": c.prev_revenue,
                        "prev_revenue_text": rupiah(c.prev_revenue), "change_pct": c.change_pct,
                        "change_text": change_text(lang, c.revenue, c.prev_revenue)} for c in s.categories],
        "days": days_json(s, lang),
        "sections": [{"key": key, "lines": plain(html).split("\n")} for key, html in weekly_sections(s, lang).items()],
    }
