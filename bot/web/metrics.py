"""GET /metrics: the bot's Prometheus metrics (`bot/telemetry.py`), with the outbox backlog read at each scrape."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.web.context import WebContext, context_of
from models.services import outbox

log = logging.getLogger(__name__)
BACKLOG_TIMEOUT = 2.0


async def _refresh_backlog(context: WebContext) -> None:
    """Sets the outbox gauges from the database; a slow or failing database leaves them as they were."""
    services = context.services
    now = services.now()
    try:
        async with asyncio.timeout(BACKLOG_TIMEOUT):
            async with services.engine.connect() as conn:
                waiting = await outbox.backlog(conn, now)
    except Exception as exc:  # the other metrics are still worth serving
        log.warning("outbox backlog not read for /metrics: %s", type(exc).__name__)
        return
    services.telemetry.outbox_backlog(waiting.pending, waiting.oldest_due_seconds(now))


async def scrape(request: web.Request) -> web.Response:
    """Every metric in Prometheus' text format."""
    context = context_of(request)
    await _refresh_backlog(context)
    return web.Response(body=context.services.telemetry.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def routes(_: WebContext) -> list[web.RouteDef]:
    """/metrics."""
    return [web.get("/metrics", scrape)]
