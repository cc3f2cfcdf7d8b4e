"""The outbox dispatcher: claims due messages atomically, sends them within Telegram's limits, records
every outcome.

Claiming: one short transaction moves due rows to SENDING with a lease (`due_at` = now + lease), using
`FOR UPDATE SKIP LOCKED` on PostgreSQL so several processes share the work without sending anything twice;
on SQLite the claim runs under BEGIN IMMEDIATE (one writer at a time), which serialises claims the same way.
The lease is short and renewed while the batch is being sent, so the rows of a process that dies mid-send
come back within `lease` seconds (a restarted bot sends them at once). Each message is recorded before the
next one leaves (`max_in_flight`), so the one message in flight at the moment of death is the only one that
may arrive twice, which Telegram gives no way to avoid. Database writes that meet a
busy SQLite or a dropped connection are retried, so a sent message is not left unrecorded (and sent again).

Outcomes: sent -> SENT; 429 -> PENDING again after `retry_after` (and every send pauses that long);
5xx, timeouts and network errors -> PENDING with exponential backoff, FAILED after `max_attempts`;
403 -> BLOCKED, the buyer is marked `blocked_bot` and nothing more is sent to them; 400 -> FAILED;
a message past its `stale_after` -> SKIPPED without sending.

Stopping (`stop`, at a clean shutdown): no new send starts, the one in flight is finished and recorded, and the
rows this process claimed but did not send go back to PENDING, due at once, so another process (or this one
after a restart) takes them without waiting for the lease to run out.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
import warnings
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.telegram_retry import NO_RETRY
from models.db import SessionFactory, retrying
from models.outbox import OutboxMessage, OutboxState
from models.people import Customer
from models.services import outbox

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
OutcomeObserver = Callable[[OutboxState], None]
CAPTION_LIMIT = 1024
LEASE = timedelta(seconds=15)
# How long a send may take before it counts as failed (and is sent again): a slow Telegram is waited for.
SEND_READ_TIMEOUT = 30.0


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

    def _chat_delay(self, chat_id: int, now: float) -> float:
        """Seconds before this chat's own limit allows the next message (0 or less when it does now)."""
        if chat_id > 0:
            return self._chat_next.get(chat_id, 0.0) - now
        group = self._group_recent[chat_id]
        while group and now - group[0] >= 60.0:
            group.popleft()
        return 60.0 - (now - group[0]) if len(group) >= self.limits.group_per_minute else 0.0

    def _delay(self, chat_id: int) -> float:
        """Seconds to wait before this chat may receive the next message (0 when it may now)."""
        now = self._now()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        waits = [0.0, self._chat_delay(chat_id, now)]
        if len(self._recent) >= self.limits.per_second:
            waits.append(1.0 - (now - self._recent[0]))
        return max(waits)

    async def wait_chat(self, chat_id: int) -> None:
        """Waits until the chat's own limit allows a message; books nothing (`wait_turn` does)."""
        while (delay := self._chat_delay(chat_id, self._now())) > 0:
            await asyncio.sleep(delay)

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
        lease: timedelta = LEASE,
        max_attempts: int = 8,
        pacer: Pacer | None = None,
        max_in_flight: int = 1,
        drain_seconds: float = 5.0,
        on_outcome: OutcomeObserver | None = None,
    ) -> None:
        self.session_factory = session_factory
        self._engine: AsyncEngine = session_factory.kw["bind"]
        # PostgreSQL: a single-statement write runs in autocommit (same pool); SQLite keeps BEGIN IMMEDIATE.
        self._autocommit: AsyncEngine | None = (
            self._engine.execution_options(isolation_level="AUTOCOMMIT")
            if self._engine.dialect.name == "postgresql" else None
        )
        self.bot = bot
        self.clock = clock
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
        self.drain_seconds = drain_seconds
        self.paused_until: datetime | None = None
        self.on_outcome = on_outcome  # told each outcome recorded (the metrics)
        self._claimed: set[int] = set()  # rows this process moved to SENDING and has not recorded or released
        self._stopping = False
        self._running = asyncio.Lock()
        self._in_flight = asyncio.Semaphore(max_in_flight)
        # A bot with a retrying rate limiter (the Application's) must not retry here: refusals are handled below.
        self._send_kwargs: dict[str, Any] = {"read_timeout": SEND_READ_TIMEOUT}
        if getattr(bot, "rate_limiter", None) is not None:
            self._send_kwargs["rate_limit_args"] = NO_RETRY

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
        """Claims and sends batches while they come full (for at most `drain_seconds`); overlapping calls in one
        process wait for each other.

        Draining matters at volume: the job runs every second, and stopping after one batch would leave the
        sender idle until the next tick (a fan-out then reached about 0.8 of Telegram's limit).
        """
        report = DispatchReport()
        async with self._running:
            started = time.monotonic()
            while not self._stopping:
                now = self.clock()
                if self.paused_until is not None and now < self.paused_until:
                    return report
                claimed = await self._one_batch(report)
                if claimed < self.batch or time.monotonic() - started >= self.drain_seconds:
                    return report
            return report

    @property
    def stopping(self) -> bool:
        """True once `stop` began: no new send starts."""
        return self._stopping

    async def stop(self, timeout: float = 5.0) -> int:
        """Sends nothing more: waits (up to `timeout` s) for the send in flight to be recorded, then gives back the
        rows still claimed (PENDING, due now); returns how many."""
        self._stopping = True
        try:
            async with asyncio.timeout(timeout):
                async with self._running:  # the pass under way ends after its send in flight
                    pass
        except TimeoutError:
            log.warning("an outbox send was still in flight after %g s: its row is given back too", timeout)
        ids = sorted(self._claimed)
        if not ids:
            return 0

        async def write() -> int:
            async with self.session_factory.begin() as session:
                result = await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(ids), OutboxMessage.state == OutboxState.SENDING)
                    .values(state=OutboxState.PENDING, attempts=OutboxMessage.attempts - 1, due_at=self.clock())
                )
                return int(getattr(result, "rowcount", 0) or 0)

        given_back = await retrying(write)
        self._claimed.difference_update(ids)
        log.info("gave back %d claimed outbox messages (due now, for another process or the next start)", given_back)
        return given_back

    async def _one_batch(self, report: DispatchReport) -> int:
        """Claims and sends one batch; returns how many rows it claimed."""
        rows = await retrying(self.claim)
        self._claimed.update(row.id for row in rows)
        report.claimed += len(rows)
        if not rows:
            return 0
        renewal = asyncio.create_task(self._keep_lease([row.id for row in rows]))
        try:
            sendable = await self._settle_unsendable(rows, report)
            by_chat: dict[int, list[OutboxMessage]] = defaultdict(list)
            for row in sendable:
                by_chat[row.chat_id].append(row)
            await asyncio.gather(*(self._send_chat(chat_rows, report) for chat_rows in by_chat.values()))
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
        return len(rows)

    async def _keep_lease(self, ids: list[int]) -> None:
        """Extends the lease of the batch's rows still being sent, every third of a lease, until cancelled."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                async with self.session_factory.begin() as session:
                    await session.execute(
                        update(OutboxMessage)
                        .where(OutboxMessage.id.in_(ids), OutboxMessage.state == OutboxState.SENDING)
                        .values(due_at=self.clock() + self.lease)
                    )
            except Exception:  # the next renewal tries again; the batch itself goes on
                log.warning("could not renew the outbox lease", exc_info=True)

    async def _settle_unsendable(self, rows: list[OutboxMessage], report: DispatchReport) -> list[OutboxMessage]:
        """Skips stale rows and rows to buyers who blocked the bot; returns the rows still to send."""
        now = self.clock()
        chats = {r.chat_id for r in rows}

        async def blocked_chats() -> set[int]:
            async with self.session_factory() as session:
                return set(
                    await session.scalars(
                        select(Customer.telegram_id).where(
                            Customer.telegram_id.in_(chats), Customer.blocked_bot.is_(True)
                        )
                    )
                )

        blocked = await retrying(blocked_chats)
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
            await self.pacer.wait_chat(row.chat_id)
            async with self._in_flight:  # recorded before the next message leaves: a crash doubles at most one
                if self._stopping:
                    return  # the rest stays claimed until `stop` gives it back
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
            await self.bot.send_message(
                row.chat_id, row.text, parse_mode=ParseMode.HTML, reply_markup=markup, **self._send_kwargs
            )
            return
        caption = row.text if len(row.text) <= CAPTION_LIMIT else None
        if attachment.get("file_id"):
            media: str | InputFile = str(attachment["file_id"])
        else:
            media = InputFile(base64.b64decode(attachment["b64"]), filename=str(attachment.get("filename", "file")))
        if attachment.get("type") == "photo":
            await self.bot.send_photo(
                row.chat_id, media, caption=caption, parse_mode=ParseMode.HTML,
                reply_markup=markup if caption else None, **self._send_kwargs,
            )
        else:
            await self.bot.send_document(
                row.chat_id, media, caption=caption, parse_mode=ParseMode.HTML,
                reply_markup=markup if caption else None, **self._send_kwargs,
            )
        if caption is None:
            await self.bot.send_message(
                row.chat_id, row.text, parse_mode=ParseMode.HTML, reply_markup=markup, **self._send_kwargs
            )

    async def _release(self, row: OutboxMessage, cause: _Outcome) -> None:
        """Puts an unsent row back as it was, due again when its chat may be tried."""
        delay = cause.retry_in or 0.0

        async def write() -> None:
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

        await retrying(write)
        self._claimed.discard(row.id)

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
            log.info("outbox #%s to chat %s: %s (%s)", row.id, row.chat_id, outcome.state.value, outcome.error,
                     extra={"chat_id": row.chat_id})

        blocked = outcome.state is OutboxState.BLOCKED and bool(outcome.error and outcome.error.startswith("403"))
        blocked_chat = row.chat_id if blocked else None

        async def write() -> None:
            if blocked_chat is None and self._autocommit is not None:  # one statement: no BEGIN/COMMIT round trips
                async with self._autocommit.connect() as conn:
                    await outbox.record_outcome(conn, row.id, values)
                return
            async with self._engine.begin() as conn:
                await outbox.record_outcome(conn, row.id, values, blocked_chat=blocked_chat)

        await retrying(write)
        self._claimed.discard(row.id)
        if self.on_outcome is not None:
            self.on_outcome(outcome.state)
