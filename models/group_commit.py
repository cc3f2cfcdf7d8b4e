"""Group commit: the small writes that follow a Bot API answer, from many updates, in one transaction.

When a screen is sent as a new message, or a payment's QR photo is uploaded, the bot learns an id only from
Telegram's answer: the screen's message id, the photo's file id. Each is one short statement, but in a transaction
of its own it costs a pool checkout, BEGIN and COMMIT (on PostgreSQL also the pool's ping). Here every such write
made while a batch is being committed joins the next batch, and each caller returns only once the transaction
holding its write has committed: an update still ends after its writes are durable, as before, but under load
many updates share one transaction. A write made alone costs what it did. A writer must hold no connection of
the same engine while it waits: SQLite's pool has one, and the batch needs it (handlers reach the group through
`BotContext.after_send`, which commits the update's work first).

These transactions take no chat lock (`models.locks`): each statement sets one column of rows whose other writers
PostgreSQL's row locks order, and rows are written in key order, so two processes' batches cannot deadlock.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from dataclasses import dataclass, field

from models.db import SessionFactory, retrying
from models.services import buyer_orders, conversation


@dataclass
class _Batch:
    """The writes of one transaction, and the future its writers wait on."""

    committed: asyncio.Future[None]
    screens: dict[int, int] = field(default_factory=dict)  # chat id -> message id of its screen
    qr_files: dict[int, str] = field(default_factory=dict)  # payment id -> file id of its QR photo


class GroupCommit:
    """Commits the writes of many updates together; each writer waits for its own write's commit."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._next: _Batch | None = None
        self._committing: asyncio.Task[None] | None = None
        self.transactions = 0  # committed so far (what the tests count)

    async def screen(self, chat_id: int, message_id: int) -> None:
        """Remembers the chat's screen message (`conversation.set_screens`); returns once committed."""
        batch = self._join()
        batch.screens[chat_id] = message_id
        await asyncio.shield(batch.committed)  # a caller cancelled must not cancel the others' commit

    async def qr_file(self, payment_id: int, file_id: str) -> None:
        """Remembers the file id of a payment's QR photo (`buyer_orders.remember_qr_files`); returns once committed."""
        batch = self._join()
        batch.qr_files[payment_id] = file_id
        await asyncio.shield(batch.committed)

    def _join(self) -> _Batch:
        """The batch a write made now joins; starts committing when nothing is."""
        loop = asyncio.get_running_loop()
        if self._next is None:
            self._next = _Batch(loop.create_future())
        if self._committing is None or self._committing.done():
            # A fresh context: a batch belongs to no one update (its log lines and traces name none).
            self._committing = loop.create_task(self._commit_batches(), context=contextvars.Context())
        return self._next

    async def _commit_batches(self) -> None:
        """Commits batch after batch until no write is waiting."""
        while self._next is not None:
            batch, self._next = self._next, None
            try:
                await retrying(functools.partial(self._commit, batch))
            except Exception as exc:
                batch.committed.set_exception(exc)
            else:
                batch.committed.set_result(None)

    async def _commit(self, batch: _Batch) -> None:
        """One transaction holding the batch's writes (safe to repeat: each write sets a value)."""
        async with self._sessions() as session:
            if batch.screens:
                await conversation.set_screens(session, batch.screens)
            if batch.qr_files:
                await buyer_orders.remember_qr_files(session, batch.qr_files)
            await session.commit()
        self.transactions += 1
