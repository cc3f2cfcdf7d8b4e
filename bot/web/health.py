"""GET /healthz (the process lives) and GET /readyz (it can do its work: every named check holds).

/readyz runs its checks side by side and answers 200 only when none fails, else 503, with each check's state in
the body: `{"status": "ok"|"fail", "checks": {"database": {"ok": true, "state": "ok", ...}, ...}}`. A check is
"off" when it does not apply here (backups where none are configured); "off" never fails. A check is a named
async function of the `WebContext`; `CHECKS` lists them, so one more is one more line.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web
from sqlalchemy import text

from bot.services import Services
from bot.web.context import WebContext, context_of
from jobs.registry import backups_on
from models.backup import last_backup_age
from models.services import outbox

DATABASE_TIMEOUT = 2.0
BOT_API_FRESH = timedelta(minutes=10)
BOT_API_PROBE_TIMEOUT = 3.0
BACKUP_MAX_AGE = timedelta(hours=26)


@dataclass(frozen=True)
class CheckResult:
    """One check's state ("ok", "fail" or "off") and what it measured."""

    state: str
    details: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """False only for a failed check."""
        return self.state != "fail"

    def as_json(self) -> dict[str, object]:
        """The check as /readyz shows it."""
        return {"ok": self.ok, "state": self.state, **self.details}


Check = Callable[[WebContext], Awaitable[CheckResult]]
# The age of the newest backup (None when there is none), given the services.
BackupAge = Callable[[Services], Awaitable[timedelta | None]]


def passed(**details: object) -> CheckResult:
    """A check that holds."""
    return CheckResult("ok", dict(details))


def failed(reason: str, **details: object) -> CheckResult:
    """A check that does not hold, and why."""
    return CheckResult("fail", {"reason": reason, **details})


async def serving(context: WebContext) -> CheckResult:
    """Updates are being taken in (not while starting up or shutting down)."""
    return passed() if context.accepting else failed("starting up or shutting down")


async def database(context: WebContext) -> CheckResult:
    """The database answers SELECT 1 within 2 seconds."""
    started = time.perf_counter()
    async with asyncio.timeout(DATABASE_TIMEOUT):
        async with context.services.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    return passed(seconds=round(time.perf_counter() - started, 4))


async def bot_api(context: WebContext) -> CheckResult:
    """The Bot API answered within the last 10 minutes (getMe at start-up, any call since, or a getMe now)."""
    telemetry = context.services.telemetry
    reached = telemetry.bot_api_reached_at
    if reached is None or context.services.now() - reached > BOT_API_FRESH:
        # A quiet bot in webhook mode makes no call for hours: ask Telegram now rather than report it gone.
        try:
            async with asyncio.timeout(BOT_API_PROBE_TIMEOUT):
                await context.application.bot.get_me()
        except Exception as exc:  # any failure to reach it is the answer
            last = None if reached is None else round((context.services.now() - reached).total_seconds())
            return failed(f"getMe failed: {type(exc).__name__}", last_answer_seconds_ago=last)
        reached = telemetry.bot_api_reached_at or context.services.now()
    return passed(last_answer_seconds_ago=round((context.services.now() - reached).total_seconds()))


async def scheduler(context: WebContext) -> CheckResult:
    """The JobQueue's scheduler is running (daily sheets, reminders, the outbox dispatcher)."""
    queue = context.application.job_queue
    return passed() if queue is not None and queue.scheduler.running else failed("the job scheduler is not running")


async def outbox_age(context: WebContext) -> CheckResult:
    """The oldest due outbox message has waited less than READY_OUTBOX_MAX_AGE_SECONDS."""
    limit = context.services.settings.ready_outbox_max_age_seconds
    now = context.services.now()
    async with asyncio.timeout(DATABASE_TIMEOUT):
        async with context.services.engine.connect() as conn:
            waiting = await outbox.backlog(conn, now)
    age = round(waiting.oldest_due_seconds(now))
    details = {"pending": waiting.pending, "oldest_due_seconds": age, "limit_seconds": limit}
    return passed(**details) if age < limit else failed("outbox messages wait too long to be sent", **details)


def backup(last_backup_age: BackupAge | None) -> Check:
    """The backup check: off without BACKUP_DIR, else the newest backup must be younger than 26 hours."""

    async def check(context: WebContext) -> CheckResult:
        """Whether the last backup is recent enough."""
        if last_backup_age is None or not backups_on(context.services.settings):
            return CheckResult("off", {"reason": "no daily backup here (BACKUP_DIR empty, or PostgreSQL)"})
        age = await last_backup_age(context.services)
        if age is None:
            return failed("no backup yet")
        seconds = round(age.total_seconds())
        limit = round(BACKUP_MAX_AGE.total_seconds())
        ok = age < BACKUP_MAX_AGE
        return passed(age_seconds=seconds) if ok else failed("the last backup is too old", age_seconds=seconds,
                                                            limit_seconds=limit)

    return check


async def newest_backup_age(services: Services) -> timedelta | None:
    """How old the newest file in BACKUP_DIR is (None without one)."""
    assert services.settings.backup_dir is not None
    return last_backup_age(services.settings.backup_dir, services.now())


# Every readiness check by name.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("serving", serving),
    ("database", database),
    ("bot_api", bot_api),
    ("scheduler", scheduler),
    ("outbox", outbox_age),
    ("backup", backup(newest_backup_age)),
)


async def _run(check: Check, context: WebContext) -> CheckResult:
    """Runs one check; an error or a timeout fails it, named without details."""
    try:
        return await check(context)
    except TimeoutError:
        return failed("no answer in time")
    except Exception as exc:  # whatever went wrong, this check fails; the others still run
        first = str(exc).splitlines()[0][:200] if str(exc) else ""
        return failed(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)


async def readiness(context: WebContext, checks: tuple[tuple[str, Check], ...] = CHECKS) -> dict[str, object]:
    """Every check's result, and "ok" only when none failed."""
    results = await asyncio.gather(*(_run(check, context) for _, check in checks))
    by_name = {name: result for (name, _), result in zip(checks, results, strict=True)}
    status = "ok" if all(r.ok for r in by_name.values()) else "fail"
    return {"status": status, "checks": {name: r.as_json() for name, r in by_name.items()}}


async def healthz(_: web.Request) -> web.Response:
    """200 while the event loop turns."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """200 when every readiness check holds, else 503; the body names each check's state."""
    body = await readiness(context_of(request))
    return web.json_response(body, status=200 if body["status"] == "ok" else 503)


def routes(_: WebContext) -> list[web.RouteDef]:
    """/healthz and /readyz."""
    return [web.get("/healthz", healthz), web.get("/readyz", readyz)]
