"""Every schedule of the bot, registered in one place on the application's JobQueue.

Times are naive wall-clock times: the Application's Defaults carry Asia/Jakarta, so the JobQueue reads
them as WIB. PTB numbers `run_daily` days 0 = Sunday ... 6 = Saturday (our settings use 0 = Monday).
`misfire_grace_time` is set per job: a daily builder that wakes up late within the process (a busy
loop, a suspended machine) still runs within an hour; a longer gap is the start-up catch-up's business.
The builders themselves use the injected clock (`Services.now()`), so tests can move time.

Every process runs its own schedule (APScheduler cannot share one): on PostgreSQL each builder's transaction
first tries the job's advisory lock, and a process that does not get it skips that run (another process is
running it); a run that comes after the other's has committed finds the dedupe keys taken and queues nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.ext import ContextTypes, JobQueue

from bot.services import Services, services_of
from bot.settings import Settings
from jobs import builders, reconcile
from jobs.builders import Schedule, at
from jobs.dispatcher import Dispatcher
from models import backup, locks
from models.db import is_sqlite, retrying
from models.rules.calendar import to_wib
from models.services import inbox

log = logging.getLogger(__name__)
DAILY_GRACE = 3600
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
REMINDER_INTERVAL = 60
DISPATCH_INTERVAL = 1.0
WEEKLY_CATCH_UP = timedelta(days=1)
FORGET_UPDATES_INTERVAL = 3600
BACKUP_CATCH_UP = timedelta(days=1)


def ptb_day(weekday: int) -> int:
    """Python's weekday (0 = Monday) as PTB's run_daily day (0 = Sunday)."""
    return (weekday + 1) % 7


async def _unit(services: Services, job: str, work: Callable[[AsyncSession], Awaitable[int]]) -> int:
    """Runs one builder in its own transaction, again after a busy database or a dropped connection.

    A daily run that failed would otherwise wait for tomorrow; builders are idempotent (dedupe keys), so
    running one again is safe. On PostgreSQL the run is skipped (0) while another process runs the same job.
    """

    async def attempt() -> int:
        async with services.session_factory.begin() as session:
            if not await locks.try_job_lock(session, job):
                log.debug("%s: skipped, another process is running it", job)
                return 0
            return await work(session)

    return await retrying(attempt)


async def production_sheet_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends the bakery the sheet for the next production day at the order cut-off."""
    await run_production_sheet(services_of(context.bot_data))


async def run_production_sheet(services: Services, now: datetime | None = None) -> int:
    """The production-sheet run for the cut-off that passed most recently today."""
    now = now or services.now()
    schedule = Schedule.of(services.settings)
    today = to_wib(now).date()

    async def work(session: AsyncSession) -> int:
        day = await builders.sheet_day(session, today)
        if day is None:
            return 0
        return await builders.build_production_sheet(
            session, day=day, now=now, due=at(today, schedule.production_sheet), schedule=schedule
        )

    return await _unit(services, "production-sheet", work)


async def morning_plan_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends every staff member today's bake and pickups."""
    await run_morning_plan(services_of(context.bot_data))


async def run_morning_plan(services: Services, now: datetime | None = None) -> int:
    """The morning plan for today."""
    now = now or services.now()
    schedule = Schedule.of(services.settings)
    today = to_wib(now).date()
    return await _unit(
        services,
        "morning-plan",
        lambda s: builders.build_morning_plan(
            s, day=today, now=now, due=at(today, schedule.morning_plan), schedule=schedule
        ),
    )


async def closing_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Marks today's uncollected orders as no-shows and sends the daily recap."""
    await run_closing(services_of(context.bot_data))


async def run_closing(services: Services, now: datetime | None = None) -> int:
    """The closing run for today."""
    now = now or services.now()
    schedule = Schedule.of(services.settings)
    today = to_wib(now).date()
    return await _unit(
        services,
        "closing",
        lambda s: builders.build_closing(s, day=today, now=now, due=at(today, schedule.closing), schedule=schedule),
    )


