"""The bot's Prometheus metrics and the time the Bot API last answered, one `Telemetry` per Application.

Every metric lives in a registry of its own (not prometheus_client's global one), so several Applications in one
process (the tests, the benchmarks) never collide; the library's process, platform and garbage-collector
collectors are added to it. Labels carry only bounded, impersonal values (update kinds, product families,
payment methods, job names): never a chat id, a name or an order code.

Where each number comes from (the composition root, `bot/app.py`, wires them):
- updates: `PerChatUpdateProcessor` reports each update handled and its duration; the error handler counts
  failures;
- outbox sent/failed: the dispatcher reports each outcome it records;
- orders placed, payments confirmed: domain events (`models/events.py`) heard when their transaction commits;
- job runs: `ObservedJobQueue` (`bot/observed_jobs.py`) and APScheduler's missed-run events;
- database time: SQLAlchemy's cursor events on the engine;
- outbox backlog gauges: computed from the database at each scrape (`bot/web/metrics.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    gc_collector,
    generate_latest,
    platform_collector,
    process_collector,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from models.catalog import Family
from models.events import DomainEvent, OrderPlaced, PaymentConfirmed
from models.outbox import OutboxState
from models.payment import PaymentMethod

Clock = Callable[[], datetime]
UPDATE_KINDS = ("message", "callback", "edited", "other")
JOB_OUTCOMES = ("ok", "error", "missed")
_DB_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_STARTED = "karya.statement_started"
# Answers that do not show the Bot API reachable for this bot: a rejected token (401), a wrong URL (404) and
# the server's own failures (5xx). Anything else, a refusal such as 400 or 403 included, came from the Bot API.
_NOT_REACHED = frozenset({401, 404})


def update_kind(update: object) -> str:
    """The kind of an update as a metric label: message, callback, edited or other."""
    if isinstance(update, Update):
        if update.callback_query is not None:
            return "callback"
        if update.message is not None:
            return "message"
        if update.edited_message is not None:
            return "edited"
    return "other"


class Telemetry:
    """The metrics of one Application, and when the Bot API last answered it (read by /readyz)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.bot_api_reached_at: datetime | None = None
        self._engines: set[int] = set()
        registry = self.registry = CollectorRegistry()
        process_collector.ProcessCollector(registry=registry)
        platform_collector.PlatformCollector(registry=registry)
        gc_collector.GCCollector(registry=registry)
        self.updates = Counter("karya_updates", "Updates handled, by kind", ["kind"], registry=registry)
        self.update_seconds = Histogram("karya_update_seconds", "Time to handle one update", registry=registry)
        self.update_errors = Counter(
            "karya_update_errors", "Updates whose handling failed with an unexpected error", registry=registry
        )
        self.outbox_pending = Gauge(
            "karya_outbox_pending", "Outbox messages not sent yet (waiting or being sent)", registry=registry
        )
        self.outbox_oldest = Gauge(
            "karya_outbox_oldest_pending_seconds", "How long the oldest due outbox message has been due",
            registry=registry,
        )
        self.outbox_sent = Counter("karya_outbox_sent", "Outbox messages sent by this process", registry=registry)
        self.outbox_failed = Counter(
            "karya_outbox_failed", "Outbox messages given up on by this process (refused or too many tries)",
            registry=registry,
        )
        self.orders_placed = Counter("karya_orders_placed", "Orders placed, by family", ["family"], registry=registry)
        self.payments_confirmed = Counter(
            "karya_payments_confirmed", "Payments confirmed, by method", ["method"], registry=registry
        )
        # "name", not "job": Prometheus gives every scraped series a `job` label of its own (the scrape job), and
        # a metric's `job` would be renamed `exported_job` at scrape, under queries written for `job`.
        self.job_runs = Counter("karya_job_runs", "Scheduled job runs, by job name and outcome", ["name", "outcome"],
                                registry=registry)
        self.db_seconds = Histogram("karya_db_seconds", "Time of one SQL statement", buckets=_DB_BUCKETS,
                                    registry=registry)
        for kind in UPDATE_KINDS:  # every series exists from the start, at 0, so a rate() sees its first event
            self.updates.labels(kind)
        for family in Family:
            self.orders_placed.labels(family.value)
        for method in PaymentMethod:
            self.payments_confirmed.labels(method.value)

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format."""
        return generate_latest(self.registry)

    def update_handled(self, update: object, seconds: float) -> None:
        """Counts one update handled and how long it took."""
        self.updates.labels(update_kind(update)).inc()
        self.update_seconds.observe(seconds)

    def update_failed(self) -> None:
        """Counts an update whose handling failed."""
        self.update_errors.inc()

    def outbox_outcome(self, state: OutboxState) -> None:
        """Counts one outbox message sent or given up on."""
        if state is OutboxState.SENT:
            self.outbox_sent.inc()
        elif state is OutboxState.FAILED:
            self.outbox_failed.inc()

    def outbox_backlog(self, pending: int, oldest_due_seconds: float) -> None:
        """Sets the backlog gauges (read from the database at scrape time)."""
        self.outbox_pending.set(pending)
        self.outbox_oldest.set(oldest_due_seconds)

    def domain_event(self, happened: DomainEvent) -> None:
        """Counts a committed domain event (the observer `models.events.observe` calls)."""
        if isinstance(happened, OrderPlaced):
            self.orders_placed.labels(happened.family.value).inc()
        elif isinstance(happened, PaymentConfirmed):
            self.payments_confirmed.labels(happened.method.value).inc()

    def job_ran(self, job: str, outcome: str) -> None:
        """Counts one run of a scheduled job: ok, error or missed."""
        self.job_runs.labels(job, outcome).inc()

    def bot_api_answered(self, status: int) -> None:
        """Notes an answer of the Bot API (called by the HTTP transport for every call)."""
        if status < 500 and status not in _NOT_REACHED:
            self.bot_api_reached_at = self.clock()

    def watch_engine(self, engine: AsyncEngine) -> None:
        """Times every SQL statement of the engine (once per engine)."""
        if id(engine.sync_engine) in self._engines:
            return
        self._engines.add(id(engine.sync_engine))
        event.listen(engine.sync_engine, "before_cursor_execute", _statement_starts)
        event.listen(engine.sync_engine, "after_cursor_execute", self._statement_ends)

    def _statement_ends(self, conn: Any, *_: Any) -> None:
        """Observes the statement's duration."""
        started = conn.info.pop(_STARTED, None)
        if started is not None:
            self.db_seconds.observe(time.perf_counter() - started)


def _statement_starts(conn: Any, *_: Any) -> None:
    """Notes when the statement began (a connection runs one statement at a time)."""
    conn.info[_STARTED] = time.perf_counter()
