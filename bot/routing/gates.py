"""The gates every update passes before a handler: duplicate deliveries, floods, and who is talking.

Gates only let an update through or stop it; no business logic here. Their database work (the update id
recorded, the customer registered, the role looked up) runs in the update's own unit of work, so it commits
together with the handler's. Time comes from the injected clock, so tests move it instead of waiting.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict, deque
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.routing.context import VIEWER_KEY, BotContext, Viewer, cached_viewer, viewer_changes
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from models.db import retrying
from models.services import customers, inbox
from models.services import staff as staff_service

log = logging.getLogger(__name__)
VIEWER_TTL_SECONDS = 60.0  # roles and languages changed by another process show within a minute
IDLE_FORGET_SECONDS = 600
RECENT_KEY = "recent_update_ids"
STAMPS_KEY = "stamps"
WARNED_KEY = "flood_warned"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # the load time of a viewer to use for one update only


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


def _recent(context: BotContext) -> RecentUpdates:
    """This application's memory of recent update ids."""
    found = context.bot_data.get(RECENT_KEY)
    if not isinstance(found, RecentUpdates):
        found = context.bot_data[RECENT_KEY] = RecentUpdates()
    return found


async def admit(update: Update, context: BotContext) -> bool:
    """True when the update may go on to a handler: first delivery, not a flood, a sender known."""
    if not _recent(context).add(update.update_id):
        log.info("update %s delivered again: ignored (already taken in by this process)", update.update_id)
        return False
    user = update.effective_user
    if user is None or context.user_data is None:
        return False
    if await _flooding(update, context):
        return False
    try:
        first = await retrying(lambda: _record_and_know(update, context), attempts=3)
    except Exception:
        await _apologise(update, context)
        return False
    if not first:
        log.info("update %s delivered again: ignored (taken in before a restart or by another process)",
                 update.update_id)
    return first


async def record_delivery(update: Update, context: BotContext) -> None:
    """Records the update id again after a refusal rolled the unit of work back (so a redelivery is ignored)."""
    sender = update.effective_user.id if update.effective_user is not None else None
    await inbox.first_delivery(context.session, update.update_id, sender=sender, now=context.now())


async def _record_and_know(update: Update, context: BotContext) -> bool:
    """Records the delivery and resolves the viewer; False for a duplicate. Safe to repeat after a rollback."""
    try:
        sender = update.effective_user.id if update.effective_user is not None else None
        if not await inbox.first_delivery(context.session, update.update_id, sender=sender, now=context.now()):
            await context.rollback()
            return False
        if _fresh_viewer(context) is None:
            await _load_viewer(update, context)
            # Committed at once: a refusal later in this update must not roll back the customer the cache names.
            await context.commit()
        return True
    except BaseException:
        with contextlib.suppress(Exception):
            await context.rollback()
        raise


def _fresh_viewer(context: BotContext) -> Viewer | None:
    """The cached viewer while it is younger than the TTL (a clock moved back counts as fresh)."""
    cached = cached_viewer(context.user_data)
    if cached is None:
        return None
    age = (context.now() - cached.loaded_at).total_seconds()
    return cached if age < VIEWER_TTL_SECONDS else None


async def _load_viewer(update: Update, context: BotContext) -> None:
    """Registers or refreshes the customer and resolves the role."""
    user = update.effective_user
    assert user is not None and context.user_data is not None
    session = context.session
    changes = viewer_changes(context.application)
    language = user.language_code or context.services.settings.language  # LANGUAGE: when Telegram gives none
    customer = await customers.get_or_register(session, user.id, user.full_name, language)
    role = await staff_service.role_of(session, user.id)
    # A change announced while the rows were read may be missing from them: then this update only may use them.
    loaded_at = context.now() if viewer_changes(context.application) == changes else LONG_AGO
    context.user_data[VIEWER_KEY] = Viewer(user.id, customer.id, customer.language, role, loaded_at)


def over_limit(user_data: dict[Any, Any], now: datetime, settings: Settings) -> bool:
    """Counts one update (or Mini App call) of a user; True when they are over the allowed number in the window."""
    moment = now.timestamp()
    stamps: deque[float] = user_data.setdefault(STAMPS_KEY, deque())
    while stamps and not 0 <= moment - stamps[0] <= settings.flood_window_seconds:
        stamps.popleft()
    stamps.append(moment)
    return len(stamps) > settings.flood_max_updates


def flooding(application: Application[Any, Any, Any, Any, Any, Any], user_id: int, services: Services) -> bool:
    """The chat's flood gate for a Mini App call: the same count per user, so chat and Mini App share it."""
    return over_limit(application.user_data[user_id], services.now(), services.settings)


async def _flooding(update: Update, context: BotContext) -> bool:
    """True for a sender over the allowed number of updates in the window (told once, then ignored)."""
    assert context.user_data is not None
    if not over_limit(context.user_data, context.now(), context.services.settings):
        context.user_data[WARNED_KEY] = False
        return False
    if not context.user_data.get(WARNED_KEY):
        context.user_data[WARNED_KEY] = True
        log.info("throttling user %s", update.effective_user.id if update.effective_user else "?")
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, t(context.lang, "flood"))
    if update.callback_query is not None:
        await update.callback_query.answer()
    return True


async def _apologise(update: Update, context: BotContext) -> None:
    """A gate could not decide (database unreachable): apologise once; the update goes no further.

    Letting it through would run handlers for a sender nobody checked.
    """
    log.exception("a gate failed; update %s dropped with an apology", update.update_id)
    if update.callback_query is not None:
        with contextlib.suppress(Exception):
            await update.callback_query.answer()
    if update.effective_chat is not None:
        with contextlib.suppress(Exception):
            await context.bot.send_message(update.effective_chat.id, t(context.lang, "error_generic"))


def _last_seen(data: dict[Any, Any]) -> float:
    """When a user last sent an update (clock seconds), from the gates' own notes."""
    stamps = data.get(STAMPS_KEY)
    if stamps:
        return float(stamps[-1])
    viewer = data.get(VIEWER_KEY)
    return viewer.loaded_at.timestamp() if isinstance(viewer, Viewer) else 0.0


def forget_idle_users(
    application: Application[Any, Any, Any, Any, Any, Any], now: datetime, *, idle_seconds: float = IDLE_FORGET_SECONDS
) -> int:
    """Drops the in-memory notes (viewer cache, flood stamps) of users quiet for a while; returns how many.

    PTB keeps `user_data` for every user forever; everything that matters lives in the database, so a quiet user
    costs nothing once forgotten and is simply looked up again on their next update.
    """
    moment = now.timestamp()
    # Quiet for the idle time, or seen "in the future" (a clock set back): forgetting costs only a reload.
    quiet = [uid for uid, data in application.user_data.items() if not 0 <= moment - _last_seen(data) < idle_seconds]
    for uid in quiet:
        application.drop_user_data(uid)
        if uid in application.chat_data:
            application.drop_chat_data(uid)  # a private chat has the user's id
    return len(quiet)
