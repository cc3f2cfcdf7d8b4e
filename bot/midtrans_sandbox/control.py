"""The control surface over HTTP, under /_sandbox/: what tests do in Python, for a subprocess or the demo.

No Midtrans has these routes: they stand for the buyer's banking app (pay), the clock, and the faults.
They need no key, so the sandbox listens on loopback only.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.midtrans_sandbox.errors import ControlError
from bot.midtrans_sandbox.wire import midtrans_time

if TYPE_CHECKING:
    from bot.midtrans_sandbox.notifier import Notification
    from bot.midtrans_sandbox.server import MidtransSandbox
    from bot.midtrans_sandbox.transactions import Transaction

PREFIX = "/_sandbox"
Route = Callable[["MidtransSandbox", web.Request, dict[str, Any]], Awaitable[Any]]


def transaction_view(transaction: Transaction) -> dict[str, Any]:
    """A transaction as the control surface shows it."""
    return {
        "order_id": transaction.order_id,
        "transaction_id": transaction.transaction_id,
        "transaction_status": transaction.status,
        "status_code": transaction.status_code,
        "charged_amount": transaction.charged_amount,
        "gross_amount": transaction.gross_amount_text,
        "acquirer": transaction.acquirer,
        "notification_url": transaction.notification_url,
        "transaction_time": midtrans_time(transaction.transaction_time),
        "expiry_time": midtrans_time(transaction.expiry_time),
        "history": list(transaction.history),
    }


def notification_view(notification: Notification) -> dict[str, Any]:
    """A notification and its delivery state as the control surface shows it."""
    return {
        "number": notification.number,
        "url": notification.url,
        "state": notification.state,
        "forged": notification.forged,
        "copy": notification.copy,
        "attempts": notification.attempts,
        "body": notification.body,
    }


async def _pay(sandbox: MidtransSandbox, request: web.Request, body: dict[str, Any]) -> Any:
    """POST pay/{id} {"gross_amount": 41000 (optional)}."""
    return transaction_view(sandbox.pay(request.match_info["id"], body.get("gross_amount")))


async def _expire(sandbox: MidtransSandbox, request: web.Request, _: dict[str, Any]) -> Any:
    """POST expire/{id}."""
    return transaction_view(sandbox.expire(request.match_info["id"]))


async def _deny(sandbox: MidtransSandbox, request: web.Request, _: dict[str, Any]) -> Any:
    """POST deny/{id}."""
    return transaction_view(sandbox.deny(request.match_info["id"]))


async def _notify(sandbox: MidtransSandbox, request: web.Request, body: dict[str, Any]) -> Any:
    """POST notify/{id} {"forge": "amount" (optional), "other_order_id": ... (optional)}."""
    return notification_view(sandbox.notify(request.match_info["id"], forge=body.get("forge"),
                                            other_order_id=body.get("other_order_id")))


async def _advance(sandbox: MidtransSandbox, _: web.Request, body: dict[str, Any]) -> Any:
    """POST advance {"seconds": 3600}: moves time and expires what is due."""
    return {"expired": [t.order_id for t in sandbox.advance(seconds=float(body.get("seconds", 0)))]}


async def _expire_due(sandbox: MidtransSandbox, _: web.Request, __: dict[str, Any]) -> Any:
    """POST expire-due."""
    return {"expired": [t.order_id for t in sandbox.expire_due()]}


async def _release(sandbox: MidtransSandbox, _: web.Request, __: dict[str, Any]) -> Any:
    """POST release: delivers delayed notifications."""
    return {"released": sandbox.release()}


async def _redeliver(sandbox: MidtransSandbox, _: web.Request, __: dict[str, Any]) -> Any:
    """POST redeliver: resends failed notifications."""
    return {"redelivered": sandbox.redeliver()}


async def _idle(sandbox: MidtransSandbox, _: web.Request, __: dict[str, Any]) -> Any:
    """POST idle: answers once every due notification has been attempted."""
    await sandbox.idle()
    return {"deliveries": len(sandbox.deliveries)}


async def _fault(sandbox: MidtransSandbox, request: web.Request, body: dict[str, Any]) -> Any:
    """POST faults/{name} with the switch's keyword arguments as JSON."""
    name = request.match_info["name"]
    api, notes = sandbox.faults.api, sandbox.faults.notifications
    switches: dict[str, Callable[..., Any]] = {
        "server_errors": api.server_errors, "slow": api.slow, "release_slow": api.release_slow,
        "duplicate": notes.duplicate, "delay": notes.delay, "reorder": notes.reorder, "lose": notes.lose,
        "forge": notes.forge, "clear": sandbox.faults.clear,
    }
    if name not in switches:
        raise ControlError(404, f"no fault {name!r}; choose one of {', '.join(switches)}")
    try:
        switches[name](**body)
    except (TypeError, ValueError) as exc:
        raise ControlError(400, str(exc)) from None
    return {"fault": name, "set": body}


async def _transactions(sandbox: MidtransSandbox, _: web.Request, __: dict[str, Any]) -> Any:
    """GET transactions."""
    return [transaction_view(t) for t in sandbox.transactions]


async def _notifications(sandbox: MidtransSandbox, _: web.Request, __: dict[str, Any]) -> Any:
    """GET notifications, with every delivery attempt and the status answered."""
    return {
        "notifications": [notification_view(n) for n in sandbox.notifications],
        "deliveries": [
            {"number": d.notification.number, "attempt": d.attempt, "status": d.status, "error": d.error,
             "duration": round(d.duration, 4)}
            for d in sandbox.deliveries
        ],
    }


_POST: dict[str, Route] = {
    "pay/{id}": _pay, "expire/{id}": _expire, "deny/{id}": _deny, "notify/{id}": _notify,
    "advance": _advance, "expire-due": _expire_due, "release": _release, "redeliver": _redeliver,
    "idle": _idle, "faults/{name}": _fault,
}
_GET: dict[str, Route] = {"transactions": _transactions, "notifications": _notifications}


def add_routes(app: web.Application, sandbox: MidtransSandbox) -> None:
    """Registers the control routes of this sandbox on its application."""
    for method, table in (("POST", _POST), ("GET", _GET)):
        for path, route in table.items():
            app.router.add_route(method, f"{PREFIX}/{path}", _handler(sandbox, route))


def _handler(sandbox: MidtransSandbox, route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Wraps a control route: reads an optional JSON object, answers JSON, turns refusals into 4xx."""

    async def handle(request: web.Request) -> web.Response:
        """Runs the route."""
        try:
            raw = await request.read()
            body = json.loads(raw) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ControlError(400, "the body must be a JSON object")
            return web.json_response(await route(sandbox, request, body))
        except ValueError:
            return web.json_response({"error": "the body must be JSON"}, status=400)
        except ControlError as error:
            return web.json_response({"error": error.message}, status=error.status)

    return handle
