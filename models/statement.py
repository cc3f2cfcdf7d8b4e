"""Merchant statements sent by staff: the column layout remembered per header set, and each proposal of matches."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, IntPk


class StatementLayout(Base):
    """Which column of a merchant export holds what, learnt once per set of headers (the staff's answer)."""

    __tablename__ = "statement_layouts"

    id: Mapped[IntPk]
    header_key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the normalised headers
    amount_column: Mapped[int] = mapped_column(Integer)
    time_column: Mapped[int] = mapped_column(Integer)  # a date, or a date with its time
    clock_column: Mapped[int | None] = mapped_column(Integer)  # the time of day, when kept apart from the date
    reference_column: Mapped[int | None] = mapped_column(Integer)
    status_column: Mapped[int | None] = mapped_column(Integer)
    saved_by: Mapped[int | None] = mapped_column(BigInteger)
    saved_at: Mapped[datetime]


class ProposalState(enum.StrEnum):
    """Where a statement stands: waiting for a column answer, proposed, or confirmed (once)."""

    ASKING = "asking"
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"


class StatementProposal(Base):
    """One statement file as read, the matches proposed for it, and whether (and by whom) they were confirmed.

    The token travels in the confirm button; a second press, or a second file with the same rows, finds the
    payments already paid and counts nothing twice.
    """

    __tablename__ = "statement_proposals"

    id: Mapped[IntPk]
    token: Mapped[str] = mapped_column(String(24), unique=True)
    staff_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(255))
    header_key: Mapped[str] = mapped_column(String(64))
    cells: Mapped[dict[str, Any]] = mapped_column(JSON)  # the file as read: headers, rows, their line numbers
    layout: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # role -> column, answered or detected
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the matches and what is left unmatched
    state: Mapped[ProposalState] = mapped_column(
        Enum(ProposalState, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    created_at: Mapped[CreatedAt]
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(BigInteger)
