"""Payment codes a gateway makes: the row issued without a QR payload, and the gateway's order id for it.

The row is added in the unit of work that issues the instalment (Konfirmasi, the next instalment, "Bayar"); the
gateway is asked for the code only after that commits (`models/services/gateway_payments.py`), so a slow or
failing gateway never holds a database transaction open and never loses the order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.order import Order
from models.payment import Payment, PaymentKind, PaymentMethod, PaymentState


async def gateway_order_id(session: AsyncSession, bill_number: str) -> str:
    """The gateway's order id for a new code: the bill number, or with -2, -3... when an earlier code used it.

    A gateway refuses an order id it has seen, even after that code expired; a balance code issued again after
    its predecessor expired has the same bill number.
    """
    used = set(
        await session.scalars(
            select(Payment.provider_order_id).where(Payment.provider_order_id.startswith(bill_number, autoescape=True))
        )
    )
    if bill_number not in used:
        return bill_number
    n = 2
    while f"{bill_number}-{n}" in used:
        n += 1
    return f"{bill_number}-{n}"


async def add_payment(
    session: AsyncSession, order: Order, kind: PaymentKind, amount: int, bill_number: str, *, provider: str,
    expires_at: datetime | None, now: datetime,
) -> Payment:
    """Adds a code the gateway makes once this unit of work commits: no payload, and no unique code (the gateway
    tells which order was paid, so amounts need not differ)."""
    payment = Payment(
        order=order,  # in memory: `payment.order` needs no query
        order_id=order.id,
        kind=kind,
        method=PaymentMethod.QRIS,
        amount=amount,
        unique_code=0,
        payable_amount=amount,
        payload=None,
        state=PaymentState.PENDING,
        expires_at=expires_at,
        created_at=now,
        provider=provider,
        provider_order_id=await gateway_order_id(session, bill_number),
    )
    session.add(payment)
    await session.flush()
    return payment
