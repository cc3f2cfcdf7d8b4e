"""Webhook delivery: POSTs queued updates in order, retrying with backoff until the bot accepts them."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.emulator.updates import QueuedUpdate, UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class WebhookConfig:
    """What setWebhook registered."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None


class WebhookSender:
    """Delivers updates one at a time; the bot's server may start listening after setWebhook."""

    def __init__(self, queue: UpdateQueue, retry_base: float = 0.05, retry_max: float = 1.0) -> None:
        self.queue = queue
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.config: WebhookConfig | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered = 0
        self._task: asyncio.Task[None] | None = None

    async def set(self, config: WebhookConfig) -> None:
        """Registers a webhook and (re)starts delivery; getUpdates answers 409 from now on."""
        await self.delete()
        self.config = config
        self.queue.webhook_active = True
        self._task = asyncio.create_task(self._run(config), name="emulator-webhook")

    async def delete(self) -> None:
        """Stops delivery; updates stay queued for getUpdates."""
        self.config = None
        self.queue.webhook_active = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def info(self) -> dict[str, Any]:
        """Answers getWebhookInfo."""
        info: dict[str, Any] = {
            "url": self.config.url if self.config else "",
            "has_custom_certificate": False,
            "pending_update_count": self.queue.pending_count,
        }
        if self.config is not None:
            info["max_connections"] = self.config.max_connections
            if self.config.ip_address:
                info["ip_address"] = self.config.ip_address
            if self.queue.allowed_updates:
                info["allowed_updates"] = list(self.queue.allowed_updates)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _run(self, config: WebhookConfig) -> None:
        """Sends the oldest update until accepted, then the next; backs off on every failure."""
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        delay = self.retry_base
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while True:
                batch = self.queue.deliverable(1)
                if not batch:
                    await self.queue.wait(1.0)
                    continue
                if await self._post(session, config.url, headers, batch[0]):
                    delay = self.retry_base
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self.retry_max)

    async def _post(self, session: aiohttp.ClientSession, url: str, headers: dict[str, str],
                    entry: QueuedUpdate) -> bool:
        """POSTs one update; True when the bot answered 2xx."""
        try:
            async with session.post(url, json=entry.payload, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    entry.delivered = True
                    self.queue.remove(entry)
                    self.delivered += 1
                    return True
                self._failed(f"Wrong response from the webhook: {response.status} {response.reason}")
        except aiohttp.ClientConnectorError:
            self._failed("Connection refused")
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._failed(f"Failed to deliver: {exc!r}")
        return False

    def _failed(self, message: str) -> None:
        """Remembers the last delivery error for getWebhookInfo."""
        self.last_error_date = int(time.time())
        self.last_error_message = message
