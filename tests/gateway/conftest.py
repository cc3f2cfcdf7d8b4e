"""Gateway fixtures: the Bot API emulator, the local Midtrans sandbox, a running clock, and the bot with
PAYMENT_PROVIDER=midtrans and its web server, on an SQLite file and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.emulator.server import BotApiEmulator
from bot.midtrans_sandbox import MidtransSandbox, running_sandbox
from models.db import create_engine
from tests.conftest import PG_ADMIN_URL
from tests.gateway.support import SERVER_KEY, GatewayShop, gateway_shop
from tests.reliability.conftest import RunningClock


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator on a free loopback port."""
    async with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def clock() -> RunningClock:
    """Friday 27 November 2026, 10.00 WIB (before the bread cut-off for Saturday), running on."""
    fake = RunningClock.__new__(RunningClock)
    fake.set_wib(2026, 11, 27, 10, 0)
    return fake


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An SQLite file, or an empty PostgreSQL database of this test alone (the bot migrates it)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    request.getfixturevalue("pg_url")  # skips loudly, or fails in CI, without a server
    name = f"karya_gw_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
async def sandbox(clock: RunningClock) -> AsyncIterator[MidtransSandbox]:
    """The local Midtrans on a free loopback port, on the test's clock."""
    async with running_sandbox(server_key=SERVER_KEY, clock=clock) as running:
        yield running


@pytest.fixture
async def shop(
    emulator: BotApiEmulator, clock: RunningClock, database_url: str, sandbox: MidtransSandbox
) -> AsyncIterator[GatewayShop]:
    """The bot taking payments through the sandbox, with a baker who receives the staff alerts."""
    async with gateway_shop(emulator, database_url, clock, sandbox) as running:
        yield running
