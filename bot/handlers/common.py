"""Gates (registration, roles, flood control), fallbacks, the error handler and start-up work."""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any, NoReturn

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.services import Services, services_of
from bot.texts import t
from models.db import retrying
from models.people import Role
from models.services import customers, inbox
from models.services import staff as staff_service

log = logging.getLogger(__name__)
VIEWER_TTL = 60.0
RECENT_KEY = "recent_update_ids"
AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Viewer:
    """Who is talking to the bot: their customer row, language and role (None for a buyer)."""

    telegram_id: int
    customer_id: int
    lang: str
    role: Role | None
    loaded_at: float  # seconds on the injected clock (Services.now)

    @property
    def is_staff(self) -> bool:
        """True for staff, managers and admins."""
        return self.role is not None

    @property
    def is_manager(self) -> bool:
        """True for managers and admins."""
        return self.role in (Role.MANAGER, Role.ADMIN)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The shared services of the running application."""
    return services_of(context.bot_data)


def viewer_of(context: ContextTypes.DEFAULT_TYPE) -> Viewer:
    """The viewer resolved by the gate for this update."""
    viewer = context.user_data.get("viewer") if context.user_data is not None else None
    if not isinstance(viewer, Viewer):
        raise RuntimeError("viewer gate did not run")
    return viewer


def forget_viewer(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drops the cached viewer so the next update reloads language and role."""
    if context.user_data is not None:
        context.user_data.pop("viewer", None)


class RecentUpdates:
    """The ids of the latest updates this process took in; the oldest are forgotten first."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def add(self, update_id: int) -> bool:
        """Remembers an id; False when it was already there (a duplicate delivery)."""
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


def _recent(context: ContextTypes.DEFAULT_TYPE) -> RecentUpdates:
    """This application's memory of recent update ids."""
    found = context.bot_data.get(RECENT_KEY)
    if not isinstance(found, RecentUpdates):
        found = context.bot_data[RECENT_KEY] = RecentUpdates()
    return found


async def _gate_failed(update: Update, context: ContextTypes.DEFAULT_TYPE, gate: str) -> NoReturn:
    """A gate could not decide (database unreachable): apologise once and stop the update here.

    Letting it through would run handlers for a sender nobody checked; PTB would otherwise go on with
    the next handler group after the error handler.
    """
    log.exception("%s gate failed; update %s dropped with an apology", gate, update.update_id)
    if update.callback_query is not None:
        with contextlib.suppress(Exception):
            await update.callback_query.answer()
    if update.effective_chat is not None:
        with contextlib.suppress(Exception):
            await context.bot.send_message(update.effective_chat.id, t(_lang(context), "error_generic"))
    raise ApplicationHandlerStop


async def _gate_duplicate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stops an update delivered again with the same update_id (Telegram does so after a restart).

    Checked in memory first, then recorded in the database, so a duplicate is caught after a restart and
    across several processes too.
    """
    if not _recent(context).add(update.update_id):
        log.info("update %s delivered again: ignored (already taken in by this process)", update.update_id)
        raise ApplicationHandlerStop
    svc = services(context)
    sender = update.effective_user.id if update.effective_user is not None else None

    async def record() -> bool:
        async with svc.session_factory.begin() as session:
            return await inbox.first_delivery(session, update.update_id, sender=sender, now=svc.now())

    try:
        first = await retrying(record, attempts=3)  # a dropped connection is retried on a fresh one
    except Exception:
        await _gate_failed(update, context, "duplicate")
    if not first:
        log.info("update %s delivered again: ignored (taken in before a restart or by another process)",
                 update.update_id)
        raise ApplicationHandlerStop


async def _gate_flood(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stops a user who sends more than the allowed number of updates in the window, answering once."""
    user = update.effective_user
    if user is None or context.user_data is None:
        return
    svc = services(context)
    settings = svc.settings
    now = svc.now().timestamp()  # the injected clock: tests move the window instead of waiting it out
    stamps: deque[float] = context.user_data.setdefault("stamps", deque())
    # A stamp from the future (the clock was set back) is as stale as one older than the window.
    while stamps and not 0 <= now - stamps[0] <= settings.flood_window_seconds:
        stamps.popleft()
    stamps.append(now)
    if len(stamps) > settings.flood_max_updates:
        if not context.user_data.get("flood_warned"):
            context.user_data["flood_warned"] = True
            log.info("throttling user %s", user.id)
            if update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, t(_lang(context), "flood"))
        if update.callback_query is not None:
            await update.callback_query.answer()
        raise ApplicationHandlerStop
    context.user_data["flood_warned"] = False


