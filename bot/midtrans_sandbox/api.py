"""The Core API routes: charge, status, cancel, expire and the QR image, behind the server key and the faults."""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.midtrans_sandbox import wire
from bot.midtrans_sandbox.charge import parse_charge
from bot.midtrans_sandbox.core import ApiCall
from bot.midtrans_sandbox.errors import (
    MidtransError,
    cannot_update,
    duplicate_order_id,
    invalid,
    not_found,
    unauthorized,
)
from bot.midtrans_sandbox.merchant import dynamic_qris, qr_png
from bot.midtrans_sandbox.transactions import CANCEL, EXPIRE, Transaction

if TYPE_CHECKING:
    from bot.midtrans_sandbox.core import SandboxCore


class CoreApi:
    """The routes a Midtrans client calls, working on one sandbox's transactions."""

    def __init__(self, sandbox: SandboxCore) -> None:
        self.sandbox = sandbox

    def add_routes(self, app: web.Application) -> None:
        """Registers the Core API routes."""
        app.router.add_post("/v2/charge", self._charge)
        app.router.add_get("/v2/qris/{transaction_id}/qr-code", self._qr_code)
        app.router.add_get("/v2/{id}/status", self._status)
        app.router.add_post("/v2/{id}/cancel", self._cancel)
        app.router.add_post("/v2/{id}/expire", self._expire)

    def _lookup(self, request: web.Request) -> Transaction:
        """The transaction named in the path by order id or transaction id, expired first when due."""
        transaction = self.sandbox.book.find(request.match_info["id"])
        if transaction is None:
            raise not_found()
        self.sandbox.expire_if_due(transaction)
        return transaction

    async def _run(self, request: web.Request, call: str,
                   work: Callable[[], Awaitable[dict[str, Any]]]) -> web.Response:
        """Runs one call: injected faults, auth, the work, a late answer; logs the answer's status."""
        faults = self.sandbox.faults.api
        try:
            await faults.before(call)
            self._check_auth(request)
            body = await work()
            await faults.after(call)
            response = web.json_response(body, status=200)
        except MidtransError as error:
            response = web.json_response(error.to_payload(), status=error.status_code)
        self.sandbox.calls.append(ApiCall(call, request.path, response.status, time.time()))
        return response

    def _check_auth(self, request: web.Request) -> None:
        """Basic auth with the server key as user name and an empty password."""
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            decoded = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise unauthorized() from None
        user, _, password = decoded.partition(":")
        if scheme.lower() != "basic" or user != self.sandbox.server_key or password:
            raise unauthorized()

    async def _charge(self, request: web.Request) -> web.Response:
        """POST /v2/charge: a new pending QRIS transaction, or the reason there is none."""

        async def work() -> dict[str, Any]:
            """Checks the body and records the transaction."""
            sandbox = self.sandbox
            try:
                body = json.loads(await request.read())
            except (ValueError, UnicodeDecodeError):
                raise invalid("request body must be JSON") from None
            charge = parse_charge(body, sandbox.now(), sandbox.default_expiry)
            if sandbox.book.has_order(charge.order_id):
                raise duplicate_order_id()
            transaction = Transaction(
                transaction_id=str(uuid.uuid4()),
                order_id=charge.order_id,
                charged_amount=charge.gross_amount,
                acquirer=charge.acquirer,
                qr_string=dynamic_qris(charge.gross_amount, charge.order_id),
                transaction_time=sandbox.now(),
                expiry_time=charge.expiry_time,
                notification_url=request.headers.get("X-Override-Notification") or sandbox.notification_url,
            )
            sandbox.book.add(transaction)
            if sandbox.notify_pending:
                sandbox.notifier.submit(transaction)
            qr_url = f"{sandbox.base_url}/v2/qris/{transaction.transaction_id}/qr-code"
            return wire.charge_answer(transaction, qr_url)

        return await self._run(request, "charge", work)

    async def _status(self, request: web.Request) -> web.Response:
        """GET /v2/{id}/status: the transaction as it stands now."""

        async def work() -> dict[str, Any]:
            """Looks the transaction up."""
            return wire.status_answer(self._lookup(request))

        return await self._run(request, "status", work)

    async def _cancel(self, request: web.Request) -> web.Response:
        """POST /v2/{id}/cancel: a pending transaction is cancelled; anything else is refused with 412."""

        async def work() -> dict[str, Any]:
            """Cancels if still pending."""
            transaction = self._lookup(request)
            if not self.sandbox.move(transaction, CANCEL):
                raise cannot_update()
            return wire.status_answer(transaction, "Success, transaction is canceled")

        return await self._run(request, "cancel", work)

    async def _expire(self, request: web.Request) -> web.Response:
        """POST /v2/{id}/expire: a pending transaction expires now; anything else is refused with 412."""

        async def work() -> dict[str, Any]:
            """Expires if still pending."""
            transaction = self._lookup(request)
            if not self.sandbox.move(transaction, EXPIRE):
                raise cannot_update()
            return wire.status_answer(transaction, "Success, transaction has expired")

        return await self._run(request, "expire", work)

    async def _qr_code(self, request: web.Request) -> web.Response:
        """GET the generate-qr-code action's URL: the QR image of the charge's qr_string."""
        found = self.sandbox.book.find(request.match_info["transaction_id"])
        if found is None:
            return web.json_response(not_found().to_payload(), status=404)
        return web.Response(body=qr_png(found.qr_string), content_type="image/png")
