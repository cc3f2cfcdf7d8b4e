"""Payments: one row per QRIS code (or cash receipt); an order may have several."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, IntPk, Rupiah
from models.order import Order


class PaymentKind(enum.StrEnum):
    """Which instalment of the order a payment covers."""

    FULL = "full"
    DEPOSIT = "deposit"
    BALANCE = "balance"


class PaymentState(enum.StrEnum):
    """Lifecycle of one payment code."""

    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    REJECTED = "rejected"


class PaymentMethod(enum.StrEnum):
    """How the money was paid."""

    QRIS = "qris"
    CASH = "cash"


def _enum(cls: type[enum.Enum]) -> Enum:
    """Stores the member value as text."""
    return Enum(cls, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])


class Payment(Base):
    """A payment request for an exact amount, and what became of it."""

    __tablename__ = "payments"

    id: Mapped[IntPk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PaymentKind] = mapped_column(_enum(PaymentKind))
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod), default=PaymentMethod.QRIS)
    amount: Mapped[Rupiah]
    payload: Mapped[str | None] = mapped_column(Text)
    state: Mapped[PaymentState] = mapped_column(_enum(PaymentState), index=True)
    expires_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(BigInteger)
    proof_file_id: Mapped[str | None] = mapped_column(String(255))
    qr_file_id: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]

    order: Mapped[Order] = relationship(lazy="raise")
