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


def weekly_summary_html(summary: WeeklySummary, lang: Lang = "id") -> str:
    """Every figure of the week, sections in the order managers read them."""
    s = summary
    out = [
        t(lang, "mg_weekly_title", first=long_date(s.monday, lang), last=long_date(s.sunday, lang)),
        tn(lang, "mg_weekly_total", s.units, revenue=rupiah(s.revenue), units=number(s.units, lang),
          prev=rupiah(s.prev_revenue), change=_change(lang, s.revenue, s.prev_revenue)),
        "\n".join(
            tn(lang, "mg_weekly_category", c.units, name=escape(c.name), units=number(c.units, lang),
               revenue=rupiah(c.revenue), change=_change(lang, c.revenue, c.prev_revenue))
            for c in s.categories
        ),
    ]
    if s.top_products:
        out.append(
            t(lang, "mg_weekly_top") + "\n" + "\n".join(
                t(lang, "mg_weekly_top_line", rank=i, name=escape(p.name), units=number(p.units, lang),
                  unit=escape(unit_name(lang, p.unit, p.units)), revenue=rupiah(p.revenue))
                for i, p in enumerate(s.top_products, start=1)
            )
        )
    out.append(
        tn(lang, "mg_weekly_pay", s.paid.orders, paid=number(s.paid.orders, lang), paid_amount=rupiah(s.paid.amount),
           unpaid=number(s.unpaid.orders, lang), unpaid_amount=rupiah(s.unpaid.amount),
           expired=number(s.expired.orders, lang), cancelled=number(s.cancelled.orders, lang),
           received=rupiah(s.received))
    )
    out.append(
        t(lang, "mg_weekly_loss", no_show=_orders(lang, s.no_show.orders), no_show_amount=rupiah(s.no_show.amount),
          no_show_units=_units(lang, s.no_show_units), surplus=_units(lang, s.surplus_units))
    )
    r = s.refusals
    other = sum(n for reason, (n, _) in r.by_reason.items() if reason not in ("past_cutoff", "capacity_full"))
    out.append(
        t(lang, "mg_weekly_refused", cutoff=number(r.attempts("past_cutoff"), lang),
          cutoff_units=_units(lang, r.units("past_cutoff")), capacity=number(r.attempts("capacity_full"), lang),
          capacity_units=_units(lang, r.units("capacity_full")),
          other=t(lang, "mg_weekly_refused_other", count=number(other, lang)) if other else "")
    )
    p = s.paving
    out.append(
        tn(lang, "mg_weekly_paving", p.balance_orders, ordered=number(p.ordered, lang), curing=number(p.curing, lang),
           ready=number(p.ready, lang), delivered=number(p.delivered, lang), balances=rupiah(p.balances_due),
           orders=number(p.balance_orders, lang))
    )
    total = s.split_total
    out.append(
        t(lang, "mg_weekly_split", pnbp=rupiah(total.pnbp), premi=rupiah(total.premi), capital=rupiah(total.capital))
        + "\n" + t(lang, "mg_weekly_split_note", margin=s.profit_margin_pct)
    )
    return "\n\n".join(out)
