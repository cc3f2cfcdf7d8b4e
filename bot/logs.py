"""Log output: the classic text lines, or one JSON object per line (`LOG_FORMAT=json`) for log collectors.

A JSON line holds the time (ISO 8601, UTC), the level, the logger, the message, and when known the id of the
update being handled and hashes of its chat and user: the first 12 hex digits of a SHA-256 salted with a hash of
the bot token, so the same chat gets the same hash in every process of one installation and the raw id cannot
be looked up from it. A raw id the message itself quotes is replaced by its hash too ("throttling user
<hash>"); code that logs an id outside an update passes it as `extra={"chat_id": ...}` for the same reason. An
exception's text comes last. The token stays masked (`bot/log_privacy.py` rewrites each record before any
formatter sees it; the exception text is masked here again).

The update being handled is known through a context variable that `PerChatUpdateProcessor` sets around each
update (`bind_update`), so every line logged while handling it carries it, whichever module logs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import log_privacy

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass(frozen=True)
class UpdateContext:
    """The update being handled: its id and the ids of its chat and sender (None when it has none)."""

    update_id: int
    chat_id: int | None
    user_id: int | None


_CURRENT: ContextVar[UpdateContext | None] = ContextVar("karya_update", default=None)


def bind_update(update_id: int, chat_id: int | None, user_id: int | None) -> Token[UpdateContext | None]:
    """Marks the current task as handling this update, until `unbind` with the returned token."""
    return _CURRENT.set(UpdateContext(update_id, chat_id, user_id))


def unbind(token: Token[UpdateContext | None]) -> None:
    """Ends what `bind_update` began."""
    _CURRENT.reset(token)


def current_update() -> UpdateContext | None:
    """The update the current task is handling, if any."""
    return _CURRENT.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with the update and hashed chat and user (see the module docstring)."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self._salt = hashlib.sha256((token or "karya-demo").encode()).digest()

    def chat_hash(self, chat_id: int) -> str:
        """The first 12 hex digits of the salted SHA-256 of an id."""
        return hashlib.sha256(self._salt + str(chat_id).encode()).hexdigest()[:12]

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        message = record.getMessage()
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        update = current_update()
        chat_id = getattr(record, "chat_id", None) or (update.chat_id if update else None)
        user_id = getattr(record, "user_id", None) or (update.user_id if update else None)
        if update is not None:
            entry["update_id"] = update.update_id
        ids = {}
        if isinstance(chat_id, int):
            ids[chat_id] = entry["chat"] = self.chat_hash(chat_id)
        if isinstance(user_id, int):
            ids[user_id] = entry["user"] = self.chat_hash(user_id)
        entry["message"] = _replace_ids(message, ids)
        if record.exc_info and record.exc_info[1] is not None:
            text = record.exc_text or self.formatException(record.exc_info)
            entry["exception"] = _replace_ids(log_privacy.mask(text), ids)
        elif record.exc_text:
            entry["exception"] = _replace_ids(log_privacy.mask(record.exc_text), ids)
        return json.dumps(entry, ensure_ascii=False)


def _replace_ids(text: str, hashes: dict[int, str]) -> str:
    """The text with each raw id (as a whole number, not inside another) replaced by its hash."""
    for raw, hashed in hashes.items():
        text = re.sub(rf"(?<![0-9]){raw}(?![0-9])", hashed, text)
    return text


def configure(level: str, log_format: str, token: str | None) -> None:
    """Sends the root logger's records to stderr as text lines or JSON objects."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(token) if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
