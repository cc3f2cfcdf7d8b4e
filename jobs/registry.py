"""Every schedule of the bot, registered in one place on the application's JobQueue."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register_jobs(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Schedules the periodic jobs (Asia/Jakarta times from the settings)."""
