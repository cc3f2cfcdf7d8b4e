"""Alerts to the staff of a product line (new orders, payment proofs, cancellations) through the outbox.

The words come from the caller (the bot layer owns every text) as a function of the reader's language; this
module decides who reads them, the way `recipients.line_chats` does for every staff message: the staff group
chat when one is configured, else each active staff member of the line that makes the family (bread -> bakery,
paving -> paving yard, goods -> galeri) and staff without a line. Each recipient has its own dedupe key, so
writing the same alert twice (a replayed checkout) queues it once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Family
from models.services import outbox, recipients

Render = Callable[[str], str]


async def alert_line(
    session: AsyncSession,
    family: Family,
    render: Render,
    *,
    now: datetime,
    dedupe_key: str,
    group_chat_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
    attachment: dict[str, Any] | None = None,
    template: str | None = None,
) -> int:
    """Queues the alert for every reader of the family's line; returns how many were newly queued."""
    queued = 0
    for chat_id in await recipients.line_chats(session, recipients.LINE_OF[family], group_chat_id):
        lang = await recipients.language_of(session, chat_id)
        if await outbox.enqueue(
            session,
            chat_id,
            render(lang),
            due_at=now,
            dedupe_key=f"{dedupe_key}:{chat_id}",
            template=template,
            reply_markup=reply_markup,
            attachment=attachment,
        ):
            queued += 1
    return queued
