"""The one composition root: builds the PTB Application that production, demo and tests all run."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, TypeHandler

from bot import event_loop, lifecycle, log_privacy, menus
from bot.handlers import build_router
from bot.observed_jobs import ObservedJobQueue, note_job_failure
from bot.payments.midtrans import MidtransClient
from bot.routing.context import CONTEXT_TYPES, drop_all_viewers, drop_viewer
from bot.routing.gates import forget_idle_users
from bot.routing.pipeline import Pipeline, on_error
from bot.services import KEY, Services, build_services, merchant_payload, services_of
from bot.settings import Settings
from bot.telegram_http import AiohttpRequest
from bot.telegram_retry import RetryingRateLimiter
from bot.texts import format as texts_format
from bot.update_processor import PerChatUpdateProcessor
from jobs.registry import register_jobs
from models import events, qris
from models.changes import ChangeListener, listener_dsn
from models.services import staff as staff_service

log = logging.getLogger(__name__)
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
AnyApp = Application[Any, Any, Any, Any, Any, Any]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.EDITED_MESSAGE]
FORGET_USERS_INTERVAL = 300
LISTENER_KEY = "change_listener"


def check_startup(settings: Settings) -> str | None:
    """One clear line when the configuration cannot work (bad merchant QRIS, NMID mismatch), else None."""
    try:
        info = qris.describe(merchant_payload(settings))
        qris.to_dynamic(merchant_payload(settings), 1000, bill_number="CHECK")
    except qris.QrisError as exc:
        return f"Invalid setting QRIS_MERCHANT_PAYLOAD: {exc}"
    if settings.qris_merchant_nmid and info.nmid != settings.qris_merchant_nmid:
        return (
            f"Invalid setting QRIS_MERCHANT_PAYLOAD: its NMID {info.nmid} is not QRIS_MERCHANT_NMID "
            f"{settings.qris_merchant_nmid} (a swapped QRIS would send money elsewhere)"
        )
    if settings.webhook_url and settings.webhook_secret is None:
        return (
            "Invalid setting WEBHOOK_SECRET: required with WEBHOOK_URL (without it anyone who finds the URL can post "
            "forged updates, as any user, staff or manager)"
        )
    if settings.webhook_secret is not None and not _SECRET.match(settings.webhook_secret.get_secret_value()):
        return "Invalid setting WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
    gateway_problem = check_gateway(settings)
    if gateway_problem:
        return gateway_problem
    if settings.token is not None and settings.qris_merchant_payload is None:
        log.warning("QRIS_MERCHANT_PAYLOAD is not set: payment codes use the SAMPLE merchant and cannot be paid")
    return None


def check_gateway(settings: Settings) -> str | None:
    """With PAYMENT_PROVIDER=midtrans, one line naming a missing or unusable setting (the offline demo, without a
    token, runs its own sandbox and needs neither)."""
    if settings.payment_provider != "midtrans" or settings.token is None:
        return None
    if not settings.midtrans_key:
        return "Invalid setting MIDTRANS_SERVER_KEY: required with PAYMENT_PROVIDER=midtrans"
    if not settings.public_base_url:
        return ("Invalid setting PUBLIC_BASE_URL: required with PAYMENT_PROVIDER=midtrans (Midtrans posts payment "
                "notifications to PUBLIC_BASE_URL/payments/midtrans)")
    if not settings.public_base_url.startswith(("https://", "http://")):
        return "Invalid setting PUBLIC_BASE_URL: must start with https:// (the address Midtrans can reach)"
    if settings.qris_unique_code:
        log.warning("QRIS_UNIQUE_CODE is ignored with PAYMENT_PROVIDER=midtrans: Midtrans says which order was paid")
    return None


async def _post_init(application: AnyApp) -> None:
    """Start-up work once the bot is connected: bootstrap admins, schedules, command menus, housekeeping."""
    services = services_of(application.bot_data)
    if services.settings.admin_ids:
        async with services.session_factory.begin() as session:
            await staff_service.ensure_admins(session, services.settings.admin_ids)
    await start_change_listener(application)
    schedule_jobs(application)


async def start_change_listener(application: AnyApp) -> None:
    """On PostgreSQL, listens for role, language and customer changes made by any process (models.changes)."""
    services = services_of(application.bot_data)
    if services.engine.dialect.name != "postgresql" or LISTENER_KEY in application.bot_data:
        return

    def missed() -> None:
        """Notifications may have been lost: every cached viewer is reloaded on its next update."""
        dropped = drop_all_viewers(application)
        log.info("change listener (re)started: forgot %d cached viewers", dropped)

    listener = ChangeListener(
        listener_dsn(services.engine.url), lambda telegram_id: drop_viewer(application, telegram_id), missed
    )
    application.bot_data[LISTENER_KEY] = listener
    await listener.start()


def schedule_jobs(application: AnyApp) -> None:
    """Registers every schedule: the domain jobs (`jobs.registry`), the command menus and memory housekeeping."""
    queue = application.job_queue
    if queue is None:
        log.warning("no JobQueue: install python-telegram-bot[job-queue]; nothing is scheduled")
        return
    register_jobs(queue, services_of(application.bot_data), application.bot)
    queue.run_once(_menus_job, 0.1, name="command-menus")
    queue.run_repeating(
        _forget_idle_users_job, FORGET_USERS_INTERVAL, first=FORGET_USERS_INTERVAL, name="forget-idle-users",
        job_kwargs={"coalesce": True, "max_instances": 1, "misfire_grace_time": FORGET_USERS_INTERVAL},
    )


async def _menus_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sets the command menus of buyers, staff and managers."""
    await menus.refresh_all(context.bot, services_of(context.bot_data))


