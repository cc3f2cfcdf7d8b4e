"""Small timing helpers: medians of repeated runs, interleaved so drift hits both sides alike."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def per_call(fn: Callable[[], object], *, min_time: float = 0.5, max_calls: int = 2000) -> float:
    """Median seconds per call of a synchronous function over rounds of at least min_time / 5 each."""
    fn()  # warm-up
    samples: list[float] = []
    calls = 0
    started = time.perf_counter()
    while (time.perf_counter() - started < min_time or len(samples) < 5) and calls < max_calls:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
        calls += 1
    return statistics.median(samples)


async def interleaved(
    a: Callable[[], Awaitable[object]],
    b: Callable[[], Awaitable[object]],
    *,
    repeat: int = 5,
    budget: float = 20.0,
) -> tuple[float, float]:
    """Median seconds of a() and of b(), run alternately after one warm-up each; stops past the budget."""
    await a()
    await b()
    times_a: list[float] = []
    times_b: list[float] = []
    started = time.perf_counter()
    for _ in range(repeat):
        for fn, out in ((a, times_a), (b, times_b)):
            t0 = time.perf_counter()
            await fn()
            out.append(time.perf_counter() - t0)
        if time.perf_counter() - started > budget:
            break
    return statistics.median(times_a), statistics.median(times_b)


def fmt_ms(seconds: float) -> str:
    """Seconds as milliseconds with sensible precision."""
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"
