"""MidtransSandbox: an aiohttp server on loopback that speaks Midtrans' Core API for QRIS, with a control surface."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.midtrans_sandbox import control
from bot.midtrans_sandbox.api import CoreApi
from bot.midtrans_sandbox.core import DEFAULT_SERVER_KEY, SandboxCore

__all__ = ["DEFAULT_SERVER_KEY", "MidtransSandbox", "running_sandbox"]


class MidtransSandbox(SandboxCore):
    """A local Midtrans: point the bot's MIDTRANS_API_BASE_URL at `base_url` and its key at `server_key`."""

    def __init__(self, server_key: str = DEFAULT_SERVER_KEY, **options: Any) -> None:
        super().__init__(server_key, **options)
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


@asynccontextmanager
async def running_sandbox(server_key: str = DEFAULT_SERVER_KEY, **options: Any) -> AsyncIterator[MidtransSandbox]:
    """Runs a sandbox on a free loopback port for the duration of the block."""
    sandbox = MidtransSandbox(server_key, **options)
    async with sandbox:
        yield sandbox
