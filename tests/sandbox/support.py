"""Test-side helpers: a tiny notification receiver on loopback, and plain Core API calls with aiohttp."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from bot.midtrans_sandbox import MidtransSandbox

NOTIFY_PATH = "/payments/midtrans"


@dataclass
class Received:
    """One notification the receiver got."""

    path: str
    raw: bytes
    body: dict[str, Any]  # empty when the raw bytes are not JSON
    headers: dict[str, str] = field(default_factory=dict)


class Receiver:
    """A merchant's notification endpoint: records every POST and answers the statuses it is told to."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []  # statuses to answer in turn; 200 once they run out
        self.hang = False  # when set, the receiver never answers (until it stops)
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port = 0

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post(NOTIFY_PATH, self._notify)
        app.router.add_post("/moved", self._moved)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """The URL a charge names in X-Override-Notification."""
        return f"http://127.0.0.1:{self._port}{NOTIFY_PATH}"

    @property
    def moved_url(self) -> str:
        """A URL that answers 307 to the real one (Midtrans must not follow it)."""
        return f"http://127.0.0.1:{self._port}/moved"

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """The bodies received, in arrival order."""
        return [r.body for r in self.received]

    def statuses(self) -> list[str]:
        """The transaction_status of each notification received, in arrival order."""
        return [str(b["transaction_status"]) for b in self.bodies]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Waits until `count` notifications arrived; returns the bodies."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(self.received) >= count)
        return self.bodies

    async def _notify(self, request: web.Request) -> web.Response:
        """Records a notification and answers the next status in line (400 when it is not JSON)."""
        raw = await request.read()  # aiohttp answers 413 itself above its 1 MB limit
        try:
            body, status = json.loads(raw), None
        except ValueError:
            body, status = {}, 400
        async with self._arrived:
            self.received.append(Received(request.path, raw, body, dict(request.headers)))
            self._arrived.notify_all()
        if self.hang:
            await asyncio.Event().wait()
        status = status or (self.answers.pop(0) if self.answers else 200)
        return web.json_response({"ok": status < 300}, status=status)

    async def _moved(self, request: web.Request) -> web.Response:
        """Answers a redirect to the real endpoint."""
        raise web.HTTPTemporaryRedirect(NOTIFY_PATH)


def basic_auth(server_key: str) -> str:
    """The Authorization header Midtrans wants: the server key as user name, an empty password."""
    return "Basic " + base64.b64encode(f"{server_key}:".encode()).decode()


class Api:
    """Plain Core API calls against a sandbox, returning (HTTP status, JSON body)."""

    def __init__(self, session: aiohttp.ClientSession, sandbox: MidtransSandbox) -> None:
        self.session = session
        self.sandbox = sandbox
        self.key = sandbox.server_key

    async def charge(self, order_id: str, amount: Any, *, notify: str | None = None,
                     auth: str | None = None, **extra: Any) -> tuple[int, dict[str, Any]]:
        """POST /v2/charge for a QRIS payment."""
        body = {"payment_type": "qris", "transaction_details": {"order_id": order_id, "gross_amount": amount},
                "qris": {"acquirer": "gopay"}, **extra}
        headers = {"Authorization": auth if auth is not None else basic_auth(self.key)}
        if notify is not None:
            headers["X-Override-Notification"] = notify
        return await self._call("POST", "/v2/charge", headers, body)

    async def status(self, order_id: str) -> tuple[int, dict[str, Any]]:
        """GET /v2/{id}/status."""
        return await self._call("GET", f"/v2/{order_id}/status", {"Authorization": basic_auth(self.key)})

    async def cancel(self, order_id: str) -> tuple[int, dict[str, Any]]:
        """POST /v2/{id}/cancel."""
        return await self._call("POST", f"/v2/{order_id}/cancel", {"Authorization": basic_auth(self.key)})

    async def expire(self, order_id: str) -> tuple[int, dict[str, Any]]:
        """POST /v2/{id}/expire."""
        return await self._call("POST", f"/v2/{order_id}/expire", {"Authorization": basic_auth(self.key)})

    async def control(self, path: str, body: dict[str, Any] | None = None, method: str = "POST") -> tuple[int, Any]:
        """A call to the control surface under /_sandbox/."""
        return await self._call(method, f"/_sandbox/{path}", {}, body)

    async def _call(self, method: str, path: str, headers: dict[str, str],
                    body: Any = None) -> tuple[int, Any]:
        """One HTTP call; the answer's status and JSON."""
        async with self.session.request(method, self.sandbox.base_url + path, json=body, headers=headers) as response:
            return response.status, await response.json()
