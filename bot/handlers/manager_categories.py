"""`/kategori`: managers add, rename, reorder and hide categories; a category with products is not removed.

Each change is one service call (which checks the role, refuses a name like an existing one and audits the
change); the list or the category is shown again in place.
"""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.render.manager_categories import ask_name_text, categories_screen, category_screen
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.press import Stale
from bot.routing.router import Router, manager_only
from bot.texts import t
from models.catalog import Category
from models.services import categories

router = Router()


async def _list(update: Update, context: BotContext, note: str | None = None, *, in_place: bool = True) -> None:
    """Shows every category with its product count."""
    found = await categories.all_categories(context.session, context.viewer.telegram_id)
    await replies.answer(context)
    await replies.show(update, context, categories_screen(context.lang, found, note), track=False,
                       in_place=in_place)


async def _found(context: BotContext, category_id: int) -> tuple[Category, int]:
    """The pressed category with its product count; Stale when it is gone."""
    found = await categories.all_categories(context.session, context.viewer.telegram_id)
    match = next(((c, n) for c, n in found if c.id == category_id), None)
    if match is None:
        raise Stale()
    return match


async def _one(update: Update, context: BotContext, category_id: int, note: str | None = None) -> None:
    """Shows one category's actions."""
    category, count = await _found(context, category_id)
    await replies.answer(context)
    await replies.show(update, context, category_screen(context.lang, category, count, note), track=False)


@router.command("kategori")
@manager_only
async def list_command(update: Update, context: BotContext) -> None:
    """`/kategori`: the categories in buyers' order."""
    await _list(update, context, in_place=False)


@router.button(Action.CATEGORIES_ADMIN)
@manager_only
async def list_pressed(update: Update, context: BotContext) -> None:
    """Back to the list of categories."""
    await _list(update, context)


@router.button(Action.CATEGORY_ADMIN)
@manager_only
async def one(update: Update, context: BotContext) -> None:
    """One category's actions."""
    await _one(update, context, context.press.int_arg(0))


@router.button(Action.CATEGORY_ADD, Action.CATEGORY_RENAME)
@manager_only
async def ask_name(update: Update, context: BotContext) -> None:
    """Asks for the new category's name, or the category's new name."""
    press = context.press
    target = (await _found(context, press.int_arg(0)))[0] if press.arg_count else None
    await replies.set_step(update, context, Step.CATEGORY_NAME, category=target.id if target else None)
    await replies.answer(context)
    await replies.show(update, context, Screen(ask_name_text(context.lang, target)), track=False)


@router.step(Step.CATEGORY_NAME)
@manager_only
async def typed_name(update: Update, context: BotContext) -> None:
    """Adds the category or renames it; a name like an existing one is refused (the question stays)."""
    message = update.effective_message
    text = (message.text if message is not None else None) or ""
    actor, now, lang = context.viewer.telegram_id, context.now(), context.lang
    target = context.step_data.get("category")
    if isinstance(target, int):
        category = await categories.rename(context.session, actor, target, text, now=now)
        note = t(lang, "mg_k_renamed", name=escape(category.name_id))
    else:
        category = await categories.create_category(context.session, text, actor=actor, now=now)
        note = t(lang, "mg_k_added", name=escape(category.name_id))
    await replies.set_step(update, context, None)
    await _list(update, context, note, in_place=False)


@router.button(Action.CATEGORY_MOVE)
@manager_only
async def move(update: Update, context: BotContext) -> None:
    """Moves a category one place up or down the buyers' list."""
    press = context.press
    up = press.choice(1, frozenset({"up", "down"})) == "up"
    await categories.move(context.session, context.viewer.telegram_id, press.int_arg(0), up, now=context.now())
    await _list(update, context)


@router.button(Action.CATEGORY_HIDE)
@manager_only
async def hide(update: Update, context: BotContext) -> None:
    """Hides a category from buyers, or shows it again."""
    category_id = context.press.int_arg(0)
    current, _ = await _found(context, category_id)
    await categories.set_hidden(context.session, context.viewer.telegram_id, category_id, not current.hidden,
                                now=context.now())
    await _one(update, context, category_id)


@router.button(Action.CATEGORY_REMOVE)
@manager_only
async def remove(update: Update, context: BotContext) -> None:
    """Removes an empty category; one with products is refused politely (hide it instead)."""
    name = await categories.remove(context.session, context.viewer.telegram_id, context.press.int_arg(0),
                                   now=context.now())
    await _list(update, context, t(context.lang, "mg_k_removed", name=escape(name)))
