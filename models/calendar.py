"""Production calendar entities: closed weekdays, holidays, pickup slots and the capacity ledgers."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPk
from models.catalog import Family

FamilyColumn = Enum(Family, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])


class ClosedWeekday(Base):
    """A weekday (0 = Monday) on which a family does not produce or hand out."""

    __tablename__ = "closed_weekdays"
    __table_args__ = (UniqueConstraint("family", "weekday"),)

    id: Mapped[IntPk]
    family: Mapped[Family] = mapped_column(FamilyColumn)
    weekday: Mapped[int] = mapped_column(Integer)


class Holiday(Base):
    """A date on which nothing is produced or handed out."""

    __tablename__ = "holidays"

    id: Mapped[IntPk]
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(80))


class PickupSlot(Base):
    """A pickup window (10.00-12.00 WIB) with room for a number of orders."""

    __tablename__ = "pickup_slots"

    id: Mapped[IntPk]
    family: Mapped[Family] = mapped_column(FamilyColumn)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    capacity: Mapped[int] = mapped_column(Integer, default=40)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DayCapacity(Base):
    """Ledger of a product's committed units for one day; updated atomically by conditional UPDATEs."""

    __tablename__ = "day_capacity"
    __table_args__ = (UniqueConstraint("product_id", "day"),)

    id: Mapped[IntPk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    day: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    committed: Mapped[int] = mapped_column(Integer, default=0)
    capacity_override: Mapped[bool] = mapped_column(Boolean, default=False)


class SlotUsage(Base):
    """Ledger of orders booked into a pickup slot on one day."""

    __tablename__ = "slot_usage"
    __table_args__ = (UniqueConstraint("slot_id", "day"),)

    id: Mapped[IntPk]
    slot_id: Mapped[int] = mapped_column(ForeignKey("pickup_slots.id"))
    day: Mapped[date] = mapped_column(Date)
    used: Mapped[int] = mapped_column(Integer, default=0)
