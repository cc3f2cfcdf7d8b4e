"""Two bot processes on one PostgreSQL database make one payment's Midtrans code: a double tap that reaches both
charges once, and both show the same code. Each "process" is a bot's own services (its own engine, pool and
Midtrans client) against the same database and sandbox; `codes` keeps its in-process lock per engine, so only the
database can make the second wait."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.payments import codes
from bot.payments.midtrans import MidtransClient
from bot.services import Services, build_services
from models import locks
from models.payment import Payment
from models.services import gateway_payments
from tests.gateway.support import GatewayShop, to_summary
from tests.support.eventually import eventually

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite: one process per file


@dataclass
class Attempt:
    """One attempt at the code, as an update's unit of work makes it."""

    services: Services
    session: AsyncSession

    def now(self) -> datetime:
        """The bot's clock."""
        return self.services.now()

    async def commit(self) -> None:
        """Commits what the attempt did so far."""
        await self.session.commit()


async def make_code(services: Services, payment_id: int) -> Payment | None:
    """What "Coba lagi" does in the process of these services: the payment with its code, None without one."""
    async with services.session_factory() as session:
        payment = await gateway_payments.current(session, payment_id)
        return await codes.with_code(Attempt(services, session), payment)


@pytest.fixture
async def other_process(shop: GatewayShop) -> AsyncIterator[Services]:
    """A second bot process's services on the same database, with a Midtrans client like the first one's."""
    services = build_services(shop.services.settings, clock=shop.services.clock)
    gateway = services.gateway
    assert isinstance(gateway, MidtransClient)
    gateway.notification_url = shop.gateway.notification_url
    gateway.charge_timeout, gateway.status_timeout, gateway.backoff = 30.0, 1.0, 0.01
    yield services
    await services.engine.dispose()


async def waiting_payment_locks(shop: GatewayShop, payment_id: int) -> int:
    """How many sessions wait for this payment's code-making lock (PostgreSQL's pg_locks)."""
    key = locks.payment_key(payment_id) & 0xFFFF_FFFF_FFFF_FFFF
    async with shop.services.engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                 " AND classid::bigint = :high AND objid::bigint = :low"),
            {"high": key >> 32, "low": key & 0xFFFF_FFFF},
        )
    return int(found or 0)


async def a_payment_without_code(shop: GatewayShop) -> int:
    """The buyer's order placed while Midtrans answered 5xx: its payment waits for a code; returns its id."""
    await to_summary(shop.buyer)
    shop.sandbox.faults.api.server_errors(shop.gateway.attempts, calls=["charge"])
    await shop.buyer.press("Konfirmasi")
    await shop.buyer.wait_for("Mohon maaf", timeout=15)
    [payment] = await shop.payments()
    assert payment.payload is None and shop.sandbox.transactions == []
    return payment.id


async def test_a_double_tap_reaching_two_processes_charges_midtrans_once(
    shop: GatewayShop, other_process: Services
) -> None:
    payment_id = await a_payment_without_code(shop)
    shop.gateway.charge_timeout = 30.0  # the first charge is held at Midtrans below, not given up on
    api = shop.sandbox.faults.api
    api.slow(1, calls=["charge"], after=False)
    first = asyncio.create_task(make_code(shop.services, payment_id))
    await eventually(lambda: api.stats.slow_calls == 1, what="the first process's charge to reach Midtrans")
    second = asyncio.create_task(make_code(other_process, payment_id))
    await eventually(lambda: second.done() or waiting_payment_locks(shop, payment_id),
                     what="the second process to wait for the first")
    assert not second.done(), "the second process did not wait for the first one's charge"
    api.release_slow()
    made, found = await asyncio.gather(first, second)

    [transaction] = shop.sandbox.transactions
    assert transaction.status == "pending"  # not cancelled by a second charge of the same order id
    assert made is not None and found is not None
    assert made.payload == found.payload == transaction.qr_string
    [payment] = await shop.payments()
    assert payment.payload == transaction.qr_string and payment.provider_order_id == transaction.order_id


async def test_a_process_that_waits_too_long_for_the_other_gives_no_code_and_charges_nothing(
    shop: GatewayShop, other_process: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment_id = await a_payment_without_code(shop)
    shop.gateway.charge_timeout = 30.0
    api = shop.sandbox.faults.api
    api.slow(1, calls=["charge"], after=False)
    first = asyncio.create_task(make_code(shop.services, payment_id))
    await eventually(lambda: api.stats.slow_calls == 1, what="the first process's charge to reach Midtrans")
    monkeypatch.setattr(codes, "CODE_WAIT_SECONDS", 0.3)
    assert await make_code(other_process, payment_id) is None  # the caller shows the apology with "Coba lagi"
    assert shop.sandbox.transactions == []  # the held charge has not been made yet, and nothing else was
    api.release_slow()
    made = await first
    [transaction] = shop.sandbox.transactions
    assert made is not None and made.payload == transaction.qr_string

    again = await make_code(other_process, payment_id)  # "Coba lagi" in the second process finds the code
    assert again is not None and again.payload == transaction.qr_string and len(shop.sandbox.transactions) == 1
