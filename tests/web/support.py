"""The real Application and its web server, started and stopped by the production runtime (`BotRuntime`), against
the Bot API emulator; plus readers of what the server answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.app import ALLOWED_UPDATES
from bot.emulator.server import BotApiEmulator
from bot.lifecycle import BotRuntime
from tests.support.clock import FakeClock
from tests.support.harness import Harness, noting_pushes, prepared_bot

WEBHOOK_SECRET = "rahasia-webhook_" + "w" * 20


@dataclass
class WebBot:
    """The running bot (its harness), its runtime and an HTTP client for its web server."""

    harness: Harness
    runtime: BotRuntime
    http: aiohttp.ClientSession

    def url(self, path: str) -> str:
        """The address of a path on the bot's web server."""
        return f"http://127.0.0.1:{self.runtime.port}{path}"

    async def get(self, path: str) -> tuple[int, str]:
        """GET a path: (status, body)."""
        async with self.http.get(self.url(path)) as response:
            return response.status, await response.text()

    async def readiness(self) -> tuple[int, dict[str, Any]]:
        """GET /readyz: (status, parsed body)."""
        status, body = await self.get("/readyz")
        return status, json.loads(body)

    async def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """GET /metrics parsed by prometheus_client's own parser: sample (name, labels) -> value."""
        status, body = await self.get("/metrics")
        assert status == 200, body
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body)
            for sample in family.samples
        }

    async def post_update(self, body: bytes | str, headers: dict[str, str]) -> int:
        """POSTs a body to /telegram as Telegram would (or would not); returns the status."""
        async with self.http.post(self.url("/telegram"), data=body, headers=headers) as response:
            await response.read()
            return response.status


@asynccontextmanager
async def web_bot(
    emulator: BotApiEmulator, database_url: str, clock: FakeClock, *, webhook: bool = False, **overrides: Any
) -> AsyncIterator[WebBot]:
    """Runs the bot as `python -m bot run` does, in-process: web server on a free port, start-up work, polling or
    (with `webhook`) Telegram's deliveries to POST /telegram; stops it as SIGTERM would."""
    if webhook:  # the URL's port is set once the server listens; the secret is the one Telegram will send
        overrides = {"webhook_url": "http://127.0.0.1:1/telegram", "webhook_secret": WEBHOOK_SECRET, **overrides}
    harness = await prepared_bot(emulator, database_url, clock, http_port=0, **overrides)
    settings = harness.services.settings
    runtime = BotRuntime(harness.app, settings, ALLOWED_UPDATES)
    port = await runtime.listen()
    if webhook:
        runtime.settings = settings.model_copy(update={"webhook_url": f"http://127.0.0.1:{port}/telegram"})
    try:
        with noting_pushes(emulator, harness.pushed):
            await runtime.start()
            async with aiohttp.ClientSession() as http:
                yield WebBot(harness, runtime, http)
    finally:
        await runtime.stop()


def sample(metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float], metric: str, /, **labels: str) -> float:
    """One sample's value (0 when the series is absent); any label name may be given, `name` too."""
    return metrics.get((metric, tuple(sorted(labels.items()))), 0.0)
