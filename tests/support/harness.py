"""The real Application, built by bot/app.py, running against the Bot API emulator over real HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.app import build_application, running
from bot.emulator.server import BotApiEmulator
from bot.services import Services, build_services
from bot.settings import Settings
from models.migrate import upgrade
from models.people import Line, Role
from models.services import catalogue_io
from models.services import staff as staff_service
from tests.support.clock import FakeClock
from tests.support.eventually import eventually

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "catalogue.yaml"


@dataclass
class Harness:
    """Everything a flow test touches: the emulator, the running app, its services and the clock."""

    emulator: BotApiEmulator
    app: Application[Any, Any, Any, Any, Any, Any]
    services: Services
    clock: FakeClock
    pushed: set[int] = field(default_factory=set)  # ids of the updates users pushed to the emulator meanwhile
    taken_in: set[int] = field(default_factory=set)  # ids of the updates the application started processing
    running_jobs: Counter[str] = field(default_factory=Counter)  # scheduler job id -> runs under way

    async def add_staff(self, telegram_id: int, name: str, role: Role, line: Line | None = None) -> None:
        """Gives a Telegram user a role directly in the database."""
        async with self.services.session_factory.begin() as session:
            await staff_service.add_staff(session, telegram_id, name, role, line)

    async def settled(self, *, timeout: float = 20.0) -> None:
        """Waits until the application has taken in every update users sent since it started, and is processing
        none at all.

        An update it has taken in counts in PTB's `current_concurrent_updates` until its handlers (and the Bot
        API calls they await) are done, so this is the moment every answer has reached the emulator or never
        will: what a throttled or ignored message leaves behind can be checked without waiting a while.
        """
        processor = self.app.update_processor

        def done() -> bool:
            return self.pushed <= self.taken_in and processor.current_concurrent_updates == 0

        def state() -> str:
            return (f"the bot to take in and finish every update ({len(self.pushed - self.taken_in)} of "
                    f"{len(self.pushed)} not taken in, {processor.current_concurrent_updates} in progress)")

        await eventually(done, timeout=timeout, what=state)

    def jobs_idle(self, *names: str) -> bool:
        """True when no job of the JobQueue is running and none of the named ones is still waiting to run."""
        queue = self.app.job_queue
        assert queue is not None
        waiting = [name for name in names if queue.get_jobs_by_name(name)]
        return not waiting and not +self.running_jobs

    def _note_job(self, event: JobEvent) -> None:
        """Counts job runs under way from APScheduler's events (a run ends executed, failed or missed)."""
        if event.code == EVENT_JOB_SUBMITTED:
            self.running_jobs[event.job_id] += 1
        elif self.running_jobs[event.job_id] > 0:
            self.running_jobs[event.job_id] -= 1


def test_settings(emulator: BotApiEmulator, database_url: str, **overrides: Any) -> Settings:
    """Settings pointing the bot at the emulator and a test database."""
    values: dict[str, Any] = {
        "telegram_bot_token": emulator.token,
        "telegram_api_base_url": emulator.base_url,
        "telegram_file_base_url": emulator.base_file_url,
        "database_url": database_url,
        "qris_merchant_payload": None,
        "flood_max_updates": 1000,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


async def prepared_bot(
    emulator: BotApiEmulator, database_url: str, clock: FakeClock, *, catalogue: bool = True, **overrides: Any
) -> Harness:
    """Migrates, loads the catalogue and builds the real Application (not started), noting what it takes in."""
    settings = test_settings(emulator, database_url, **overrides)
    services = build_services(settings, clock=clock)
    await upgrade(services.engine)
    if catalogue:
        async with services.session_factory.begin() as session:
            await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    app = build_application(settings, services)
    harness = Harness(emulator, app, services, clock)

    async def take_in(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Notes every update the application starts processing, before any gate (Harness.settled)."""
        harness.taken_in.add(update.update_id)

    app.add_handler(TypeHandler(Update, take_in), group=-100)
    if app.job_queue is not None:
        ending = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
        app.job_queue.scheduler.add_listener(harness._note_job, EVENT_JOB_SUBMITTED | ending)
    return harness


@asynccontextmanager
async def running_bot(
    emulator: BotApiEmulator,
    database_url: str,
    clock: FakeClock,
    *,
    catalogue: bool = True,
    with_jobs: bool = False,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """Migrates, loads the catalogue, runs the real Application and stops it after.

    `with_jobs` runs post_init as production does (menus, schedules, start-up catch-up); without it a test
    registers what it needs (tests/flows/staff_helpers.ensure_jobs).
    """
    harness = await prepared_bot(emulator, database_url, clock, catalogue=catalogue, **overrides)
    with noting_pushes(emulator, harness.pushed):
        async with running(harness.app, poll_timeout=1, post_init=with_jobs):
            yield harness


@contextmanager
def noting_pushes(emulator: BotApiEmulator, pushed: set[int]) -> Iterator[None]:
    """Notes the id of every update pushed to the emulator (by its users) while the block runs."""
    state = emulator.state
    push_before = state.push_update

    def push(payload: dict[str, Any]) -> int:
        update_id = push_before(payload)
        pushed.add(update_id)
        return update_id

    state.push_update = push  # type: ignore[method-assign]
    try:
        yield
    finally:
        if state.push_update is push:  # not wrapped again meanwhile (tests/reliability record_pushes)
            state.push_update = push_before  # type: ignore[method-assign]
