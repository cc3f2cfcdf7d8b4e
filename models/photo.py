"""Product photos: one row per picture of a product (its file under MEDIA_DIR), and Telegram's file ids per bot.

Positions count from 0 and are kept dense (0, 1, 2...) by `models.services.photos`; there is deliberately no unique
constraint on (product, position): reordering would then need a dance of temporary positions, since PostgreSQL
checks such a constraint row by row. Photos are read ordered by (position, id), so even a tie shows in a stable
order.

A file id is valid for one bot only: a new bot token, or the emulator of another demo run, does not know it. The
cache is therefore keyed by the bot's id, and the file on disk stays the source of truth: without a cached id (or
when Telegram refuses it) the picture is uploaded again and the new id remembered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPk, utcnow


class ProductPhoto(Base):
    """One picture of a product, in the order buyers page through them."""

    __tablename__ = "product_photos"
    __table_args__ = (
        Index("ix_product_photos_product_position", "product_id", "position"),
        UniqueConstraint("product_id", "content_hash", name="uq_product_photos_product_hash"),
    )

    id: Mapped[IntPk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PhotoFileId(Base):
    """Telegram's file id of a photo for one bot, so it is uploaded once per bot and then sent by id."""

    __tablename__ = "photo_file_ids"

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("product_photos.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    file_id: Mapped[str] = mapped_column(String(255))
