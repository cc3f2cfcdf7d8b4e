"""POST /payments/midtrans: Midtrans' payment notifications, verified, then confirmed with its status API.

Served only with PAYMENT_PROVIDER=midtrans. In order: a body over 64 KB gets 413 and one that is not a JSON object
400; a missing or wrong `signature_key` (SHA-512 of order_id + status_code + gross_amount + server key, compared in
constant time over the strings as received) gets 401 and changes nothing. A verified notification only says "ask
now": the bot asks `GET /v2/{order_id}/status` and acts on that answer alone (`gateway_payments.apply_status`), so
a replayed, reordered or doctored body can at worst make the bot ask again. An order id the bot does not know gets
200 and one log line. Midtrans wants an answer within 5 s: when the status API does not answer in time, the
notification gets 503 (Midtrans delivers it again) and the reconciliation job asks later anyway.
"""

from __future__ import annotations

import asyncio
import json
import logging

from aiohttp import web

from bot.payments.midtrans import NOTIFICATION_PATH
from bot.payments.signature import signature_ok
from bot.web.context import WebContext, context_of
from jobs.reconcile import settle
from models.services.gateway import GatewayError
from models.services.gateway_payments import Outcome

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024  # Midtrans' notifications are about 1 KB
ANSWER_WITHIN = 4.5  # Midtrans waits 5 s for the answer


def routes(context: WebContext) -> list[web.RouteDef]:
    """The notification route, with a gateway configured only."""
    return [web.post(NOTIFICATION_PATH, receive)] if context.services.gateway is not None else []


def _answer(status: int, message: str) -> web.Response:
    """A short JSON answer (Midtrans reads only the status)."""
    return web.json_response({"status": "ok" if status == 200 else "error", "message": message}, status=status)


async def receive(request: web.Request) -> web.Response:
    """Checks one notification and acts on the status API's word (see the module docstring)."""
    services = context_of(request).services
    key = services.settings.midtrans_key
    if request.content_length is not None and request.content_length > MAX_BODY:
        return _answer(413, f"body over {MAX_BODY} bytes")
    try:
        raw = await request.read()  # the server stops a body without Content-Length at 1 MB
    except web.HTTPRequestEntityTooLarge:
        return _answer(413, f"body over {MAX_BODY} bytes")
    if len(raw) > MAX_BODY:
        return _answer(413, f"body over {MAX_BODY} bytes")
    try:
        body = json.loads(raw)
    except ValueError:  # not JSON, or not UTF-8
        body = None
    if not isinstance(body, dict):
        log.warning("midtrans notification refused: not a JSON object (%d bytes)", len(raw))
        return _answer(400, "not a JSON object")
    if key is None or not signature_ok(body, key):
        log.warning("midtrans notification refused: missing or wrong signature")
        return _answer(401, "missing or wrong signature")
    order_id = str(body["order_id"])
    try:
        async with asyncio.timeout(ANSWER_WITHIN):
            outcome = await settle(services, order_id)
    except (GatewayError, TimeoutError) as exc:
        log.warning("midtrans notification for %s: status API not reached (%s); it will deliver again",
                    order_id, str(exc) or "no answer in time")
        return _answer(503, "status not confirmed yet: deliver again")
    if outcome is Outcome.UNKNOWN:
        log.warning("midtrans notification for an unknown order_id %r: ignored", order_id[:60])
    return _answer(200, outcome.value)
