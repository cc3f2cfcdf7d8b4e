"""Processes the updates of one chat in order and those of different chats concurrently."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot import logs

# Told of each update handled and how long it took (seconds): the composition root wires the metrics here.
UpdateObserver = Callable[[object, float], None]


def chat_key(update: object) -> int | None:
    """The chat (or user) whose updates must stay in order, or None for updates without one."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


def _ids(update: Update) -> tuple[int, int | None, int | None]:
    """The update's id and the ids of its chat and sender."""
    chat, user = update.effective_chat, update.effective_user
    return update.update_id, chat.id if chat else None, user.id if user else None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Chains each chat's updates behind the previous one; at most `max_running` run at once.

    PTB's outer limit only queues (it is set high so a flooding chat cannot hold the slots of other
    chats while its updates wait their turn); the inner semaphore bounds the work actually running.
    """

    def __init__(
        self, max_running: int = 256, max_queued: int = 100_000, *, observer: UpdateObserver | None = None
    ) -> None:
        super().__init__(max_queued)
        self._running = asyncio.Semaphore(max_running)
        self._tails: dict[int, asyncio.Future[None]] = {}
        self._observer = observer

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Runs one update with its ids in the log context, and tells the observer how long it took."""
        token = logs.bind_update(*_ids(update)) if isinstance(update, Update) else None
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            if token is not None:
                logs.unbind(token)
            if self._observer is not None:
                self._observer(update, time.perf_counter() - started)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Waits for the chat's previous update, then runs this one."""
        key = chat_key(update)
        if key is None:
            async with self._running:
                await self._run(update, coroutine)
            return
        # Registering the tail before the first await keeps arrival order within a chat.
        previous = self._tails.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = done
        try:
            if previous is not None:
                with contextlib.suppress(Exception):
                    await asyncio.shield(previous)
            async with self._running:
                await self._run(update, coroutine)
        finally:
            done.set_result(None)
            if self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
