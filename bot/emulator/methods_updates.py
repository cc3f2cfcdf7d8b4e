"""Methods that move updates to the bot: getUpdates (long polling) and the webhook trio."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.state import Call, Handler
from bot.emulator.webhook import WebhookConfig

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _allowed(call: Call) -> list[str] | None:
    """Reads allowed_updates (a JSON array) if given."""
    value = call.params.get_json("allowed_updates")
    if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
        raise bad_request("can't parse allowed updates")
    return value


async def get_updates(call: Call) -> Any:
    """getUpdates: offset confirms, limit 1-100, timeout seconds of long polling."""
    p = call.params
    limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
    timeout = max(p.get_int("timeout", 0) or 0, 0)
    return await call.state.updates.poll(p.get_int("offset", 0) or 0, limit, timeout, _allowed(call), call.is_gone)


async def set_webhook(call: Call) -> Any:
    """setWebhook: an empty url removes it; http is accepted because everything here is local."""
    p = call.params
    url = p.get_str("url") or ""
    sender = call.state.webhook
    if p.get_bool("drop_pending_updates"):
        call.state.updates.drop_pending()
    allowed = _allowed(call)
    if allowed is not None:
        call.state.updates.allowed_updates = allowed
    if not url:
        await sender.delete()
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET_RE.match(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = p.get_int("max_connections", 40) or 40
    await sender.set(WebhookConfig(url, secret, max_connections, p.get_str("ip_address")))
    return True


async def delete_webhook(call: Call) -> Any:
    """deleteWebhook: back to getUpdates, optionally dropping what is pending."""
    if call.params.get_bool("drop_pending_updates"):
        call.state.updates.drop_pending()
    await call.state.webhook.delete()
    return True


async def get_webhook_info(call: Call) -> Any:
    """getWebhookInfo: url, pending count and the last delivery error."""
    return call.state.webhook.info()


HANDLERS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
