"""The managers' weekly summary as a Telegram (HTML) message; the split is always labelled "estimasi"."""

from __future__ import annotations

from html import escape

from bot.texts import t, tn, unit_name
from bot.texts.format import Lang, long_date, number, rupiah
from models.services.weekly import WeeklySummary


def _change(lang: Lang, now: int, before: int) -> str:
    """ " (+12%)", " (-5%)", " (baru)" or nothing."""
    if before == 0:
        return t(lang, "mg_weekly_new") if now else ""
    pct = round((now - before) * 100 / before)
    return t(lang, "mg_weekly_change", sign="+" if pct >= 0 else "", pct=number(pct, lang))


def _orders(lang: Lang, n: int) -> str:
    """ "3 pesanan" / "1 order", for texts that count several things."""
    return tn(lang, "n_orders", n, n=number(n, lang))


def _units(lang: Lang, n: int) -> str:
    """ "12 unit" / "12 units", for texts that count several things."""
    return tn(lang, "n_units", n, n=number(n, lang))


def _sales(summary: WeeklySummary, lang: Lang) -> str:
    """The sales line with one line per category under it, or one short line when neither week sold."""
    s = summary
    if not s.categories:  # only categories that sold in either week are listed
        return t(lang, "mg_weekly_sales_none")
    total = tn(lang, "mg_weekly_total", s.units, revenue=rupiah(s.revenue), units=number(s.units, lang),
               prev=rupiah(s.prev_revenue), change=_change(lang, s.revenue, s.prev_revenue))
    return "\n".join([total] + [
        tn(lang, "mg_weekly_category", c.units, name=escape(c.name), units=number(c.units, lang),
           revenue=rupiah(c.revenue), change=_change(lang, c.revenue, c.prev_revenue))
        for c in s.categories
    ])


def _top(summary: WeeklySummary, lang: Lang) -> str:
    """The best sellers, or nothing in a week without sales."""
    if not summary.top_products:
        return ""
    return t(lang, "mg_weekly_top") + "\n" + "\n".join(
        t(lang, "mg_weekly_top_line", rank=i, name=escape(p.name), units=number(p.units, lang),
          unit=escape(unit_name(lang, p.unit, p.units)), revenue=rupiah(p.revenue))
        for i, p in enumerate(summary.top_products, start=1)
    )


def _payments(summary: WeeklySummary, lang: Lang) -> str:
    """Orders by payment state and the money received, or one short line when there was neither."""
    s = summary
    if not any((s.paid.orders, s.unpaid.orders, s.expired.orders, s.cancelled.orders, s.received, s.unique_codes)):
        return t(lang, "mg_weekly_pay_none")
    text = tn(lang, "mg_weekly_pay", s.paid.orders, paid=number(s.paid.orders, lang),
              paid_amount=rupiah(s.paid.amount), unpaid=number(s.unpaid.orders, lang),
              unpaid_amount=rupiah(s.unpaid.amount), expired=number(s.expired.orders, lang),
              cancelled=number(s.cancelled.orders, lang), received=rupiah(s.received))
    if s.unique_codes:  # money that came in on top of the instalments: on its own line, never in sales
        text += "\n" + t(lang, "unique_codes_line", amount=rupiah(s.unique_codes))
    return text


def _losses(summary: WeeklySummary, lang: Lang) -> str:
    """Uncollected orders and surplus bread, or one short line when there was none."""
    s = summary
    if not any((s.no_show.orders, s.no_show_units, s.surplus_units)):
        return t(lang, "mg_weekly_loss_none")
    return t(lang, "mg_weekly_loss", no_show=_orders(lang, s.no_show.orders), no_show_amount=rupiah(s.no_show.amount),
             no_show_units=_units(lang, s.no_show_units), surplus=_units(lang, s.surplus_units))


def _refusals(summary: WeeklySummary, lang: Lang) -> str:
    """Demand the rules turned away, or one short line when none was."""
    r = summary.refusals
    if not any(n for n, _ in r.by_reason.values()):
        return t(lang, "mg_weekly_refused_none")
    other = sum(n for reason, (n, _) in r.by_reason.items() if reason not in ("past_cutoff", "capacity_full"))
    return t(lang, "mg_weekly_refused", cutoff=number(r.attempts("past_cutoff"), lang),
             cutoff_units=_units(lang, r.units("past_cutoff")), capacity=number(r.attempts("capacity_full"), lang),
             capacity_units=_units(lang, r.units("capacity_full")),
             other=t(lang, "mg_weekly_refused_other", count=number(other, lang)) if other else "")


def _paving(summary: WeeklySummary, lang: Lang) -> str:
    """The paving pipeline, or one short line when no paving order is under way."""
    p = summary.paving
    if not any((p.ordered, p.curing, p.ready, p.delivered, p.balances_due, p.balance_orders)):
        return t(lang, "mg_weekly_paving_none")
    return tn(lang, "mg_weekly_paving", p.balance_orders, ordered=number(p.ordered, lang),
              curing=number(p.curing, lang), ready=number(p.ready, lang), delivered=number(p.delivered, lang),
              balances=rupiah(p.balances_due), orders=number(p.balance_orders, lang))


def _split(summary: WeeklySummary, lang: Lang) -> str:
    """The estimated split, or one short line (still labelled an estimate) when nothing was sold to split."""
    total = summary.split_total
    if not any((total.base_amount, total.pnbp, total.premi, total.capital)):
        return t(lang, "mg_weekly_split_none")
    return (t(lang, "mg_weekly_split", pnbp=rupiah(total.pnbp), premi=rupiah(total.premi),
              capital=rupiah(total.capital))
            + "\n" + t(lang, "mg_weekly_split_note", margin=summary.profit_margin_pct))


# The summary's sections in the order managers read them (the Mini App's dashboard shows each as a card).
SECTIONS = {
    "sales": _sales, "top": _top, "payments": _payments, "losses": _losses, "refused": _refusals,
    "paving": _paving, "split": _split,
}


def weekly_title(summary: WeeklySummary, lang: Lang = "id") -> str:
    """The summary's title with the week's first and last day."""
    return t(lang, "mg_weekly_title", first=long_date(summary.monday, lang), last=long_date(summary.sunday, lang))


def weekly_sections(summary: WeeklySummary, lang: Lang = "id") -> dict[str, str]:
    """Each section's HTML by name; an empty section is one short line or left out."""
    return {name: text for name, section in SECTIONS.items() if (text := section(summary, lang))}


def weekly_summary_html(summary: WeeklySummary, lang: Lang = "id") -> str:
    """Every figure of the week, sections in the order managers read them; an empty section is one short line or
    left out, so no blank lines pile up."""
    return "\n\n".join([weekly_title(summary, lang), *weekly_sections(summary, lang).values()])
