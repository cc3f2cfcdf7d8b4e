"""Telegram updates already taken in, so one delivered again (after a restart, or to a second process) is
recognised and ignored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ReceivedUpdate(Base):
    """One update id the bot has started to process, and when."""

    __tablename__ = "received_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(index=True)
