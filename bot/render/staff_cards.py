"""Staff screens: the order card with the buttons its state allows, and today's pickup list."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards import button, markup, rows
from bot.render.payable import payable_text
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import Lang, lang_of, t, tn, unit_name
from bot.texts.format import clock, long_date, number, rupiah
from bot.texts.labels import source_label
from bot.texts.labels import staff_status_label as status_label
from models.calendar import PickupSlot
from models.order import Fulfilment, Order, OrderStatus
from models.payment import Payment
from models.rules.lifecycle import CONFIRMED, can_move
from models.services.desk import OrderView

# Re-exported: the staff renderers import these from here.
__all__ = ["lang_of", "status_label"]


def slot_label(slot: PickupSlot | None) -> str:
    """ "10.00–12.00 WIB", or empty without a slot."""
    if slot is None:
        return ""
    return f"{clock(slot.starts_at).removesuffix(' WIB')}–{clock(slot.ends_at)}"


def items_text(order: Order, lang: Lang = "id") -> str:
    """ "Roti Manis Keju x 24, Roti Sobek isi 10 x 2" (short product names)."""
    return ", ".join(f"{escape(line.product.name)} x {number(line.quantity, lang)}" for line in order.lines)


def card_text(view: OrderView, lang: Lang) -> str:
    """The order card: code and status, lines, money, when, and where the order came from."""
    order = view.order
    lines = "\n".join(
        f"• {escape(line.product.name)} · {number(line.quantity, lang)} "
        f"{escape(unit_name(lang, line.product.unit, line.quantity))} · "
        f"{rupiah(line.line_total)}"
        for line in order.lines
    )
    balance = t(lang, "st_card_balance", balance=rupiah(order.balance_due)) if order.balance_due else ""
    slot = f" · {slot_label(view.slot)}" if view.slot else ""
    if order.fulfilment is Fulfilment.DELIVERY:
        when = t(lang, "st_card_delivery", date=long_date(order.fulfil_date, lang))
    else:
        when = t(lang, "st_card_when", date=long_date(order.fulfil_date, lang), slot=slot)
    contact = t(lang, "st_card_contact", name=escape(order.contact_name)) if order.contact_name else ""
    text = t(
        lang, "st_card", code=order.code, status=status_label(lang, order.status), lines=lines,
        total=rupiah(order.total), paid=rupiah(order.paid_amount), balance=balance, when=when,
        source=source_label(lang, order.source) + contact,
    )
    if order.pickup_code and order.status in (OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY):
        text += "\n" + t(lang, "st_card_pickup_code", pickup_code=order.pickup_code)
    if order.status is OrderStatus.CANCELLED and order.cancel_reason:
        text += "\n" + t(lang, "st_card_cancel_reason", reason=escape(order.cancel_reason))
    return text


def card_buttons(view: OrderView, lang: Lang) -> list[InlineKeyboardButton]:
    """Only the actions the order's state allows right now."""
    order, status = view.order, view.order.status
    found: list[InlineKeyboardButton] = []
    takes_money = status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PARTIALLY_PAID) or (
        status in CONFIRMED and status not in (OrderStatus.DONE, OrderStatus.NO_SHOW)
    )
    if order.balance_due > 0 and takes_money:
        if view.pending is not None:
            label = t(lang, "st_btn_confirm", amount=rupiah(view.pending.payable_amount))
            found.append(button(label, Action.CONFIRM_PAYMENT, view.pending.id))
        found.append(button(t(lang, "st_btn_cash", amount=rupiah(order.balance_due)), Action.CASH, order.id))
    if status in (OrderStatus.PAID, OrderStatus.PARTIALLY_PAID) and can_move(status, OrderStatus.IN_PRODUCTION):
        found.append(button(t(lang, "st_btn_start"), Action.START_PRODUCTION, order.id))
    delivery = order.fulfilment is Fulfilment.DELIVERY
    if status in CONFIRMED and status not in (OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY):
        target = OrderStatus.OUT_FOR_DELIVERY if delivery else OrderStatus.READY
        if can_move(status, target) and not (delivery and order.balance_due > 0):
            found.append(button(t(lang, "st_btn_send" if delivery else "st_btn_ready"), Action.READY, order.id))
    if can_move(status, OrderStatus.DONE) and order.balance_due == 0:
        found.append(button(t(lang, "st_btn_delivered" if delivery else "st_btn_done"), Action.HAND_OVER, order.id))
    if can_move(status, OrderStatus.CANCELLED):
        found.append(button(t(lang, "st_btn_cancel"), Action.ASK_CANCEL_REASON, order.id))
    return found


def card_markup(view: OrderView, lang: Lang) -> InlineKeyboardMarkup | None:
    """The card's keyboard, two buttons a row (none for a closed order)."""
    buttons = card_buttons(view, lang)
    return markup(*rows(buttons)) if buttons else None


def today_text(views: list[OrderView], day_label: str, lang: Lang) -> str:
    """Today's pickups grouped by slot; paid ones ticked."""
    if not views:
        return t(lang, "st_today_empty", date=day_label)
    paid = sum(1 for v in views if v.order.status in CONFIRMED)
    count = len(views)
    out = [tn(lang, "st_today_title", count, date=day_label, count=number(count, lang), paid=number(paid, lang))]
    groups: dict[int | None, list[OrderView]] = {}
    for view in views:
        groups.setdefault(view.slot.id if view.slot else None, []).append(view)
    for members in groups.values():
        slot = members[0].slot
        n = len(members)
        header = (
            tn(lang, "st_slot", n, slot=slot_label(slot), count=number(n, lang))
            if slot
            else tn(lang, "st_no_slot", n, count=number(n, lang))
        )
        out.append("\n" + header)
        for view in members:
            order = view.order
            mark = t(lang, "st_paid_mark" if order.status in CONFIRMED else "st_unpaid_mark")
            name = f" · {escape(order.contact_name)}" if order.contact_name else ""
            out.append(
                t(lang, "st_today_line", mark=mark, code=order.code, items=items_text(order, lang), name=name)
                + f" · {status_label(lang, order.status)}"
            )
    return "\n".join(out)


def today_markup(views: list[OrderView], limit: int = 40) -> InlineKeyboardMarkup:
    """One button per order (code), opening its card."""
    buttons = [
        button(("✅ " if v.order.status in CONFIRMED else "⏳ ") + v.order.code, Action.CARD, v.order.id)
        for v in views[:limit]
    ]
    return markup(*rows(buttons, per_row=3))


def card_screen(view: OrderView, lang: Lang, note: str = "") -> Screen:
    """The order card with its buttons, and a note under it (what just happened) when given."""
    text = card_text(view, lang)
    return Screen(f"{text}\n\n{note}" if note else text, card_markup(view, lang))


def money_note(lang: Lang, order: Order, payment: Payment, *, cash: bool = False) -> str:
    """How much came in (by QRIS or in cash) and where the order stands now."""
    key = "st_ok_cash" if cash else "st_ok_paid"
    return t(lang, key, code=order.code, amount=payable_text(lang, payment), status=status_label(lang, order.status))
