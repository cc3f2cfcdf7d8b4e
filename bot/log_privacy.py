"""Logs without secrets: libraries that print payloads stay above DEBUG, and the bot token is masked everywhere.

At DEBUG, PTB logs every request and update it handles (names, phone numbers, addresses), aiosqlite every SQL
statement with its parameters, and httpx/httpcore the request URLs, which contain the token. `LOG_LEVEL=DEBUG`
is meant for our own modules, so these loggers are held at the levels below whatever the root level is. As a
second line of defence every log record is checked for the token (the URL form included) before any handler
sees it.
"""

from __future__ import annotations

import logging
from typing import Any

# The most a library may say; each of these prints payloads, SQL parameters or token URLs below it.
QUIET_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiohttp": logging.WARNING,
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "asyncpg": logging.INFO,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
}
MASK = "<token>"
_secrets: set[str] = set()
_previous_factory: Any = None


def quiet_libraries() -> None:
    """Raises the chatty libraries' loggers to their quiet level (never lowers a level set higher)."""
    for name, level in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < level:
            logger.setLevel(level)


def mask(text: str) -> str:
    """The text with every registered secret replaced by a mask."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Builds the record as before, then masks secrets in its message and exception text."""
    record: logging.LogRecord = _previous_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it for the handler to report as usual
        return record
    masked = mask(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
    return record


def protect(token: str | None) -> None:
    """Keeps the libraries quiet and masks `token` in every log record from now on (idempotent)."""
    global _previous_factory
    quiet_libraries()
    if not token:
        return
    _secrets.add(token)
    if _previous_factory is None:
        _previous_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_masking_factory)
