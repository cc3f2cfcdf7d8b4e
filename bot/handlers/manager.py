"""Manager handlers: catalogue changes, staff invites, reports on demand."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the manager handlers."""
