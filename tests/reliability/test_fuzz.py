"""Property-based fuzzing (hypothesis): random sequences of buyer, staff and manager actions, process crashes
(before a send, and with a send in flight) and restarts, through the service calls the handlers make, on SQLite
and on PostgreSQL. After every step and at the end: order total = sum of lines; no day's bread above capacity
and the capacity ledger = the capacity-holding orders; slots likewise; stock never negative; every status
history a legal path; every paid amount = its paid payment codes, each QR code for exactly its amount; no
outbox message sent twice but for a send in flight at a crash; the outbox drains."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.services import catalogue_io
from tests.conftest import _create_pg_database, _drop_pg_database, _run_blocking, _truncate
from tests.reliability.fuzz_world import BUYERS, SKUS, World, check_invariants, final_check, reset_sqlite
from tests.support.harness import CATALOGUE

BREAD = ["RTI-MNS-CKL", "RTI-SBK-10"]
buyer, pick, slot = st.sampled_from(BUYERS), st.integers(0, 60), st.sampled_from([1, 2])
day = st.sampled_from([1, 1, 3, 2])  # Saturday, Monday, and now and then the closed Sunday
ADD = st.tuples(st.just("add"), buyer, st.sampled_from(SKUS), st.integers(1, 40), day, slot)
STALE = st.sampled_from([False] * 9 + [True])  # a summary whose total changed meanwhile, now and then
CHECKOUT = st.tuples(st.just("checkout"), buyer, st.integers(1, 2), STALE)
ACTIONS = st.one_of(
    ADD, ADD, ADD, CHECKOUT, CHECKOUT,
    st.tuples(st.just("cancel"), buyer, pick),
    st.tuples(st.just("pay"), buyer, pick),
    st.tuples(st.just("confirm"), pick),
    st.tuples(st.just("cash"), pick),
    st.tuples(st.just("staff"), st.sampled_from(["start", "ready", "done", "cancel"]), pick),
    st.tuples(st.just("expire"), st.integers(10, 90)),
    st.tuples(st.just("closing"), pick),
    st.tuples(st.just("capacity"), st.sampled_from(BREAD), day, st.integers(0, 60)),
    st.tuples(st.just("stock"), st.sampled_from(["TAS-HB-01", "KRP-UBI-200", "PVB-BTA-6"]), st.integers(0, 12)),
    st.tuples(st.just("reorder"), buyer, pick, day, slot),
    st.tuples(st.just("walkin"), st.sampled_from(SKUS), st.integers(1, 20), day, slot, st.booleans(),
              st.integers(1, 2)),
    st.tuples(st.just("dispatch"), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("restart")),
)
SEQUENCES = st.lists(ACTIONS, min_size=4, max_size=30)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


async def _play(url: str, actions: list[tuple[Any, ...]]) -> World:
    """Plays a sequence, checking every invariant after each step and once more after draining the outbox."""
    world = await World.open(url)
    try:
        for action in actions:
            await world.run(action)
            await check_invariants(world)
        await final_check(world)
    finally:
        await world.close()
    return world


async def _catalogue(url: str, *, migrate: bool) -> None:
    """Migrates (when asked) and loads the default catalogue."""
    engine = create_engine(url)
    try:
        if migrate:
            await upgrade(engine)
        else:
            await _truncate(engine)
        async with create_session_factory(engine).begin() as session:
            await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the catalogue, copied for every example."""
    path = tmp_path_factory.mktemp("fuzz") / "template.sqlite3"
    _run_blocking(_catalogue(f"sqlite+aiosqlite:///{path}", migrate=True))
    return path


@settings(FUZZ, max_examples=25)
@given(actions=SEQUENCES)
def test_random_action_sequences_with_crashes_keep_every_invariant_on_sqlite(
    sqlite_template: Path, tmp_path: Path, actions: list[tuple[Any, ...]]
) -> None:
    target = tmp_path / "fuzz.sqlite3"
    reset_sqlite(sqlite_template, target)
    asyncio.run(_play(f"sqlite+aiosqlite:///{target}", actions))


@pytest.fixture(scope="module")
def fuzz_pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL database of this module alone, emptied and reloaded for every example."""
    request.getfixturevalue("pg_url")  # skips, or fails in CI, without a server
    name = f"karya_fuzz_{uuid.uuid4().hex[:10]}"
    url = _run_blocking(_create_pg_database(name))
    yield url
    _run_blocking(_drop_pg_database(name))


@pytest.mark.postgres
@settings(FUZZ, max_examples=15)
@given(actions=SEQUENCES)
def test_random_action_sequences_with_crashes_keep_every_invariant_on_postgresql(
    fuzz_pg_url: str, actions: list[tuple[Any, ...]]
) -> None:
    _run_blocking(_catalogue(fuzz_pg_url, migrate=False))
    asyncio.run(_play(fuzz_pg_url, actions))


def test_a_long_busy_day_keeps_every_invariant(sqlite_template: Path, tmp_path: Path) -> None:
    """One fixed long sequence, so the report has numbers that do not change from run to run."""
    import random

    rng = random.Random(2026)
    actions: list[tuple[Any, ...]] = []
    for _ in range(150):
        kind = rng.choice(["add"] * 4 + ["checkout"] * 3 + ["confirm", "pay", "staff", "cancel", "dispatch",
                                                             "walkin", "expire", "restart", "capacity"])
        actions.append({
            "add": lambda: ("add", rng.choice(BUYERS), rng.choice(SKUS), rng.randint(1, 40), rng.choice([1, 1, 3, 2]),
                            rng.choice([1, 2])),
            "checkout": lambda: ("checkout", rng.choice(BUYERS), rng.randint(1, 2), rng.random() < 0.1),
            "confirm": lambda: ("confirm", rng.randint(0, 60)),
            "pay": lambda: ("pay", rng.choice(BUYERS), rng.randint(0, 60)),
            "staff": lambda: ("staff", rng.choice(["start", "ready", "done", "cancel"]), rng.randint(0, 60)),
            "cancel": lambda: ("cancel", rng.choice(BUYERS), rng.randint(0, 60)),
            "dispatch": lambda: ("dispatch", rng.randint(0, 4), rng.random() < 0.5),
            "walkin": lambda: ("walkin", rng.choice(SKUS), rng.randint(1, 20), rng.randint(1, 3), rng.choice([1, 2]),
                               rng.random() < 0.5, rng.randint(1, 2)),
            "expire": lambda: ("expire", rng.randint(10, 40)),
            "restart": lambda: ("restart",),
            "capacity": lambda: ("capacity", rng.choice(BREAD), rng.randint(1, 3), rng.randint(0, 60)),
        }[kind]())
    target = tmp_path / "day.sqlite3"
    reset_sqlite(sqlite_template, target)
    world = asyncio.run(_play(f"sqlite+aiosqlite:///{target}", actions))
    done = sum(world.done.values())
    print(f"[reliability] fuzz day: {len(actions)} actions, {done} done, {sum(world.refusals.values())} refused by "
          f"the rules, {world.restarts} restarts, {world.telegram.in_flight_crashes} crashes with a send in "
          f"flight, {sum(world.telegram.received.values())} messages delivered: every invariant held")
