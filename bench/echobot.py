"""The baseline bot: bare python-telegram-bot with one echo handler and no database, nothing of ours imported.

    python -m bench.echobot --api URL --files URL --token T [--sequential]

PTB's own concurrent processing (256 at a time) unless --sequential (PTB's default, one at a time).
Polls until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import logging

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies with the same text."""
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


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
    application.run_polling(poll_interval=0.0, timeout=10)


if __name__ == "__main__":
    main()
