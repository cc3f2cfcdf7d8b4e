"""The managers' weekly summary as a Telegram (HTML) message; the split is always labelled "estimasi"."""

from __future__ import annotations

from html import escape

from bot.texts import t
from bot.texts.format import Lang, long_date, number_id, rupiah
from models.services.weekly import WeeklySummary


def _change(lang: Lang, now: int, before: int) -> str:
    """ " (+12%)", " (-5%)", " (baru)" or nothing."""
    if before == 0:
        return t(lang, "mg_weekly_new") if now else ""
    pct = round((now - before) * 100 / before)
    return t(lang, "mg_weekly_change", sign="+" if pct >= 0 else "", pct=pct)


def weekly_summary_html(summary: WeeklySummary, lang: Lang = "id") -> str:
    """Every figure of the week, sections in the order managers read them."""
    s = summary
    out = [
        t(lang, "mg_weekly_title", first=long_date(s.monday, lang), last=long_date(s.sunday, lang)),
        t(lang, "mg_weekly_total", revenue=rupiah(s.revenue), units=number_id(s.units),
          prev=rupiah(s.prev_revenue), change=_change(lang, s.revenue, s.prev_revenue)),
        "\n".join(
            t(lang, "mg_weekly_category", name=escape(c.name), units=number_id(c.units), revenue=rupiah(c.revenue),
              change=_change(lang, c.revenue, c.prev_revenue))
            for c in s.categories
        ),
    ]
    if s.top_products:
        out.append(
            t(lang, "mg_weekly_top") + "\n" + "\n".join(
                t(lang, "mg_weekly_top_line", rank=i, name=escape(p.name), units=number_id(p.units),
                  unit=escape(p.unit), revenue=rupiah(p.revenue))
                for i, p in enumerate(s.top_products, start=1)
            )
        )
    out.append(
        t(lang, "mg_weekly_pay", paid=s.paid.orders, paid_amount=rupiah(s.paid.amount), unpaid=s.unpaid.orders,
          unpaid_amount=rupiah(s.unpaid.amount), expired=s.expired.orders, cancelled=s.cancelled.orders,
          received=rupiah(s.received))
    )
    out.append(
        t(lang, "mg_weekly_loss", no_show=s.no_show.orders, no_show_amount=rupiah(s.no_show.amount),
          no_show_units=number_id(s.no_show_units), surplus=number_id(s.surplus_units))
    )
    r = s.refusals
    other = sum(n for reason, (n, _) in r.by_reason.items() if reason not in ("past_cutoff", "capacity_full"))
    out.append(
        t(lang, "mg_weekly_refused", cutoff=r.attempts("past_cutoff"), cutoff_units=number_id(r.units("past_cutoff")),
          capacity=r.attempts("capacity_full"), capacity_units=number_id(r.units("capacity_full")),
          other=t(lang, "mg_weekly_refused_other", count=other) if other else "")
    )
    p = s.paving
    out.append(
        t(lang, "mg_weekly_paving", ordered=number_id(p.ordered), curing=number_id(p.curing), ready=number_id(p.ready),
          delivered=number_id(p.delivered), balances=rupiah(p.balances_due), orders=p.balance_orders)
    )
    total = s.split_total
    out.append(
        t(lang, "mg_weekly_split", pnbp=rupiah(total.pnbp), premi=rupiah(total.premi), capital=rupiah(total.capital))
        + "\n" + t(lang, "mg_weekly_split_note", margin=s.profit_margin_pct)
    )
    return "\n\n".join(out)
