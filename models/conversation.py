"""Conversation state kept in the database: carts and the current step of each chat."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, IntPk, utcnow
from models.catalog import Product


class CartItem(Base):
    """A product the buyer intends to order, with the choices made so far."""

    __tablename__ = "cart_items"

    id: Mapped[IntPk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    fulfil_date: Mapped[date | None] = mapped_column(Date)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_slots.id"))
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    created_at: Mapped[CreatedAt]

    product: Mapped[Product] = relationship(lazy="raise")


class ChatState(Base):
    """The step a chat is at (what the bot asked last) and the data gathered for it."""

    __tablename__ = "chat_states"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(40), default="idle")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    screen_message_id: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CatalogueDraft(Base):
    """A manager's product being added (`product_id` None) or changed, kept until saved or dropped with /batal.

    One per manager: leaving in the middle (or a restart) keeps it, and the next /produkbaru or /ubah offers to
    go on with it. `data` holds the answers so far; `base_version` is the product version the change started from.
    """

    __tablename__ = "catalogue_drafts"

    id: Mapped[IntPk]
    manager_telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    base_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
