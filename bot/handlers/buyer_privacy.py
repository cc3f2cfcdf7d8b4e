"""The buyer's own data and settings: /bahasa, /datasaya and /hapusdata (UU PDP)."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot.handlers.buyer_screen import Press, Stale, action, lang, say, show, viewer
from bot.handlers.common import forget_viewer, services
from bot.render.buyer_account import delete_confirm_screen, delete_refused_text, language_screen, stored_data_screen
from bot.render.buyer_common import Screen, lang_of
from bot.texts import languages, t
from models.errors import NotAllowed
from models.people import Customer
from models.services import customers


async def open_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers Bahasa Indonesia or English."""
    await show(update, context, language_screen(lang(context)))


@action("blang")
async def choose_language(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Switches the buyer's language and answers in it."""
    chosen = press.text_arg(0)
    if chosen not in languages():
        raise Stale()
    async with services(context).session_factory.begin() as session:
        customer = await session.get(Customer, viewer(context).customer_id)
        if customer is None:
            raise Stale()
        await customers.set_language(session, customer, chosen)
    viewer(context).lang = chosen  # the cached viewer answers in the new language from now on
    new = lang_of(chosen)
    await show(update, context, Screen(t(new, "b_lang_set")))
    await press.answer(t(new, "b_lang_set"))


async def open_stored_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/datasaya: shows everything stored about the buyer."""
    async with services(context).session_factory() as session:
        customer = await session.get(Customer, viewer(context).customer_id)
        if customer is None:
            raise Stale()
        data = await customers.stored_data(session, customer)
    await show(update, context, stored_data_screen(lang(context), data))


async def ask_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hapusdata: says what is erased and what stays, and asks."""
    await show(update, context, delete_confirm_screen(lang(context)))


@action("bdely")
async def delete(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Erases or pseudonymises the buyer's personal data; refused politely while an order is open."""
    try:
        async with services(context).session_factory.begin() as session:
            customer = await session.get(Customer, viewer(context).customer_id)
            if customer is None or customer.pseudonymised:
                raise Stale()
            await customers.erase_personal_data(session, customer)
    except NotAllowed as exc:
        codes = [str(c) for c in exc.details.get("codes", [])]  # type: ignore[attr-defined]
        await show(update, context, Screen(delete_refused_text(lang(context), codes)))
        return
    text = t(lang(context), "b_deleted")
    forget_viewer(context)
    await press.answer()
    if update.callback_query is not None and update.callback_query.message is not None:
        await update.callback_query.edit_message_text(text)
    else:
        await say(update, context, text, ReplyKeyboardRemove())
