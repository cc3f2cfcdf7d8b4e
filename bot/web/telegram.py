"""POST /telegram: Telegram's webhook deliveries, checked and put on the Application's update queue.

Served in webhook mode only (elsewhere /telegram is an unknown path). The secret token Telegram sends with every
delivery is compared in constant time before anything else is read: without it a stranger who found the URL
could post updates as any user, staff member or manager. The update is answered 200 as soon as it is on the
queue; the per-chat processor takes it from there. While the bot starts or stops, deliveries get 503 and
Telegram delivers them again (to another process behind the same load balancer, or to this one once it is up).
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Bot, Update

from bot.keyboards import keep_pressed_keyboard_raw
from bot.web.context import WebContext, context_of

log = logging.getLogger(__name__)
PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kilobytes; the server's client_max_size is the same


def routes(context: WebContext) -> list[web.RouteDef]:
    """The webhook route, in webhook mode only."""
    return [web.post(PATH, receive)] if context.webhook_secret is not None else []


def _answer(status: int, error: str | None = None) -> web.Response:
    """A short JSON answer (Telegram reads only the status)."""
    return web.json_response({"ok": True} if error is None else {"ok": False, "error": error}, status=status)


def _secret_matches(given: str, expected: str) -> bool:
    """Compares the header with the secret in constant time."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def parse_update(body: bytes, bot: Bot) -> Update | None:
    """The update in a delivery's body, or None when the body is not a JSON object update."""
    try:
        data = json.loads(body)
    except ValueError:  # not JSON, or not UTF-8
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    keep_pressed_keyboard_raw(data)  # as polling does (bot.telegram_http)
    try:
        return Update.de_json(data, bot)
    except Exception:  # a JSON object PTB cannot read as an update (wrong field types)
        return None


async def receive(request: web.Request) -> web.Response:
    """Checks one delivery and queues its update (see the module docstring for each answer)."""
    context = context_of(request)
    secret = context.webhook_secret
    if secret is None or not _secret_matches(request.headers.get(SECRET_HEADER, ""), secret):
        log.warning("webhook delivery refused: wrong or missing secret token")
        return _answer(403, "wrong or missing secret token")
    if not context.accepting:
        return _answer(503, "not taking updates now (starting or stopping): deliver again")
    if request.content_length is not None and request.content_length > MAX_BODY:
        return _answer(413, f"body over {MAX_BODY} bytes")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:  # a body without Content-Length that grew too large
        return _answer(413, f"body over {MAX_BODY} bytes")
    update = parse_update(body, context.application.bot)
    if update is None:
        log.warning("webhook delivery refused: not a JSON update (%d bytes)", len(body))
        return _answer(400, "not a JSON object update")
    await context.application.update_queue.put(update)
    return _answer(200)
