"""Staff handlers (bakery, paving yard, galeri): today's list, production sheet, order cards."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the staff handlers."""
