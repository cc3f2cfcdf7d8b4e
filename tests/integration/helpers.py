"""Small builders shared by the integration tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Product
from models.order import Order
from models.people import Customer
from models.services import customers
from models.services.ordering import LineRequest, OrderPolicy, OrderRequest, place_order

POLICY = OrderPolicy()


class PlainWords:
    """Plain notice wording for service tests (the real one lives in the bot layer)."""

    def notice(self, kind: str, lang: str, order: object, extra: object) -> str:
        """The notice kind and the order code."""
        return f"{kind}:{getattr(order, 'code', '')}"

    def payment_qr(self, payment: object, order: object) -> bytes:
        """Stands in for the PNG."""
        return b"png"


async def product(session: AsyncSession, sku: str) -> Product:
    """A product of the default catalogue by SKU."""
    found = await session.scalar(select(Product).where(Product.sku == sku))
    assert found is not None, sku
    return found


async def buyer(session: AsyncSession, telegram_id: int = 1001, name: str = "Siti") -> Customer:
    """A registered buyer."""
    return await customers.get_or_register(session, telegram_id, name, "id")


async def order(
    session: AsyncSession, sku: str, qty: int, *, now: datetime, day: object = None, telegram_id: int = 1001,
    slot_id: int | None = None, checkout_key: str | None = None,
) -> Order:
    """Places a one-line order for a buyer."""
    p = await product(session, sku)
    c = await buyer(session, telegram_id)
    return await place_order(
        session,
        OrderRequest(customer_id=c.id, lines=[LineRequest(p.id, qty)], fulfil_date=day,  # type: ignore[arg-type]
                     slot_id=slot_id, checkout_key=checkout_key),
        now=now, policy=POLICY,
    )
