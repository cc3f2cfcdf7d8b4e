"""The garbage collector once the bot has started (bot/collector.py), in a fresh interpreter: the test process's
own collector is left as it is."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.collector import YOUNG_THRESHOLD

PROBE = """
import gc, json
import bot.app  # what start-up imports
from bot.collector import settle_after_start
before = {"frozen": gc.get_freeze_count(), "threshold": gc.get_threshold()}
settle_after_start()
class Cycle:
    pass
def garbage():
    first, second = Cycle(), Cycle()
    first.other, second.other = second, first
for _ in range(10):
    garbage()
found = gc.collect()  # a cycle made after the freeze is still collected
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(), "threshold": gc.get_threshold(),
                  "collected": found}))
"""


def test_start_up_objects_are_frozen_and_later_cycles_still_collected() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] == {"frozen": 0, "threshold": [700, 10, 10]}  # CPython's defaults until then
    assert seen["frozen"] > 50_000  # modules, classes, PTB, SQLAlchemy...: out of every collection's walk
    assert seen["threshold"] == [YOUNG_THRESHOLD, 10, 10]
    assert seen["collected"] >= 20  # the ten cycles made afterwards (two objects and their dicts each)
