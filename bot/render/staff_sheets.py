"""Scheduled staff messages: production sheet, morning plan, slot reminder, daily recap, a failed backup."""

from __future__ import annotations

from datetime import date, time
from html import escape

from bot.render.staff_cards import items_text, slot_label, status_label
from bot.texts import t, tn
from bot.texts.format import Lang, clock, long_date, number, rupiah
from models.calendar import PickupSlot
from models.rules.lifecycle import CONFIRMED
from models.services.desk import OrderView
from models.services.reports import ProductionSheet
from models.services.weekly import DailyRecap


def late_note(lang: Lang, due: time) -> str:
    """The line that marks a message sent after its time ("Terlambat: seharusnya 05.30 WIB")."""
    return t(lang, "st_late", time=clock(due))


def backup_failed_html(lang: Lang, day: date, error: str) -> str:
    """Tells an admin that the day's database backup failed, with the one-line reason."""
    return t(lang, "mg_backup_failed", day=long_date(day, lang), error=escape(error))


def sheet_html(sheet: ProductionSheet, lang: Lang) -> str:
    """Per bread product: ordered (paid), batches, planned, trays, surplus; unpaid orders apart."""
    out = [t(lang, "st_sheet_title", date=long_date(sheet.day, lang))]
    if not any(line.plan.need for line in sheet.lines):
        out.append(t(lang, "st_sheet_empty"))
    for line in sheet.lines:
        plan = line.plan
        if plan.need == 0:
            continue
        trays = tn(lang, "st_sheet_trays", plan.trays, trays=number(plan.trays, lang)) if plan.trays is not None else ""
        out.append(
            t(lang, "st_sheet_line", name=escape(line.name), sku=escape(line.sku), need=number(plan.need, lang),
              batches=number(plan.batches, lang), batch_yield=number(plan.batch_yield, lang),
              planned=number(plan.planned, lang), trays=trays, surplus=number(plan.surplus, lang))
        )
    if any(line.plan.need for line in sheet.lines):
        surplus = sum(line.plan.surplus for line in sheet.lines)
        out.append(t(lang, "st_sheet_total", planned=number(sheet.total_planned, lang), surplus=number(surplus, lang)))
    if sheet.unpaid:  # one list under its heading, by product name as in every other staff text
        out.append("\n".join([t(lang, "st_sheet_unpaid"), *(
            t(lang, "st_sheet_unpaid_line", code=u.code, name=escape(u.name), qty=number(u.quantity, lang))
            for u in sheet.unpaid
        )]))
    return "\n\n".join(out)


def morning_html(sheet: ProductionSheet, pickups: list[OrderView], lang: Lang) -> str:
    """The morning plan: today's bake and today's pickups by slot."""
    out = [t(lang, "st_morning_title", date=long_date(sheet.day, lang)), sheet_html(sheet, lang)]
    if not pickups:
        out.append(t(lang, "st_morning_none"))
        return "\n\n".join(out)
    out.append(tn(lang, "st_morning_pickups", len(pickups), count=number(len(pickups), lang)))
    lines = []
    for view in pickups:
        order = view.order
        mark = t(lang, "st_paid_mark" if order.status in CONFIRMED else "st_unpaid_mark")
        slot = slot_label(view.slot) or "-"
        lines.append(f"{mark} {slot} · {order.code} · {items_text(order, lang)} · {status_label(lang, order.status)}")
    return "\n\n".join(out) + "\n" + "\n".join(lines)


def slot_reminder_html(slot: PickupSlot, views: list[OrderView], lang: Lang) -> str:
    """Staff reminder before a slot: how many orders, how many paid, and their codes."""
    paid = sum(1 for v in views if v.order.status in CONFIRMED)
    count = len(views)
    head = tn(
        lang, "st_slot_reminder", count, slot=slot_label(slot), count=number(count, lang), paid=number(paid, lang)
    )
    lines = [f"• {v.order.code} · {items_text(v.order, lang)} · {status_label(lang, v.order.status)}" for v in views]
    return "\n".join([head, *lines])


def recap_html(recap: DailyRecap, lang: Lang) -> str:
    """The daily recap at closing."""
    text = t(lang, "st_recap_title", date=long_date(recap.day, lang)) + "\n" + t(
        lang, "st_recap_body", new=number(recap.new.orders, lang), new_value=rupiah(recap.new.amount),
        received=rupiah(recap.received), done=number(recap.done, lang), no_show=number(recap.no_show, lang),
        unpaid=number(recap.unpaid, lang), expired=number(recap.expired, lang),
    )
    if recap.unique_codes:
        text += "\n" + t(lang, "unique_codes_line", amount=rupiah(recap.unique_codes))
    return text
