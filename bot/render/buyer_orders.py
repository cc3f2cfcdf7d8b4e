"""Pesanan Saya: the buyer's orders, one order in detail, and the cancel question."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardButton

from bot.keyboards import button, markup
from bot.render.buyer_common import Lang, deadline_text, esc, nav_row, slot_label, status_label, unit_text
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import t
from bot.texts.format import long_date, number, rupiah, short_date
from models.calendar import PickupSlot
from models.order import Fulfilment, Order, OrderStatus
from models.services.buyer_orders import is_payable
from models.services.fulfilment import buyer_may_cancel


def orders_screen(lang: Lang, orders: Sequence[Order]) -> Screen:
    """The buyer's recent orders as buttons: code, date and status word."""
    if not orders:
        catalogue = button(t(lang, "b_btn_catalogue"), Action.CATEGORIES, 0)
        return Screen(t(lang, "b_orders_empty"), markup([catalogue], nav_row(lang)))
    buttons = [
        [
            button(
                t(
                    lang,
                    "b_btn_order_row",
                    code=o.code,
                    date=short_date(o.fulfil_date, lang),
                    status=status_label(lang, o.status),
                ),
                Action.ORDER,
                o.code,
            )
        ]
        for o in orders
    ]
    return Screen(t(lang, "b_orders_title", n=number(len(orders), lang)), markup(*buttons, nav_row(lang)))


def _when(lang: Lang, order: Order, slot: PickupSlot | None) -> str:
    """The pickup (or ready) date with the slot."""
    day = long_date(order.fulfil_date, lang)
    if slot is not None:
        return t(lang, "b_order_pickup", date=day, slot=slot_label(slot))
    if order.fulfilment is Fulfilment.DELIVERY:
        return t(lang, "b_order_delivery_date", date=day)
    return t(lang, "b_order_ready_date", date=day)


def _money_lines(lang: Lang, order: Order) -> list[str]:
    """Total, paid and due."""
    lines = [t(lang, "b_order_total", total=rupiah(order.total))]
    if order.paid_amount:
        lines.append(t(lang, "b_order_paid", paid=rupiah(order.paid_amount)))
    if order.balance_due and order.status not in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
        lines.append(t(lang, "b_order_due", due=rupiah(order.balance_due)))
    return lines


def order_screen(lang: Lang, order: Order, slot: PickupSlot | None, *, now: datetime, place: str) -> Screen:
    """One order: status word, when, lines, money, pickup code when ready, and what the buyer may do."""
    lines = [
        t(lang, "b_order_title", code=order.code),
        t(lang, "b_order_status", status=status_label(lang, order.status)),
        _when(lang, order, slot),
    ]
    for line in order.lines:
        lines.append(
            t(
                lang,
                "b_sum_line",
                qty=number(line.quantity, lang),
                unit=unit_text(lang, line.product, line.quantity),
                product=esc(line.product.name),
                total=rupiah(line.line_total),
            )
        )
    lines += _money_lines(lang, order)
    if order.delivery_address:
        lines.append(t(lang, "b_order_address", address=esc(order.delivery_address)))
    if order.status is OrderStatus.AWAITING_PAYMENT and order.expires_at is not None:
        time_text, date_text = deadline_text(lang, order.expires_at)
        lines.append(t(lang, "b_order_deadline", time=time_text, date=date_text))
    if order.pickup_code and order.status in (OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY):
        lines.append(t(lang, "b_order_pickup_code", code=order.pickup_code))
        if order.status is OrderStatus.READY:
            lines.append(t(lang, "b_order_place", place=esc(place)))
    if order.status is OrderStatus.CANCELLED and order.cancel_reason:
        lines.append(t(lang, "b_order_reason", reason=esc(order.cancel_reason)))
    actions: list[InlineKeyboardButton] = []
    if is_payable(order):
        actions.append(button(t(lang, "b_btn_pay"), Action.PAY, order.code))
    if buyer_may_cancel(order, now):
        actions.append(button(t(lang, "b_btn_cancel_order"), Action.CANCEL_ORDER, order.code))
    back = button(t(lang, "b_btn_back"), Action.ORDERS)
    return Screen(
        "\n".join(lines),
        markup(actions, [button(t(lang, "b_btn_reorder"), Action.REORDER, order.code)], nav_row(lang, back)),
    )


def cancel_confirm_screen(lang: Lang, order: Order) -> Screen:
    """Asks before cancelling, saying that paid money is refunded."""
    lines = [t(lang, "b_cancel_confirm", code=order.code)]
    if order.paid_amount:
        lines.append(t(lang, "b_cancel_refund", paid=rupiah(order.paid_amount)))
    return Screen(
        "\n".join(lines),
        markup(
            [
                button(t(lang, "b_btn_yes_cancel"), Action.CANCEL_ORDER_YES, order.code),
                button(t(lang, "b_btn_no"), Action.ORDER, order.code),
            ]
        ),
    )
