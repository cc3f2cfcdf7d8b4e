"""Running the bot for real: the Application and the web server on one asyncio loop, stopped cleanly by SIGTERM or
SIGINT.

Start: the web server listens first (a port in use stops start-up with one line, before Telegram is touched),
then the Application is initialised (getMe), its start-up work runs, updates start coming (long polling, or
`setWebhook` pointing Telegram at POST /telegram), and the Application starts. Only then does /readyz say ready
and the webhook take deliveries (503 before, so Telegram delivers again). What start-up built is then frozen out of
the garbage collector's walks (`bot.collector`).

Stop, in this order: no new updates (the webhook answers 503, polling stops); the updates in flight are finished
(up to 10 s); no job starts any more; the outbox dispatcher finishes its send in flight and gives back the rows it
claimed, due now, so another process sends them at once; the JobQueue stops once the job runs in flight are done;
the web server stops; the Application shuts down and the database is closed. The process then exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence

from bot import collector, event_loop
from bot.services import services_of
from bot.settings import Settings
from bot.web.context import AnyApp, WebContext
from bot.web.server import PortUnavailable, WebServer
from jobs.dispatcher import Dispatcher

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0  # the updates in flight get this long to finish
STOP_GRACE = 1.0  # beyond the drain: the send in flight, the jobs, the JobQueue
_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class BotRuntime:
    """The Application and its web server, started and stopped as `python -m bot run` does (tests use it too)."""

    def __init__(self, application: AnyApp, settings: Settings, allowed_updates: Sequence[str]) -> None:
        self.application = application
        self.settings = settings
        self.allowed_updates = list(allowed_updates)
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        self.context = WebContext(application, services_of(application.bot_data),
                                  webhook_secret=secret if settings.webhook_url else None)
        self.server = WebServer(self.context)
        self.port: int | None = None

    async def listen(self) -> int:
        """Starts the web server; returns its port (PortUnavailable when it cannot listen)."""
        host, port = self.settings.http_address
        self.port = await self.server.start(host, port)
        routes = "/healthz /readyz /metrics" + (" /telegram" if self.context.webhook_secret else "")
        routes += " /payments/midtrans" if self.context.services.gateway is not None else ""
        log.info("web server on http://%s:%d (%s)", host, self.port, routes)
        return self.port

    async def start(self) -> None:
        """Initialises the Application, runs its start-up work, opens the flow of updates and starts it."""
        application, settings = self.application, self.settings
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        if settings.webhook_url:
            await application.bot.set_webhook(settings.webhook_url, secret_token=self.context.webhook_secret,
                                              allowed_updates=self.allowed_updates)
            log.info("webhook set: Telegram delivers to %s", settings.webhook_url)
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=self.allowed_updates)
        await application.start()
        self.context.accepting = True
        log.info("bot running (%s); SIGTERM or Ctrl-C stops it cleanly",
                 "webhook" if settings.webhook_url else "long polling")

    async def start_unless(self, stop: asyncio.Event) -> bool:
        """Starts the bot; a stop signal during start-up abandons it (False). Start-up errors propagate."""
        starting = asyncio.create_task(self.start(), name="bot-start")
        stopped = asyncio.create_task(stop.wait(), name="stop-signal")
        await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
            log.info("stop requested during start-up")
            return False
        stopped.cancel()
        starting.result()  # a rejected token, an unreachable Telegram: raised here
        return True

    async def stop(self) -> None:
        """Stops cleanly in the order of the module docstring; safe after a failed or abandoned start."""
        try:
            await self._stop_taking_updates()
        finally:
            await self.server.stop()
            await _close(self.application)
        log.info("stopped")

    async def _stop_taking_updates(self) -> None:
        """Stops taking updates, lets those in flight finish, gives back outbox claims and stops the Application."""
        application = self.application
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_SECONDS
        self.context.accepting = False
        log.info("stopping: no new updates; finishing the ones in flight (up to %g s)", DRAIN_SECONDS)
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        left = await _drain(application, deadline)
        if left:
            log.warning("%d updates still in flight after %g s: stopping without them", left, DRAIN_SECONDS)
        _start_no_more_jobs(application)
        for dispatcher in _dispatchers(application):
            await dispatcher.stop(timeout=max(STOP_GRACE, deadline - loop.time()))
        if application.running:
            try:
                async with asyncio.timeout(max(STOP_GRACE, deadline + STOP_GRACE - loop.time())):
                    await application.stop()
            except TimeoutError:
                log.warning("jobs or updates still running after the grace time: stopping without them")
        if application.post_stop is not None:
            await application.post_stop(application)


async def serve(application: AnyApp, settings: Settings, allowed_updates: Sequence[str]) -> int:
    """Runs until SIGTERM or SIGINT, then stops cleanly; returns the exit code (2: cannot listen)."""
    runtime = BotRuntime(application, settings, allowed_updates)
    log.info("event loop: %s", event_loop.running_loop_name())
    try:
        await runtime.listen()
    except PortUnavailable as exc:
        print(exc)
        await _close(application)
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in _SIGNALS:  # kept while stopping: a second signal does not cut the clean stop short
        loop.add_signal_handler(signum, _on_signal, stop)
    try:
        if await runtime.start_unless(stop):
            log.info("garbage collector: %d start-up objects frozen", collector.settle_after_start())
            await stop.wait()
    finally:
        try:
            await runtime.stop()
        finally:
            for signum in _SIGNALS:
                loop.remove_signal_handler(signum)
    return 0


def _on_signal(stop: asyncio.Event) -> None:
    """SIGTERM or SIGINT: begins the clean stop (once)."""
    if stop.is_set():
        log.info("already stopping (up to %g s)", DRAIN_SECONDS + STOP_GRACE)
    stop.set()


async def _drain(application: AnyApp, deadline: float) -> int:
    """Waits until no update is queued or being handled (or the deadline); returns how many are left."""
    loop = asyncio.get_running_loop()
    while True:
        left = application.update_queue.qsize() + application.update_processor.current_concurrent_updates
        if left == 0 or not application.running or loop.time() >= deadline:
            return left
        await asyncio.sleep(0.05)  # a polling interval while updates finish, not a guess at their duration


def _start_no_more_jobs(application: AnyApp) -> None:
    """Pauses the scheduler: the job runs in flight go on, no new one starts.

    PTB's `JobQueue.stop` waits for the runs in flight when it is called, then shuts the scheduler down, which
    cancels any run that started meanwhile (a job due every second comes due while a slow one is awaited): that
    run was cut off and logged as an error. tests/web/test_stop_with_jobs.py.
    """
    queue = application.job_queue
    if queue is not None and queue.scheduler.running:
        queue.scheduler.pause()


def _dispatchers(application: AnyApp) -> list[Dispatcher]:
    """The outbox dispatchers the JobQueue runs (the schedule carries each as its job's data)."""
    queue = application.job_queue
    if queue is None:
        return []
    return [job.data for job in queue.jobs() if isinstance(job.data, Dispatcher)]


async def _close(application: AnyApp) -> None:
    """Shuts the Application down and closes the Bot API sessions and the database."""
    with contextlib.suppress(RuntimeError):  # still running after a stop that timed out: shut down anyway
        await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
