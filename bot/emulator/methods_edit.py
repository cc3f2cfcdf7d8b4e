"""Methods that change or remove messages: editMessageText/Caption/Media/ReplyMarkup and deleteMessage."""

from __future__ import annotations

import time
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.entities import parse_text
from bot.emulator.errors import NOT_MODIFIED, bad_request
from bot.emulator.messages import StoredMessage
from bot.emulator.methods_send import document_body, document_file, photo_files
from bot.emulator.state import Call, Handler
from bot.emulator.validation import check_caption, check_reply_markup, check_text

_MEDIA_KEYS = ("photo", "document", "video", "audio", "animation", "voice")
_INPUT_MEDIA_TYPES = ("photo", "video", "animation", "audio", "document")


def _target(call: Call) -> tuple[Chat, StoredMessage]:
    """Finds the bot message to edit; inline messages are not emulated."""
    p = call.params
    if not p.has("chat_id"):
        raise bad_request("message to edit not found")
    chat = call.state.chat(p.chat_id())
    message = chat.messages.get(p.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _apply(chat: Chat, message: StoredMessage, changes: dict[str, Any], markup: dict[str, Any] | None, *,
           force: bool = False) -> Any:
    """Applies an edit, or answers "message is not modified" when nothing would change (`force`: it did change).

    An edit without reply_markup removes the inline keyboard, as on Telegram.
    """
    data = message.data
    unchanged = all(data.get(key) == (value or None) for key, value in changes.items())
    if not force and unchanged and data.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value:
            data[key] = value
        else:
            data.pop(key, None)
    if markup is None:
        data.pop("reply_markup", None)
    else:
        data["reply_markup"] = markup
    data["edit_date"] = int(time.time())
    message.markup = markup
    message.edited = True
    event = chat.record("edited", "bot", message=message.snapshot())
    message.changed_seq = event.seq
    return data


async def edit_message_text(call: Call) -> Any:
    """editMessageText: new text, same checks as sendMessage."""
    p = call.params
    chat, message = _target(call)
    if "text" not in message.data:
        raise bad_request("there is no text in the message to edit")
    text, entities = parse_text(p.get_str("text") or "", p.get_str("parse_mode"), p.get_json("entities"))
    check_text(text)
    markup = check_reply_markup(p.get_json("reply_markup"), private_chat=chat.is_private, inline_only=True)
    return _apply(chat, message, {"text": text, "entities": entities}, markup)


async def edit_message_caption(call: Call) -> Any:
    """editMessageCaption: only media messages have captions."""
    p = call.params
    chat, message = _target(call)
    if not any(key in message.data for key in _MEDIA_KEYS):
        raise bad_request("there is no caption in the message to edit")
    caption, entities = parse_text(p.get_str("caption") or "", p.get_str("parse_mode"), p.get_json("caption_entities"))
    check_caption(caption)
    markup = check_reply_markup(p.get_json("reply_markup"), private_chat=chat.is_private, inline_only=True)
    return _apply(chat, message, {"caption": caption, "caption_entities": entities}, markup)


def _input_media(call: Call) -> tuple[str, dict[str, Any], str]:
    """Reads the `media` parameter: (type, its caption fields, the file_id or attach:// reference)."""
    media = call.params.get_json("media")
    if not isinstance(media, dict):
        raise bad_request("can't parse InputMedia: media object expected")
    kind = media.get("type")
    if kind not in _INPUT_MEDIA_TYPES:
        raise bad_request(f"can't parse InputMedia: unsupported media type {kind!r}")
    if kind not in ("photo", "document"):
        raise bad_request("the emulator supports editing to photo or document media only")
    ref = media.get("media")
    if not isinstance(ref, str) or not ref:
        raise bad_request("can't parse InputMedia: media not specified")
    raw = media.get("caption")
    fields: dict[str, Any] = {}
    if raw:
        caption, entities = parse_text(str(raw), media.get("parse_mode"), media.get("caption_entities"))
        check_caption(caption)
        fields = {"caption": caption, "caption_entities": entities} if entities else {"caption": caption}
    return kind, fields, ref


async def edit_message_media(call: Call) -> Any:
    """editMessageMedia: a new photo or document (uploaded through attach://, or by file_id) with its caption, in
    place of a message's media, or of a text message's text (as Telegram allows; media never turns back into text).
    """
    chat, message = _target(call)
    data = message.data
    if "text" not in data and not any(key in data for key in _MEDIA_KEYS):
        raise bad_request("there is no media in the message to edit")
    kind, caption, ref = _input_media(call)
    if data.get("media_group_id") and kind not in data:
        raise bad_request("a message in an album can be edited only to media of the same type")
    markup = check_reply_markup(call.params.get_json("reply_markup"), private_chat=chat.is_private, inline_only=True)
    upload = call.params.resolve_attach(ref)
    if kind == "photo":
        files = photo_files(call, upload)
        body: dict[str, Any] = {"photo": [size.photo_size() for size in files]}
    else:
        files = [document_file(call, upload)]
        body = {"document": document_body(files[0])}
    same_file = bool(message.files) and message.files[-1].file_unique_id == files[-1].file_unique_id
    same_caption = all(data.get(key) == caption.get(key) for key in ("caption", "caption_entities"))
    if kind in data and same_file and same_caption and data.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    for key in ("text", "entities", "caption", "caption_entities", *_MEDIA_KEYS):
        data.pop(key, None)
    data.update(body, **caption)
    message.files = files
    return _apply(chat, message, {}, markup, force=True)


async def edit_message_reply_markup(call: Call) -> Any:
    """editMessageReplyMarkup: swaps or removes the inline keyboard."""
    chat, message = _target(call)
    markup = check_reply_markup(call.params.get_json("reply_markup"), private_chat=chat.is_private, inline_only=True)
    return _apply(chat, message, {}, markup)


async def delete_message(call: Call) -> Any:
    """deleteMessage: the message disappears for the user."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    message = chat.messages.get(p.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    message.deleted = True
    event = chat.record("deleted", "bot", message=message.snapshot())
    message.changed_seq = event.seq
    return True


HANDLERS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageMedia": edit_message_media,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
}
