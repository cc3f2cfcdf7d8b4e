"""Handler registration in one place, with the group order written down."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.handlers import buyer, common, manager, staff, steps
from jobs.registry import register_jobs

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.EDITED_MESSAGE]

# Group -3: duplicate deliveries. Group -2: flood gate. Group -1: viewer gate (register the customer, resolve the role).
# Group 0: commands and buttons by role, then the free-input router, then the unknown-command fallback.


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds every handler and the error handler to the application."""
    common.register_gates(application)
    staff.register(application)
    manager.register(application)
    buyer.register(application)
    steps.register(application)
    common.register_fallbacks(application)
    application.add_error_handler(common.on_error)


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start-up work once the bot is connected: bootstrap admins, command menus, schedules."""
    await common.on_startup(application)
    register_jobs(application)


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Releases the database connections."""
    await common.on_shutdown(application)
