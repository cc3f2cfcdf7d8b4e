"""The garbage collector set for a long-running bot: what start-up built is frozen, young objects wait longer.

CPython's cycle collector walks every object of the generations it collects, and a full collection walks them
all. Once started, the bot holds tens of megabytes of objects that live as long as the process (modules,
classes, SQLAlchemy's mappers and statement cache, PTB, Babel's locale data); `gc.freeze()` moves them out of the
collector's sight, so a collection walks only what was made since. Each update also makes hundreds of
short-lived objects (PTB parses the update and every Bot API answer into objects): a larger threshold for the
youngest generation lets reference counting free most of them before a collection looks at them. Benchmark 1
measures what it saves (bench/HISTORY.md, "Less CPU per update"). Objects made after the freeze are collected as
before; only start-up's are never walked again, and start-up's leftovers are collected just before they are frozen.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000  # allocations between two collections of the youngest generation (CPython: 700)


def settle_after_start() -> int:
    """Collects what start-up left over, freezes the rest and raises the youngest generation's threshold; returns
    how many objects are frozen."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)
    return gc.get_freeze_count()
