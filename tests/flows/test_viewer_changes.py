"""The cached viewer and announced changes: a change heard while the viewer's rows were being read is not missed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.routing.context import VIEWER_KEY, Viewer, drop_all_viewers, drop_viewer
from bot.routing.gates import LONG_AGO
from tests.support.harness import Harness


def _viewer(bot: Harness, user_id: int) -> Viewer:
    """The viewer cached for a user."""
    found = bot.app.user_data[user_id][VIEWER_KEY]
    assert isinstance(found, Viewer)
    return found


async def test_a_change_heard_while_the_viewer_was_read_makes_the_next_update_read_it_again(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    role_reads: list[str] = []

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "staff_members.role" in statement and "FROM staff_members" in statement:
            role_reads.append(statement)
            if len(role_reads) == 1:
                drop_viewer(bot.app, 4242)  # a notification about someone else arrives while Siti's role is read

    event.listen(bot.services.engine.sync_engine, "before_cursor_execute", on_statement)
    try:
        await siti.send("/start")
        await siti.wait_for("Selamat datang")
        assert _viewer(bot, 1001).loaded_at == LONG_AGO  # used for that update only
        await siti.send("/start")
        await siti.wait_for("Selamat datang")
        assert len(role_reads) == 2  # read again, and this time nothing moved meanwhile
        assert _viewer(bot, 1001).loaded_at == bot.clock()
        await siti.send("/start")
        await siti.wait_for("Selamat datang")
        assert len(role_reads) == 2  # cached from now on
    finally:
        event.remove(bot.services.engine.sync_engine, "before_cursor_execute", on_statement)


async def test_when_changes_may_have_been_missed_every_cached_viewer_is_dropped(bot: Harness) -> None:
    users = [bot.emulator.user(1001, "Siti"), bot.emulator.user(1002, "Budi")]
    for user in users:
        await user.send("/start")
        await user.wait_for("Selamat datang")
    assert drop_all_viewers(bot.app) == 2
    assert all(VIEWER_KEY not in bot.app.user_data[user.id] for user in users)
    await users[0].send("/start")
    assert "Siti" in (await users[0].wait_for("Selamat datang")).text
