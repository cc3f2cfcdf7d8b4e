"""The update queue: long polling with offsets and conflicts, shared with webhook delivery."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import ApiError

CONFLICT_POLLER = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
# Without allowed_updates Telegram sends everything except these.
_OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_DISCONNECT_CHECK = 0.1


@dataclass
class QueuedUpdate:
    """An update waiting to be confirmed by the bot."""

    update_id: int
    payload: dict[str, Any]
    chat_id: int | None
    forced: bool = False
    delivered: bool = False

    @property
    def kind(self) -> str:
        """The update type: the one key besides update_id."""
        return next(key for key in self.payload if key != "update_id")


class UpdateQueue:
    """Updates in push order; getUpdates and the webhook both read from here."""

    def __init__(self, first_update_id: int | None = None) -> None:
        self._entries: list[QueuedUpdate] = []
        # Like Telegram after a quiet week, ids start at a random number: a bot that remembers the update ids
        # it took in (to ignore duplicates) must not see a restarted emulator's ids as old ones.
        self._next_id = first_update_id if first_update_id is not None else random.randint(1, 2**30)
        self._generation = 0
        self._arrived = asyncio.Event()
        self.allowed_updates: list[str] = []
        self.webhook_active = False
        self.closing = False

    def push(self, payload: dict[str, Any], chat_id: int | None) -> int:
        """Queues a validated update, assigning the next update_id unless one is given."""
        forced = "update_id" in payload
        update_id = int(payload["update_id"]) if forced else self._next_id
        self._next_id = max(self._next_id, update_id + 1)
        self._entries.append(QueuedUpdate(update_id, {**payload, "update_id": update_id}, chat_id, forced))
        self.wake()
        return update_id

    def wake(self) -> None:
        """Wakes pollers and the webhook sender."""
        arrived, self._arrived = self._arrived, asyncio.Event()
        arrived.set()

    async def wait(self, timeout: float) -> None:
        """Sleeps until something is pushed or the queue is woken, at most timeout seconds."""
        arrived = self._arrived
        # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation that races a wake-up.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(timeout, 0)):
                await arrived.wait()

    def confirm(self, offset: int) -> None:
        """Drops updates the offset confirms (a negative offset keeps only the last -offset ones)."""
        if offset < 0:
            self._entries = self._entries[offset:]
        elif offset > 0:
            self._entries = [e for e in self._entries if e.update_id >= offset or (e.forced and not e.delivered)]

    def drop_pending(self) -> None:
        """Forgets every queued update (drop_pending_updates)."""
        self._entries.clear()

    def deliverable(self, limit: int) -> list[QueuedUpdate]:
        """The first updates in order that the allowed_updates filter lets through; others are dropped."""
        allowed = set(self.allowed_updates)
        kept = [e for e in self._entries if (e.kind in allowed if allowed else e.kind not in _OPT_IN_TYPES)]
        self._entries = kept
        return kept[:limit]

    def remove(self, entry: QueuedUpdate) -> None:
        """Removes one update after the webhook accepted it."""
        if entry in self._entries:
            self._entries.remove(entry)

    def pending_for(self, chat_id: int) -> bool:
        """Tells whether an update from this chat has not reached the bot yet."""
        return any(e.chat_id == chat_id and not e.delivered for e in self._entries)

    @property
    def pending_count(self) -> int:
        """Number of updates not confirmed yet."""
        return len(self._entries)

    async def poll(self, offset: int, limit: int, timeout: float, allowed: list[str] | None,
                   is_gone: Callable[[], bool]) -> list[dict[str, Any]]:
        """Answers getUpdates: waits up to timeout for updates; a newer poll terminates this one (409)."""
        if self.webhook_active:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self._generation += 1
        generation = self._generation
        self.wake()  # an older poll notices it was terminated
        if allowed is not None:
            self.allowed_updates = list(allowed)
        self.confirm(offset)
        deadline = time.monotonic() + timeout
        while True:
            if is_gone():
                return []  # the client left (e.g. PTB stopping): nobody would read an answer
            if generation != self._generation:
                raise ApiError(409, CONFLICT_POLLER)
            batch = self.deliverable(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self.closing:
                for entry in batch:
                    entry.delivered = True
                return [entry.payload for entry in batch]
            await self.wait(min(remaining, _DISCONNECT_CHECK))
