"""Methods that put messages into chats: sendMessage, sendPhoto, sendDocument, sendMediaGroup, ..."""

from __future__ import annotations

import itertools
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.entities import parse_text
from bot.emulator.errors import bad_request
from bot.emulator.files import StoredFile
from bot.emulator.state import Call, Handler
from bot.emulator.validation import check_caption, check_reply_markup, check_text
from bot.emulator.wire import Params, Upload

CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)
_media_groups = itertools.count(13_000_000_000_000_001)


def _check_reply_to(chat: Chat, params: Params) -> None:
    """A reply must point at an existing message unless allow_sending_without_reply is set."""
    reply = params.get_json("reply_parameters")
    target = reply.get("message_id") if isinstance(reply, dict) else params.get_int("reply_to_message_id")
    lenient = (isinstance(reply, dict) and reply.get("allow_sending_without_reply")) or params.get_bool(
        "allow_sending_without_reply"
    )
    if target is not None and not lenient:
        message = chat.messages.get(int(target))
        if message is None or message.deleted:
            raise bad_request("message to be replied not found")


def _caption(params: Params, prefix: str = "") -> dict[str, Any]:
    """Parses and checks an optional caption into message fields."""
    raw = params.get_str(f"{prefix}caption")
    if not raw:
        return {}
    caption, entities = parse_text(raw, params.get_str("parse_mode"), params.get_json("caption_entities"))
    check_caption(caption)
    return {"caption": caption, "caption_entities": entities} if entities else {"caption": caption}


def photo_files(call: Call, ref: Upload | str | None) -> list[StoredFile]:
    """Stores an uploaded photo or resolves an existing file_id; URLs cannot be fetched offline."""
    if isinstance(ref, Upload):
        return call.state.files.add_photo(ref.data)
    if not ref:
        raise bad_request("there is no photo in the request")
    return call.state.files.photo_set(ref)


def document_file(call: Call, ref: Upload | str | None) -> StoredFile:
    """Stores an uploaded document or resolves an existing file_id."""
    if isinstance(ref, Upload):
        return call.state.files.add(ref.data, "document", file_name=ref.filename, mime_type=ref.content_type)
    if not ref:
        raise bad_request("there is no document in the request")
    return call.state.files.get(ref)


def document_body(stored: StoredFile) -> dict[str, Any]:
    """The Document object of a stored file."""
    body = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": len(stored.data)}
    if stored.file_name:
        body["file_name"] = stored.file_name
    if stored.mime_type:
        body["mime_type"] = stored.mime_type
    return body


async def send_message(call: Call) -> Any:
    """sendMessage: HTML parsed, 1-4096 characters, reply markup checked."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    text, entities = parse_text(p.get_str("text") or "", p.get_str("parse_mode"), p.get_json("entities"))
    check_text(text)
    markup = check_reply_markup(p.get_json("reply_markup"), private_chat=chat.is_private)
    _check_reply_to(chat, p)
    call.state.faults.check_send(call.method, chat.id, chat.is_private)
    body: dict[str, Any] = {"text": text, "entities": entities} if entities else {"text": text}
    return call.state.post(chat, body, markup=markup).data


async def send_photo(call: Call) -> Any:
    """sendPhoto: a multipart upload kept byte for byte, or an existing file_id."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    caption = _caption(p)
    markup = check_reply_markup(p.get_json("reply_markup"), private_chat=chat.is_private)
    _check_reply_to(chat, p)
    sizes = photo_files(call, p.file_ref("photo"))
    call.state.faults.check_send(call.method, chat.id, chat.is_private)
    body = {"photo": [size.photo_size() for size in sizes], **caption}
    return call.state.post(chat, body, markup=markup, files=sizes).data


async def send_document(call: Call) -> Any:
    """sendDocument: a multipart upload with its file name, or an existing file_id."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    caption = _caption(p)
    markup = check_reply_markup(p.get_json("reply_markup"), private_chat=chat.is_private)
    stored = document_file(call, p.file_ref("document"))
    call.state.faults.check_send(call.method, chat.id, chat.is_private)
    body = {"document": document_body(stored), **caption}
    return call.state.post(chat, body, markup=markup, files=[stored]).data


async def send_media_group(call: Call) -> Any:
    """sendMediaGroup: 2-10 photos or documents (never mixed), no reply markup."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    media = p.get_json("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album: expected 2-10 items")
    kinds = {item.get("type") if isinstance(item, dict) else None for item in media}
    if not kinds <= {"photo", "document"} or len(kinds) != 1:
        raise bad_request("the emulator supports albums of photos only or documents only")
    prepared = []
    for item in media:
        caption = _caption(Params({**item, "parse_mode": item.get("parse_mode")}, {}))
        ref = p.resolve_attach(str(item.get("media") or ""))
        if item["type"] == "photo":
            sizes = photo_files(call, ref)
            prepared.append(({"photo": [s.photo_size() for s in sizes], **caption}, sizes))
        else:
            stored = document_file(call, ref)
            prepared.append(({"document": document_body(stored), **caption}, [stored]))
    call.state.faults.check_send(call.method, chat.id, chat.is_private, count=len(media))
    group_id = str(next(_media_groups))
    return [call.state.post(chat, {**body, "media_group_id": group_id}, files=files).data for body, files in prepared]


async def send_location(call: Call) -> Any:
    """sendLocation: a point on the map."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    latitude, longitude = p.get_float("latitude"), p.get_float("longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong latitude or longitude")
    markup = check_reply_markup(p.get_json("reply_markup"), private_chat=chat.is_private)
    call.state.faults.check_send(call.method, chat.id, chat.is_private)
    body = {"location": {"latitude": latitude, "longitude": longitude}}
    return call.state.post(chat, body, markup=markup).data


async def send_chat_action(call: Call) -> Any:
    """sendChatAction: "typing" and friends; shows nothing lasting."""
    p = call.params
    chat = call.state.chat(p.chat_id())
    if p.get_str("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    call.state.faults.check_send(call.method, chat.id, chat.is_private)
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendMediaGroup": send_media_group,
    "sendLocation": send_location,
    "sendChatAction": send_chat_action,
}

