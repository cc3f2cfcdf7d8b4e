"""A clean stop while jobs keep coming due: every job run that started finishes, none is cut off, nothing is logged
as an error (a job due while the stop waits for the running ones must not start and then be cancelled)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram.ext import ContextTypes

from bot.emulator.server import BotApiEmulator
from tests.reliability.conftest import RunningClock
from tests.web.support import web_bot

RUN_SECONDS = 0.3  # each run takes this long, and the job is due again long before it ends


async def test_jobs_due_while_stopping_do_not_start_and_the_running_one_finishes(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    started: list[int] = []
    finished: list[int] = []
    first_run = asyncio.Event()

    async def slow_job(_context: ContextTypes.DEFAULT_TYPE) -> None:
        number = len(started)
        started.append(number)
        first_run.set()
        await asyncio.sleep(RUN_SECONDS)  # the job's own work (the stop must wait for it, not for a clock)
        finished.append(number)

    async def frequent_job(_context: ContextTypes.DEFAULT_TYPE) -> None:
        """Due every 10 ms, as the outbox dispatcher is every second: it comes due while the stop waits."""
        number = len(started)
        started.append(number)
        await asyncio.sleep(RUN_SECONDS / 6)
        finished.append(number)

    caplog.set_level(logging.INFO)
    async with web_bot(emulator, sqlite_url, clock) as bot:
        job_queue = bot.harness.app.job_queue
        assert job_queue is not None
        job_queue.run_repeating(slow_job, interval=0.01, first=0, name="slow")
        job_queue.run_repeating(frequent_job, interval=0.01, first=0, name="frequent")
        await asyncio.wait_for(first_run.wait(), 10)
    # web_bot has stopped the runtime as SIGTERM does: the run in flight was awaited, no other one began.
    assert started and sorted(finished) == started
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info is not None]
    assert errors == [], [r.getMessage() for r in errors]
