"""Buyer notices on status changes, written to the outbox inside the caller's transaction.

The domain decides when and to whom; the wording (and the QR picture) comes from the adapter through a
`Wording` object, so this module knows nothing about Telegram or texts.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from models.order import Order
from models.payment import Payment
from models.people import Customer
from models.services import outbox

PAID = "paid"
PAID_PARTIAL = "paid_partial"
PAID_PARTIAL_ASK = "paid_partial_ask"  # a deposit paid; the balance code comes with "Bayar" (a gateway's code)
READY = "ready"
OUT_FOR_DELIVERY = "out_for_delivery"
CANCELLED = "cancelled"
EXPIRED = "expired"
PROOF_REJECTED = "proof_rejected"


class Wording(Protocol):
    """Renders notices for a buyer: the text in their language and, when asked, a payment QR image."""

    def notice(self, kind: str, lang: str, order: Order, extra: Mapping[str, object]) -> str:
        """The notice text of `kind` about `order` in `lang`."""
        ...

    def payment_qr(self, payment: Payment, order: Order) -> bytes:
        """The PNG of a payment's QRIS code."""
        ...


def photo_attachment(png: bytes, filename: str = "qris.png") -> dict[str, object]:
    """An outbox attachment that the dispatcher sends as a photo with the text as caption."""
    return {"type": "photo", "filename": filename, "b64": base64.b64encode(png).decode()}


def document_attachment(data: bytes, filename: str) -> dict[str, object]:
    """An outbox attachment that the dispatcher sends as a document with the text as caption."""
    return {"type": "document", "filename": filename, "b64": base64.b64encode(data).decode()}


async def recipient(session: AsyncSession, order: Order) -> Customer | None:
    """The buyer to notify, or None for walk-in and pseudonymised buyers who have no chat."""
    customer = await session.get(Customer, order.customer_id)
    if customer is None or customer.telegram_id is None or customer.pseudonymised:
        return None
    return customer


async def notify_buyer(
    session: AsyncSession,
    order: Order,
    kind: str,
    *,
    wording: Wording,
    now: datetime,
    key: str = "",
    extra: Mapping[str, object] | None = None,
    qr_payment: Payment | None = None,
) -> bool:
    """Queues one notice to the order's buyer (once per order, kind and key); False when nobody to tell."""
    customer = await recipient(session, order)
    if customer is None or customer.telegram_id is None:
        return False
    text = wording.notice(kind, customer.language, order, extra or {})
    attachment = None
    if qr_payment is not None:
        attachment = photo_attachment(wording.payment_qr(qr_payment, order), f"qris-{order.code}.png")
    suffix = f":{key}" if key else ""
    return await outbox.enqueue(
        session,
        customer.telegram_id,
        text,
        due_at=now,
        dedupe_key=f"notice:{order.code}:{kind}{suffix}",
        template=f"notice.{kind}",
        attachment=attachment,
    )
