"""A real telegram.ext.Application talks to the emulator unchanged."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.emulator import BotApiEmulator
from tests.emulator.conftest import build_app, running


async def _start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets with a catalogue button."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Katalog", callback_data="cat:1")]])
    await update.effective_message.reply_text("Selamat datang di <b>Karya Binaan</b>!", reply_markup=keyboard,
                                              parse_mode=ParseMode.HTML)


async def _catalogue(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the press and edits the screen in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Katalog halaman {query.data}")


async def test_start_then_press_edits_the_screen_in_place(emu: BotApiEmulator) -> None:
    app = build_app(emu)
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_catalogue))
    user = emu.user(1001, "Budi")
    async with running(app):
        await user.send("/start")
        greeting = await user.wait_for("Selamat datang")
        assert greeting.has_entity("bold", "Karya Binaan")
        assert user.buttons() == ["Katalog"]
        query_id = await user.press("Katalog")
        edited = await user.wait_for("Katalog halaman cat:1")
        await user.wait_idle()
    assert edited.edited and edited.message_id == greeting.message_id
    assert edited.buttons == []
    assert user.callback_answer(query_id) == {"text": None, "show_alert": False, "url": None}
    assert len(user.inbox) == 1
    assert emu.error_counts() == {}, "a clean run and shutdown leaves no error answers in the call log"


async def test_a_restarted_application_does_not_see_confirmed_updates_again(emu: BotApiEmulator) -> None:
    seen: list[str] = []

    async def record(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text("ok")

    user = emu.user(1001)
    for round_ in ("pertama", "kedua"):
        app = build_app(emu)
        app.add_handler(MessageHandler(filters.TEXT, record))
        async with running(app):
            await user.send(round_)
            await user.wait_for("ok")
            await user.wait_idle(quiet=0.05)
    assert seen == ["pertama", "kedua"]
