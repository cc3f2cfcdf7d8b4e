"""The product card with photos: the picture with the card as its caption, ◀ 2/3 ▶, and "Selengkapnya".

Telegram allows 1024 characters in a caption, counted after the HTML is parsed (and in UTF-16 code units, so an
emoji counts twice). The name, price and order facts always fit; a longer description is cut at a word boundary
with "…" and a "Selengkapnya" button that shows the whole card as text (up to a message's 4096 characters).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot.keyboards import button, markup
from bot.render.buyer_common import Lang, esc
from bot.render.plain import plain
from bot.render.screen import Picture, Screen
from bot.routing.actions import Action
from bot.texts import t
from models.catalog import Product
from models.services.photos import GalleryPhoto

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
ELLIPSIS = "…"


def visible_length(html_text: str) -> int:
    """How long Telegram counts a text: its characters after HTML parsing, in UTF-16 code units."""
    return _units(plain(html_text))


def _units(text: str) -> int:
    """The length of plain text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def trim_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units (the "…" included), at the last space before the cut."""
    if _units(text) <= limit:
        return text
    room = limit - _units(ELLIPSIS)
    if room <= 0:
        return ""
    cut, used = 0, 0
    for i, char in enumerate(text):
        used += _units(char)
        if used > room:
            break
        cut = i + 1
    head = text[:cut]
    space = max(head.rfind(" "), head.rfind("\n"))
    # Never mid-word: back to the last space; one word longer than the room is the only thing cut inside.
    if space > 0 and not text[cut].isspace():
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def _card_text(name: str, description: str | None, facts: Sequence[str], limit: int) -> tuple[str, bool]:
    """The card's HTML within `limit` visible units: whether the description had to be trimmed to fit."""
    fixed = [f"<b>{esc(name)}</b>", *facts]
    if not description:
        return "\n".join(fixed), False
    room = limit - visible_length("\n".join(fixed)) - 1  # the description's own line break
    shown = trim_words(description, room)
    trimmed = shown != description
    lines = [fixed[0], *([esc(shown)] if shown else []), *fixed[1:]]
    return "\n".join(lines), trimmed


def _picture(shown: GalleryPhoto) -> Picture:
    """The screen's picture: by file id when this bot sent it before, else from its file."""
    return Picture(file_id=shown.file_id, file_name=shown.photo.file_name, photo_id=shown.photo.id)


def _arrows(lang: Lang, product_id: int, index: int, count: int) -> list[InlineKeyboardButton]:
    """◀ 2/3 ▶ for several photos (going round at either end); nothing for one."""
    if count < 2:
        return []
    return [
        button(t(lang, "b_btn_photo_prev"), Action.PRODUCT_PHOTO, product_id, (index - 1) % count),
        button(t(lang, "b_photo_counter", n=index + 1, total=count), Action.PRODUCT_PHOTO, product_id, index),
        button(t(lang, "b_btn_photo_next"), Action.PRODUCT_PHOTO, product_id, (index + 1) % count),
    ]


def photo_card(
    lang: Lang,
    product: Product,
    facts: Sequence[str],
    photos: Sequence[GalleryPhoto],
    index: int,
    action: list[InlineKeyboardButton],
    nav: list[InlineKeyboardButton],
) -> Screen:
    """Photo `index` of the product with the card as caption; "Selengkapnya" when the description was trimmed."""
    text, trimmed = _card_text(product.name, product.description, facts, CAPTION_LIMIT)
    more = [button(t(lang, "b_btn_read_more"), Action.PRODUCT_TEXT, product.id, index)] if trimmed else []
    keyboard = markup(_arrows(lang, product.id, index, len(photos)), more, action, nav)
    return Screen(text, keyboard, photo=_picture(photos[index]))


def full_card(
    lang: Lang,
    product: Product,
    facts: Sequence[str],
    index: int,
    action: list[InlineKeyboardButton],
    nav: list[InlineKeyboardButton],
) -> Screen:
    """The whole card as text (the description a caption could not hold), with a way back to photo `index`."""
    text, _ = _card_text(product.name, product.description, facts, TEXT_LIMIT)
    back_to_photo = [button(t(lang, "b_btn_photos"), Action.PRODUCT_PHOTO, product.id, index)]
    return Screen(text, markup(action, back_to_photo, nav))
