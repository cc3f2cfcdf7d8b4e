"""Pieces every buyer screen shares: the screen type, escaping, status words, slots, days and amounts."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from html import escape

from telegram import InlineKeyboardButton

from bot.keyboards import button
from bot.routing.actions import Action
from bot.texts import Lang, lang_of, t, unit_name
from bot.texts.format import clock, long_date, short_decimal
from bot.texts.labels import family_label, status_label
from models.calendar import PickupSlot
from models.catalog import Category, Product
from models.rules.calendar import to_wib

# Re-exported: the buyer renderers and handlers import these from here.
__all__ = ["Lang", "family_label", "lang_of", "status_label"]
_AREA_RE = re.compile(r"^[0-9]{1,6}(?:\.[0-9]{1,2})?$")


def esc(value: object) -> str:
    """Escapes text from people or the catalogue for Telegram HTML."""
    return escape(str(value), quote=False)


def category_name(lang: Lang, category: Category) -> str:
    """The category name: the catalogue's English name for English, its Indonesian name otherwise."""
    return esc(category.name_en if lang_of(lang) == "en" else category.name_id)


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


def area_text(area: Decimal, lang: Lang = "id") -> str:
    """An area in `lang` without trailing zeros: 50 -> "50", 52.5 -> "52,5" (id) / "52.5" (en)."""
    return short_decimal(area, lang, places=2)


def deadline_text(lang: Lang, moment: datetime) -> tuple[str, str]:
    """A deadline as ("11.00 WIB", "Jumat, 27 November 2026")."""
    local = to_wib(moment)
    return clock(local), long_date(local.date(), lang)


def unit_text(lang: Lang, product: Product, n: int) -> str:
    """The product's unit for `n` of it in `lang` ("biji" / "pieces"), escaped."""
    return esc(unit_name(lang, product.unit, n))


def nav_row(lang: Lang, back: InlineKeyboardButton | None = None) -> list[InlineKeyboardButton]:
    """A bottom row: an optional back button and the main menu."""
    row = [back] if back is not None else []
    return [*row, button(t(lang, "b_btn_menu"), Action.MENU)]
