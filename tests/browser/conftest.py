"""Browser fixtures: the real bot with its web server against the emulator (tests/web), and Debian's Chromium
driven by Playwright, with a phone-sized page whose window.Telegram.WebApp is a recording stub."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.emulator.server import BotApiEmulator
from tests.conftest import IN_CI
from tests.reliability.conftest import RunningClock
from tests.web.conftest import clock, emulator, sqlite_url  # noqa: F401  (fixtures shared with the web tests)
from tests.web.support import WebBot, web_bot

try:  # a laptop without the dev extras: the tests below skip loudly rather than fail to collect
    from playwright.async_api import Browser, async_playwright
except ImportError:  # pragma: no cover
    async_playwright = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "miniapp"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _chromium() -> str:
    """The system Chromium's path; skips loudly without it (Playwright's own browser download is never used), and
    fails in CI, which installs Debian's `chromium` (.ci/run)."""
    missing = None
    if async_playwright is None:
        missing = "the Python package playwright is not installed (pip install -e '.[dev]')"
    elif not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        missing = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
    if missing:
        message = f"BROWSER TESTS NOT RUN: {missing}"
        if IN_CI:
            pytest.fail(message + " -- CI=true requires them")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless system Chromium."""
    path = _chromium()
    async with async_playwright() as pw:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        chromium = await pw.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield chromium
        finally:
            await chromium.close()


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

