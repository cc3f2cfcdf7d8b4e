"""Getting a gateway's payment code to the buyer: the order is committed first, then the gateway is asked.

A slow or failing gateway must never cost the order or hold a database transaction open: the payment row (with
its order id for the gateway) is committed before the charge, and the QR string is kept in a second, short unit
of work. When the gateway fails, the buyer is told so politely with a "Coba lagi" button (`Action.PAY`), which
asks again with the same order id: a transaction an earlier attempt did create is found, never made twice.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.routing.context import BotContext
from bot.services import Services
from jobs import reconcile
from models.payment import Payment
from models.services import gateway_payments
from models.services.gateway import ChargeRequest, CodeUnseen, GatewayError, IssuedCode, PaymentGateway

log = logging.getLogger(__name__)


class Work(Protocol):
    """A unit of work that can commit part-way: an update's `BotContext`, or a Mini App call."""

    @property
    def services(self) -> Services: ...

    @property
    def session(self) -> AsyncSession: ...

    def now(self) -> datetime: ...

    async def commit(self) -> None: ...


async def with_code(context: Work, payment: Payment) -> Payment | None:
    """The payment with its QR payload, a gateway's made now when it has none; None when the gateway failed."""
    if payment.payload:
        return payment
    gateway = context.services.gateway
    if gateway is None:  # issued under PAYMENT_PROVIDER=midtrans, the bot now runs without it
        log.warning("payment %d waits for a gateway code, but no gateway is configured", payment.id)
        return None
    request = gateway_payments.charge_request(payment, now=context.now())
    await context.commit()  # the order and its payment exist whatever the gateway does next
    try:
        try:
            issued = await gateway.create(request)
        except CodeUnseen as unseen:
            issued = await _charge_anew(context, gateway, payment.id, request, unseen)
    except GatewayError as exc:
        log.warning("%s gave no code for %s: %s", gateway.name, request.order_id, exc)
        return None
    return await gateway_payments.record_code(context.session, payment.id, issued)


async def _charge_anew(
    context: Work, gateway: PaymentGateway, payment_id: int, request: ChargeRequest, unseen: CodeUnseen
) -> IssuedCode:
    """Cancels a transaction whose code the bot never saw, then charges the instalment under the next order id.

    The buyer never had that code, so nobody can have paid it; it is cancelled first, so at no moment can two
    codes of one instalment be paid.
    """
    log.warning("%s: %s; cancelling it and charging again under a new order id", gateway.name, unseen)
    cancelled = await gateway.cancel(request.order_id)
    if cancelled is not None and not cancelled.dead:
        raise GatewayError(f"{request.order_id} could not be cancelled (it is {cancelled.transaction_status!r})")
    order_id = await gateway_payments.renew_order_id(context.session, payment_id)
    await context.commit()
    return await gateway.create(replace(request, order_id=order_id))


async def cancel_retired_soon(context: BotContext) -> None:
    """Once this update's work has committed, has the gateway cancel the codes it retired (a cancel, cash paid).

    Run as a job of its own: a slow or failing gateway never delays or undoes the cancel; what fails is cancelled
    at the next reconciliation.
    """
    if context.services.gateway is None or context.job_queue is None:
        return
    await context.commit()
    context.job_queue.run_once(reconcile.cancel_retired_job, 0, name="gateway-cancel")
