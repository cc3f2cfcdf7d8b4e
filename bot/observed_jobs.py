"""A JobQueue that counts each run of a scheduled job by its outcome (ok, error, missed) for /metrics.

PTB's `Job.run` catches whatever a job raises and hands it to the error handlers, so a run looks finished to
APScheduler either way. `ObservedJobQueue.job_callback` (PTB's documented seam between a Job and APScheduler)
gives each run a note in a context variable; the error handler marks it (`note_job_failure`), running in a task
created inside the run, and the run is counted once it returns. Runs APScheduler skipped come from its
EVENT_JOB_MISSED.
"""

from __future__ import annotations

import datetime as dtm
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, JobEvent
from telegram.ext import Job, JobQueue

from bot.telemetry import Telemetry

_FAILURES: ContextVar[list[BaseException] | None] = ContextVar("karya_job_failures", default=None)


def note_job_failure(error: BaseException | None) -> None:
    """Marks the job run under way as failed (called from the error handler; nothing outside a run)."""
    failures = _FAILURES.get()
    if failures is not None and error is not None:
        failures.append(error)


class ObservedJobQueue(JobQueue[Any]):
    """PTB's JobQueue, counting every run of every job in `telemetry`."""

    def __init__(self, telemetry: Telemetry) -> None:
        super().__init__()
        self.telemetry = telemetry
        self._listening = False

    async def start(self) -> None:
        """Starts the scheduler, listening for the runs it misses."""
        if not self._listening:
            self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED)
            self._listening = True
        await super().start()

    def run_once(
        self,
        callback: Callable[[Any], Coroutine[Any, Any, Any]],
        when: float | dtm.timedelta | dtm.datetime | dtm.time,
        data: object | None = None,
        name: str | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
        job_kwargs: dict[str, Any] | None = None,
    ) -> Job[Any]:
        """PTB's run_once, run however late the scheduler wakes unless the caller says otherwise.

        APScheduler skips a run more than 1 s late by default: on a busy start-up the catch-up, the command
        menus or a gateway cancel would be lost without a trace (counted only as "missed").
        """
        kwargs = {"misfire_grace_time": None, **(job_kwargs or {})}
        return super().run_once(callback, when, data, name, chat_id, user_id, kwargs)

    def _missed(self, event: JobEvent) -> None:
        """Counts a run APScheduler skipped (too late to run)."""
        job = self.scheduler.get_job(event.job_id)
        self.telemetry.job_ran(job.name if job is not None else "other", "missed")

    @staticmethod
    async def job_callback(job_queue: JobQueue[Any], job: Job[Any]) -> None:
        """Runs the job as PTB does, then counts the run as ok or error."""
        failures: list[BaseException] = []
        token = _FAILURES.set(failures)
        try:
            await JobQueue.job_callback(job_queue, job)
        finally:
            _FAILURES.reset(token)
        if isinstance(job_queue, ObservedJobQueue):
            job_queue.telemetry.job_ran(job.name or "other", "error" if failures else "ok")
