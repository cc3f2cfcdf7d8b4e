"""MidtransSandbox: an aiohttp server on loopback that speaks Midtrans' Core API for QRIS, with a control surface."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.midtrans_sandbox import control
from bot.midtrans_sandbox.api import ApiCall, CoreApi
from bot.midtrans_sandbox.errors import ControlError
from bot.midtrans_sandbox.faults import Faults
from bot.midtrans_sandbox.notifier import Delivery, Notification, Notifier
from bot.midtrans_sandbox.transactions import DENY, EXPIRE, SETTLEMENT, Transaction, TransactionBook

Clock = Callable[[], datetime]
DEFAULT_SERVER_KEY = "SB-Mid-server-KARYA-SANDBOX"
# Midtrans does not document QRIS' default expiry; the sandbox picks 15 minutes unless told otherwise.
DEFAULT_EXPIRY = timedelta(minutes=15)


def system_clock() -> datetime:
    """The real time as an aware UTC datetime."""
    return datetime.now(UTC)


class MidtransSandbox:
    """A local Midtrans: point the bot's MIDTRANS_API_BASE_URL at `base_url` and its key at `server_key`."""

    def __init__(self, server_key: str = DEFAULT_SERVER_KEY, *, host: str = "127.0.0.1", port: int = 0,
                 clock: Clock = system_clock, notification_url: str | None = None,
                 default_expiry: timedelta = DEFAULT_EXPIRY, notify_pending: bool = True,
                 delivery_timeout: float = 15.0) -> None:
        self.server_key = server_key
        self.notification_url = notification_url
        self.default_expiry = default_expiry
        self.notify_pending = notify_pending
        self.faults = Faults()
        self.book = TransactionBook()
        self.notifier = Notifier(server_key, self.faults.notifications, self.now, delivery_timeout)
        self.calls: list[ApiCall] = []
        self._clock = clock
        self._skew = timedelta()
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Starts listening; port 0 picks a free port."""
        app = web.Application(client_max_size=1024 * 1024)
        CoreApi(self).add_routes(app)
        control.add_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._host, self._port).start()
        except OSError:  # the port is taken: leave nothing running behind
            await self._runner.cleanup()
            self._runner = None
            raise
        self._port = int(self._runner.addresses[0][1])
        await self.notifier.start()

    async def stop(self) -> None:
        """Lets late answers go, stops delivery and the server."""
        self.faults.api.release_slow()
        await self.notifier.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MidtransSandbox:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    # -- addresses, time and views -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API base URL, like https://api.sandbox.midtrans.com (no /v2)."""
        return f"http://{self._host}:{self._port}"

    @property
    def port(self) -> int:
        """The port the sandbox listens on."""
        return self._port

    def now(self) -> datetime:
        """The sandbox's time: the injected clock plus what advance() added."""
        return self._clock() + self._skew

    @property
    def transactions(self) -> list[Transaction]:
        """Every transaction in charge order."""
        return self.book.all()

    def transaction(self, order_or_transaction_id: str) -> Transaction:
        """One transaction by order id or transaction id; KeyError when unknown."""
        found = self.book.find(order_or_transaction_id)
        if found is None:
            raise KeyError(order_or_transaction_id)
        return found

    @property
    def notifications(self) -> list[Notification]:
        """Every notification made, in order, with its state (queued, held, lost, delivered, failed)."""
        return self.notifier.notifications

    @property
    def deliveries(self) -> list[Delivery]:
        """Every delivery attempt with the HTTP status the receiver answered."""
        return self.notifier.deliveries

    async def idle(self) -> None:
        """Returns once every due notification has been attempted."""
        await self.notifier.idle()

    async def wait_deliveries(self, count: int, timeout: float = 5.0) -> list[Delivery]:
        """Waits until at least `count` delivery attempts are logged."""
        return await self.notifier.wait_deliveries(count, timeout)

    # -- control (the Python side; control.py puts it on HTTP) -------------------------------------

    def pay(self, order_or_transaction_id: str, amount: int | None = None) -> Transaction:
        """The buyer pays: settlement, notified; `amount` reports another gross_amount (a mismatch)."""
        transaction = self._pending(order_or_transaction_id, "paid")
        if amount is not None:
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
                raise ControlError(400, "amount must be a positive integer of rupiah")
            transaction.gross_amount = amount
        self.move(transaction, SETTLEMENT)
        return transaction

    def expire(self, order_or_transaction_id: str) -> Transaction:
        """The code expires now, notified."""
        transaction = self._pending(order_or_transaction_id, "expired")
        self.move(transaction, EXPIRE)
        return transaction

    def deny(self, order_or_transaction_id: str) -> Transaction:
        """The acquirer denies the payment, notified."""
        transaction = self._pending(order_or_transaction_id, "denied")
        self.move(transaction, DENY)
        return transaction

    def expire_due(self) -> list[Transaction]:
        """Expires every pending transaction past its expiry time, notifying each."""
        due = self.book.due(self.now())
        for transaction in due:
            self.move(transaction, EXPIRE)
        return due

    def advance(self, **delta: float) -> list[Transaction]:
        """Moves the sandbox's time forward (timedelta keywords), then expires what is due."""
        self._skew += timedelta(**delta)
        return self.expire_due()

    def notify(self, order_or_transaction_id: str, *, forge: str | None = None,
               other_order_id: str | None = None) -> Notification:
        """Sends the current status again now (a replay), or a forgery of it, past the fault switches."""
        transaction = self._find_for_control(order_or_transaction_id)
        return self.notifier.send_now(transaction, forge, other_order_id)

    def release(self) -> int:
        """Delivers the notifications held by delay(); returns how many."""
        return self.notifier.release()

    def redeliver(self) -> int:
        """Resends the notifications whose last attempt failed; returns how many."""
        return self.notifier.redeliver()

    # -- shared with the API routes, and internals ---------------------------------------------------

    def _find_for_control(self, order_or_transaction_id: str) -> Transaction:
        """The transaction a control call names, expired first when due; 404 when unknown."""
        transaction = self.book.find(order_or_transaction_id)
        if transaction is None:
            raise ControlError(404, f"no transaction {order_or_transaction_id!r}")
        self.expire_if_due(transaction)
        return transaction

    def _pending(self, order_or_transaction_id: str, verb: str) -> Transaction:
        """The named transaction if it is still pending; 409 otherwise."""
        transaction = self._find_for_control(order_or_transaction_id)
        if not transaction.is_pending:
            raise ControlError(409, f"transaction {transaction.order_id} is {transaction.status}: it cannot be {verb}")
        return transaction

    def move(self, transaction: Transaction, status: str) -> bool:
        """Moves a pending transaction forward and notifies the change."""
        if not self.book.move(transaction, status, self.now()):
            return False
        self.notifier.submit(transaction)
        return True

    def expire_if_due(self, transaction: Transaction) -> None:
        """Expires a pending transaction read after its expiry time, as Midtrans shows it on the next look."""
        if transaction.is_due(self.now()):
            self.move(transaction, EXPIRE)


@asynccontextmanager
async def running_sandbox(server_key: str = DEFAULT_SERVER_KEY, **options: Any) -> AsyncIterator[MidtransSandbox]:
    """Runs a sandbox on a free loopback port for the duration of the block."""
    sandbox = MidtransSandbox(server_key, **options)
    async with sandbox:
        yield sandbox
