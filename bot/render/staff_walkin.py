"""The walk-in order form staff fill in: one screen per step, each with a way out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton

from bot.keyboards import button, day_code, markup, rows
from bot.render.screen import Screen
from bot.render.staff_cards import slot_label
from bot.routing.actions import Action
from bot.texts import t, unit_name
from bot.texts.format import Lang, long_date, number, rupiah, short_date
from bot.texts.labels import source_label
from models.catalog import Product
from models.order import OrderSource
from models.services.catalogue import DateOption, SlotOption

SOURCES = (OrderSource.WALK_IN, OrderSource.PHONE, OrderSource.INSTAGRAM)


def _abort_row(lang: Lang) -> list[InlineKeyboardButton]:
    """The cancel button every step shows."""
    return [button(t(lang, "st_walkin_abort"), Action.WALKIN_ABORT)]


def ask(lang: Lang, text: str) -> Screen:
    """A question of the form with only the way out (typed answers: quantity, name, phone)."""
    return Screen(text, markup(_abort_row(lang)))


def sources_screen(lang: Lang) -> Screen:
    """Where does the order come from?"""
    choices = [button(source_label(lang, s), Action.WALKIN_SOURCE, s.value) for s in SOURCES]
    return Screen(t(lang, "st_walkin_source"), markup(choices, _abort_row(lang)))


def products_screen(lang: Lang, products: Sequence[Product]) -> Screen:
    """Which product?"""
    choices = [button(f"{p.name[:28]} · {rupiah(p.price)}", Action.WALKIN_PRODUCT, p.id) for p in products]
    return Screen(t(lang, "st_walkin_product"), markup(*rows(choices, per_row=1), _abort_row(lang)))


def quantity_screen(lang: Lang, product: Product) -> Screen:
    """How many?"""
    unit = unit_name(lang, product.unit, 2)  # "how many pieces"
    return ask(lang, t(lang, "st_walkin_qty", unit=escape(unit), name=escape(product.name)))


def dates_screen(lang: Lang, options: Sequence[DateOption]) -> Screen:
    """Which pickup date (only the open ones)?"""
    choices = [button(short_date(o.day, lang), Action.WALKIN_DATE, day_code(o.day)) for o in options]
    return Screen(t(lang, "st_walkin_date"), markup(*rows(choices, per_row=3), _abort_row(lang)))


def slots_screen(lang: Lang, slots: Sequence[SlotOption]) -> Screen:
    """Which pickup slot (only those with room)?"""
    choices = [button(slot_label(o.slot), Action.WALKIN_SLOT, o.slot.id) for o in slots]
    return Screen(t(lang, "st_walkin_slot"), markup(*rows(choices), _abort_row(lang)))


def payment_screen(lang: Lang) -> Screen:
    """Cash or QRIS?"""
    pay = [
        button(t(lang, "st_walkin_cash"), Action.WALKIN_METHOD, "cash"),
        button(t(lang, "st_walkin_qris"), Action.WALKIN_METHOD, "qris"),
    ]
    return Screen(t(lang, "st_walkin_pay"), markup(pay, _abort_row(lang)))


def summary_screen(
    lang: Lang, *, name: str, source: OrderSource, product: Product, quantity: int, day: date | None, cash: bool
) -> Screen:
    """Everything typed, to check before saving."""
    text = t(
        lang, "st_walkin_summary", name=escape(name), source=source_label(lang, source),
        items=escape(f"{product.name} x {number(quantity, lang)} {unit_name(lang, product.unit, quantity)}"),
        when=long_date(day, lang) if day else "-", total=rupiah(product.price * quantity),
        pay=t(lang, "st_walkin_cash" if cash else "st_walkin_qris"),
    )
    return Screen(text, markup([button(t(lang, "st_walkin_ok"), Action.WALKIN_SAVE)], _abort_row(lang)))
