"""A new chat's first screen and first step, written by two bot processes at the same moment: one row, both kept."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models.conversation import ChatState
from models.db import SessionFactory
from models.services import conversation
from tests.integration.races import Contender, run_race

CHAT = 731_990_001


async def test_two_processes_writing_a_new_chats_first_state_at_once_both_succeed(shop: SessionFactory) -> None:
    """Process A records the welcome screen while process B moves the chat to its next step: neither sees a row
    when it reads, both then write; the second waits for the first and uses its row instead of failing on the key
    (before, the second raised IntegrityError and the buyer read "terjadi kendala")."""

    async def record_screen(session: AsyncSession, contender: Contender) -> None:
        assert (await conversation.get_state(session, CHAT)).screen_message_id is None
        await contender.all_have_read()
        await conversation.set_screen(session, CHAT, 42)
        await contender.hold()

    async def move_on(session: AsyncSession, contender: Contender) -> None:
        assert (await conversation.get_state(session, CHAT)).step == conversation.IDLE
        await contender.all_have_read()
        await conversation.set_step(session, CHAT, "catalogue", page=1)
        await contender.hold()

    results = await run_race(shop, [record_screen, move_on])
    assert results == [None, None]
    async with shop() as session:
        state = await session.get(ChatState, CHAT)
        assert state is not None
        assert (state.screen_message_id, state.step, state.data) == (42, "catalogue", {"page": 1})