async def weekly_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends managers the weekly summary of the week that just ended."""
    await run_weekly(services_of(context.bot_data))


async def run_weekly(services: Services, now: datetime | None = None) -> int:
    """The weekly summary due most recently."""
    now = now or services.now()
    monday, due = builders.weekly_due(now, Schedule.of(services.settings))
    return await _unit(services, "weekly-summary", lambda s: builders.build_weekly(s, monday=monday, now=now, due=due))


async def reminders_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queues pickup reminders for slots starting soon (buyers and staff)."""
    services = services_of(context.bot_data)
    schedule = Schedule.of(services.settings)
    await _unit(services, "reminders", lambda s: builders.build_reminders(s, now=services.now(), schedule=schedule))


async def expiry_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Expires unpaid orders past their payment deadline, releasing capacity."""
    await run_expiry(services_of(context.bot_data))


async def run_expiry(services: Services, now: datetime | None = None) -> int:
    """Expires what is overdue; with a gateway, its overdue codes are asked about first (money paid at the last
    moment is booked), and the codes expired are cancelled there after the commit, never blocking it."""
    now = now or services.now()
    schedule = Schedule.of(services.settings)
    if services.gateway is not None:
        await reconcile.settle_overdue(services)
    expired = await _unit(services, "expiry", lambda s: builders.expire_unpaid(s, now=now, schedule=schedule))
    if expired and services.gateway is not None:  # the gateway must not take money for them any more
        await reconcile.cancel_retired(services)
    return expired


async def dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends due outbox messages."""
    dispatcher = context.job.data if context.job is not None else None
    if isinstance(dispatcher, Dispatcher):
        await dispatcher.run_once()


def backups_on(settings: Settings) -> bool:
    """True when the daily backup runs: BACKUP_DIR is set and the database is SQLite (PostgreSQL has pg_dump)."""
    return settings.backup_dir is not None and is_sqlite(settings.database_url)


async def backup_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Backs the SQLite database up into BACKUP_DIR and keeps the newest BACKUP_KEEP files."""
    await run_backup(services_of(context.bot_data))


async def run_backup(services: Services, now: datetime | None = None) -> backup.BackupResult | None:
    """The daily backup (in a worker thread), then the oldest files beyond BACKUP_KEEP go.

    A failure is logged and told to the admins, once per day however often it fails; returns None then
    (and when backups are off).
    """
    now = now or services.now()
    s = services.settings
    if s.backup_dir is None or not backups_on(s):
        return None
    folder = s.backup_dir
    try:
        result = await backup.make_backup(s.database_url, folder, now=now)
        await asyncio.to_thread(backup.prune, folder, s.backup_keep)
    except (backup.BackupError, OSError) as exc:
        reason = str(exc) if isinstance(exc, backup.BackupError) else f"cannot delete old backups: {exc}"
        log.error("scheduled backup failed: %s", reason)
        await _unit(
            services,
            "backup-failure",
            lambda session: builders.build_backup_failure(session, error=reason, now=now, admin_ids=s.admin_ids),
        )
        return None
    log.info("backup written: %s (%d bytes)", result.path, result.size)
    return result


async def catch_up(services: Services, now: datetime | None = None) -> list[str]:
    """Runs what was due while the bot was down and is still useful; dedupe keys stop double sends.

    - morning plan: today, once its time has passed and until closing (sent late, marked late);
    - production sheet: today's, once the cut-off has passed (tomorrow's bake);
    - closing: today's no-shows and recap once closing has passed;
    - weekly summary: the most recent one, within a day of its time;
    - reminders: only slots still ahead (passed slots are skipped by the builder);
    - expiry: every overdue unpaid order;
    - backup (when on): when the newest is more than a day old, or there is none yet.
    """
    now = now or services.now()
    schedule = Schedule.of(services.settings)
    local = to_wib(now)
    today = local.date()
    done: list[str] = []
    in_day = at(today, schedule.morning_plan) <= now < at(today, schedule.closing)
    if in_day and await run_morning_plan(services, now):
        done.append("morning-plan")
    if now >= at(today, schedule.production_sheet) and await run_production_sheet(services, now):
        done.append("production-sheet")
    if now >= at(today, schedule.closing) and await run_closing(services, now):
        done.append("closing")
    _, weekly_due = builders.weekly_due(now, schedule)
    if now - weekly_due < WEEKLY_CATCH_UP and await run_weekly(services, now):
        done.append("weekly")
    if await _unit(services, "reminders", lambda s: builders.build_reminders(s, now=now, schedule=schedule)):
        done.append("reminders")
    if await run_expiry(services, now):
        done.append("expiry")
    if services.settings.backup_dir is not None and backups_on(services.settings):
        age = backup.last_backup_age(services.settings.backup_dir, now)
        if (age is None or age > BACKUP_CATCH_UP) and await run_backup(services, now):
            done.append("backup")
    if done:
        log.info("catch-up after start: %s", ", ".join(done))
    return done


async def catch_up_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start-up catch-up (see `catch_up`)."""
    await catch_up(services_of(context.bot_data))


