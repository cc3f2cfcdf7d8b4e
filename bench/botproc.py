"""The bot side of the HTTP benchmarks, in a process of its own (as it would be: Telegram is not on our core).

    python -m bench.botproc app      --api URL --files URL --token T --database-url URL [--sequential]
    python -m bench.botproc serve    --api URL --files URL --token T --database-url URL [--webhook-url URL]
                                     --port N [--no-chat-lock] [--media-dir DIR]
    python -m bench.botproc dispatch --api URL --files URL --token T --database-url URL --scale 10
    python -m bench.botproc blast    --api URL --files URL --token T --database-url URL --scale 10

Every mode runs on the event loop production runs on (EVENT_LOOP: uvloop when installed, bot/event_loop.py).
`app` is the real bot from `bot.app.build_application`, polling until SIGINT or SIGTERM; `--sequential` swaps
our per-chat update processor for PTB's default one-at-a-time processing (what `concurrent_updates(False)`
gives). `serve` is the real bot as `python -m bot run` runs it (bot.lifecycle: its web server on 127.0.0.1:N,
setWebhook to --webhook-url, or long polling without one, a clean stop on SIGINT or SIGTERM); `--no-chat-lock`
leaves out the per-chat PostgreSQL advisory lock (models/locks.py), to measure what it costs; `--media-dir` is
where its product photos are (the Mini App benchmark's). `dispatch` runs only the outbox
dispatcher on the JobQueue, with limits scaled as benchmark 3 explains, and exits once the outbox is drained;
`blast` sends the same outbox texts with the same pacer and no database writes (benchmark 3's floor). Both print
one JSON line with the CPU and wall seconds of the sending.
The baseline echo bot is `bench.echobot`, which imports nothing of ours.

Instrumentation, only when its variable is set (none of it is on the production path):
- BENCH_PROFILE=FILE: each mode writes a cProfile of its run to FILE.<mode>.<pid> when it stops (to find where the
  CPU goes). SIGUSR1 throws away what was collected so far and starts afresh, SIGUSR2 stops collecting: benchmarks
  1 and 7 send them around their measured crowds, so start-up and warm-up stay out of the profile.
- BENCH_SQL_TRACE=FILE (`app` only): the SQL statements, transactions, CPU and wall time of each update, written to
  FILE.<pid>.json when the bot stops (bench/sqltrace.py).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import func, select
from telegram.constants import ParseMode
from telegram.error import RetryAfter
from telegram.ext import Application, ApplicationBuilder, SimpleUpdateProcessor

import bot.app
from bench.sqltrace import SqlTrace
from bot import collector, event_loop, lifecycle
from bot.app import ALLOWED_UPDATES
from bot.settings import Settings
from bot.telegram_http import AiohttpRequest
from jobs.dispatcher import Dispatcher, Limits, Pacer
from jobs.registry import DISPATCH_INTERVAL, dispatch_job
from models import locks
from models.db import create_engine, create_session_factory
from models.outbox import OutboxMessage, OutboxState

AnyApp = Application[Any, Any, Any, Any, Any, Any]
POLL_TIMEOUT = 10
BLAST_IN_FLIGHT = 128


def settings_for(args: argparse.Namespace, **overrides: Any) -> Settings:
    """Settings that point the real bot at the emulator and the benchmark database."""
    values: dict[str, Any] = {
        "telegram_bot_token": args.token,
        "telegram_api_base_url": args.api,
        "telegram_file_base_url": args.files,
        "database_url": args.database_url,
        "log_level": "WARNING",
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


def real_app(settings: Settings, *, sequential: bool = False) -> AnyApp:
    """The bot as production builds it; with sequential=True, PTB's default one-update-at-a-time processing.

    build_application takes no update processor, so the sequential variant swaps the class it instantiates
    for PTB's SimpleUpdateProcessor(1), which is exactly what `concurrent_updates(False)` installs.
    """
    if not sequential:
        return bot.app.build_application(settings)
    with mock.patch.object(bot.app, "PerChatUpdateProcessor", lambda *_args, **_kwargs: SimpleUpdateProcessor(1)):
        application = bot.app.build_application(settings)
    assert isinstance(application.update_processor, SimpleUpdateProcessor)
    return application


WEBHOOK_SECRET = "rahasia-bench"


def serve(args: argparse.Namespace) -> None:
    """The real bot in webhook mode behind the benchmark's balancer, until SIGINT or SIGTERM."""
    media = {"media_dir": Path(args.media_dir)} if args.media_dir else {}
    settings = settings_for(args, webhook_url=args.webhook_url, webhook_secret=WEBHOOK_SECRET,
                            http_listen="127.0.0.1", http_port=args.port, **media)
    application = real_app(settings)
    if args.no_chat_lock:  # every update's session then runs without pg_advisory_xact_lock on its chat
        with mock.patch.object(locks, "chat_session_info", lambda _chat_id: {}):
            event_loop.run(lifecycle.serve(application, settings, ALLOWED_UPDATES), settings.event_loop)
    else:
        event_loop.run(lifecycle.serve(application, settings, ALLOWED_UPDATES), settings.event_loop)


