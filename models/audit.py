"""Audit trail of staff and manager actions, and one-time staff invites."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, IntPk
from models.people import Line, Role


class AuditEntry(Base):
    """Who changed what, when."""

    __tablename__ = "audit_log"

    id: Mapped[IntPk]
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(120), index=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[CreatedAt]


class StaffInvite(Base):
    """A one-time link a manager hands to a new staff member; expires and is used once."""

    __tablename__ = "staff_invites"

    id: Mapped[IntPk]
    token: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    line: Mapped[Line | None] = mapped_column(
        Enum(Line, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    created_by: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime]
    claimed_by: Mapped[int | None] = mapped_column(BigInteger)
    claimed_name: Mapped[str | None] = mapped_column(String(128))
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[CreatedAt]
