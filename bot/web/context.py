"""What the web routes read: the running Application, its services, the webhook's secret, and whether updates are
still taken in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.services import Services

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class WebContext:
    """Shared by every route of one web server; `accepting` is False before start-up ends and while stopping."""

    application: AnyApp
    services: Services
    webhook_secret: str | None = None  # None: not in webhook mode, and POST /telegram is not served
    accepting: bool = False


CONTEXT = web.AppKey("karya_web_context", WebContext)


def context_of(request: web.Request) -> WebContext:
    """The context of the server that received the request."""
    return request.app[CONTEXT]
