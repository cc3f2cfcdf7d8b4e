"""What a manager reads while keeping the categories: the list in buyers' order, and one category's actions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.keyboards import button, markup, rows
from bot.render.buyer_common import esc
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import Lang, t, tn
from bot.texts.format import number
from models.catalog import Category


def _name(category: Category) -> str:
    """Both names when they differ ("Roti / Bread")."""
    same = category.name_en == category.name_id
    return esc(category.name_id if same else f"{category.name_id} / {category.name_en}")


def categories_screen(lang: Lang, found: Sequence[tuple[Category, int]], note: str | None = None) -> Screen:
    """Every category in buyers' order with its product count, a button each, and + Tambah."""
    lines = [note] if note else []
    lines.append(t(lang, "mg_k_title"))
    for position, (category, count) in enumerate(found, start=1):
        state = t(lang, "mg_k_hidden_mark") if category.hidden else ""
        lines.append(tn(lang, "mg_k_line", count, n=position, name=_name(category), count=number(count, lang),
                        state=state))
    buttons = [button(f"{n}. {c.name_id[:24]}", Action.CATEGORY_ADMIN, c.id) for n, (c, _) in enumerate(found, 1)]
    add = [button(t(lang, "mg_k_btn_add"), Action.CATEGORY_ADD)]
    return Screen("\n".join(lines), markup(*rows(buttons, 2), add))


def category_screen(lang: Lang, category: Category, count: int, note: str | None = None) -> Screen:
    """One category: rename, move up or down, hide or show, remove (refused while it holds products)."""
    lines = [note] if note else []
    lines.append(tn(lang, "mg_k_detail", count, name=_name(category), count=number(count, lang)))
    lines.append(t(lang, "mg_p_state_hidden") if category.hidden else t(lang, "mg_p_state_shown"))
    ident = category.id
    keyboard = markup(
        [button(t(lang, "mg_k_btn_rename"), Action.CATEGORY_RENAME, ident)],
        [button(t(lang, "mg_k_btn_up"), Action.CATEGORY_MOVE, ident, "up"),
         button(t(lang, "mg_k_btn_down"), Action.CATEGORY_MOVE, ident, "down")],
        [button(t(lang, "mg_p_btn_show" if category.hidden else "mg_p_btn_hide"), Action.CATEGORY_HIDE, ident),
         button(t(lang, "mg_k_btn_remove"), Action.CATEGORY_REMOVE, ident)],
        [button(t(lang, "mg_k_btn_list"), Action.CATEGORIES_ADMIN)],
    )
    return Screen("\n".join(lines), keyboard)


def ask_name_text(lang: Lang, category: Category | None) -> str:
    """Asks for a new category's name, or a category's new name."""
    if category is None:
        return t(lang, "mg_k_ask_new")
    return t(lang, "mg_k_ask_rename", name=_name(category))