async def forget_updates_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forgets the update ids too old to be delivered again."""
    services = services_of(context.bot_data)
    await _unit(services, "forget-updates", lambda s: inbox.forget_old(s, now=services.now()))


def register_jobs(queue: JobQueue[Any], services: Services, bot: Bot) -> None:
    """Schedules the periodic jobs (Asia/Jakarta times from the settings); called by the composition root."""
    s = services.settings
    daily = {"misfire_grace_time": DAILY_GRACE, "coalesce": True}
    queue.run_daily(production_sheet_job, s.production_sheet_time, ALL_DAYS, name="production-sheet", job_kwargs=daily)
    queue.run_daily(morning_plan_job, s.morning_plan_time, ALL_DAYS, name="morning-plan", job_kwargs=daily)
    queue.run_daily(closing_job, s.closing_time, ALL_DAYS, name="closing", job_kwargs=daily)
    queue.run_daily(
        weekly_job, s.weekly_summary_time, (ptb_day(s.weekly_summary_weekday),), name="weekly-summary",
        job_kwargs=daily,
    )
    repeating = {"coalesce": True, "max_instances": 1}
    queue.run_repeating(
        reminders_job, REMINDER_INTERVAL, first=5, name="reminders",
        job_kwargs={**repeating, "misfire_grace_time": REMINDER_INTERVAL},
    )
    queue.run_repeating(
        expiry_job, s.expiry_check_seconds, first=3, name="expiry",
        job_kwargs={**repeating, "misfire_grace_time": s.expiry_check_seconds},
    )
    dispatcher = Dispatcher(services.session_factory, bot, services.now, on_outcome=services.telemetry.outbox_outcome)
    queue.run_repeating(
        dispatch_job, DISPATCH_INTERVAL, first=0.2, name="outbox-dispatcher", data=dispatcher,
        job_kwargs={**repeating, "misfire_grace_time": 5},
    )
    queue.run_repeating(
        forget_updates_job, FORGET_UPDATES_INTERVAL, first=FORGET_UPDATES_INTERVAL, name="forget-updates",
        job_kwargs={**repeating, "misfire_grace_time": FORGET_UPDATES_INTERVAL},
    )
    if backups_on(s):
        queue.run_daily(backup_job, s.backup_time, ALL_DAYS, name="backup", job_kwargs={**daily, "max_instances": 1})
    elif s.backup_dir is not None:
        log.warning("BACKUP_DIR is set but DATABASE_URL is PostgreSQL: no scheduled backup (back it up with "
                    "`python -m bot backup`, i.e. pg_dump, from cron, or with your provider's backups)")
    if services.gateway is not None:
        queue.run_repeating(
            reconcile.reconcile_job, reconcile.RECONCILE_INTERVAL, first=30, name=reconcile.JOB,
            job_kwargs={**repeating, "misfire_grace_time": reconcile.RECONCILE_INTERVAL},
        )
    queue.run_once(catch_up_job, 0.5, name="catch-up")
