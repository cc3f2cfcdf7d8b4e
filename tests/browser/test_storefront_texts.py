"""The page's words are the catalogues' `app_*` texts: every key app.js names exists in Indonesian and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.texts.catalogues import catalogue

APP_JS = Path(__file__).resolve().parents[2] / "bot" / "web" / "miniapp" / "static" / "app.js"


def keys_in_page() -> set[str]:
    """Every "app_..." string literal of app.js (the page reads texts by literal key only)."""
    return set(re.findall(r"""["'](app_[a-z0-9_]+)["']""", APP_JS.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_key_the_page_reads_is_translated(lang: str) -> None:
    """A missing key would show as its name on the page."""
    keys = keys_in_page()
    assert len(keys) > 30
    assert sorted(keys - catalogue(lang).texts) == []
