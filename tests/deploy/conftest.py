"""Deployment-test fixtures; a loud line at the end when a tool was missing and its recipe went untested."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator.server import BotApiEmulator


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator on a free loopback port."""
    async with BotApiEmulator() as emu:
        yield emu


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Shouts when a deployment recipe was not tested for want of its tool (nginx, systemd-analyze, caddy)."""
    skipped = terminalreporter.stats.get("skipped", [])
    missing = sorted({str(r.longrepr[2]).split(":")[0].removeprefix("Skipped: ")
                      for r in skipped if "NOT INSTALLED" in str(getattr(r, "longrepr", ""))})
    if missing:
        terminalreporter.write_sep("!", f"deployment recipes NOT TESTED: {', '.join(missing)} missing",
                                   red=True, bold=True)
