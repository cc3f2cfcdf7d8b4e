"""Orders, their lines and their status history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Enum, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, IntPk, Rupiah
from models.catalog import Family, Product
from models.people import Customer


def _enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    """An enum column that stores the member value as plain text on both engines."""
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class OrderStatus(enum.StrEnum):
    """Lifecycle of an order; labels for buyers live in the texts."""

    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    IN_PRODUCTION = "IN_PRODUCTION"
    READY = "READY"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    DONE = "DONE"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    NO_SHOW = "NO_SHOW"


class Fulfilment(enum.StrEnum):
    """How the goods reach the buyer."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


class OrderSource(enum.StrEnum):
    """Where the order came from."""

    BOT = "bot"
    WALK_IN = "walk_in"
    PHONE = "phone"
    INSTAGRAM = "instagram"


class ActorKind(enum.StrEnum):
    """Who caused a change."""

    CUSTOMER = "customer"
    STAFF = "staff"
    SYSTEM = "system"


class Order(Base):
    """One order for one fulfilment date; its total is the sum of its lines."""

    __tablename__ = "orders"

    id: Mapped[IntPk]
    code: Mapped[str] = mapped_column(String(12), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    family: Mapped[Family] = mapped_column(_enum(Family, 10))
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus), index=True)
    source: Mapped[OrderSource] = mapped_column(_enum(OrderSource, 10), default=OrderSource.BOT)
    fulfilment: Mapped[Fulfilment] = mapped_column(_enum(Fulfilment, 10), default=Fulfilment.PICKUP)
    fulfil_date: Mapped[date] = mapped_column(Date, index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_slots.id"))
    total: Mapped[Rupiah]
    deposit_amount: Mapped[Rupiah] = mapped_column(default=0)
    paid_amount: Mapped[Rupiah] = mapped_column(default=0)
    delivery_address: Mapped[str | None] = mapped_column(Text)
    delivery_lat: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    delivery_lon: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    contact_name: Mapped[str | None] = mapped_column(String(128))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    pickup_code: Mapped[str | None] = mapped_column(String(8))
    checkout_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    placed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]

    # Every relationship raises when read unloaded: each query loads what its callers read (see the services).
    customer: Mapped[Customer] = relationship(lazy="raise")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", lazy="raise", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="order", lazy="raise", cascade="all, delete-orphan", order_by="StatusChange.id"
    )

    @property
    def balance_due(self) -> int:
        """What is still to be paid."""
        return max(0, self.total - self.paid_amount)


class OrderLine(Base):
    """A product and quantity within an order, with the unit price copied in."""

    __tablename__ = "order_lines"

    id: Mapped[IntPk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Rupiah]
    line_total: Mapped[Rupiah]
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))

    order: Mapped[Order] = relationship(back_populates="lines", lazy="raise")
    product: Mapped[Product] = relationship(lazy="raise")


class StatusChange(Base):
    """One step of an order's status history: who, when and why.

    `actor_id` is the Telegram id for staff, the customer row id for buyers (so erasing a buyer's data
    leaves no Telegram id behind) and NULL for the system.
    """

    __tablename__ = "order_status_history"

    id: Mapped[IntPk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[OrderStatus | None] = mapped_column(_enum(OrderStatus))
    to_status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus))
    actor_kind: Mapped[ActorKind] = mapped_column(_enum(ActorKind, 10))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[CreatedAt]

    order: Mapped[Order] = relationship(back_populates="history", lazy="raise")
