"""Pieces every buyer screen shares: the screen type, escaping, status words, slots, days and amounts."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Literal

from telegram import InlineKeyboardButton

from bot.keyboards import button
from bot.routing.actions import Action
from bot.texts import t
from bot.texts.format import clock, decimal_id, long_date, number_id
from models.calendar import PickupSlot
from models.catalog import Category, Family, Product
from models.order import OrderStatus
from models.rules.calendar import to_wib

Lang = Literal["id", "en"]
_AREA_RE = re.compile(r"^[0-9]{1,6}(?:\.[0-9]{1,2})?$")


def esc(value: object) -> str:
    """Escapes text from people or the catalogue for Telegram HTML."""
    return escape(str(value), quote=False)


def status_label(lang: Lang, status: OrderStatus) -> str:
    """The status word buyers read (domain.md): "Menunggu Pembayaran", "Siap Diambil"..."""
    return t(lang, f"b_st_{status.value}")


def family_label(lang: Lang, family: Family) -> str:
    """ "Roti", "Paving", "Barang"."""
    return t(lang, f"b_fam_{family.value}")


def category_name(lang: Lang, category: Category) -> str:
    """The category name in the buyer's language."""
    return esc(category.name_en if lang == "en" else category.name_id)


def slot_label(slot: PickupSlot) -> str:
    """ "10.00–12.00 WIB"."""
    return f"{clock(slot.starts_at).removesuffix(' WIB')}–{clock(slot.ends_at)}"


def area_code(area: Decimal | None) -> str:
    """An area for callback data ("50.5"), "0" for none."""
    if area is None:
        return "0"
    return format(area.quantize(Decimal("0.01")).normalize(), "f")


def parse_area(text: str) -> Decimal | None:
    """The area of a callback argument, or None for "0" and anything malformed."""
    if not _AREA_RE.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value > 0 else None


def area_text(area: Decimal) -> str:
    """An area the Indonesian way without trailing zeros: 50 -> "50", 52.5 -> "52,5"."""
    if area == area.to_integral_value():
        return number_id(int(area))
    text = decimal_id(area, places=2)
    return text.rstrip("0").rstrip(",")


def deadline_text(lang: Lang, moment: datetime) -> tuple[str, str]:
    """A deadline as ("11.00 WIB", "Jumat, 27 November 2026")."""
    local = to_wib(moment)
    return clock(local), long_date(local.date(), lang)


def unit_text(product: Product) -> str:
    """The product's unit, escaped."""
    return esc(product.unit)


def nav_row(lang: Lang, back: InlineKeyboardButton | None = None) -> list[InlineKeyboardButton]:
    """A bottom row: an optional back button and the main menu."""
    row = [back] if back is not None else []
    return [*row, button(t(lang, "b_btn_menu"), Action.MENU)]
