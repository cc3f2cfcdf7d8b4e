"""Alerts to the staff of a product line (new orders, payment proofs, cancellations) through the outbox.

The words come from the caller (the bot layer owns every text) as a function of the reader's language; this
module decides who reads them, the way `recipients.line_chats` does for every staff message: the staff group
chat when one is configured, else each active staff member of the line that makes the family (bread -> bakery,
paving -> paving yard, goods -> galeri) and staff without a line. Each recipient has its own dedupe key, so
writing the same alert twice (a replayed checkout) queues it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import PickupSlot
from models.catalog import Family
from models.order import Order
from models.payment import Payment
from models.services import outbox, recipients

Render = Callable[[str], str]


class AlertWording(Protocol):
    """The words and buttons of staff alerts, in a reader's language (the bot layer implements it)."""

    def new_order(self, lang: str, order: Order, slot: PickupSlot | None, buyer_name: str) -> str:
        """A new order: what, when, how much, who."""

    def order_card_button(self, order: Order) -> dict[str, Any]:
        """A keyboard that opens the order's card."""

    def cancelled(self, lang: str, order: Order) -> str:
        """A buyer cancelled (and whether money must be refunded)."""

    def proof(self, lang: str, payment: Payment, order: Order) -> str:
        """A buyer sent a payment proof to check."""

    def proof_buttons(self, payment: Payment) -> dict[str, Any]:
        """Approve / reject buttons for a proof."""

    def gateway_paid(self, lang: str, payment: Payment, order: Order) -> str:
        """The payment gateway reported a payment as settled (no staff action needed)."""

    def gateway_problem(self, lang: str, payment: Payment, order: Order, problem: str, received: str) -> str:
        """Money the gateway reported that the bot did not book (`problem`: "amount", "closed" or "confirmed")."""


@dataclass(frozen=True)
class StaffAlerts:
    """Where and how staff alerts go: the wording, and the staff group chat when one is configured."""

    wording: AlertWording
    group_chat_id: int | None = None


async def alert_line(
    session: AsyncSession,
    family: Family,
    render: Render,
    *,
    now: datetime,
    dedupe_key: str,
    group_chat_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
    attachment: dict[str, Any] | None = None,
    template: str | None = None,
) -> int:
    """Queues the alert for every reader of the family's line; returns how many were newly queued."""
    queued = 0
    for chat_id in await recipients.line_chats(session, recipients.LINE_OF[family], group_chat_id):
        lang = await recipients.language_of(session, chat_id)
        if await outbox.enqueue(
            session,
            chat_id,
            render(lang),
            due_at=now,
            dedupe_key=f"{dedupe_key}:{chat_id}",
            template=template,
            reply_markup=reply_markup,
            attachment=attachment,
        ):
            queued += 1
    return queued


async def new_order(
    session: AsyncSession, alerts: StaffAlerts, order: Order, slot: PickupSlot | None, buyer_name: str, *, now: datetime
) -> int:
    """Tells the order's line about a new order, with a button that opens its card."""
    return await alert_line(
        session,
        order.family,
        lambda lang: alerts.wording.new_order(lang, order, slot, buyer_name),
        now=now,
        dedupe_key=f"order-new:{order.code}",
        group_chat_id=alerts.group_chat_id,
        reply_markup=alerts.wording.order_card_button(order),
        template="buyer.new_order",
    )


async def order_cancelled(session: AsyncSession, alerts: StaffAlerts, order: Order, *, now: datetime) -> int:
    """Tells the order's line that the buyer cancelled."""
    return await alert_line(
        session,
        order.family,
        lambda lang: alerts.wording.cancelled(lang, order),
        now=now,
        dedupe_key=f"order-cancelled:{order.code}",
        group_chat_id=alerts.group_chat_id,
        template="buyer.cancelled",
    )


async def proof_sent(
    session: AsyncSession, alerts: StaffAlerts, payment: Payment, order: Order, *, kind: str, file_id: str,
    unique_id: str, now: datetime,
) -> int:
    """Sends the buyer's proof photo (or image file) to the order's line with Approve / Reject buttons."""
    return await alert_line(
        session,
        order.family,
        lambda lang: alerts.wording.proof(lang, payment, order),
        now=now,
        dedupe_key=f"proof:{payment.id}:{unique_id}",
        group_chat_id=alerts.group_chat_id,
        reply_markup=alerts.wording.proof_buttons(payment),
        attachment={"type": kind, "file_id": file_id},
        template="buyer.proof",
    )


async def gateway_paid(
    session: AsyncSession, alerts: StaffAlerts, payment: Payment, order: Order, *, now: datetime
) -> int:
    """Tells the order's line that the gateway reported the payment settled (once per payment)."""
    return await alert_line(
        session,
        order.family,
        lambda lang: alerts.wording.gateway_paid(lang, payment, order),
        now=now,
        dedupe_key=f"gateway-paid:{payment.id}",
        group_chat_id=alerts.group_chat_id,
        reply_markup=alerts.wording.order_card_button(order),
        template="gateway.paid",
    )


async def gateway_problem(
    session: AsyncSession, alerts: StaffAlerts, payment: Payment, order: Order, *, problem: str, received: str,
    now: datetime,
) -> int:
    """Tells the order's line about money the bot did not book by itself (once per payment, problem and amount)."""
    return await alert_line(
        session,
        order.family,
        lambda lang: alerts.wording.gateway_problem(lang, payment, order, problem, received),
        now=now,
        dedupe_key=f"gateway-{problem}:{payment.id}:{received}",
        group_chat_id=alerts.group_chat_id,
        reply_markup=alerts.wording.order_card_button(order),
        template=f"gateway.{problem}",
    )
