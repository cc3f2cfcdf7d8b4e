"""Processes the updates of one chat in order and those of different chats concurrently."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> int | None:
    """The chat (or user) whose updates must stay in order, or None for updates without one."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Chains each chat's updates behind the previous one; at most `max_running` run at once.

    PTB's outer limit only queues (it is set high so a flooding chat cannot hold the slots of other
    chats while its updates wait their turn); the inner semaphore bounds the work actually running.
    """

    def __init__(self, max_running: int = 256, max_queued: int = 100_000) -> None:
        super().__init__(max_queued)
        self._running = asyncio.Semaphore(max_running)
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Waits for the chat's previous update, then runs this one."""
        key = chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
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
                await coroutine
        finally:
            done.set_result(None)
            if self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
