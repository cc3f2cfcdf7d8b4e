"""Cart screens: the cart with totals, one item to change or remove, and the "added" confirmation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.keyboards import button, markup, rows
from bot.render.buyer_common import Lang, area_text, esc, nav_row, slot_label, unit_text
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import t, tn
from bot.texts.format import long_date, number, rupiah
from models.calendar import PickupSlot
from models.catalog import Family
from models.conversation import CartItem


def _item_lines(lang: Lang, n: int, item: CartItem, slots: Mapping[int, PickupSlot]) -> list[str]:
    """An item with its line total, pickup date and slot for bread, and the area it covers for paving."""
    p = item.product
    lines = [
        t(
            lang,
            "b_cart_line",
            n=n,
            qty=number(item.quantity, lang),
            unit=unit_text(lang, p, item.quantity),
            product=esc(p.name),
            total=rupiah(p.price * item.quantity),
        )
    ]
    if item.fulfil_date is not None:
        slot = slots.get(item.slot_id or 0)
        lines.append(
            t(lang, "b_cart_when", date=long_date(item.fulfil_date, lang), slot=slot_label(slot) if slot else "")
        )
    if item.area_m2 is not None:
        lines.append(t(lang, "b_cart_area", area=area_text(item.area_m2, lang)))
    return lines


def cart_total(items: Sequence[CartItem]) -> int:
    """The cart's total at today's prices."""
    return sum(i.product.price * i.quantity for i in items)


def cart_screen(lang: Lang, items: Sequence[CartItem], slots: Mapping[int, PickupSlot]) -> Screen:
    """The cart: numbered items, total, a button per item, checkout."""
    if not items:
        return Screen(
            t(lang, "b_cart_empty"),
            markup([button(t(lang, "b_btn_catalogue"), Action.CATEGORIES, 0)], nav_row(lang)),
        )
    lines = [t(lang, "b_cart_title")]
    for n, item in enumerate(items, start=1):
        lines += _item_lines(lang, n, item, slots)
    lines.append(t(lang, "b_cart_total", total=rupiah(cart_total(items))))
    lines.append(t(lang, "b_cart_hint"))
    item_buttons = [
        button(t(lang, "b_btn_item", n=n), Action.CART_ITEM, item.id) for n, item in enumerate(items, start=1)
    ]
    return Screen(
        "\n".join(lines),
        markup(
            *rows(item_buttons, 5),
            [button(t(lang, "b_btn_checkout"), Action.CHECKOUT)],
            [button(t(lang, "b_btn_more"), Action.CATEGORIES, 0), button(t(lang, "b_btn_clear"), Action.CLEAR_CART)],
            nav_row(lang),
        ),
    )


def item_screen(lang: Lang, item: CartItem, slots: Mapping[int, PickupSlot]) -> Screen:
    """One cart item with "Ubah jumlah", "Ganti tanggal" (bread) and "Hapus"."""
    lines = _item_lines(lang, 1, item, slots)
    lines = [t(lang, "b_item_title"), lines[0].removeprefix("1. "), *lines[1:]]
    actions = [button(t(lang, "b_btn_change_qty"), Action.ITEM_QUANTITY, item.id)]
    if item.product.family is Family.BREAD:
        actions.append(button(t(lang, "b_btn_change_date"), Action.MOVE_ITEM, item.id))
    return Screen(
        "\n".join(lines),
        markup(
            actions,
            [button(t(lang, "b_btn_remove"), Action.REMOVE_ITEM, item.id)],
            nav_row(lang, button(t(lang, "b_btn_back"), Action.CART)),
        ),
    )


def item_quantity_prompt(lang: Lang, item: CartItem) -> Screen:
    """Asks for the item's new quantity."""
    p = item.product
    qty, unit = number(item.quantity, lang), unit_text(lang, p, item.quantity)
    text = t(lang, "b_item_qty_prompt", product=esc(p.name), qty=qty, unit=unit)
    return Screen(text, markup(nav_row(lang, button(t(lang, "b_btn_back"), Action.CART_ITEM, item.id))))


def clear_confirm_screen(lang: Lang) -> Screen:
    """Asks before emptying the whole cart."""
    return Screen(
        t(lang, "b_clear_confirm"),
        markup([button(t(lang, "b_btn_yes_clear"), Action.CLEAR_CART_YES), button(t(lang, "b_btn_no"), Action.CART)]),
    )


def added_screen(lang: Lang, item: CartItem, count: int, total: int) -> Screen:
    """Confirms what went into the cart and offers checkout, more shopping or the cart."""
    p = item.product
    text = tn(
        lang,
        "b_added",
        count,
        qty=number(item.quantity, lang),
        unit=unit_text(lang, p, item.quantity),
        product=esc(p.name),
        count=number(count, lang),
        total=rupiah(total),
    )
    return Screen(
        text,
        markup(
            [button(t(lang, "b_btn_checkout"), Action.CHECKOUT)],
            [
                button(t(lang, "b_btn_more"), Action.CATEGORIES, 0),
                button(t(lang, "b_btn_cart_n", n=count), Action.CART),
            ],
        ),
    )
