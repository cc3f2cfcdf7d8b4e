"""JSON log lines: one object per record, ids hashed wherever they appear, the update known from its context."""

from __future__ import annotations

import json
import logging
import sys

from bot import logs
from bot.logs import JsonFormatter

TOKEN = "123456:JsonLogTestToken"


def _record(message: str, *args: object, error: str | None = None, **extra: object) -> logging.LogRecord:
    """A record as a logger would make it (with an exception raised with `error` as its text)."""
    exc_info = None
    if error is not None:
        try:
            raise ValueError(error)
        except ValueError:
            exc_info = sys.exc_info()
    record = logging.LogRecord("bot.test", logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    return record


def test_a_record_is_one_json_line_with_time_level_logger_and_message() -> None:
    line = JsonFormatter(TOKEN).format(_record("outbox #%s sent", 7))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.test" and entry["message"] == "outbox #7 sent"
    assert entry["time"].endswith("+00:00") and "update_id" not in entry and "chat" not in entry


def test_a_chat_id_is_hashed_in_its_field_the_message_and_the_exception_but_not_inside_other_numbers() -> None:
    formatter = JsonFormatter(TOKEN)
    hashed = formatter.chat_hash(731004277)
    entry = json.loads(formatter.format(_record("outbox #%s to chat %s (order 17310042770)", 12, 731004277,
                                                error="chat 731004277 broke", chat_id=731004277)))
    assert entry["chat"] == hashed and len(hashed) == 12 and int(hashed, 16) >= 0
    assert entry["message"] == f"outbox #12 to chat {hashed} (order 17310042770)"
    assert "731004277 broke" not in entry["exception"] and f"chat {hashed} broke" in entry["exception"]


def test_the_update_being_handled_is_named_on_every_line_logged_meanwhile() -> None:
    formatter = JsonFormatter(TOKEN)
    token = logs.bind_update(555, -100123, 42)
    try:
        entry = json.loads(formatter.format(_record("throttling user %s", 42)))
    finally:
        logs.unbind(token)
    assert entry["update_id"] == 555
    assert entry["chat"] == formatter.chat_hash(-100123) and entry["user"] == formatter.chat_hash(42)
    assert entry["message"] == f"throttling user {formatter.chat_hash(42)}"
    assert "update_id" not in json.loads(formatter.format(_record("later")))


def test_the_hash_depends_on_the_installation_and_not_only_on_the_id() -> None:
    assert JsonFormatter(TOKEN).chat_hash(1001) != JsonFormatter("999:Other").chat_hash(1001)
    assert JsonFormatter(TOKEN).chat_hash(1001) == JsonFormatter(TOKEN).chat_hash(1001)
