"""The outbox: messages to people other than the one acting, written in the same transaction."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, IntPk


class OutboxState(enum.StrEnum):
    """Where a queued message stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


class OutboxMessage(Base):
    """A message due to a chat at a time; the dedupe key makes builders idempotent."""

    __tablename__ = "outbox"

    id: Mapped[IntPk]
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(60))
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attachment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(index=True)
    stale_after: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[OutboxState] = mapped_column(
        Enum(OutboxState, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=OutboxState.PENDING,
        index=True,
    )
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
