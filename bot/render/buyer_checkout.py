"""Checkout screens: phone with consent, paving pickup or delivery, address, summary, placed orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.keyboards import button, markup
from bot.render.buyer_common import Lang, esc, family_label, slot_label, unit_text
from bot.render.errors import error_text
from bot.render.screen import Screen
from bot.routing.actions import Action, Audience
from bot.texts import t, tn
from bot.texts.format import long_date, number, rupiah
from models.catalog import Family
from models.order import Fulfilment, Order
from models.rules.address import ADDRESS_MAX, AddressProblem
from models.rules.phone import mask_phone
from models.services.checkout import BREAD_BY_DATE, GOODS_MADE, GOODS_STOCK, PAVING_READY, CheckoutFailed, PlannedOrder


def phone_prompt(lang: Lang) -> tuple[str, ReplyKeyboardMarkup]:
    """Asks for the phone once, with the request_contact key and the consent line."""
    keyboard = ReplyKeyboardMarkup(
        [
            [KeyboardButton(t(lang, "b_key_share_phone"), request_contact=True)],
            [KeyboardButton(t(lang, "b_key_cancel"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    return t(lang, "b_phone_prompt"), keyboard


def address_prompt(lang: Lang) -> tuple[str, ReplyKeyboardMarkup]:
    """Asks for the delivery address, offering the location key."""
    keyboard = ReplyKeyboardMarkup(
        [
            [KeyboardButton(t(lang, "b_key_share_location"), request_location=True)],
            [KeyboardButton(t(lang, "b_key_cancel"))],
        ],
        resize_keyboard=True,
    )
    return t(lang, "b_address_prompt"), keyboard


def fulfilment_screen(lang: Lang, place: str) -> Screen:
    """Own pickup or delivery for the paving orders."""
    return Screen(
        t(lang, "b_fulfil_prompt", place=esc(place)),
        markup(
            [button(t(lang, "b_btn_pickup"), Action.OWN_PICKUP), button(t(lang, "b_btn_delivery"), Action.DELIVERY)],
            [button(t(lang, "b_btn_cancel"), Action.CANCEL_CHECKOUT)],
        ),
    )


def when_text(lang: Lang, group: PlannedOrder, delivery: bool) -> str:
    """When and how one planned order is fulfilled."""
    day = long_date(group.fulfil_date, lang)
    if group.reason == BREAD_BY_DATE:
        return t(lang, "b_when_bread", date=day, slot=slot_label(group.slot) if group.slot else "")
    if group.reason == PAVING_READY:
        return t(lang, "b_when_paving_delivery" if delivery else "b_when_paving_pickup", date=day)
    if group.reason == GOODS_STOCK:
        return t(lang, "b_when_goods_stock", date=day)
    return t(lang, "b_when_goods_made", date=day)


def reason_text(lang: Lang, reason: str) -> str:
    """Why the cart's items went into this order (bread by date, paving curing, goods from stock or made)."""
    if reason == BREAD_BY_DATE:
        return t(lang, "b_reason_bread_by_date")
    if reason == PAVING_READY:
        return t(lang, "b_reason_paving_ready")
    if reason == GOODS_STOCK:
        return t(lang, "b_reason_goods_stock")
    if reason == GOODS_MADE:
        return t(lang, "b_reason_goods_made")
    raise ValueError(f"no text for the split reason {reason!r}")


@dataclass(frozen=True)
class SummaryText:
    """The summary's lines in its three parts: the title (and why the cart was split), one block per order, then
    the totals and terms; the chat shows them as paragraphs, the Mini App's cards show the orders themselves."""

    head: list[str]
    orders: list[list[str]]
    tail: list[str]

    @property
    def text(self) -> str:
        """The whole summary as the chat shows it, a paragraph per part."""
        return "\n\n".join("\n".join(block) for block in (self.head, *self.orders, self.tail))

    @property
    def notes(self) -> list[str]:
        """What the order blocks do not say: why the cart was split, then the totals and terms."""
        return self.head[1:] + self.tail


