"""One Mini App API call: the signed user checked, the flood gate, one unit of work, and errors as JSON.

Every /app/api route is an `endpoint`: before anything else the `Authorization: tma <initData>` header is
validated (401 without a valid one, nothing read or written); then the chat's flood gate counts the call; then
the buyer is registered (as /start does) and the route runs in ONE session that takes the chat's lock on
PostgreSQL, as the chat's updates do, so the chat and the Mini App of one buyer take turns. The session commits
when the route answers 2xx and rolls back otherwise. A domain error becomes a 4xx with the chat's sentence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.render.errors import error_text
from bot.render.plain import plain
from bot.routing.actions import Audience
from bot.routing.gates import flooding
from bot.services import Services
from bot.texts import Lang, lang_of, t
from bot.web.context import AnyApp, context_of
from bot.web.miniapp import initdata
from bot.web.miniapp.initdata import WebAppUser
from models import errors as e
from models import locks
from models.people import Customer, Role
from models.services import checkout, customers
from models.services import staff as staff_service

log = logging.getLogger(__name__)
SCHEME = "tma "
MAX_BODY = 16 * 1024  # the largest body (an address, a signed contact) is well under 2 KB
COMPRESS_FROM = 1024  # JSON answers from this size go gzip-compressed (the texts, the catalogue: 3x smaller)


class Refused(Exception):
    """A refusal that is not a domain error: bad JSON, a bad field, an address the chat would refuse too."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


@dataclass
class Call:
    """What a route works with: the request, the services, the checked user, their customer row and session."""

    request: web.Request
    application: AnyApp
    services: Services
    user: WebAppUser
    customer: Customer
    role: Role | None
    session: AsyncSession
    lang: Lang = "id"  # the buyer's language as the chat knows it (read once: a rollback expires the row)
    customer_id: int = 0  # from the signed user, never from the body
    keep_refusal: bool = False  # commit even though the answer is a refusal (what the refusal itself records)

    def __post_init__(self) -> None:
        self.lang, self.customer_id = lang_of(self.customer.language), self.customer.id

    async def body(self) -> dict[str, Any]:
        """The JSON object body; Refused (400) for anything else."""
        raw = await self.request.read()
        if len(raw) > MAX_BODY:
            raise Refused(413, "too_large", t(self.lang, "app_e_bad_request"))
        try:
            found = json.loads(raw or b"{}")
        except ValueError:
            found = None
        if not isinstance(found, dict):
            raise Refused(400, "bad_request", t(self.lang, "app_e_bad_request"))
        return found

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.services.now()

    async def commit(self) -> None:
        """Commits the work so far (before a slow outside call); later statements begin a new transaction."""
        if self.session.in_transaction():
            await self.session.commit()


Route = Callable[[Call], Awaitable[web.StreamResponse]]


def text_field(call: Call, body: dict[str, Any], name: str, *, limit: int = 200) -> str:
    """A required short text field of the body; Refused (400) otherwise."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))
    return value.strip()


def iso_day(call: Call, value: object) -> date:
    """An ISO date ("2026-11-28") given by the page; Refused (400) otherwise."""
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))


def compressed(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """A large JSON answer, gzip-compressed when the page accepts it: on a slow line its bytes are the wait.

    Safe from BREACH-style guessing: the credentials travel in a header a foreign page cannot set, not a cookie."""
    body = response.body if isinstance(response, web.Response) else None
    large = isinstance(body, bytes) and len(body) >= COMPRESS_FROM
    if large and response.content_type == "application/json" and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.enable_compression(web.ContentCoding.gzip)
    return response


def failure(status: int, code: str, message: str) -> web.Response:
    """The contract's error answer."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def status_of(exc: e.DomainError) -> int:
    """The HTTP status of a domain error: 400 bad input, 403 role, 404 unknown or not yours, 409 conflict."""
    if isinstance(exc, checkout.StaleSummary):
        return 409
    if isinstance(exc, e.InvalidInput | e.BelowMinimum | e.AboveMaximum):
        return 400
    if isinstance(exc, e.NotFound | e.ProductUnavailable):
        return 404
    if isinstance(exc, e.NotAllowed):
        return 403
    return 409


def user_of(request: web.Request, token: str, services: Services) -> WebAppUser:
    """The user of the request's signed initData; InitDataError without a valid one."""
    header = request.headers.get("Authorization", "")
    if not header.startswith(SCHEME):
        raise initdata.MissingHash()
    return initdata.validate(header[len(SCHEME):].strip(), token, services.now())


def endpoint(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wraps a route with authentication, the flood gate, the unit of work and error answers."""

    async def handle(request: web.Request) -> web.StreamResponse:
        context = context_of(request)
        services, application = context.services, context.application
        try:
            user = user_of(request, application.bot.token, services)
        except initdata.InitDataError as exc:
            log.info("mini app call refused: %s", type(exc).__name__)
            return failure(401, "unauthorized", t(services.settings.language, "app_e_unauthorized"))
        lang = lang_of(user.language_code)  # until the buyer's own setting is read
        if flooding(application, user.id, services):
            return failure(429, "rate_limited", t(lang, "flood"))
        session = services.session_factory(info=locks.chat_session_info(user.id))
        try:
            customer = await customers.get_or_register(session, user.id, user.full_name, user.language_code)
            role = await staff_service.role_of(session, user.id)
            call = Call(request, application, services, user, customer, role, session)
            lang = call.lang
            response = await route(call)
        except e.DomainError as exc:
            await session.rollback()
            return failure(status_of(exc), exc.code, plain(error_text(lang, exc, Audience.BUYER)))
        except Refused as exc:
            await session.rollback()
            return failure(exc.status, exc.code, exc.message)
        except Exception:  # a bug or an outage: logged, and the page gets the chat's apology, not a trace
            log.exception("mini app call %s %s failed", request.method, request.path)
            await session.rollback()
            return failure(500, "internal_error", t(lang, "error_generic"))
        else:
            if response.status < 400 or call.keep_refusal:
                await call.commit()
            else:
                await session.rollback()
            return compressed(request, response)
        finally:
            await session.close()

    return handle
