"""The audit trail of a subject (a product, the categories): who changed what, when, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.people import StaffMember


@dataclass(frozen=True)
class TrailLine:
    """One audited change: when, who (a staff name, else the Telegram id), what, and its values."""

    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


async def trail(session: AsyncSession, subjects: ColumnElement[bool]) -> list[TrailLine]:
    """The audited changes whose subject matches, oldest first, each with the name of who made it."""
    entries = list(await session.scalars(
        select(AuditEntry).where(subjects).order_by(AuditEntry.at, AuditEntry.id)
    ))
    ids = {e.actor_telegram_id for e in entries if e.actor_telegram_id is not None}
    rows = await session.execute(
        select(StaffMember.telegram_id, StaffMember.name).where(StaffMember.telegram_id.in_(ids))
    )
    names = {telegram_id: name for telegram_id, name in rows}
    return [
        TrailLine(e.at, names.get(e.actor_telegram_id or 0, str(e.actor_telegram_id or "-")), e.action, e.subject,
                  dict(e.detail or {}))
        for e in entries
    ]
