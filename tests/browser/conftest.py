"""Browser fixtures: the real bot with its web server against the emulator (tests/web), and Debian's Chromium
driven by Playwright, with a phone-sized page whose window.Telegram.WebApp is a recording stub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bench.browser import chromium, unavailable
from bot.emulator.server import BotApiEmulator
from tests.conftest import IN_CI
from tests.reliability.conftest import RunningClock
from tests.web.conftest import clock, emulator, sqlite_url  # noqa: F401  (fixtures shared with the web tests)
from tests.web.support import WebBot, web_bot

if TYPE_CHECKING:
    from playwright.async_api import Browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "miniapp"


def _chromium() -> None:
    """Skips loudly without Playwright or the system Chromium (Playwright's own browser download is never used), and
    fails in CI, which installs Debian's `chromium` (.ci/run)."""
    missing = unavailable()
    if missing:
        message = f"BROWSER TESTS NOT RUN: {missing}"
        if IN_CI:
            pytest.fail(message + " -- CI=true requires them")
        pytest.skip(message)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless system Chromium (the benchmark's launch, bench/browser.py)."""
    _chromium()
    async with chromium() as launched:
        yield launched


@pytest.fixture
async def shop(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, tmp_path: Path  # noqa: F811
) -> AsyncIterator[WebBot]:
    """The bot in long-polling mode with its web server (and so the Mini App), on an SQLite file; the chocolate bun
    has two photos and the grey paving one, the rest none."""
    from tests.browser.support import seed_photos  # needs playwright, which _chromium() checks first

    _chromium()
    async with web_bot(emulator, sqlite_url, clock, media_dir=tmp_path / "media") as bot:
        await seed_photos(bot, "RTI-MNS-CKL", "bread", 2)
        await seed_photos(bot, "PVB-BTA-6", "paving")
        yield bot


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (gitignored; CI keeps them as test artefacts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

