"""The baseline bot: bare python-telegram-bot with one echo handler and no database, nothing of ours imported.

    python -m bench.echobot --api URL --files URL --token T [--sequential]

PTB's own concurrent processing (256 at a time) unless --sequential (PTB's default, one at a time).
Polls until SIGINT or SIGTERM.

Besides echoing, "tombol" gets a message with ten inline buttons, and a press is answered the way our bot
answers a browsing press (answerCallbackQuery, then editMessageText with the keyboard): benchmark 1's
second floor, what two Bot API calls per press cost without any database.
"""

from __future__ import annotations

import argparse
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

BUTTONS = InlineKeyboardMarkup(
    [[InlineKeyboardButton(f"Tombol {i}", callback_data=f"t:{i}") for i in (j, j + 1)] for j in range(1, 11, 2)]
)


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies with the same text."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if message.text == "tombol":
        await message.reply_text("Pilih tombol", reply_markup=BUTTONS)
    else:
        await message.reply_text(message.text)


async def press(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the press and edits the message to name the button, keeping the keyboard."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    await query.edit_message_text(f"Layar {query.data.split(':')[1]}", reply_markup=BUTTONS)


def main() -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m bench.echobot")
    parser.add_argument("--api", required=True)
    parser.add_argument("--files", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--sequential", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    builder = ApplicationBuilder().token(args.token).base_url(args.api).base_file_url(args.files)
    application = builder.concurrent_updates(not args.sequential and 256).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(press))
    application.run_polling(poll_interval=0.0, timeout=10)


if __name__ == "__main__":
    main()
