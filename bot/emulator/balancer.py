"""A small round-robin load balancer standing in for nginx: POST /telegram goes to each bot process in turn.

A process that refuses the connection (killed, not started yet) is skipped for the next one, as nginx's
`proxy_next_upstream error` does; a process that fails while answering gets a 502 back to Telegram (the emulator),
which delivers the update again. The proxy remembers which process each update went to.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from typing import Any

import aiohttp
from aiohttp import web

from bot.emulator.webhook import SECRET_HEADER


def free_port() -> int:
    """A loopback port nobody listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RoundRobinProxy:
    """Forwards each webhook delivery to the next backend port, in turn."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.port = free_port()
        self.routed: dict[int, list[int]] = {}  # update_id -> the backends that accepted it (a redelivery: two)
        self.accepted: Counter[int] = Counter()  # backend index -> updates it accepted
        self._next = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        """The webhook URL the bots register (WEBHOOK_URL)."""
        return f"http://127.0.0.1:{self.port}/telegram"

    async def __aenter__(self) -> RoundRobinProxy:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        app = web.Application()
        app.router.add_post("/telegram", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *_: Any) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    def route_of(self, update_id: int) -> int | None:
        """The backend that accepted an update (the last one, for an update delivered twice)."""
        found = self.routed.get(update_id)
        return found[-1] if found else None

    async def _forward(self, request: web.Request) -> web.Response:
        """Sends the delivery to the next backend that takes connections; its answer goes back as it is."""
        assert self._session is not None
        body = await request.read()
        headers = {name: value for name in (SECRET_HEADER, "Content-Type") if (value := request.headers.get(name))}
        for _ in self.backends:
            index, self._next = self._next, (self._next + 1) % len(self.backends)
            try:
                async with self._session.post(
                    f"http://127.0.0.1:{self.backends[index]}/telegram", data=body, headers=headers
                ) as answer:
                    payload = await answer.read()
                    if 200 <= answer.status < 300:
                        self.accepted[index] += 1
                        self.routed.setdefault(int(json.loads(body)["update_id"]), []).append(index)
                    return web.Response(status=answer.status, body=payload)
            except aiohttp.ClientConnectorError:
                continue  # nobody listens there: the next one
            except aiohttp.ClientError:
                return web.Response(status=502)
        return web.Response(status=502)
