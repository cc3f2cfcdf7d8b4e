"""Telegram's send limits as token buckets: overall, per private chat and per group."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """Refills at rate tokens per second up to capacity."""

    rate: float
    capacity: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def refill(self, now: float) -> None:
        """Adds the tokens earned since the last look."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, now: float, count: int) -> float:
        """Seconds until count tokens are available (0 when they are now)."""
        self.refill(now)
        needed = min(count, self.capacity) - self.tokens
        return 0.0 if needed <= 1e-9 else needed / self.rate


@dataclass(frozen=True)
class Limits:
    """Published limits (rough): 30 msg/s overall, ~1 msg/s per private chat, 20 msg/min per group."""

    per_second: float = 30.0
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: float = 20.0


class RateLimiter:
    """Admits message-producing sends or tells how long to wait; scale speeds the clock up."""

    def __init__(self, scale: float = 1.0, limits: Limits | None = None) -> None:
        self.scale = scale
        self.limits = limits or Limits()
        self._global = TokenBucket(self.limits.per_second * scale, self.limits.per_second)
        self._chats: dict[int, TokenBucket] = {}

    def _chat_bucket(self, chat_id: int, private: bool) -> TokenBucket:
        """The bucket of one chat, created on first use."""
        bucket = self._chats.get(chat_id)
        if bucket is None:
            limits = self.limits
            if private:
                bucket = TokenBucket(limits.private_per_second * self.scale, limits.private_burst)
            else:
                bucket = TokenBucket(limits.group_per_minute / 60 * self.scale, limits.group_per_minute)
            self._chats[chat_id] = bucket
        return bucket

    def admit(self, chat_id: int, private: bool, count: int = 1) -> int:
        """Takes count tokens and returns 0, or takes nothing and returns retry_after in whole seconds."""
        now = time.monotonic()
        buckets = (self._global, self._chat_bucket(chat_id, private))
        wait = max(bucket.wait_time(now, count) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= min(count, bucket.capacity)
        return 0
