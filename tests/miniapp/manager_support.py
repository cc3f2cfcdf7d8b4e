"""Orders for the dashboard's tests, placed through the services at a chosen time (this week or the week before)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from models.catalog import Product
from models.order import Order
from models.services import customers, payments
from models.services.ordering import LineRequest, OrderRequest, place_order
from tests.web.support import WebBot

MANAGER, STAFF, BUYER = 601, 501, 1001
BUN = "RTI-MNS-CKL"  # Rp3.500 a piece
SATURDAY = date(2026, 11, 28)


async def order(bot: WebBot, qty: int, *, paid: bool, at: datetime, day: date = SATURDAY) -> Order:
    """A buyer's bread order placed through the services at `at`; `paid` confirms its payment code then."""
    services = bot.harness.services
    async with services.session_factory.begin() as session:
        customer = await customers.get_or_register(session, BUYER, "Siti", "id")
        product = await session.scalar(select(Product).where(Product.sku == BUN))
        assert product is not None
        placed = await place_order(
            session, OrderRequest(customer_id=customer.id, lines=[LineRequest(product.id, qty)], fulfil_date=day),
            now=at, policy=services.order_policy,
        )
        payment = await payments.issue_payment(session, placed, services.payment_policy, now=at)
        if paid:
            await payments.confirm_payment(session, payment, staff_telegram_id=STAFF, now=at)
    return placed


async def two_weeks_of_orders(bot: WebBot) -> None:
    """This week (Friday 27 November): 10 buns paid (Rp35.000), 5 unpaid; the week before: 4 buns paid (Rp14.000)."""
    now = bot.harness.clock()
    await order(bot, 10, paid=True, at=now)
    await order(bot, 5, paid=False, at=now)
    await order(bot, 4, paid=True, at=now - timedelta(days=7), day=date(2026, 11, 21))
