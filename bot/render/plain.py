"""Turns Telegram HTML into plain text for the terminal (CLI reports)."""

from __future__ import annotations

import re
from html import unescape


def plain(html_text: str) -> str:
    """Strips the HTML tags and decodes the entities."""
    return unescape(re.sub(r"</?[a-z][^>]*>", "", html_text))