async def _forget_idle_users_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keeps memory flat: forgets the in-memory notes of users quiet for ten minutes."""
    forgotten = forget_idle_users(context.application, services_of(context.bot_data).now())
    if forgotten:
        log.debug("forgot the in-memory notes of %d quiet users", forgotten)


async def _count_failure(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Counts a failed update or job run for /metrics (`on_error`, added before it, logs and apologises)."""
    if context.job is not None:
        note_job_failure(context.error)
    elif isinstance(update, Update):
        services_of(context.bot_data).telemetry.update_failed()


async def _post_shutdown(application: AnyApp) -> None:
    """Closes the Bot API sessions and the database connections."""
    # When start-up fails (a rejected token) PTB skips the bot's shutdown; an open aiohttp session would then
    # print "Unclosed client session" after our one-line message. After a normal shutdown this does nothing.
    await application.bot.shutdown()
    listener = application.bot_data.pop(LISTENER_KEY, None)
    if isinstance(listener, ChangeListener):
        await listener.stop()
    services = services_of(application.bot_data)
    if isinstance(services.gateway, MidtransClient):
        await services.gateway.close()
    await services.engine.dispose()


def build_application(
    settings: Settings,
    services: Services | None = None,
    *,
    token: str | None = None,
) -> Application:  # type: ignore[type-arg, unused-ignore]
    """Builds the Application with its handlers, jobs and start-up work; nothing runs until it is started."""
    services = services or build_services(settings)
    telemetry = services.telemetry
    log_privacy.protect(token or settings.token)
    log_privacy.protect(settings.midtrans_key)  # never in a log line, even if some library quoted it
    builder = (
        ApplicationBuilder()
        .token(token or settings.token or "")
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        # aiohttp instead of PTB's httpx: less CPU per Bot API call (README Design notes); the same timeouts and pools
        # as PTB's defaults (getUpdates has its own request object with one connection).
        # Each answer also tells /readyz that the Bot API is reachable.
        .request(AiohttpRequest(on_response=telemetry.bot_api_answered))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, on_response=telemetry.bot_api_answered))
        .defaults(
            Defaults(
                tzinfo=ZoneInfo(settings.timezone),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerChatUpdateProcessor(256, observer=telemetry.update_handled))
        .job_queue(ObservedJobQueue(telemetry))
        .rate_limiter(RetryingRateLimiter())
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    application = builder.build()
    application.bot_data[KEY] = services
    texts_format.preload()  # the catalogues and Babel's locale data, read here rather than on a first press
    # One handler for every update: the pipeline runs the gates and the router as one unit of work.
    application.add_handler(TypeHandler(Update, Pipeline(build_router())))
    application.add_error_handler(on_error)
    application.add_error_handler(_count_failure)
    # Metrics: orders and payments are counted when their transaction commits (models/events.py), SQL by statement.
    events.observe(services.session_factory, telemetry.domain_event)
    telemetry.watch_engine(services.engine)
    return application


def run_application(settings: Settings) -> int:
    """Runs against Telegram (or TELEGRAM_API_BASE_URL) by polling, or by webhook when WEBHOOK_URL is set, with the
    web server (health, metrics, the webhook) in both modes, until SIGTERM or SIGINT; returns the exit code."""
    return event_loop.run(lifecycle.serve(build_application(settings), settings, ALLOWED_UPDATES), settings.event_loop)


@asynccontextmanager
async def running(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    poll_timeout: int = 2,
    post_init: bool = True,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Runs the application as `run_polling` does (initialize, post_init, polling, start) until the block ends.

    Used by the demo, the tests and the benchmarks, which need the event loop for themselves. Tests that
    want no schedules (no start-up catch-up messages) pass `post_init=False`.
    """
    await application.initialize()
    try:
        if post_init and application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
        await application.start()
        yield application
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
