"""The web server: one aiohttp application made of route groups, run on HTTP_LISTEN:HTTP_PORT in every mode."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable

from aiohttp import web

from bot.web import health, metrics, midtrans, telegram
from bot.web.context import CONTEXT, WebContext
from bot.web.miniapp import routes as miniapp

RouteGroup = Callable[[WebContext], Iterable[web.AbstractRouteDef]]
# Every route group of the server, one module each; a new one (payment notifications, a Mini App) is one line.
ROUTE_GROUPS: tuple[RouteGroup, ...] = (
    health.routes, metrics.routes, telegram.routes, midtrans.routes, miniapp.routes,
)
SHUTDOWN_TIMEOUT = 2.0  # requests still open when the server stops (webhook deliveries are answered at once)


class PortUnavailable(Exception):
    """The server cannot listen where it was told to; the message is one line for the operator."""


def build_web_app(context: WebContext, groups: Iterable[RouteGroup] = ROUTE_GROUPS) -> web.Application:
    """The aiohttp application: every route group, bodies limited to 1 MB."""
    app = web.Application(client_max_size=telegram.MAX_BODY)
    app[CONTEXT] = context
    for group in groups:
        app.add_routes(group(context))
    return app


class WebServer:
    """Runs the web application on one address until stopped."""

    def __init__(self, context: WebContext) -> None:
        self.context = context
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> int:
        """Listens on host:port (port 0: any free one) and returns the port; PortUnavailable when it cannot."""
        runner = web.AppRunner(build_web_app(self.context), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            await runner.cleanup()
            raise PortUnavailable(_why(exc, host, port)) from None
        self._runner = runner
        return int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Stops listening and closes the open connections."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


def _why(exc: OSError, host: str, port: int) -> str:
    """One line saying why the server could not listen."""
    if exc.errno == errno.EADDRINUSE:
        return (f"Cannot listen on {host}:{port}: the port is already in use (another bot process?). "
                "Set HTTP_PORT to a free port.")
    if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
        return f"Cannot listen on {host}:{port}: {exc.strerror}. Check HTTP_LISTEN and HTTP_PORT."
    return f"Cannot listen on {host}:{port}: {exc.strerror or exc}. Check HTTP_LISTEN and HTTP_PORT."
