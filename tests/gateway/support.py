"""The bot with PAYMENT_PROVIDER=midtrans against the local sandbox, and readers of what it stored."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import zxingcpp
from PIL import Image
from sqlalchemy import select

from bot.emulator import EmulatedUser
from bot.emulator.server import BotApiEmulator
from bot.midtrans_sandbox import MidtransSandbox
from bot.payments.midtrans import NOTIFICATION_PATH, MidtransClient
from bot.services import Services
from jobs import reconcile
from models.order import Order
from models.outbox import OutboxMessage
from models.payment import Payment
from models.people import Line, Role
from tests.flows.buyer_dialogues import bread_to_cart, checkout_to_summary, confirm, start
from tests.support.clock import FakeClock
from tests.web.support import WebBot, web_bot

SERVER_KEY = "SB-Mid-server-karya-" + "k" * 16
STAFF = 501  # the baker
BUYER = 4242


@dataclass
class GatewayShop:
    """The running bot (with its web server), the sandbox, the buyer and the baker."""

    bot: WebBot
    sandbox: MidtransSandbox
    buyer: EmulatedUser
    staff: EmulatedUser

    @property
    def services(self) -> Services:
        """The bot's services."""
        return self.bot.harness.services

    @property
    def gateway(self) -> MidtransClient:
        """The bot's Midtrans client."""
        gateway = self.services.gateway
        assert isinstance(gateway, MidtransClient)
        return gateway

    async def payments(self) -> list[Payment]:
        """Every payment as stored, oldest first."""
        async with self.services.session_factory() as session:
            return list(await session.scalars(select(Payment).order_by(Payment.id)))

    async def orders(self) -> list[Order]:
        """Every order as stored, oldest first."""
        async with self.services.session_factory() as session:
            return list(await session.scalars(select(Order).order_by(Order.id)))

    async def outbox(self) -> list[OutboxMessage]:
        """Every queued message, oldest first."""
        async with self.services.session_factory() as session:
            return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@asynccontextmanager
async def gateway_shop(
    emulator: BotApiEmulator, database_url: str, clock: FakeClock, sandbox: MidtransSandbox, **overrides: Any
) -> AsyncIterator[GatewayShop]:
    """Runs the bot as production does with PAYMENT_PROVIDER=midtrans, its API at the sandbox, notified at its own
    web server (the port is known once it listens), with short timeouts so failures show quickly."""
    settings: dict[str, Any] = {
        "expiry_check_seconds": 3600,  # the tests expire orders themselves when they move the clock
        "payment_provider": "midtrans", "midtrans_server_key": SERVER_KEY, "midtrans_api_base_url": sandbox.base_url,
        "public_base_url": "http://127.0.0.1:1", **overrides,
    }
    async with web_bot(emulator, database_url, clock, **settings) as bot:
        gateway = bot.harness.services.gateway
        assert isinstance(gateway, MidtransClient)
        gateway.notification_url = bot.url(NOTIFICATION_PATH)
        gateway.charge_timeout, gateway.status_timeout, gateway.backoff = 1.0, 1.0, 0.01
        queue = bot.harness.app.job_queue
        assert queue is not None
        for job in queue.get_jobs_by_name(reconcile.JOB):  # the tests run reconciliation when they move the clock
            job.schedule_removal()
        await bot.harness.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
        staff = emulator.user(STAFF, "Rina")
        buyer = emulator.user(BUYER, "Sari")
        yield GatewayShop(bot, sandbox, buyer, staff)


async def to_summary(user: EmulatedUser) -> None:
    """A buyer puts 12 chocolate breads (Rp42.000) for Saturday in the cart and checks out up to the summary."""
    await start(user)
    await bread_to_cart(user)
    await checkout_to_summary(user)


async def ordered(shop: GatewayShop) -> str:
    """The buyer's order placed and its code shown; returns the sandbox's order id."""
    await to_summary(shop.buyer)
    await confirm(shop.buyer)
    [transaction] = shop.sandbox.transactions
    return transaction.order_id


def qr_text(png: bytes) -> str:
    """The text of the one QR code in a photo."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    texts = {f.text for f in found}
    assert len(texts) == 1, texts
    return texts.pop()
