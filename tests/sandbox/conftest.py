"""Fixtures: a running Midtrans sandbox on a moved-by-hand clock, a notification receiver and an API caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.midtrans_sandbox import MidtransSandbox, running_sandbox
from tests.sandbox.support import Api, Receiver
from tests.support.clock import FakeClock

SERVER_KEY = "SB-Mid-server-TEST-KEY"


@pytest.fixture
def clock() -> FakeClock:
    """Friday 4 December 2026, 09.00 WIB."""
    return FakeClock(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[MidtransSandbox]:
    """A sandbox on a free loopback port, on the test's clock."""
    async with running_sandbox(server_key=SERVER_KEY, clock=clock) as running:
        yield running


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """The merchant's notification endpoint on a free loopback port."""
    async with Receiver() as endpoint:
        yield endpoint


@pytest.fixture
async def api(sandbox: MidtransSandbox) -> AsyncIterator[Api]:
    """Plain Core API calls against the sandbox."""
    async with aiohttp.ClientSession() as session:
        yield Api(session, sandbox)
