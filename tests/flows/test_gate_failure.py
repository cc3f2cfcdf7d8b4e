"""When the database cannot be reached for the viewer gate, the buyer gets one apology and nothing else runs."""

from __future__ import annotations

import logging

import pytest

from tests.support.harness import Harness


class _Down:
    """A session factory whose database is unreachable."""

    def begin(self) -> object:
        raise ConnectionRefusedError("database down")

    def __call__(self) -> object:
        raise ConnectionRefusedError("database down")


async def test_a_failing_gate_answers_once_and_stops_the_update(bot: Harness,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    siti = bot.emulator.user(1001, "Siti")
    working = bot.services.session_factory
    bot.services.session_factory = _Down()  # type: ignore[assignment]
    with caplog.at_level(logging.ERROR):
        await siti.send("/start")
        apology = await siti.wait_for("Mohon maaf, terjadi kendala")
        await siti.wait_idle()
    assert [m.text for m in siti.inbox] == [apology.text]
    assert "viewer gate did not run" not in caplog.text
    assert "gate failed; update" in caplog.text
    bot.services.session_factory = working
    await siti.send("/start")
    await siti.wait_for("Selamat datang")
