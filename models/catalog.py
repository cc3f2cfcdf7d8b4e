"""Catalogue entities: categories with their revenue split, and products of three families."""

from __future__ import annotations

import enum
from datetime import time
from decimal import Decimal

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, Numeric, String, Text, Time, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPk, Rupiah


class Family(enum.StrEnum):
    """How a product is sold: baked to order, cast to order, or taken from stock."""

    BREAD = "bread"
    PAVING = "paving"
    GOODS = "goods"


class SplitBasis(enum.StrEnum):
    """What the PNBP / premi / capital percentages apply to."""

    PROFIT = "profit"
    SALES = "sales"


class Category(Base):
    """A product category (roti, paving, sandal...) with its estimated revenue split."""

    __tablename__ = "categories"

    id: Mapped[IntPk]
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    split_basis: Mapped[SplitBasis] = mapped_column(
        Enum(SplitBasis, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=SplitBasis.PROFIT,
    )
    pnbp_pct: Mapped[int] = mapped_column(Integer, default=15)
    premi_pct: Mapped[int] = mapped_column(Integer, default=50)
    capital_pct: Mapped[int] = mapped_column(Integer, default=35)
    # Hidden categories stay in the database (their products keep their history) but buyers do not see them.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    products: Mapped[list[Product]] = relationship(back_populates="category", lazy="raise", order_by="Product.id")


class Product(Base):
    """A product; the columns a family does not use stay NULL."""

    __tablename__ = "products"

    id: Mapped[IntPk]
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    family: Mapped[Family] = mapped_column(
        Enum(Family, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(20))
    price: Mapped[Rupiah]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    photo: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    min_qty: Mapped[int] = mapped_column(Integer, default=1)
    max_qty: Mapped[int | None] = mapped_column(Integer)
    lead_days: Mapped[int] = mapped_column(Integer, default=0)
    deposit_pct: Mapped[int | None] = mapped_column(Integer)
    daily_capacity: Mapped[int | None] = mapped_column(Integer)
    # bread
    batch_yield: Mapped[int | None] = mapped_column(Integer)
    units_per_tray: Mapped[int | None] = mapped_column(Integer)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    cutoff_time: Mapped[time | None] = mapped_column(Time)
    # paving
    pcs_per_m2: Mapped[int | None] = mapped_column(Integer)
    waste_pct: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    thickness_cm: Mapped[int | None] = mapped_column(Integer)
    k_grade: Mapped[str | None] = mapped_column(String(60))
    curing_days: Mapped[int | None] = mapped_column(Integer)
    stock_ready: Mapped[int | None] = mapped_column(Integer)
    stock_curing: Mapped[int | None] = mapped_column(Integer)
    # goods: NULL means made to order (lead_days apply), a number is the quantity on hand
    stock_on_hand: Mapped[int | None] = mapped_column(Integer)
    # Raised by every manager change: a draft saved against an older version is refused (compare-and-set).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    category: Mapped[Category] = relationship(back_populates="products", lazy="raise")

    @property
    def is_stock_item(self) -> bool:
        """True when the buyer can take at most what is on hand."""
        return self.family is Family.GOODS and self.stock_on_hand is not None
