"""A payment gateway's word, asked for and booked: after a notification, by the reconciliation job, after a cancel.

No database transaction is ever open while the gateway is asked (on SQLite the one connection would wait for the
network): the codes to ask about are read in one short unit of work, the gateway is asked outside any, and each
answer is booked in a unit of work of its own (`gateway_payments.apply_status`, safe to repeat).

- Reconciliation (every RECONCILE_INTERVAL seconds): codes still open past their deadline or older than 10 minutes
  are looked up in the status API, so a lost notification costs minutes, not a sale.
- Retired codes (the order expired or was cancelled, cash replaced the code): the gateway is told to cancel them,
  right after the bot retired them and again at each reconciliation until the gateway has said so. A failure is
  logged, never blocks the cancel or the expiry itself.
"""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.services import Services, services_of
from models.db import retrying
from models.locks import try_job_lock
from models.services import gateway_payments
from models.services.gateway import GatewayError, GatewayStatus
from models.services.gateway_payments import Outcome

log = logging.getLogger(__name__)
RECONCILE_INTERVAL = 180
JOB = "gateway-reconcile"


async def book(services: Services, status: GatewayStatus) -> Outcome:
    """Applies one status from the gateway in its own unit of work (again after a busy database)."""

    async def attempt() -> Outcome:
        async with services.session_factory.begin() as session:
            return await gateway_payments.apply_status(session, status, now=services.now(), booking=services.booking)

    return await retrying(attempt)


async def settle(services: Services, order_id: str) -> Outcome:
    """Asks the status API about one order id and books the answer (UNKNOWN: the gateway knows no such order)."""
    gateway = services.gateway
    if gateway is None:
        return Outcome.UNKNOWN
    status = await gateway.status(order_id)
    return Outcome.UNKNOWN if status is None else await book(services, status)


async def settle_overdue(services: Services) -> int:
    """Asks about open codes past their deadline before the expiry job retires them: money paid at the last
    moment whose notification is late is booked, not refused. Returns how many turned out paid."""
    if services.gateway is None:
        return 0
    async with services.session_factory() as session:
        overdue = await gateway_payments.to_reconcile(session, now=services.now(), overdue_only=True)
    paid = 0
    for order_id in overdue:
        try:
            paid += await settle(services, order_id) is Outcome.PAID
        except GatewayError as exc:  # the expiry goes ahead; a late payment then reaches staff as an alert
            log.warning("status of overdue %s not reached before expiry (%s)", order_id, exc)
    return paid


async def _due(services: Services) -> tuple[list[str], list[str]] | None:
    """(open codes to ask about, retired codes to cancel); None while another process runs the job."""

    async def attempt() -> tuple[list[str], list[str]] | None:
        async with services.session_factory.begin() as session:
            if not await try_job_lock(session, JOB):
                return None
            return (await gateway_payments.to_reconcile(session, now=services.now()),
                    await gateway_payments.to_cancel(session))

    return await retrying(attempt)


async def cancel_retired(services: Services, order_ids: list[str] | None = None) -> int:
    """Cancels at the gateway the codes the bot retired; returns how many the gateway now reports dead."""
    gateway = services.gateway
    if gateway is None:
        return 0
    if order_ids is None:
        async with services.session_factory() as session:
            order_ids = await gateway_payments.to_cancel(session)
    done = 0
    for order_id in order_ids:
        try:
            status = await gateway.cancel(order_id)
        except GatewayError as exc:
            log.warning("cancel of %s at %s failed (%s): retried at the next reconciliation",
                        order_id, gateway.name, exc)
            continue
        if status is None:
            status = GatewayStatus(order_id, "cancel")  # never created there: nothing to pay, nothing to cancel
        done += await book(services, status) is Outcome.DEAD
    return done


async def reconcile(services: Services) -> dict[Outcome, int]:
    """One reconciliation run: asks about open codes, cancels retired ones; counts the outcomes."""
    gateway = services.gateway
    counts: dict[Outcome, int] = {}
    if gateway is None:
        return counts
    due = await _due(services)
    if due is None:
        log.debug("%s: skipped, another process is running it", JOB)
        return counts
    open_codes, retired = due
    for order_id in open_codes:
        try:
            outcome = await settle(services, order_id)
        except GatewayError as exc:
            log.warning("status of %s not reached (%s): asked again at the next reconciliation", order_id, exc)
            continue
        counts[outcome] = counts.get(outcome, 0) + 1
    cancelled = await cancel_retired(services, retired)
    if cancelled:
        counts[Outcome.DEAD] = counts.get(Outcome.DEAD, 0) + cancelled
    if counts:
        log.info("%s: %s", JOB, ", ".join(f"{k.value} {v}" for k, v in counts.items()))
    return counts


async def reconcile_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks the gateway about open codes that heard nothing and cancels retired ones (see the module docstring)."""
    await reconcile(services_of(context.bot_data))


async def cancel_retired_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Cancels at the gateway the codes just retired (queued after an expiry or a cancellation committed)."""
    await cancel_retired(services_of(context.bot_data))
