"""`BotContext`: what every handler receives besides the update (PTB's custom-context pattern).

One context is made per update (PTB shares it across handler groups), so it also carries that update's unit of
work: the one database session that the gates, the handler and the screen-state write share, committed before
the first Bot API call (`commit`, called by `bot.routing.replies` before anything is sent). On PostgreSQL every
transaction of that session first takes the chat's advisory lock (`models.locks`), so the database work of one
chat's updates runs one at a time across bot processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.routing.press import Press
from bot.services import Services, services_of
from bot.texts import lang_of
from bot.texts.format import Lang
from models import locks
from models.group_commit import GroupCommit
from models.people import Role


@dataclass
class Viewer:
    """Who is talking to the bot: their customer row, language and role (None for a buyer)."""

    telegram_id: int
    customer_id: int
    lang: str
    role: Role | None
    loaded_at: datetime

    @property
    def is_staff(self) -> bool:
        """True for staff, managers and admins."""
        return self.role is not None

    @property
    def is_manager(self) -> bool:
        """True for managers and admins."""
        return self.role in (Role.MANAGER, Role.ADMIN)


VIEWER_KEY = "viewer"
CHANGES_KEY = "viewer_changes"


def cached_viewer(user_data: dict[Any, Any] | None) -> Viewer | None:
    """The viewer the gate cached for a user, or None."""
    found = user_data.get(VIEWER_KEY) if user_data is not None else None
    return found if isinstance(found, Viewer) else None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The services, the viewer, their language and this update's database session, as attributes."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._lock_chat = chat_id if chat_id is not None else user_id  # the key PerChatUpdateProcessor orders by
        self._session: AsyncSession | None = None
        self.step_data: dict[str, Any] = {}  # what the chat's current step stored (step handlers read it)
        self.current_press: Press | None = None  # the button pressed, when the update is a press

    @property
    def services(self) -> Services:
        """Settings, database, clock and policies shared by every handler."""
        return services_of(self.bot_data)

    @property
    def viewer(self) -> Viewer:
        """Who sent the update, as the viewer gate resolved them."""
        viewer = cached_viewer(self.user_data)
        if viewer is None:
            raise RuntimeError("the viewer gate did not run for this update")
        return viewer

    @property
    def lang(self) -> Lang:
        """The viewer's language (Indonesian until the gate has resolved them)."""
        viewer = cached_viewer(self.user_data)
        return lang_of(viewer.lang if viewer is not None else None)

    @property
    def press(self) -> Press:
        """The button pressed (button handlers only)."""
        if self.current_press is None:
            raise RuntimeError("this update is not a button press")
        return self.current_press

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.services.now()

    @property
    def session(self) -> AsyncSession:
        """This update's session: each transaction begins with its first statement (the chat's lock on PostgreSQL)."""
        if self._session is None:
            self._session = self.services.session_factory(info=locks.chat_session_info(self._lock_chat))
        return self._session

    async def commit(self) -> None:
        """Commits the update's work so far (before a Bot API call); later statements begin a new transaction."""
        if self._session is not None and self._session.in_transaction():
            await self._session.commit()

    async def after_send(self) -> GroupCommit:
        """The group commit for the ids a Bot API answer gave, once the update's own work is committed: a writer
        waiting for the batch while its session holds a connection would wait forever on SQLite's one."""
        await self.commit()
        return self.services.after_send

    async def rollback(self) -> None:
        """Drops the update's uncommitted work (a refusal, a failure)."""
        if self._session is not None and self._session.in_transaction():
            await self._session.rollback()

    async def close(self) -> None:
        """Commits what is left and releases the connection; the end of every update."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            if session.in_transaction():
                await session.commit()
        finally:
            await session.close()

    def forget_viewer(self, user_id: int | None = None) -> None:
        """Drops a cached viewer (this user's by default) so the next update reloads language and role."""
        if user_id is None:
            if self.user_data is not None:
                self.user_data.pop(VIEWER_KEY, None)
            return
        drop_viewer(self.application, user_id)


def viewer_changes(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """How often cached viewers were dropped in this process: a load during which it moved may have read old rows."""
    return int(application.bot_data.get(CHANGES_KEY, 0))


def drop_viewer(application: Application[Any, Any, Any, Any, Any, Any], user_id: int) -> None:
    """Drops one user's cached viewer in this process (their role, language or customer row changed)."""
    application.bot_data[CHANGES_KEY] = viewer_changes(application) + 1
    data = application.user_data.get(user_id)
    if data is not None:
        data.pop(VIEWER_KEY, None)


def drop_all_viewers(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Drops every cached viewer in this process (changes may have been missed); returns how many."""
    application.bot_data[CHANGES_KEY] = viewer_changes(application) + 1
    dropped = 0
    for data in application.user_data.values():
        dropped += data.pop(VIEWER_KEY, None) is not None
    return dropped


CONTEXT_TYPES = ContextTypes(context=BotContext)
