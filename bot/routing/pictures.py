"""Screen photos on the wire: sent by this bot's file id when it has one, else uploaded from MEDIA_DIR.

A file id is good for one bot only. The first time a bot shows a stored photo it uploads the file and the id
Telegram answers with is remembered (per bot: `models.services.photos`); a cached id Telegram refuses (a new token,
another demo run's emulator) is followed by an upload from disk. A legacy catalogue photo has an id and no file:
when Telegram refuses it, the screen is shown as text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InputFile, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.render.screen import Picture, Screen
from bot.routing.context import BotContext
from models.services import photos

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """A stored photo's bytes to upload, with its file name."""

    data: bytes
    name: str


Source = str | Upload


def _upload(context: BotContext, picture: Picture) -> Upload | None:
    """The stored file to upload, or None when there is none (or it is gone from disk)."""
    if picture.file_name is None:
        return None
    try:
        data = context.services.media.read(picture.file_name)
    except (OSError, ValueError) as exc:
        log.warning("product photo file %s cannot be read: %s", picture.file_name, exc)
        return None
    return Upload(data, picture.file_name)


async def _shown(
    context: BotContext, picture: Picture, attempt: Callable[[Source], Awaitable[Message | bool]]
) -> Message | bool | None:
    """Tries the cached file id, then the upload; remembers the id of an upload. None when neither could be shown."""
    if picture.file_id is not None:
        try:
            return await attempt(picture.file_id)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                raise
            log.info("photo by file id refused (%s); uploading it again", exc)
    upload = _upload(context, picture)
    if upload is None:
        return None
    result = await attempt(upload)
    if picture.photo_id is not None and isinstance(result, Message) and result.photo:
        await photos.remember_file_id(context.session, picture.photo_id, context.bot.id, result.photo[-1].file_id)
    return result


async def send(context: BotContext, chat_id: int, screen: Screen) -> Message | None:
    """Sends the screen as a photo with its text as caption; None when the photo cannot be shown (send text)."""
    assert screen.photo is not None

    async def attempt(source: Source) -> Message:
        photo = source if isinstance(source, str) else InputFile(source.data, filename=source.name)
        return await context.bot.send_photo(chat_id, photo, caption=screen.text, reply_markup=screen.markup)

    try:
        sent = await _shown(context, screen.photo, attempt)
    except BadRequest as exc:  # a caption Telegram refuses, a file it cannot read
        log.info("product photo not shown: %s", exc)
        return None
    return sent if isinstance(sent, Message) else None


async def edit_media(context: BotContext, message: Message, screen: Screen) -> Message | bool | None:
    """Turns the pressed message (text or photo) into the screen's photo and caption; None when there is no photo
    to show. BadRequest "message is not modified" passes through to the caller."""
    assert screen.photo is not None

    async def attempt(source: Source) -> Message | bool:
        if isinstance(source, str):
            media = InputMediaPhoto(source, caption=screen.text, parse_mode=ParseMode.HTML)
        else:
            media = InputMediaPhoto(source.data, caption=screen.text, parse_mode=ParseMode.HTML, filename=source.name)
        return await message.edit_media(media, reply_markup=screen.markup)

    return await _shown(context, screen.photo, attempt)
