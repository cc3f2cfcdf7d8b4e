"""People: customers (buyers) and staff members with roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, IntPk, TelegramId


class Role(enum.StrEnum):
    """What a staff member may do; every buyer is a customer without a role."""

    STAFF = "staff"
    MANAGER = "manager"
    ADMIN = "admin"


class Line(enum.StrEnum):
    """The production line a staff member serves."""

    BAKERY = "bakery"
    PAVING = "paving"
    GALERI = "galeri"


class Customer(Base):
    """A buyer known by Telegram id; personal fields are erased on request."""

    __tablename__ = "customers"

    id: Mapped[IntPk]
    telegram_id: Mapped[TelegramId | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="id")
    consent_at: Mapped[datetime | None]
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[CreatedAt]


class StaffMember(Base):
    """A person with a staff, manager or admin role."""

    __tablename__ = "staff_members"

    id: Mapped[IntPk]
    telegram_id: Mapped[TelegramId] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    line: Mapped[Line | None] = mapped_column(
        Enum(Line, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[CreatedAt]