def summary_text(
    lang: Lang,
    planned: Sequence[PlannedOrder],
    *,
    phone: str | None,
    fulfilment: Fulfilment,
    address: str | None,
    has_location: bool,
    payment_minutes: int,
) -> SummaryText:
    """Every order the checkout will place, why the cart was split, totals, what is paid now and until when."""
    delivery = fulfilment is Fulfilment.DELIVERY
    head = [t(lang, "b_sum_title")]
    if len(planned) > 1:
        head.append(tn(lang, "b_sum_split", len(planned), n=number(len(planned), lang)))
    orders: list[list[str]] = []
    pay_now = 0
    for n, group in enumerate(planned, start=1):
        block = [
            t(lang, "b_sum_order", n=n, family=family_label(lang, group.family), when=when_text(lang, group, delivery)),
            reason_text(lang, group.reason),
        ]
        for item in group.items:
            p = item.product
            block.append(
                t(
                    lang,
                    "b_sum_line",
                    qty=number(item.quantity, lang),
                    unit=unit_text(lang, p, item.quantity),
                    product=esc(p.name),
                    total=rupiah(p.price * item.quantity),
                )
            )
        block.append(t(lang, "b_sum_subtotal", total=rupiah(group.total)))
        if group.deposit:
            block.append(
                t(lang, "b_sum_deposit", deposit=rupiah(group.deposit), balance=rupiah(group.total - group.deposit))
            )
        orders.append(block)
        pay_now += group.deposit or group.total
    total = sum(g.total for g in planned)
    tail = [t(lang, "b_sum_total", total=rupiah(total))]
    if pay_now != total:
        tail.append(t(lang, "b_sum_pay_now", amount=rupiah(pay_now)))
    if phone:
        tail.append(t(lang, "b_sum_phone", phone=mask_phone(phone)))
    if delivery and any(g.family is Family.PAVING for g in planned):
        tail.append(t(lang, "b_sum_address", address=esc(address or "")))
        if has_location:
            tail.append(t(lang, "b_sum_location"))
        tail.append(t(lang, "b_sum_delivery_fee"))
    tail.append(tn(lang, "b_sum_deadline", payment_minutes, minutes=number(payment_minutes, lang)))
    return SummaryText(head, orders, tail)


def summary_screen(
    lang: Lang,
    planned: Sequence[PlannedOrder],
    *,
    token: str,
    phone: str | None,
    fulfilment: Fulfilment,
    address: str | None,
    has_location: bool,
    payment_minutes: int,
) -> Screen:
    """The summary with Konfirmasi (carrying the summary's token), Ubah keranjang and Batal."""
    summary = summary_text(lang, planned, phone=phone, fulfilment=fulfilment, address=address,
                           has_location=has_location, payment_minutes=payment_minutes)
    return Screen(
        summary.text,
        markup(
            [button(t(lang, "b_btn_confirm"), Action.CONFIRM, token)],
            [button(t(lang, "b_btn_edit_cart"), Action.CART), button(t(lang, "b_btn_cancel"), Action.CANCEL_CHECKOUT)],
        ),
    )


def placed_screen(lang: Lang, orders: Sequence[Order]) -> Screen:
    """The orders just placed, before their payment codes."""
    lines = [t(lang, "b_placed")]
    for order in orders:
        lines.append(
            t(
                lang,
                "b_placed_line",
                code=order.code,
                date=long_date(order.fulfil_date, lang),
                total=rupiah(order.total),
            )
        )
    lines.append(t(lang, "b_placed_next"))
    return Screen("\n".join(lines), markup([button(t(lang, "b_btn_orders"), Action.ORDERS)]))


def payment_minutes(timeout: timedelta) -> int:
    """The payment timeout in whole minutes."""
    return int(timeout.total_seconds() // 60)


def failure_screen(lang: Lang, failed: CheckoutFailed) -> Screen:
    """Which item cannot be ordered and why (nothing was placed), with a way to fix it."""
    keyboard = markup(
        [button(t(lang, "b_btn_fix_item", product=failed.product_name[:30]), Action.CART_ITEM, failed.item_id)],
        [button(t(lang, "b_btn_cart"), Action.CART)],
    )
    return Screen(error_text(lang, failed, Audience.BUYER), keyboard)


_ADDRESS_KEYS = {
    AddressProblem.TOO_SHORT: "b_e_address_short",
    AddressProblem.TOO_LONG: "b_e_address_long",
    AddressProblem.NO_AREA: "b_e_address_area",
}


def address_problem_text(lang: Lang, problem: AddressProblem) -> str:
    """What is wrong with a typed address, and what it must say."""
    return t(lang, _ADDRESS_KEYS[problem], max=ADDRESS_MAX)
