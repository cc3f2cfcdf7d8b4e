"""The buyer's own data and settings: /bahasa, /datasaya and /hapusdata (UU PDP)."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot.render.buyer_account import delete_confirm_screen, delete_refused_text, language_screen, stored_data_screen
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action
from bot.routing.context import BotContext
from bot.routing.router import Router
from bot.texts import lang_of, languages, t
from models.errors import OpenOrders
from models.services import customers

router = Router()


@router.command("bahasa", private_only=True)
async def open_language(update: Update, context: BotContext) -> None:
    """/bahasa: offers Bahasa Indonesia or English."""
    await replies.show(update, context, language_screen(context.lang))


@router.button(Action.LANGUAGE)
async def choose_language(update: Update, context: BotContext) -> None:
    """Switches the buyer's language and answers in it."""
    chosen = context.press.choice(0, frozenset(languages()))
    await customers.set_language_of(context.session, context.viewer.customer_id, chosen)
    context.viewer.lang = chosen  # the cached viewer answers in the new language from now on
    new = lang_of(chosen)
    await replies.show(update, context, Screen(t(new, "b_lang_set")))
    await replies.answer(context, t(new, "b_lang_set"))


@router.command("datasaya", private_only=True)
async def open_stored_data(update: Update, context: BotContext) -> None:
    """/datasaya: shows everything stored about the buyer."""
    data = await customers.stored_data_of(context.session, context.viewer.customer_id)
    await replies.show(update, context, stored_data_screen(context.lang, data))


@router.command("hapusdata", private_only=True)
async def ask_delete(update: Update, context: BotContext) -> None:
    """/hapusdata: says what is erased and what stays, and asks."""
    await replies.show(update, context, delete_confirm_screen(context.lang))


@router.button(Action.DELETE_DATA_YES)
async def delete(update: Update, context: BotContext) -> None:
    """Erases or pseudonymises the buyer's personal data; refused politely while an order is open."""
    try:
        await customers.erase(context.session, context.viewer.customer_id)
    except OpenOrders as exc:
        codes = [str(c) for c in exc.details.get("codes", [])]  # type: ignore[attr-defined]
        await replies.show(update, context, Screen(delete_refused_text(context.lang, codes)))
        return
    text = t(context.lang, "b_deleted")
    context.forget_viewer()
    await replies.answer(context)
    pressed = update.callback_query.message if update.callback_query else None
    if pressed is not None:
        await replies.show(update, context, Screen(text), track=False)
    else:
        await replies.say(update, context, text, ReplyKeyboardRemove())
