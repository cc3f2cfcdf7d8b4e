"""Getting a gateway's payment code to the buyer: the order is committed first, then the gateway is asked.

A slow or failing gateway must never cost the order or hold a database transaction open: the payment row (with
its order id for the gateway) is committed before the charge, and the QR string is kept in a second, short unit
of work. When the gateway fails, the buyer is told so politely with a "Coba lagi" button (`Action.PAY`), which
asks again with the same order id: a transaction an earlier attempt did create is found, never made twice.

"Saya sudah bayar" under a gateway's code asks the gateway there and then (`ask_paid`), through the same path
as a notification (`reconcile.settle`): a code that turns paid by itself needs no proof photo.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Protocol
from weakref import WeakValueDictionary

from sqlalchemy.ext.asyncio import AsyncSession

from bot.routing.context import BotContext
from bot.services import Services
from jobs import reconcile
from models import locks
from models.errors import GatewayUnreachable, PaymentNotPending
from models.payment import Payment, PaymentState
from models.services import gateway_payments
from models.services.gateway import ChargeRequest, CodeUnseen, GatewayError, IssuedCode, PaymentGateway
from models.services.gateway_payments import Outcome

log = logging.getLogger(__name__)


class Work(Protocol):
    """A unit of work that can commit part-way: an update's `BotContext`, or a Mini App call."""

    @property
    def services(self) -> Services: ...

    @property
    def session(self) -> AsyncSession: ...

    def now(self) -> datetime: ...

    async def commit(self) -> None: ...


# How long an attempt waits while another process makes the same code: longer than a charge with its retries.
CODE_WAIT_SECONDS = 60.0
# (engine, payment id) -> the code making's lock in this process, while an attempt holds or waits for it (gone
# once no attempt refers to it); per engine, so two bots in one test process are two processes to each other.
_making: WeakValueDictionary[tuple[int, int], asyncio.Lock] = WeakValueDictionary()


@asynccontextmanager
async def _one_at_a_time(services: Services, payment_id: int) -> AsyncIterator[None]:
    """One attempt at a time makes a payment's code, in this process and across processes on PostgreSQL (a double
    tap on Konfirmasi: the second finds the first's code instead of charging the same order id again, which would
    cancel the code the buyer has). Raises LockBusy when another process is still at it after CODE_WAIT_SECONDS."""
    lock = _making.setdefault((id(services.engine), payment_id), asyncio.Lock())  # this frame keeps it alive
    async with lock, locks.held_across_processes(
        services.engine, locks.payment_key(payment_id), wait_seconds=CODE_WAIT_SECONDS
    ):
        yield


async def with_code(context: Work, payment: Payment) -> Payment | None:
    """The payment with its QR payload, a gateway's made now when it has none; None when the gateway failed."""
    if payment.payload:
        return payment
    gateway = context.services.gateway
    if gateway is None:  # issued under PAYMENT_PROVIDER=midtrans, the bot now runs without it
        log.warning("payment %d waits for a gateway code, but no gateway is configured", payment.id)
        return None
    payment_id = payment.id
    await context.commit()  # the order and its payment exist whatever the gateway does next; no connection waits
    try:
        async with _one_at_a_time(context.services, payment_id):
            current = await gateway_payments.current(context.session, payment_id)
            if current.payload:  # made meanwhile by another attempt
                return current
            request = gateway_payments.charge_request(current, now=context.now())
            await context.commit()  # nothing held while the gateway is asked
            try:
                try:
                    issued = await gateway.create(request)
                except CodeUnseen as unseen:
                    issued = await _charge_anew(context, gateway, current.id, request, unseen)
            except GatewayError as exc:
                log.warning("%s gave no code for %s: %s", gateway.name, request.order_id, exc)
                return None
            coded = await gateway_payments.record_code(context.session, current.id, issued)
            await context.commit()  # kept before the next attempt looks
            return coded
    except locks.LockBusy:
        log.warning("payment %d: another process was still making its code after %g s", payment_id,
                    CODE_WAIT_SECONDS)
        return None


def asks_gateway(context: Work, payment: Payment) -> bool:
    """True for a code a configured gateway made (it reports the payment); False for the static QRIS's."""
    return bool(payment.provider and payment.provider_order_id and context.services.gateway is not None)


async def ask_paid(context: Work, payment: Payment) -> bool:
    """Asks the gateway about the buyer's open code now and books its answer as a notification would: True when it
    is paid (the buyer's notice is queued), False while the money has not arrived.

    Raises GatewayUnreachable when the gateway does not answer, PaymentNotPending when it says the code is dead.
    """
    order_id, code = payment.provider_order_id, payment.order.code
    if order_id is None:
        raise ValueError("payment was not issued for a gateway")
    await context.commit()  # no database transaction stays open while the gateway is asked
    try:
        outcome = await reconcile.settle(context.services, order_id)
    except GatewayError as exc:
        log.warning("status of %s not reached for the buyer (%s)", order_id, exc)
        raise GatewayUnreachable(code=code) from None
    if outcome is Outcome.DEAD:
        raise PaymentNotPending(state=PaymentState.EXPIRED, code=code)
    return outcome in (Outcome.PAID, Outcome.ALREADY_PAID)


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
