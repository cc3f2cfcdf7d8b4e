"""Bot API calls that Telegram refuses for a moment are made again, so a buyer's answer is not lost.

A 429 (flood wait) is retried after the `retry_after` Telegram names, a 5xx or a refused connection after a
short backoff. A timeout is NOT retried: Telegram may have delivered the message, and sending it again would
show it twice. The outbox dispatcher passes `NO_RETRY`: it handles refusals itself (pause, backoff, lease).
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
NO_RETRY: dict[str, Any] = {"retry": False}


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (PTB gives an int now, a timedelta later)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _server_refused(error: Exception) -> bool:
    """A 5xx answer or a connection that failed: NetworkError itself (timeouts and 400s are subclasses)."""
    return type(error) is NetworkError


class RetryingRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """Makes a refused call again: after the flood wait (at most `max_wait` seconds in all), or after 5xx."""

    def __init__(self, max_wait: float = 60.0, server_retries: int = 3, backoff: float = 0.5) -> None:
        self.max_wait = max_wait
        self.server_retries = server_retries
        self.backoff = backoff

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Calls Telegram, waiting and calling again while it refuses for a moment."""
        if rate_limit_args is not None and rate_limit_args.get("retry") is False:
            return await callback(*args, **kwargs)
        waited, failures = 0.0, 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                delay = retry_after_seconds(exc)
                if waited + delay > self.max_wait:
                    log.warning("Telegram flood wait on %s (429, %g s): waited %g s already, giving up",
                                endpoint, delay, waited)
                    raise
                log.warning("Telegram flood wait on %s (429): retrying in %g s", endpoint, delay)
            except NetworkError as exc:
                failures += 1
                if not _server_refused(exc) or failures > self.server_retries:
                    raise
                delay = self.backoff * 2 ** (failures - 1)
                log.warning("Telegram refused %s (%s): retrying in %g s", endpoint, exc.message, delay)
            waited += delay
            await asyncio.sleep(delay)
