"""Alerts to the staff of a product line (new orders, payment proofs, cancellations) through the outbox.

The text is rendered by the caller (the bot layer owns every word); this module decides who receives it:
the active staff of the line that makes the family (bread -> bakery, paving -> paving yard, goods -> galeri),
staff without a line, and the staff group chat when one is configured. Each recipient gets its own dedupe key,
so writing the same alert twice (a replayed checkout) queues it once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Family
from models.people import Line
from models.services import outbox
from models.services import staff as staff_service

LINE_OF_FAMILY = {Family.BREAD: Line.BAKERY, Family.PAVING: Line.PAVING, Family.GOODS: Line.GALERI}


async def recipients(session: AsyncSession, family: Family, group_chat_id: int | None) -> list[int]:
    """Chat ids that hear about the family's orders: its line's staff, then the staff group if any."""
    members = await staff_service.staff_for_line(session, LINE_OF_FAMILY[family])
    chats = sorted({m.telegram_id for m in members})
    if group_chat_id is not None:
        chats.append(group_chat_id)
    return chats


async def alert_line(
    session: AsyncSession,
    family: Family,
    text: str,
    *,
    now: datetime,
    dedupe_key: str,
    group_chat_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
    attachment: dict[str, Any] | None = None,
    template: str | None = None,
) -> int:
    """Queues the alert for every recipient of the family's line; returns how many were newly queued."""
    queued = 0
    for chat_id in await recipients(session, family, group_chat_id):
        if await outbox.enqueue(
            session,
            chat_id,
            text,
            due_at=now,
            dedupe_key=f"{dedupe_key}:{chat_id}",
            template=template,
            reply_markup=reply_markup,
            attachment=attachment,
        ):
            queued += 1
    return queued