def sender_app(args: argparse.Namespace) -> AnyApp:
    """A bare Application for sending, on the Bot API transport production uses (bot/app.py: aiohttp)."""
    return (
        ApplicationBuilder().token(args.token).base_url(args.api).base_file_url(args.files)
        .request(AiohttpRequest()).get_updates_request(AiohttpRequest(connection_pool_size=1)).build()
    )


async def dispatch(args: argparse.Namespace) -> None:
    """Runs the dispatcher on the JobQueue with scaled time until no outbox row is pending or sending."""
    engine = create_engine(args.database_url)
    factory = create_session_factory(engine)
    application = sender_app(args)
    scale = args.scale
    limits = Limits(per_second=int(30 * scale), private_interval=1 / scale, group_per_minute=int(20 * scale))
    dispatcher = Dispatcher(factory, application.bot, lambda: datetime.now(UTC), pacer=Pacer(limits))
    open_states = [OutboxState.PENDING, OutboxState.SENDING]
    async with application:
        await application.start()
        assert application.job_queue is not None
        cpu, wall = time.process_time(), time.monotonic()
        application.job_queue.run_repeating(
            dispatch_job, DISPATCH_INTERVAL / scale, first=0.0, data=dispatcher,
            job_kwargs={"coalesce": True, "max_instances": 1, "misfire_grace_time": 5},
        )
        while True:
            await asyncio.sleep(0.1)
            async with factory() as session:
                if not await session.scalar(select(func.count()).where(OutboxMessage.state.in_(open_states))):
                    break
        print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.monotonic() - wall}), flush=True)
        await application.stop()
    await engine.dispose()


async def blast(args: argparse.Namespace) -> None:
    """The floor of benchmark 3: the pending outbox texts sent with the same pacer, no database writes."""
    engine = create_engine(args.database_url)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(OutboxMessage.chat_id, OutboxMessage.text).order_by(OutboxMessage.id))).all()
    await engine.dispose()
    scale = args.scale
    pacer = Pacer(Limits(per_second=int(30 * scale), private_interval=1 / scale, group_per_minute=int(20 * scale)))
    application = sender_app(args)
    async with application:
        cpu, wall = time.process_time(), time.monotonic()

        # Fewer sends in flight than the transport's pool holds (256): on a loaded machine the answers come back
        # late, and a send still waiting for a pooled connection after PTB's pool timeout (1 s) would fail the run.
        in_flight = asyncio.Semaphore(BLAST_IN_FLIGHT)

        async def send(chat_id: int, text: str) -> None:
            while True:
                try:
                    async with in_flight:
                        await application.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
                    return
                except RetryAfter as exc:
                    await asyncio.sleep(exc.retry_after if isinstance(exc.retry_after, int) else 1)

        tasks = []
        for chat_id, text in rows:
            await pacer.wait_turn(chat_id)
            tasks.append(asyncio.create_task(send(chat_id, text)))
        await asyncio.gather(*tasks)
        print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.monotonic() - wall}), flush=True)


def main() -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m bench.botproc")
    parser.add_argument("mode", choices=["app", "serve", "dispatch", "blast"])
    parser.add_argument("--api", required=True)
    parser.add_argument("--files", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--sequential", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--webhook-url")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-chat-lock", action="store_true")
    parser.add_argument("--media-dir")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    profile_path = os.environ.get("BENCH_PROFILE")  # where to write a cProfile of the run (finding hot spots)
    profiler = _profiler() if profile_path else None
    trace_path = os.environ.get("BENCH_SQL_TRACE")  # where to write the statements of each update
    trace = SqlTrace() if trace_path and args.mode == "app" else None
    if args.mode == "serve":
        serve(args)
    elif args.mode in ("dispatch", "blast"):
        # Both on the loop production sends on, so the floor differs from the dispatcher by the outbox alone.
        event_loop.run(dispatch(args) if args.mode == "dispatch" else blast(args), settings_for(args).event_loop)
    else:
        settings = settings_for(args)
        application = real_app(settings, sequential=args.sequential)
        # run_polling runs on the loop set here: the kind production runs on (EVENT_LOOP, bot/event_loop.py).
        asyncio.set_event_loop(event_loop.loop_factory(settings.event_loop)())
        if trace is not None:
            trace.install(application)
        collector.settle_after_start()  # as bot.lifecycle.serve does once started (post_init's few objects aside)
        application.run_polling(allowed_updates=ALLOWED_UPDATES, poll_interval=0.0, timeout=POLL_TIMEOUT)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile_path}.{args.mode}.{os.getpid()}")
    if trace is not None:
        trace.dump(Path(f"{trace_path}.{os.getpid()}.json"))


def _profiler() -> cProfile.Profile:
    """A running profiler that SIGUSR1 clears and restarts and SIGUSR2 stops (a measured window)."""
    profiler = cProfile.Profile()

    def restart(_signum: int, _frame: object) -> None:
        profiler.disable()
        profiler.clear()
        profiler.enable()

    signal.signal(signal.SIGUSR1, restart)
    signal.signal(signal.SIGUSR2, lambda _signum, _frame: profiler.disable())
    profiler.enable()
    return profiler


if __name__ == "__main__":
    main()
