"""Buyer handlers: welcome and navigation (thin adapters over the services)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.handlers.common import services, viewer_of
from bot.texts import t


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the buyer and shows the main menu."""
    viewer = viewer_of(context)
    user = update.effective_user
    name = user.first_name if user else ""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t(viewer.lang, "welcome", name=name, shop=services(context).settings.shop_name)
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the buyer handlers."""
    application.add_handler(CommandHandler("start", start))
