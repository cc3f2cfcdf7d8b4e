"""Readers and helpers shared by the attack suite: what reached each chat, what the logs said, waiting."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from bot.emulator.server import BotApiEmulator
from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxState
from tests.support.eventually import eventually
from tests.support.harness import Harness

SEND_METHODS = ("sendMessage", "sendPhoto", "sendDocument")


def delivered(emulator: BotApiEmulator, chat_id: int | None = None) -> list[str]:
    """Texts (or captions) the emulator accepted from the bot, in order, for one chat or all."""
    return [
        str(c.params.get("text") or c.params.get("caption") or "")
        for c in emulator.calls
        if c.error is None and c.method in SEND_METHODS and (chat_id is None or c.params.get("chat_id") == chat_id)
    ]


def deliveries_by_chat(emulator: BotApiEmulator, needle: str) -> Counter[int]:
    """How many accepted messages containing `needle` each chat received."""
    counts: Counter[int] = Counter()
    for c in emulator.calls:
        text = str(c.params.get("text") or c.params.get("caption") or "")
        if c.error is None and c.method in SEND_METHODS and needle in text:
            counts[int(c.params["chat_id"])] += 1
    return counts


def record_pushes(emulator: BotApiEmulator) -> list[tuple[int, dict[str, Any]]]:
    """From now on, every update a test user pushes is also kept here as (update_id, payload)."""
    pushed: list[tuple[int, dict[str, Any]]] = []
    original = emulator.state.push_update

    def push(payload: dict[str, Any]) -> int:
        update_id = original(payload)
        pushed.append((update_id, {**payload, "update_id": update_id}))
        return update_id

    emulator.state.push_update = push  # type: ignore[method-assign]
    return pushed


def unhandled(records: list[logging.LogRecord]) -> list[str]:
    """Errors logged by the bot, its jobs or PTB's application: something nobody handled.

    PTB's request layer logs an ERROR with a traceback when Telegram's gateway answers 502/503 with an HTML
    page; the call then fails with a NetworkError that the bot handles, so those lines are left out.
    """
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR and not r.name.startswith("telegram.request")]


def log_text(records: list[logging.LogRecord]) -> str:
    """Every log message, one per line."""
    return "\n".join(r.getMessage() for r in records)


async def outbox_rows(factory: SessionFactory) -> list[OutboxMessage]:
    """Every outbox row, oldest first."""
    async with factory() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def outbox_idle(bot: Harness) -> bool:
    """True when the outbox has nothing due left to send and nothing being sent (later reminders may wait)."""
    async with bot.services.session_factory() as session:
        busy = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                (OutboxMessage.state == OutboxState.SENDING)
                | ((OutboxMessage.state == OutboxState.PENDING) & (OutboxMessage.due_at <= bot.clock()))
            )
        )
    return busy == 0


async def after_start_up(bot: Harness) -> None:
    """Waits until the start-up jobs (command menus, catch-up) have run and what they queued has been sent, so
    none of it is taken for the effect of what a test does next."""

    async def done() -> bool:
        return bot.jobs_idle("catch-up", "command-menus") and await outbox_idle(bot)

    await eventually(done, timeout=20, what="the start-up jobs to finish and their messages to be sent")
