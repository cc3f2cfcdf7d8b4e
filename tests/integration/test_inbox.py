"""Duplicate deliveries on both engines: the first delivery of an update id wins and clears its sender's
"blocked the bot" mark; a second delivery of the same id changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from models.db import SessionFactory
from models.people import Customer
from models.services import inbox
from tests.conftest import wib

NOW = wib(2026, 11, 28, 9, 0)


async def test_the_first_delivery_wins_and_unblocks_its_sender_a_second_changes_nothing(
    session_factory: SessionFactory,
) -> None:
    async with session_factory.begin() as s:
        s.add_all([Customer(telegram_id=1001, name="Siti", blocked_bot=True),
                   Customer(telegram_id=1002, name="Budi", blocked_bot=True)])
    async with session_factory.begin() as s:
        assert await inbox.first_delivery(s, 500, sender=1001, now=NOW) is True
    async with session_factory.begin() as s:
        assert await inbox.first_delivery(s, 500, sender=1002, now=NOW) is False  # the same update again
        assert await inbox.first_delivery(s, 501, sender=None, now=NOW) is True  # an update without a sender
    async with session_factory() as s:
        marks = {tid: blocked for tid, blocked in await s.execute(select(Customer.telegram_id, Customer.blocked_bot))}
    assert marks == {1001: False, 1002: True}
