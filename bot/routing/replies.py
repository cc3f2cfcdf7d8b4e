"""The one way handlers answer: show a screen, say something, send a file, refuse politely.

Each of these commits the update's unit of work first (`BotContext.commit`): the database work is finished, and
its locks released, before the first Bot API call, so a slow Telegram never holds the database.

Buyers navigate one screen edited in place: the chat's state remembers that message, and when a new screen has to
be sent instead (after typed input, or when the pressed message is a photo) the old screen's buttons are removed
so they cannot be pressed. Staff cards are not tracked: a baker may have many cards open at once.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.render.screen import Screen
from bot.routing import pictures
from bot.routing.actions import Step
from bot.routing.context import BotContext
from bot.routing.press import ALERT_LIMIT
from models.services import conversation

log = logging.getLogger(__name__)
Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Upload = bytes | str | InputFile


@dataclass(frozen=True)
class Notice:
    """A plain message with an optional keyboard, sent before what follows it (`show(first=...)`)."""

    text: str
    keyboard: Keyboard | None = None


def chat_id_of(update: Update) -> int:
    """The chat of the update (every update the router takes has one)."""
    if update.effective_chat is None:
        raise RuntimeError("update without a chat")
    return update.effective_chat.id


def _pressed_message(update: Update) -> Message | None:
    """The message whose button was pressed (None for typed input, or a message too old to be known)."""
    query = update.callback_query
    return query.message if query is not None and isinstance(query.message, Message) else None


async def show(
    update: Update,
    context: BotContext,
    screen: Screen,
    *,
    step: Step | None = None,
    data: dict[str, Any] | None = None,
    track: bool = True,
    in_place: bool = True,
    answer_first: bool = False,
    first: Notice | None = None,
) -> int:
    """Shows a screen: edits the pressed message when it can, else sends one; returns the message id.

    `track` (buyer screens): moves the chat to `step` (None: idle) with `data`, remembers the screen's message
    and strips the buttons of the screen it replaces (or deletes it, when the pressed screen could not become the
    new one: a photo cannot turn into text). Staff cards pass `track=False`; `in_place=False` always sends.
    `answer_first` answers the press (stops its spinner) right after the commit, before the screen is drawn.
    `first` is a message sent after the commit and before the screen ("Nomor HP tersimpan"), so the database work
    that led to both is one transaction.
    """
    chat_id = chat_id_of(update)
    pressed = _pressed_message(update) if in_place else None
    state = await conversation.get_state(context.session, chat_id) if track else None
    old_screen = state.screen_message_id if state is not None else None
    editable = pressed if pressed is not None and _can_edit(pressed, screen, track, old_screen) else None
    if state is not None:  # the step, its data and the edited screen: one statement, none when nothing changes
        await conversation.move(context.session, state, step or conversation.IDLE, data or {},
                                editable.message_id if editable is not None else conversation.KEEP)
    await context.commit()
    if answer_first:
        await answer(context)
    if first is not None:
        await context.bot.send_message(chat_id, first.text, reply_markup=first.keyboard)
    if editable is not None and await _edit(context, editable, screen) is not None:
        return editable.message_id
    message_id = (await _send(context, chat_id, screen)).message_id
    if track:
        if old_screen and old_screen != message_id:
            pressed_screen = pressed is not None and pressed.message_id == old_screen
            await _retire(context, chat_id, old_screen, delete=pressed_screen)
        # The id of a new message is known only once Telegram returns it: written after, with other updates' such
        # writes in one transaction (models.group_commit); the update goes on once it is committed.
        await (await context.after_send()).screen(chat_id, message_id)
    return message_id


def _can_edit(pressed: Message, screen: Screen, track: bool, old_screen: int | None) -> bool:
    """Whether the pressed message can become the screen: text into text or a photo (editMessageMedia); a photo
    screen into another photo. Staff cards (untracked) edit their text or caption when the screen has no photo."""
    if not track:
        return screen.photo is None
    if pressed.text is not None:
        return True
    # Only the chat's own screen changes its picture: a payment QR a buyer pressed under stays what it is.
    return bool(pressed.photo) and pressed.message_id == old_screen and screen.photo is not None


async def _retire(context: BotContext, chat_id: int, message_id: int, *, delete: bool) -> None:
    """Takes an old screen out of use: deleted when the new one replaces it, else its buttons removed."""
    if delete:
        with contextlib.suppress(BadRequest):
            await context.bot.delete_message(chat_id, message_id)
            return
    with contextlib.suppress(BadRequest):  # the old screen may be gone or too old to edit
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


async def _edit(context: BotContext, message: Message, screen: Screen) -> Message | bool | None:
    """Edits the pressed message's text, caption or photo; None when Telegram refuses (then a new one is sent)."""
    try:
        if screen.photo is not None:
            return await pictures.edit_media(context, message, screen)
        if message.text is not None:
            return await message.edit_text(screen.text, reply_markup=screen.markup)
        return await message.edit_caption(caption=screen.text, reply_markup=screen.markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.info("could not edit the screen, sending a new one: %s", exc)
            return None
    return True


async def _send(context: BotContext, chat_id: int, screen: Screen) -> Message:
    """Sends a screen as a new message: a photo with the text as caption when it has one, else text."""
    if screen.photo is not None:
        sent = await pictures.send(context, chat_id, screen)
        if sent is not None:
            return sent
    return await context.bot.send_message(chat_id, screen.text, reply_markup=screen.markup)


async def say(update: Update, context: BotContext, text: str, reply_markup: Keyboard | None = None) -> Message:
    """Sends a plain message (not a tracked screen): an answer to typed input, a prompt, a staff card."""
    await context.commit()
    return await context.bot.send_message(chat_id_of(update), text, reply_markup=reply_markup)


async def send_to(context: BotContext, chat_id: int, text: str, screen: Screen | None = None) -> Message:
    """Sends a message to another chat (a question asked privately of someone pressing in a group)."""
    await context.commit()
    return await context.bot.send_message(chat_id, text, reply_markup=screen.markup if screen else None)


async def send_photo(
    update: Update, context: BotContext, photo: Upload, *, caption: str, screen: Screen | None = None
) -> Message:
    """Sends a photo (a file id, or bytes uploaded) with a caption and an optional keyboard."""
    await context.commit()
    markup = screen.markup if screen is not None else None
    return await context.bot.send_photo(chat_id_of(update), photo, caption=caption, reply_markup=markup)


async def send_document(update: Update, context: BotContext, document: InputFile, *, caption: str) -> Message:
    """Sends a file (a spreadsheet) with a caption."""
    await context.commit()
    return await context.bot.send_document(chat_id_of(update), document, caption=caption)


async def strip_buttons(update: Update, context: BotContext) -> None:
    """Removes the keyboard of the pressed message (a one-time button that has done its work)."""
    pressed = _pressed_message(update)
    if pressed is None:
        return
    await context.commit()
    with contextlib.suppress(BadRequest):  # already without buttons, or too old to edit
        await pressed.edit_reply_markup(reply_markup=None)


async def answer(context: BotContext, text: str | None = None, *, alert: bool = False) -> None:
    """Answers the pressed button once (a toast or an alert); does nothing for typed input."""
    if context.current_press is not None:
        await context.press.answer(text, alert=alert)


async def refuse(update: Update, context: BotContext, text: str) -> None:
    """Tells the sender politely why nothing happened: an alert on a button, a message after typed input."""
    press = context.current_press
    if press is not None and len(text) <= ALERT_LIMIT:
        await press.answer(_plain(text), alert=True)
        return
    if press is not None:
        await press.answer()
    if update.effective_chat is not None:
        await say(update, context, text)


def _plain(text: str) -> str:
    """Alert pop-ups show no HTML: drops the tags the texts use."""
    for tag in ("<b>", "</b>", "<i>", "</i>", "<code>", "</code>"):
        text = text.replace(tag, "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


async def set_step(update: Update, context: BotContext, step: Step | None, **data: Any) -> None:
    """Moves the chat to a step (None: idle) without showing anything."""
    if step is None:
        await conversation.clear_step(context.session, chat_id_of(update))
    else:
        await conversation.set_step(context.session, chat_id_of(update), step, **data)
