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
from models.rules.calendar import to_wib
from models.services.audit_trail import TrailLine
from models.services.categories import SUBJECT_PREFIX, CategoryTrail

TRAIL_SHOWN = 40  # the newest changes, so the message stays well within Telegram's 4096 characters


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


def _trail_change(lang: Lang, line: TrailLine, name: str) -> str:
    """What one audited category change did, in words."""
    old, new = line.detail.get("old"), line.detail.get("new")
    if line.action == "category.add":  # under the name it was added with (later lines use its last name)
        return t(lang, "mg_c_trail_add", name=esc(str(new)) if new else name)
    if line.action == "category.name":
        return t(lang, "mg_c_trail_name", old=esc(str(old)), new=esc(str(new)))
    if line.action == "category.position":
        return t(lang, "mg_c_trail_position", name=name, old=esc(str(old)), new=esc(str(new)))
    if line.action == "category.hidden" and new:
        return t(lang, "mg_c_trail_hidden", name=name)
    if line.action == "category.hidden":
        return t(lang, "mg_c_trail_shown", name=name)
    if line.action == "category.remove":
        return t(lang, "mg_c_trail_remove", name=name)
    return esc(line.action)


def category_trail_text(lang: Lang, trail: CategoryTrail) -> str:
    """Who changed which category and how, one line each, oldest first (the newest TRAIL_SHOWN)."""
    out = [t(lang, "mg_c_trail_title")]
    shown = trail.lines[-TRAIL_SHOWN:]
    older = len(trail.lines) - len(shown)
    if older:
        out.append(tn(lang, "mg_c_trail_more", older, n=number(older, lang)))
    for line in shown:
        name = esc(trail.names.get(line.subject, line.subject.removeprefix(SUBJECT_PREFIX)))
        when = to_wib(line.at).strftime("%d-%m-%Y %H.%M")
        out.append(t(lang, "mg_trail_line", when=when, who=esc(line.actor), what=_trail_change(lang, line, name)))
    if not trail.lines:
        out.append(t(lang, "mg_p_trail_empty"))
    return "\n".join(out)
