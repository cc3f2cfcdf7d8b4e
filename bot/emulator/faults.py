"""Faults on demand: blocked chats, flood waits, server errors, latency and Telegram's rate limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass

from bot.emulator.errors import ApiError, forbidden, too_many_requests
from bot.emulator.ratelimit import Limits, RateLimiter

# Methods that put a message into a chat (rate-limited); lower-case like method lookup.
MESSAGE_METHODS = frozenset(
    {
        "sendmessage", "sendphoto", "senddocument", "sendmediagroup", "sendlocation", "sendaudio", "sendvideo",
        "sendvoice", "sendanimation", "sendsticker", "sendcontact", "sendvenue", "sendpoll", "senddice",
        "copymessage", "forwardmessage",
    }
)
# Methods a blocked user refuses.
CHAT_SEND_METHODS = MESSAGE_METHODS | {"sendchataction"}
_SERVER_ERROR_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                      504: "Gateway Timeout"}


@dataclass
class FaultStats:
    """How often each fault was answered."""

    flood: int = 0
    rate_limited: int = 0
    blocked: int = 0
    server_errors: int = 0
    delayed: int = 0

    @property
    def too_many_requests(self) -> int:
        """All 429 answers, injected and from rate_limit mode."""
        return self.flood + self.rate_limited


def _scope(methods: Iterable[str] | None) -> frozenset[str] | None:
    """Normalises a method filter; None means every method except getUpdates."""
    return None if methods is None else frozenset(m.lower() for m in methods)


def _applies(scope: frozenset[str] | None, method: str) -> bool:
    """Tells whether a fault scoped to these methods hits this call."""
    return method != "getupdates" if scope is None else method in scope


class Faults:
    """Fault switches a test flips; the server consults them on every call."""

    def __init__(self) -> None:
        self.stats = FaultStats()
        self.clear()

    def clear(self) -> None:
        """Switches every fault off (stats are kept)."""
        self._blocked: set[int] = set()
        self._flood_count = 0
        self._flood_until = 0.0
        self._flood_retry_after = 5
        self._flood_scope: frozenset[str] | None = None
        self._errors_left = 0
        self._error_status = 500
        self._error_scope: frozenset[str] | None = None
        self._latency = 0.0
        self._latency_scope: frozenset[str] | None = None
        self._limiter: RateLimiter | None = None

    def block(self, chat_id: int) -> None:
        """The user of this chat blocks the bot: sends answer 403."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        self._blocked.discard(chat_id)

    def flood(self, seconds_or_count: float, retry_after: int = 5, methods: Iterable[str] | None = None) -> None:
        """Answers 429: an int means the next N calls, a float means every call for that many seconds."""
        if isinstance(seconds_or_count, int):
            self._flood_count, self._flood_until = seconds_or_count, 0.0
        else:
            self._flood_count, self._flood_until = 0, time.monotonic() + seconds_or_count
        self._flood_retry_after = retry_after
        self._flood_scope = _scope(methods)

    def server_errors(self, n: int, status: int = 500, methods: Iterable[str] | None = None) -> None:
        """The next n calls fail with this 5xx status (502 comes as an HTML page, like nginx sends it)."""
        self._errors_left, self._error_status, self._error_scope = n, status, _scope(methods)

    def latency(self, seconds: float, methods: Iterable[str] | None = None) -> None:
        """Delays every answer (or those of these methods) by this many seconds (non-blocking)."""
        self._latency = seconds
        self._latency_scope = _scope(methods)

    def rate_limit(self, enabled: bool = True, scale: float = 1.0, limits: Limits | None = None) -> None:
        """Enforces Telegram's send limits; scale > 1 makes the emulated clock run faster."""
        self._limiter = RateLimiter(scale, limits) if enabled else None

    async def before_call(self, method: str) -> None:
        """Applies latency, injected server errors and floods to a call (method in lower case)."""
        if self._latency > 0 and (self._latency_scope is None or method in self._latency_scope):
            self.stats.delayed += 1
            await asyncio.sleep(self._latency)
        if self._errors_left > 0 and _applies(self._error_scope, method):
            self._errors_left -= 1
            self.stats.server_errors += 1
            raise ApiError(self._error_status, _SERVER_ERROR_TEXT.get(self._error_status, "Server Error"))
        if _applies(self._flood_scope, method):
            flooding = self._flood_count > 0 or time.monotonic() < self._flood_until
            if flooding:
                self._flood_count = max(0, self._flood_count - 1)
                self.stats.flood += 1
                raise too_many_requests(self._flood_retry_after)

    def check_send(self, method: str, chat_id: int, private: bool, count: int = 1) -> None:
        """Applies blocking and rate limits to a send that passed validation."""
        if method in CHAT_SEND_METHODS and chat_id in self._blocked:
            self.stats.blocked += 1
            raise forbidden("bot was blocked by the user" if private else "bot was kicked from the group chat")
        if self._limiter is not None and method in MESSAGE_METHODS:
            retry_after = self._limiter.admit(chat_id, private, count)
            if retry_after:
                self.stats.rate_limited += 1
                raise too_many_requests(retry_after)
