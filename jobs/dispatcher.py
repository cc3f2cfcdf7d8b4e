"""The outbox dispatcher: claims due messages atomically, sends them within Telegram's limits, records
every outcome.

Claiming: one short transaction moves due rows to SENDING with a lease (`due_at` = now + lease), using
`FOR UPDATE SKIP LOCKED` on PostgreSQL so several processes share the work without sending anything twice;
on SQLite the claim runs under BEGIN IMMEDIATE (one writer at a time), which serialises claims the same way.
A process that dies mid-send leaves rows in SENDING; they come back when the lease ends.

Outcomes: sent -> SENT; 429 -> PENDING again after `retry_after` (and every send pauses that long);
5xx, timeouts and network errors -> PENDING with exponential backoff, FAILED after `max_attempts`;
403 -> BLOCKED, the buyer is marked `blocked_bot` and nothing more is sent to them; 400 -> FAILED;
a message past its `stale_after` -> SKIPPED without sending.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import warnings
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxState
from models.people import Customer

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Limits:
    """Telegram's send limits (about 30 a second overall, 1 a second per private chat, 20 a minute per group),
    with a small margin because requests can arrive closer together than they left."""

    per_second: int = 28
    private_interval: float = 1.05
    group_per_minute: int = 19


class Pacer:
    """Spaces sends: at most `per_second` overall, one a second per private chat, 20 a minute per group."""

    def __init__(self, limits: Limits | None = None, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self._now = monotonic
        self._recent: deque[float] = deque()
        self._chat_next: dict[int, float] = {}
        self._group_recent: dict[int, deque[float]] = defaultdict(deque)
        self._lock = asyncio.Lock()

    def _delay(self, chat_id: int) -> float:
        """Seconds to wait before this chat may receive the next message (0 when it may now)."""
        now = self._now()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        waits = [0.0]
        if len(self._recent) >= self.limits.per_second:
            waits.append(1.0 - (now - self._recent[0]))
        if chat_id > 0:
            waits.append(self._chat_next.get(chat_id, 0.0) - now)
        else:
            group = self._group_recent[chat_id]
            while group and now - group[0] >= 60.0:
                group.popleft()
            if len(group) >= self.limits.group_per_minute:
                waits.append(60.0 - (now - group[0]))
        return max(waits)

    async def wait_turn(self, chat_id: int) -> None:
        """Waits until a message to `chat_id` fits within every limit, then books it."""
        while True:
            async with self._lock:
                delay = self._delay(chat_id)
                if delay <= 0:
                    now = self._now()
                    self._recent.append(now)
                    if chat_id > 0:
                        self._chat_next[chat_id] = now + self.limits.private_interval
                    else:
                        self._group_recent[chat_id].append(now)
                    return
            await asyncio.sleep(delay)


@dataclass
class DispatchReport:
    """What one dispatcher pass did, by outcome."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Outcome:
    """The result of one send attempt."""

    state: OutboxState
    error: str | None = None
    retry_in: float | None = None


def backoff_seconds(attempts: int) -> float:
    """Delay before retry number `attempts` after a server error: 2, 4, 8 ... up to 5 minutes."""
    return float(min(300, 2 ** max(1, attempts)))


def _seconds(retry_after: int | timedelta) -> float:
    """RetryAfter's value in seconds, whatever type PTB gives it."""
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