def _lang(context: ContextTypes.DEFAULT_TYPE) -> str:
    """The cached language of the user, Indonesian by default."""
    viewer = context.user_data.get("viewer") if context.user_data is not None else None
    return viewer.lang if isinstance(viewer, Viewer) else "id"


async def _gate_viewer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Registers or refreshes the customer and resolves the role (cached for a minute)."""
    user = update.effective_user
    if user is None or context.user_data is None:
        raise ApplicationHandlerStop
    svc = services(context)
    now = svc.now().timestamp()
    cached = context.user_data.get("viewer")
    if isinstance(cached, Viewer) and 0 <= now - cached.loaded_at < VIEWER_TTL:  # set back: reload
        return
    async def load() -> Viewer:
        async with svc.session_factory.begin() as session:
            customer = await customers.get_or_register(session, user.id, user.full_name, user.language_code)
            role = await staff_service.role_of(session, user.id)
            return Viewer(user.id, customer.id, customer.language, role, now)

    try:
        context.user_data["viewer"] = await retrying(load, attempts=3)
    except Exception:
        await _gate_failed(update, context, "viewer")


IDLE_FORGET_SECONDS = 600


def _last_seen(data: dict[Any, Any]) -> float:
    """When a user last sent an update (seconds on the injected clock), from the gates' own notes."""
    stamps = data.get("stamps")
    if stamps:
        return float(stamps[-1])
    viewer = data.get("viewer")
    return viewer.loaded_at if isinstance(viewer, Viewer) else 0.0


def forget_idle_users(application: AnyApp, *, idle_seconds: float = IDLE_FORGET_SECONDS) -> int:
    """Drops the in-memory notes (viewer cache, flood stamps) of users quiet for a while; returns how many.

    PTB keeps `user_data` for every user forever; everything that matters lives in the database, so a
    quiet user costs nothing once forgotten and is simply looked up again on their next update.
    """
    now = services_of(application.bot_data).now().timestamp()
    # Seen "in the future" means the clock was set back: forgetting is harmless, keeping could last days.
    quiet = [uid for uid, data in application.user_data.items()
             if not 0 <= now - _last_seen(data) <= idle_seconds]
    for uid in quiet:
        application.drop_user_data(uid)
        if uid in application.chat_data:
            application.drop_chat_data(uid)  # a private chat has the user's id
    return len(quiet)


def register_gates(application: AnyApp) -> None:
    """Gates run first, in groups -3 (duplicates), -2 (flood) and -1 (viewer)."""
    application.add_handler(TypeHandler(Update, _gate_duplicate), group=-3)
    application.add_handler(TypeHandler(Update, _gate_flood), group=-2)
    application.add_handler(TypeHandler(Update, _gate_viewer), group=-1)


async def _unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers an unknown command politely."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(t(_lang(context), "unknown_command"))


def register_fallbacks(application: AnyApp) -> None:
    """Fallbacks, registered last in group 0 so they only see what no other handler took."""
    application.add_handler(MessageHandler(filters.COMMAND, _unknown_command))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs the failure and tells the user, without leaking details."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("user blocked the bot: %s", error)
        return
    if isinstance(error, BadRequest) and "not modified" in str(error):
        return
    if isinstance(error, RetryAfter | TimedOut) or type(error) is NetworkError:
        # Telegram is flooding us, slow or down: an apology would meet the same fate (or arrive after the answer).
        update_id = update.update_id if isinstance(update, Update) else None
        log.warning("Telegram did not take the answer to update %s: %s: %s", update_id, type(error).__name__, error)
        return
    log.error("unhandled error while processing an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, t(_lang(context), "error_generic"))
        except Exception:  # the apology itself failed: nothing more to do than log it
            log.warning("could not send the apology", exc_info=True)


async def on_startup(application: AnyApp) -> None:
    """Creates the bootstrap admins from the settings."""
    svc = services_of(application.bot_data)
    if svc.settings.admin_ids:
        async with svc.session_factory.begin() as session:
            await staff_service.ensure_admins(session, svc.settings.admin_ids)


async def on_shutdown(application: AnyApp) -> None:
    """Disposes the database engine."""
    await services_of(application.bot_data).engine.dispose()
