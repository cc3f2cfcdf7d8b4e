"""Known orders for the builder tests, placed and paid through the services."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from jobs.builders import Schedule
from models.catalog import Product
from models.order import Order, OrderSource
from models.outbox import OutboxMessage
from models.payment import Payment
from models.people import Line, Role
from models.qris import SAMPLE_MERCHANT_PAYLOAD
from models.services import customers, payments
from models.services import staff as staff_service
from models.services.ordering import LineRequest, OrderPolicy, OrderRequest, place_order
from models.services.payments import PaymentPolicy

ORDER_POLICY = OrderPolicy()
PAYMENT_POLICY = PaymentPolicy(merchant_payload=SAMPLE_MERCHANT_PAYLOAD)
BAKER = 701
MANAGER = 801


def schedule(**overrides: object) -> Schedule:
    """The default schedule (14.00 sheet, 05.30 plan, 17.00 closing, Monday 08.00 summary, 60 min reminders)."""
    return Schedule.of(Settings(_env_file=None, **overrides))  # type: ignore[call-arg]


async def team(session: AsyncSession) -> None:
    """A baker and a manager (with Indonesian customer rows, as the gate would create)."""
    await staff_service.add_staff(session, BAKER, "Rina", Role.STAFF, Line.BAKERY)
    await staff_service.add_staff(session, MANAGER, "Pak Budi", Role.MANAGER)
    await customers.get_or_register(session, BAKER, "Rina", "id")
    await customers.get_or_register(session, MANAGER, "Pak Budi", "id")


async def place(
    session: AsyncSession, sku: str, qty: int, *, now: datetime, day: date | None = None, buyer: int = 1001,
    slot_id: int | None = None, paid: bool = False, source: OrderSource = OrderSource.BOT,
) -> Order:
    """An order of one line; `paid` confirms its payment code at the same instant."""
    customer = await customers.get_or_register(session, buyer, f"Buyer {buyer}", "id")
    product = await session.scalar(select(Product).where(Product.sku == sku))
    assert product is not None, sku
    order = await place_order(
        session, OrderRequest(customer_id=customer.id, lines=[LineRequest(product.id, qty)], fulfil_date=day,
                              slot_id=slot_id, source=source),
        now=now, policy=ORDER_POLICY,
    )
    if paid:
        payment = await payments.issue_payment(session, order, PAYMENT_POLICY, now=now)
        await payments.confirm_payment(session, payment, staff_telegram_id=BAKER, now=now)
    return order


async def pay(session: AsyncSession, order: Order, now: datetime) -> Payment:
    """Issues and confirms the order's next payment code."""
    payment = await payments.issue_payment(session, order, PAYMENT_POLICY, now=now)
    await payments.confirm_payment(session, payment, staff_telegram_id=BAKER, now=now)
    return payment


async def outbox_rows(session: AsyncSession) -> list[OutboxMessage]:
    """Every queued message, oldest first."""
    return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