class Dispatcher:
    """Sends due outbox rows through a Bot; one instance per process, any number of processes."""

    def __init__(
        self,
        session_factory: SessionFactory,
        bot: Bot,
        clock: Clock,
        *,
        batch: int = 50,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 8,
        pacer: Pacer | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.bot = bot
        self.clock = clock
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
        self.paused_until: datetime | None = None
        self._running = asyncio.Lock()

    async def claim(self) -> list[OutboxMessage]:
        """Moves up to `batch` due rows to SENDING under a lease and returns them (oldest first)."""
        now = self.clock()
        async with self.session_factory.begin() as session:
            stmt = (
                select(OutboxMessage)
                .where(
                    OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]),
                    OutboxMessage.due_at <= now,
                )
                .order_by(OutboxMessage.due_at, OutboxMessage.id)
                .limit(self.batch)
            )
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = list(await session.scalars(stmt))
            for row in rows:
                row.state = OutboxState.SENDING
                row.attempts += 1
                row.due_at = now + self.lease
            return rows

    async def run_once(self) -> DispatchReport:
        """Claims and sends one batch; overlapping calls in one process wait for each other."""
        report = DispatchReport()
        async with self._running:
            now = self.clock()
            if self.paused_until is not None and now < self.paused_until:
                return report
            rows = await self.claim()
            report.claimed = len(rows)
            if not rows:
                return report
            rows = await self._settle_unsendable(rows, report)
            by_chat: dict[int, list[OutboxMessage]] = defaultdict(list)
            for row in rows:
                by_chat[row.chat_id].append(row)
            await asyncio.gather(*(self._send_chat(chat_rows, report) for chat_rows in by_chat.values()))
        return report

    async def _settle_unsendable(self, rows: list[OutboxMessage], report: DispatchReport) -> list[OutboxMessage]:
        """Skips stale rows and rows to buyers who blocked the bot; returns the rows still to send."""
        now = self.clock()
        async with self.session_factory() as session:
            chats = {r.chat_id for r in rows}
            blocked = set(
                await session.scalars(
                    select(Customer.telegram_id).where(Customer.telegram_id.in_(chats), Customer.blocked_bot.is_(True))
                )
            )
        keep: list[OutboxMessage] = []
        for row in rows:
            if row.stale_after is not None and row.stale_after <= now:
                await self._record(row, _Outcome(OutboxState.SKIPPED, "stale"), report)
            elif row.chat_id in blocked:
                await self._record(row, _Outcome(OutboxState.BLOCKED, "recipient blocked the bot"), report)
            else:
                keep.append(row)
        return keep

    async def _send_chat(self, rows: list[OutboxMessage], report: DispatchReport) -> None:
        """Sends one chat's rows in order; after a refusal the rest of the chat waits for the next pass."""
        for index, row in enumerate(rows):
            await self.pacer.wait_turn(row.chat_id)
            outcome = await self._attempt(row)
            await self._record(row, outcome, report)
            if outcome.state is not OutboxState.SENT:
                for later in rows[index + 1 :]:
                    await self._release(later, outcome)
                return

    async def _attempt(self, row: OutboxMessage) -> _Outcome:
        """One send of one row, classified."""
        try:
            await self._send(row)
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB warns that the type of retry_after will change; both are handled
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                seconds = _seconds(exc.retry_after)
            self.paused_until = self.clock() + timedelta(seconds=seconds)
            return _Outcome(OutboxState.PENDING, f"429 retry after {seconds:g} s", seconds)
        except Forbidden as exc:
            return _Outcome(OutboxState.BLOCKED, f"403 {exc.message}")
        except (BadRequest, ChatMigrated) as exc:
            return _Outcome(OutboxState.FAILED, f"400 {exc.message}")
        except NetworkError as exc:  # 5xx, timeouts and connection errors (TimedOut is a NetworkError)
            return self._retry_or_fail(row, f"{type(exc).__name__}: {exc.message}")
        except TelegramError as exc:
            return self._retry_or_fail(row, f"{type(exc).__name__}: {exc.message}")
        return _Outcome(OutboxState.SENT)

    def _retry_or_fail(self, row: OutboxMessage, error: str) -> _Outcome:
        """Backs off after a transient error, or gives up after `max_attempts`."""
        if row.attempts >= self.max_attempts:
            return _Outcome(OutboxState.FAILED, f"gave up after {row.attempts} attempts: {error}")
        return _Outcome(OutboxState.PENDING, error, backoff_seconds(row.attempts))

    async def _send(self, row: OutboxMessage) -> None:
        """Sends the text, or the attachment with the text as caption (a long text follows separately)."""
        markup = InlineKeyboardMarkup.de_json(row.reply_markup, self.bot) if row.reply_markup else None
        attachment = row.attachment
        if not attachment:
            await self.bot.send_message(row.chat_id, row.text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        caption = row.text if len(row.text) <= CAPTION_LIMIT else None
        if attachment.get("file_id"):
            media: str | InputFile = str(attachment["file_id"])
        else:
            media = InputFile(base64.b64decode(attachment["b64"]), filename=str(attachment.get("filename", "file")))
        if attachment.get("type") == "photo":
            await self.bot.send_photo(
                row.chat_id, media, caption=caption, parse_mode=ParseMode.HTML,
                reply_markup=markup if caption else None,
            )
        else:
            await self.bot.send_document(
                row.chat_id, media, caption=caption, parse_mode=ParseMode.HTML,
                reply_markup=markup if caption else None,
            )
        if caption is None:
            await self.bot.send_message(row.chat_id, row.text, parse_mode=ParseMode.HTML, reply_markup=markup)

    async def _release(self, row: OutboxMessage, cause: _Outcome) -> None:
        """Puts an unsent row back as it was, due again when its chat may be tried."""
        delay = cause.retry_in or 0.0
        async with self.session_factory.begin() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.state == OutboxState.SENDING)
                .values(
                    state=OutboxState.PENDING,
                    attempts=OutboxMessage.attempts - 1,
                    due_at=self.clock() + timedelta(seconds=delay),
                )
            )

    async def _record(self, row: OutboxMessage, outcome: _Outcome, report: DispatchReport) -> None:
        """Writes the outcome of one row; a block also marks the buyer so nothing more is queued for them."""
        now = self.clock()
        values: dict[str, object] = {"state": outcome.state, "last_error": outcome.error}
        if outcome.state is OutboxState.SENT:
            values["sent_at"] = now
            report.sent += 1
        elif outcome.state is OutboxState.PENDING:
            values["due_at"] = now + timedelta(seconds=outcome.retry_in or 0)
            report.retried += 1
        else:
            report.failed += outcome.state is OutboxState.FAILED
            report.blocked += outcome.state is OutboxState.BLOCKED
            report.skipped += outcome.state is OutboxState.SKIPPED
        if outcome.error:
            report.errors.append(outcome.error)
            log.info("outbox #%s to chat %s: %s (%s)", row.id, row.chat_id, outcome.state.value, outcome.error)
        async with self.session_factory.begin() as session:
            await session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
            if outcome.state is OutboxState.BLOCKED and outcome.error and outcome.error.startswith("403"):
                await _mark_blocked(session, row.chat_id)


async def _mark_blocked(session: AsyncSession, chat_id: int) -> None:
    """Remembers that a buyer blocked the bot (cleared when they write to it again)."""
    await session.execute(update(Customer).where(Customer.telegram_id == chat_id).values(blocked_bot=True))
