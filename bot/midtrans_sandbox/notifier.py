"""Notification delivery: one worker POSTs notifications in order, applies the faults and logs every attempt.

Midtrans' retry schedule is not documented, so the sandbox delivers each notification once and resends on
`redeliver()` (the dashboard's "resend"); a lost notification is what reconciliation must catch.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

from bot.midtrans_sandbox import wire
from bot.midtrans_sandbox.faults import NotificationFaults
from bot.midtrans_sandbox.transactions import Transaction


@dataclass
class Notification:
    """One notification the sandbox meant to send (copies of a duplicate are notifications of their own)."""

    number: int
    url: str | None
    body: dict[str, Any]
    forged: str | None = None
    copy: int = 1
    attempts: int = 0
    state: str = "queued"  # queued, held, lost, delivered, failed

    @property
    def order_id(self) -> str:
        """The order id the body names (a forged one may name another)."""
        return str(self.body.get("order_id"))

    @property
    def transaction_status(self) -> str:
        """The transaction_status the body says."""
        return str(self.body.get("transaction_status"))


@dataclass
class Delivery:
    """One delivery attempt and what the receiver answered (status None: no answer at all)."""

    notification: Notification
    attempt: int
    at: datetime
    status: int | None = None
    error: str | None = None
    body: dict[str, Any] = field(default_factory=dict)
    # Seconds the receiver took to answer: Midtrans wants an answer in under 5 s.
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        """Tells whether the receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


class Notifier:
    """Sends notifications to each transaction's URL through the fault switches."""

    def __init__(self, server_key: str, faults: NotificationFaults, clock: Callable[[], datetime],
                 timeout: float = 15.0) -> None:
        self._server_key = server_key
        self._faults = faults
        self._clock = clock
        self._timeout = timeout
        self._queue: asyncio.Queue[Notification] = asyncio.Queue()
        self._reorder_buffer: list[Notification] = []
        self._session: aiohttp.ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._delivered = asyncio.Condition()
        self.notifications: list[Notification] = []
        self.deliveries: list[Delivery] = []

    async def start(self) -> None:
        """Opens the HTTP client and starts the delivery worker."""
        # Midtrans waits up to 15 s for an answer and does not follow redirects.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        self._worker = asyncio.create_task(self._run(), name="midtrans-sandbox-notifier")

    async def stop(self) -> None:
        """Stops the worker (queued notifications are dropped) and closes the HTTP client."""
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def submit(self, transaction: Transaction) -> list[Notification]:
        """Notifies the transaction's current status through the fault switches; returns what was made."""
        plan = self._faults.plan()
        body = wire.notification(transaction, self._server_key)
        if plan.forge is not None:
            body = wire.forge(body, plan.forge, self._server_key, plan.other_order_id)
        made = [self._new(transaction.notification_url, body, plan.forge, copy) for copy in range(1, plan.copies + 1)]
        for notification in made:
            if plan.lose:
                notification.state = "lost"
            elif plan.hold:
                notification.state = "held"
            elif plan.reorder:
                notification.state = "held"
                self._reorder_buffer.append(notification)
            else:
                self._queue.put_nowait(notification)
        if plan.reorder_complete:
            batch, self._reorder_buffer = self._reorder_buffer, []
            for notification in reversed(batch):
                self._enqueue(notification)
        return made

    def send_now(self, transaction: Transaction, forge: str | None = None,
                 other_order_id: str | None = None) -> Notification:
        """Sends a notification of the current status at once, bypassing the switches (a replay or a forgery)."""
        body = wire.notification(transaction, self._server_key)
        if forge is not None:
            body = wire.forge(body, forge, self._server_key, other_order_id)
        notification = self._new(transaction.notification_url, body, forge, 1)
        self._enqueue(notification)
        return notification

    def release(self) -> int:
        """Sends every held notification: the delayed ones oldest first, then an unfinished reorder newest first."""
        reordering = {id(n) for n in self._reorder_buffer}
        held = [n for n in self.notifications if n.state == "held" and id(n) not in reordering]
        held += reversed(self._reorder_buffer)
        self._reorder_buffer = []
        for notification in held:
            self._enqueue(notification)
        return len(held)

    def redeliver(self) -> int:
        """Sends again every notification whose last attempt failed; returns how many."""
        failed = [n for n in self.notifications if n.state == "failed"]
        for notification in failed:
            self._enqueue(notification)
        return len(failed)

    async def idle(self) -> None:
        """Returns once every queued notification has been attempted (held and lost ones are not due)."""
        await self._queue.join()

    async def wait_deliveries(self, count: int, timeout: float = 5.0) -> list[Delivery]:
        """Waits until at least `count` delivery attempts are logged; returns the log."""
        async with asyncio.timeout(timeout), self._delivered:
            await self._delivered.wait_for(lambda: len(self.deliveries) >= count)
        return self.deliveries

    def _new(self, url: str | None, body: dict[str, Any], forged: str | None, copy: int) -> Notification:
        """Numbers and logs a new notification."""
        notification = Notification(len(self.notifications) + 1, url, body, forged, copy)
        self.notifications.append(notification)
        return notification

    def _enqueue(self, notification: Notification) -> None:
        """Puts a notification in line for the worker."""
        notification.state = "queued"
        self._queue.put_nowait(notification)

    async def _run(self) -> None:
        """Delivers queued notifications one at a time, in queue order."""
        while True:
            notification = await self._queue.get()
            try:
                await self._deliver(notification)
            finally:
                self._queue.task_done()

    async def _deliver(self, notification: Notification) -> None:
        """POSTs one notification and logs the attempt."""
        notification.attempts += 1
        delivery = Delivery(notification, notification.attempts, self._clock(), body=dict(notification.body))
        if notification.url is None:
            delivery.error = "no notification URL (no X-Override-Notification on the charge, none configured)"
        else:
            started = time.monotonic()
            data = wire.encode(notification.body, notification.forged)
            delivery.status, delivery.error = await self._post(notification.url, data)
            delivery.duration = time.monotonic() - started
        notification.state = "delivered" if delivery.ok else "failed"
        async with self._delivered:
            self.deliveries.append(delivery)
            self._delivered.notify_all()

    async def _post(self, url: str, data: bytes) -> tuple[int | None, str | None]:
        """POSTs JSON without following redirects; returns the HTTP status or the transport error."""
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        try:
            async with self._session.post(url, data=data, headers=headers, allow_redirects=False) as response:
                await response.read()
                return response.status, None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:  # ValueError: a URL aiohttp cannot use
            return None, f"{type(exc).__name__}: {exc}"
