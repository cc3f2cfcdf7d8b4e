"""A product's photos as a draft holds them: read when a change begins, written back when it is saved."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Product


async def current_photos(session: AsyncSession, product_id: int) -> list[dict[str, Any]]:
    """The product's photos in order, as draft entries."""
    return []


async def sync(session: AsyncSession, product: Product, photos: list[dict[str, Any]]) -> list[str]:
    """Makes the product's photos the draft's list (added, removed, reordered); says what changed."""
    return []
