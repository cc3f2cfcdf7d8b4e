"""Plumbing shared by the buyer handlers: the one callback router, the screen edited in place, polite refusals.

Every buyer button sends `b...:<args>`; `on_callback` decodes it, finds the action, runs it, turns a domain
error into a polite answer, and answers the callback query exactly once whatever happened. Forged or stale data
(unknown action, malformed arguments, an id that is not the buyer's) gets "tombol ini sudah tidak berlaku" and
changes nothing.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.handlers.common import Viewer, services, viewer_of
from bot.keyboards import Callback, decode
from bot.render.buyer_common import Lang, Screen, lang_of
from bot.render.buyer_errors import error_text
from bot.texts import t
from models.errors import DomainError
from models.services import conversation

log = logging.getLogger(__name__)
ALERT_LIMIT = 200


@dataclass
class Press:
    """One button press: the query, its decoded data, and whether it has been answered."""

    query: CallbackQuery
    callback: Callback
    answered: bool = False

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answers the query once; later calls do nothing."""
        if self.answered:
            return
        self.answered = True
        await self.query.answer(text[:ALERT_LIMIT] if text else None, show_alert=alert)

    def arg(self, index: int) -> str | None:
        """Argument `index` as text, or None when missing."""
        args = self.callback.args
        return args[index] if index < len(args) else None

    def int_arg(self, index: int) -> int:
        """Argument `index` as a non-negative int; raises Stale when missing or malformed (forged data)."""
        value = self.callback.int_arg(index)
        if value is None:
            raise Stale()
        return value

    def text_arg(self, index: int) -> str:
        """Argument `index` as text; raises Stale when missing."""
        value = self.arg(index)
        if value is None:
            raise Stale()
        return value


class Stale(Exception):
    """A button whose data no longer (or never did) match anything the buyer may act on."""


Action = Callable[[Update, ContextTypes.DEFAULT_TYPE, Press], Awaitable[None]]
_ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Registers the handler of one buyer button action (decorator); names start with "b"."""
    if not name.startswith("b"):
        raise ValueError("buyer actions start with 'b'")

    def _register(func: Action) -> Action:
        if name in _ACTIONS and _ACTIONS[name] is not func:
            raise RuntimeError(f"action {name!r} registered twice")
        _ACTIONS[name] = func
        return func

    return _register


def viewer(context: ContextTypes.DEFAULT_TYPE) -> Viewer:
    """The buyer talking to the bot."""
    return viewer_of(context)


def lang(context: ContextTypes.DEFAULT_TYPE) -> Lang:
    """The buyer's language."""
    return lang_of(viewer_of(context).lang)


def chat_id_of(update: Update) -> int:
    """The chat of the update (always present for buyer updates)."""
    if update.effective_chat is None:
        raise RuntimeError("update without a chat")
    return update.effective_chat.id


async def _strip_keyboard(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int) -> None:
    """Removes the buttons of an old screen so they cannot be pressed (ignores a message already gone)."""
    with contextlib.suppress(BadRequest):
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


async def show(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    screen: Screen,
    *,
    step: str | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Shows a screen (edits the pressed message, else sends one) and sets the chat's step; returns its id."""
    chat_id = chat_id_of(update)
    factory = services(context).session_factory
    async with factory.begin() as session:
        state = await conversation.get_state(session, chat_id)  # held: the step change below reuses the row
        old_screen = state.screen_message_id
        if step is None:
            await conversation.clear_step(session, chat_id)
        else:
            await conversation.set_step(session, chat_id, step, **(data or {}))
    message_id = None if screen.photo else await _edit_pressed(update, screen)
    if message_id is None:
        message_id = await _send_screen(context, chat_id, screen)
        if old_screen and old_screen != message_id:
            await _strip_keyboard(context, chat_id, old_screen)
    if message_id != old_screen:
        async with factory.begin() as session:
            await conversation.set_screen(session, chat_id, message_id)
    return message_id


async def _send_screen(context: ContextTypes.DEFAULT_TYPE, chat_id: int, screen: Screen) -> int:
    """Sends a screen as a new message: a photo with the text as caption when it has one, else text."""
    if screen.photo:
        try:
            sent = await context.bot.send_photo(chat_id, screen.photo, caption=screen.text, reply_markup=screen.markup)
            return sent.message_id
        except BadRequest as exc:  # a stale file id, an unreachable URL or a caption over 1024 characters
            log.info("product photo not shown: %s", exc)
    sent = await context.bot.send_message(chat_id, screen.text, reply_markup=screen.markup)
    return sent.message_id


async def _edit_pressed(update: Update, screen: Screen) -> int | None:
    """Edits the text message whose button was pressed; None when there is none (or it is a photo)."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message) or query.message.text is None:
        return None
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.info("could not edit the screen, sending a new one: %s", exc)
            return None
    return query.message.message_id


async def set_step(update: Update, context: ContextTypes.DEFAULT_TYPE, step: str | None, **data: Any) -> None:
    """Moves the chat to a step (None: idle) without showing anything."""
    async with services(context).session_factory.begin() as session:
        if step is None:
            await conversation.clear_step(session, chat_id_of(update))
        else:
            await conversation.set_step(session, chat_id_of(update), step, **data)


async def say(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    reply_markup: ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
) -> Message:
    """Sends a plain message (not a screen): an answer to typed input, a prompt with a reply keyboard."""
    return await context.bot.send_message(chat_id_of(update), text, reply_markup=reply_markup)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, press: Press | None = None) -> None:
    """Tells the buyer politely why nothing happened: an alert on a button, a message after typed input."""
    if press is not None and len(text) <= ALERT_LIMIT:
        await press.answer(_plain(text), alert=True)
        return
    if press is not None:
        await press.answer()
    await say(update, context, text)


def _plain(text: str) -> str:
    """Alert pop-ups show no HTML: drops the tags the texts use."""
    for tag in ("<b>", "</b>", "<i>", "</i>", "<code>", "</code>"):
        text = text.replace(tag, "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Routes a buyer button press to its action; answers it once; refuses stale or forged data politely."""
    query = update.callback_query
    if query is None:
        return
    callback = decode(query.data) or Callback("", ())
    press = Press(query, callback)
    handler = _ACTIONS.get(callback.action)
    try:
        if handler is None:
            raise Stale()
        await handler(update, context, press)
    except Stale:
        await refuse(update, context, t(lang(context), "b_e_stale"), press)
    except DomainError as exc:
        await refuse(update, context, error_text(lang(context), exc), press)
    finally:
        if not press.answered:
            try:
                await press.answer()
            except (BadRequest, Forbidden):
                log.info("callback query could not be answered (too old)")


async def on_unknown_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a press that no handler knows (forged or from a retired keyboard)."""
    query = update.callback_query
    if query is not None:
        await query.answer(_plain(t(lang(context), "b_e_stale")), show_alert=True)


StepHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, dict[str, Any]], Awaitable[None]]


def guarded(func: StepHandler) -> StepHandler:
    """Wraps a step handler so a domain error or stale data gets a polite answer and the step stays."""

    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
        try:
            await func(update, context, data)
        except Stale:
            await say(update, context, t(lang(context), "b_e_stale"))
        except DomainError as exc:
            await say(update, context, error_text(lang(context), exc))

    run.__doc__ = func.__doc__
    return run


def typed_text(update: Update) -> str | None:
    """The text the buyer typed, or None for stickers, voice, photos and other media."""
    message = update.effective_message
    return message.text if message is not None and message.text else None
