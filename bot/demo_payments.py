"""The offline demo with PAYMENT_PROVIDER=midtrans: the local Midtrans sandbox in this process, the bot's web server
for the sandbox's notifications, and the demo-only terminal command `/bayar_demo [KODE]` that pays an order's open
code at the sandbox, so the buyer's "Lunas" and the staff alert arrive with no staff action."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from bot.midtrans_sandbox import DEFAULT_SERVER_KEY, ControlError, MidtransSandbox, running_sandbox
from bot.payments.midtrans import NOTIFICATION_PATH, MidtransClient
from bot.services import Services, services_of
from bot.settings import Settings
from bot.web.context import AnyApp, WebContext
from bot.web.server import WebServer
from models.rules.codes import normalize_order_code
from models.services import gateway_payments

PAY_COMMAND = "/bayar_demo"


class DemoGateway:
    """The sandbox the demo pays at, and the bot's web server it notifies."""

    def __init__(self, sandbox: MidtransSandbox) -> None:
        self.sandbox = sandbox
        self.services: Services | None = None

    def settings_update(self) -> dict[str, Any]:
        """The settings that point the bot's Midtrans client at the sandbox."""
        return {"midtrans_server_key": SecretStr(self.sandbox.server_key),
                "midtrans_api_base_url": self.sandbox.base_url, "public_base_url": "http://127.0.0.1"}

    @asynccontextmanager
    async def serving(self, application: AnyApp) -> AsyncIterator[None]:
        """Runs the bot's web server on a free loopback port and tells the client to be notified there."""
        services = services_of(application.bot_data)
        server = WebServer(WebContext(application, services))
        port = await server.start("127.0.0.1", 0)
        if isinstance(services.gateway, MidtransClient):
            services.gateway.notification_url = f"http://127.0.0.1:{port}{NOTIFICATION_PATH}"
        self.services = services
        try:
            yield
        finally:
            await server.stop()

    async def pay(self, argument: str) -> str:
        """`/bayar_demo [KODE]`: pays the order's open code (the newest open one without a code) at the sandbox."""
        if self.services is None:
            return "(Sandbox Midtrans belum siap.)"
        code = normalize_order_code(argument) if argument.strip() else None
        if argument.strip() and code is None:
            return f"(Kode pesanan tidak dikenal: {argument.strip()})"
        async with self.services.session_factory() as session:
            order_id = await gateway_payments.open_order_id(session, code)
        if order_id is None:
            return "(Tidak ada kode QRIS Midtrans yang menunggu pembayaran.)"
        try:
            paid = self.sandbox.pay(order_id)
        except ControlError as exc:
            return f"(Sandbox Midtrans menolak: {exc})"
        await self.sandbox.idle()  # the notification has reached the bot and been answered
        return f"(Sandbox Midtrans: {order_id} dibayar Rp{paid.charged_amount:,}.)".replace(",", ".")


@asynccontextmanager
async def demo_gateway(settings: Settings) -> AsyncIterator[DemoGateway | None]:
    """With PAYMENT_PROVIDER=midtrans, the sandbox for the length of the demo; None otherwise."""
    if settings.payment_provider != "midtrans":
        yield None
        return
    async with running_sandbox(server_key=settings.midtrans_key or DEFAULT_SERVER_KEY) as sandbox:
        yield DemoGateway(sandbox)
