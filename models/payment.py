"""Payments: one row per QRIS code (or cash receipt); an order may have several."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text, text
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


class ConfirmedVia(enum.StrEnum):
    """How a payment became known as paid (the money itself came by `PaymentMethod`)."""

    STAFF = "staff"  # a staff member saw the money and confirmed it by hand (button, /bayar, proof, cash)
    STATEMENT = "statement"  # matched in the merchant's transaction export, confirmed by staff in one press
    MIDTRANS = "midtrans"  # the gateway's status API said settled (after its signed notification or a reconciliation)


UNIQUE_CODE_MAX = 999  # the "kode unik": 1 to 999 rupiah added to an open QRIS code so its amount is unique

# Open codes that carry a unique code never share the amount the buyer pays: the database refuses a second one,
# whichever process or unit of work issues it (models/services/unique_amounts.py retries with another code).
OPEN_CODED = "state = 'pending' AND unique_code > 0"


def _payable_default(context: Any) -> int:
    """The amount the buyer pays when the insert does not say: the instalment plus its unique code."""
    params = context.get_current_parameters()
    return int(params["amount"]) + int(params.get("unique_code") or 0)


def _enum(cls: type[enum.Enum]) -> Enum:
    """Stores the member value as text."""
    return Enum(cls, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])


class Payment(Base):
    """A payment request for an exact amount, and what became of it."""

    __tablename__ = "payments"
    __table_args__ = (
        Index(
            "ux_payments_open_payable", "payable_amount", unique=True,
            sqlite_where=text(OPEN_CODED), postgresql_where=text(OPEN_CODED),
        ),
    )

    id: Mapped[IntPk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PaymentKind] = mapped_column(_enum(PaymentKind))
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod), default=PaymentMethod.QRIS)
    amount: Mapped[Rupiah]  # what the payment counts toward the order (sales never include the unique code)
    unique_code: Mapped[Rupiah] = mapped_column(default=0, server_default=text("0"))
    payable_amount: Mapped[Rupiah] = mapped_column(default=_payable_default)  # amount + unique_code: in the QR
    payload: Mapped[str | None] = mapped_column(Text)
    state: Mapped[PaymentState] = mapped_column(_enum(PaymentState), index=True)
    expires_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(BigInteger)
    confirmed_via: Mapped[ConfirmedVia | None] = mapped_column(_enum(ConfirmedVia))
    reference: Mapped[str | None] = mapped_column(String(64))  # the money's own reference (a statement's RRN)
    proof_file_id: Mapped[str | None] = mapped_column(String(255))
    qr_file_id: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]
    # A code made by a payment gateway (PAYMENT_PROVIDER=midtrans); all None for the static QRIS. `payload` stays
    # None until the gateway's charge answered with its QR string.
    provider: Mapped[str | None] = mapped_column(String(16))
    provider_order_id: Mapped[str | None] = mapped_column(String(50), unique=True)  # Midtrans' order_id
    provider_transaction_id: Mapped[str | None] = mapped_column(String(64))
    provider_status: Mapped[str | None] = mapped_column(String(20))  # the gateway's last transaction_status
    provider_checked_at: Mapped[datetime | None]  # when the gateway's status was last booked (reconciliation)

    order: Mapped[Order] = relationship(lazy="raise")
