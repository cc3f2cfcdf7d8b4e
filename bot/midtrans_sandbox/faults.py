"""Fault switches: API calls that fail or answer late, notifications duplicated, held, reordered, lost or forged.

Every switch counts: it hits the next N calls or notifications, then turns itself off. Late answers and held
notifications wait for a control call (an event), so tests never sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from bot.midtrans_sandbox.errors import server_error
from bot.midtrans_sandbox.wire import FORGERIES

API_CALLS = frozenset({"charge", "status", "cancel", "expire"})


@dataclass
class FaultStats:
    """How often each fault hit."""

    server_errors: int = 0
    slow_calls: int = 0
    duplicated: int = 0
    delayed: int = 0
    reordered: int = 0
    lost: int = 0
    forged: int = 0


@dataclass(frozen=True)
class Plan:
    """What to do with one notification."""

    copies: int = 1
    forge: str | None = None
    other_order_id: str | None = None
    lose: bool = False
    hold: bool = False
    reorder: bool = False
    reorder_complete: bool = False


def _calls(calls: Iterable[str] | None) -> frozenset[str]:
    """Checks a filter of API calls; None means all of them."""
    chosen = API_CALLS if calls is None else frozenset(calls)
    unknown = chosen - API_CALLS
    if unknown:
        raise ValueError(f"unknown API calls {sorted(unknown)}; choose among {sorted(API_CALLS)}")
    return chosen


class ApiFaults:
    """Faults of the Core API routes: 5xx answers and late answers."""

    def __init__(self, stats: FaultStats) -> None:
        self.stats = stats
        self._gates: list[asyncio.Event] = []
        self.clear()

    def clear(self) -> None:
        """Switches API faults off and lets any late answer go."""
        self._errors_left, self._error_status, self._error_calls = 0, 500, API_CALLS
        self._slow_left, self._slow_calls, self._slow_after = 0, API_CALLS, True
        self._slow_seconds: float | None = None
        self.release_slow()

    def server_errors(self, n: int = 1, status: int = 500, calls: Iterable[str] | None = None) -> None:
        """The next n API calls (of these kinds) answer this 5xx status and do nothing."""
        if not 500 <= status <= 599:
            raise ValueError("server errors are 5xx")
        self._errors_left, self._error_status, self._error_calls = n, status, _calls(calls)

    def slow(self, n: int = 1, *, seconds: float | None = None, calls: Iterable[str] | None = None,
             after: bool = True) -> asyncio.Event:
        """The next n API calls answer late: after `seconds`, or when the returned gate is set (release_slow).

        With after=True (the default) the call takes effect at once and only its answer is late, like a
        gateway that charged but whose answer the client gave up on; after=False waits before doing anything.
        """
        self._slow_left, self._slow_calls, self._slow_seconds, self._slow_after = n, _calls(calls), seconds, after
        gate = asyncio.Event()
        self._gates.append(gate)
        return gate

    def release_slow(self) -> None:
        """Lets every late answer that waits for its gate go."""
        for gate in self._gates:
            gate.set()
        self._gates = []

    async def before(self, call: str) -> None:
        """Applies injected 5xx answers and late starts to an API call."""
        if self._errors_left > 0 and call in self._error_calls:
            self._errors_left -= 1
            self.stats.server_errors += 1
            raise server_error(self._error_status)
        if not self._slow_after:
            await self._maybe_wait(call)

    async def after(self, call: str) -> None:
        """Applies late answers to an API call that has done its work."""
        if self._slow_after:
            await self._maybe_wait(call)

    async def _maybe_wait(self, call: str) -> None:
        """Waits for the gate or the delay when this call is one of the next n slow ones."""
        if self._slow_left <= 0 or call not in self._slow_calls:
            return
        self._slow_left -= 1
        self.stats.slow_calls += 1
        if self._slow_seconds is not None:
            await asyncio.sleep(self._slow_seconds)
        elif self._gates:
            await self._gates[-1].wait()


class NotificationFaults:
    """Faults of notification delivery, consulted once per notification."""

    def __init__(self, stats: FaultStats) -> None:
        self.stats = stats
        self.clear()

    def clear(self) -> None:
        """Switches notification faults off (held notifications stay held until released)."""
        self._duplicate_left, self._copies = 0, 2
        self._delay_left = 0
        self._reorder_left = 0
        self._lose_left = 0
        self._forge_left, self._forge_kind = 0, "signature"
        self._other_order_id: str | None = None

    def duplicate(self, n: int = 1, copies: int = 2) -> None:
        """The next n notifications are each delivered `copies` times."""
        if copies < 2:
            raise ValueError("a duplicate means at least 2 copies")
        self._duplicate_left, self._copies = n, copies

    def delay(self, n: int = 1) -> None:
        """The next n notifications are held until release() is called."""
        self._delay_left = n

    def reorder(self, n: int = 2) -> None:
        """The next n notifications are held, then delivered newest first once the n-th arrives."""
        if n < 2:
            raise ValueError("reordering needs at least 2 notifications")
        self._reorder_left = n

    def lose(self, n: int = 1) -> None:
        """The next n notifications are never delivered."""
        self._lose_left = n

    def forge(self, kind: str = "signature", n: int = 1, other_order_id: str | None = None) -> None:
        """The next n notifications are replaced by forgeries of this kind (the genuine one is not sent)."""
        if kind not in FORGERIES:
            raise ValueError(f"unknown forgery {kind!r}; choose one of {', '.join(FORGERIES)}")
        self._forge_left, self._forge_kind, self._other_order_id = n, kind, other_order_id

    def plan(self) -> Plan:
        """Decides the fate of the next notification and counts the switches down."""
        if self._lose_left > 0:
            self._lose_left -= 1
            self.stats.lost += 1
            return Plan(lose=True)
        copies: int | None = None
        forge: str | None = None
        if self._duplicate_left > 0:
            self._duplicate_left -= 1
            self.stats.duplicated += 1
            copies = self._copies
        if self._forge_left > 0:
            self._forge_left -= 1
            self.stats.forged += 1
            forge = self._forge_kind
        hold = reorder = complete = False
        if self._reorder_left > 0:
            self._reorder_left -= 1
            self.stats.reordered += 1
            reorder, complete = True, self._reorder_left == 0
        elif self._delay_left > 0:
            self._delay_left -= 1
            self.stats.delayed += 1
            hold = True
        return Plan(copies=copies or 1, forge=forge, other_order_id=self._other_order_id, hold=hold,
                    reorder=reorder, reorder_complete=complete)


class Faults:
    """Both sets of fault switches and their shared counters."""

    def __init__(self) -> None:
        self.stats = FaultStats()
        self.api = ApiFaults(self.stats)
        self.notifications = NotificationFaults(self.stats)

    def clear(self) -> None:
        """Switches every fault off and lets late answers go (held notifications stay held)."""
        self.api.clear()
        self.notifications.clear()
