"""Several bot processes on one PostgreSQL database, seen from the database: each connection here stands for
another process. A chat's transactions wait for each other, a job runs in one process at a time, migrations run
once, and changes to people are announced to every listener.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.services import build_services
from bot.settings import Settings
from jobs.registry import run_morning_plan
from models import locks
from models.changes import APPLICATION_NAME, ChangeListener, listener_dsn
from models.db import SessionFactory, create_engine, create_session_factory
from models.migrate import head_revision, upgrade
from models.outbox import OutboxMessage
from models.people import Line, Role
from models.services import conversation, customers, inbox
from models.services import staff as staff_service
from tests.conftest import PG_ADMIN_URL, _truncate, wib
from tests.jobs.helpers import team
from tests.support.eventually import eventually

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


@pytest.fixture
async def pg_engine(pg_url: str) -> AsyncIterator[AsyncEngine]:
    """The shared test database, emptied (skips loudly, or fails in CI, without PostgreSQL)."""
    engine = create_engine(pg_url)
    await _truncate(engine)
    yield engine
    await engine.dispose()


def _update_session(factory: SessionFactory, chat_id: int) -> AsyncSession:
    """A session as a bot process opens it for one update of `chat_id`."""
    return factory(info=locks.chat_session_info(chat_id))


async def _waiting_for_advisory_locks(engine: AsyncEngine) -> int:
    """How many connections to this database wait for an advisory lock right now."""
    async with engine.connect() as conn:
        found = await conn.scalar(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ))
        return int(found or 0)


async def test_a_second_update_of_the_same_chat_waits_for_the_first_to_commit(pg_engine: AsyncEngine) -> None:
    factory = create_session_factory(pg_engine)
    first, second, other_chat = (_update_session(factory, 1001), _update_session(factory, 1001),
                                 _update_session(factory, 2002))
    try:
        assert await inbox.first_delivery(first, 1, sender=1001, now=NOW)
        await conversation.set_step(first, 1001, "qty", sku="RTI-MNS-CKL")
        waiting = asyncio.create_task(inbox.first_delivery(second, 2, sender=1001, now=NOW))
        await eventually(lambda: _waiting_for_advisory_locks(pg_engine), what="the second update to wait")
        assert await inbox.first_delivery(other_chat, 3, sender=2002, now=NOW)  # another chat is not held up
        await other_chat.commit()
        assert not waiting.done()
        await first.commit()
        assert await asyncio.wait_for(waiting, 10)
        state = await conversation.get_state(second, 1001)  # it reads what the first one committed
        assert (state.step, state.data) == ("qty", {"sku": "RTI-MNS-CKL"})
        await second.commit()
    finally:
        for session in (first, second, other_chat):
            await session.close()


async def test_each_transaction_of_an_update_takes_the_chat_lock_again_after_a_commit(pg_engine: AsyncEngine) -> None:
    factory = create_session_factory(pg_engine)
    update, other = _update_session(factory, 1001), _update_session(factory, 1001)
    try:
        assert await inbox.first_delivery(update, 1, sender=1001, now=NOW)
        await update.commit()  # committed before its first Bot API call...
        await conversation.set_screen(update, 1001, 77)  # ...then the id Telegram returned, in a new transaction
        waiting = asyncio.create_task(conversation.get_state(other, 1001))
        await eventually(lambda: _waiting_for_advisory_locks(pg_engine), what="the other update to wait")
        await update.commit()
        state = await asyncio.wait_for(waiting, 10)
        assert state.screen_message_id == 77
    finally:
        await update.close()
        await other.close()


async def test_the_chat_lock_is_folded_into_the_first_statement_of_an_update(pg_engine: AsyncEngine) -> None:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()))

    factory = create_session_factory(pg_engine)
    session = _update_session(factory, 1001)
    event.listen(pg_engine.sync_engine, "before_cursor_execute", record)
    try:
        assert await inbox.first_delivery(session, 1, sender=1001, now=NOW)
        await conversation.get_state(session, 1001)
        await session.commit()
        await conversation.get_state(session, 1001)
        await session.commit()
    finally:
        event.remove(pg_engine.sync_engine, "before_cursor_execute", record)
        await session.close()
    locking = [s for s in statements if "pg_advisory_xact_lock" in s]
    assert len(statements) == 4  # the gate's statement, a read; a lock, a read
    assert locking == [statements[0], statements[2]] and "INSERT INTO received_updates" in statements[0]


async def test_the_same_update_delivered_to_two_processes_at_once_is_taken_in_once(pg_engine: AsyncEngine) -> None:
    factory = create_session_factory(pg_engine)
    sessions = [_update_session(factory, 1001) for _ in range(2)]

    async def deliver(session: AsyncSession) -> bool:
        first = await inbox.first_delivery(session, 500, sender=1001, now=NOW)
        await session.commit()
        return first

    try:
        results = await asyncio.gather(*(deliver(s) for s in sessions))
    finally:
        for session in sessions:
            await session.close()
    assert sorted(results) == [False, True]


async def test_a_job_run_is_skipped_while_another_process_runs_it_and_runs_once_it_is_free(
    pg_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    factory = create_session_factory(pg_engine)
    async with factory.begin() as session:
        await team(session)
    services = build_services(Settings(_env_file=None), engine=pg_engine)
    now = wib(2026, 11, 27, 5, 30)
    other_process = factory()
    try:
        assert await locks.try_job_lock(other_process, "morning-plan")
        with caplog.at_level(logging.DEBUG, logger="jobs.registry"):
            assert await run_morning_plan(services, now) == 0
        assert "morning-plan: skipped, another process is running it" in caplog.text
    finally:
        await other_process.rollback()
        await other_process.close()
    assert await run_morning_plan(services, now) == 1  # to the baker
    assert await run_morning_plan(services, now) == 0  # a second run finds the dedupe keys taken
    async with factory() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


async def test_two_processes_migrating_an_empty_database_at_once_migrate_it_once(
    empty_pg_database: tuple[str, str],
) -> None:
    _, url = empty_pg_database
    engines = [create_engine(url), create_engine(url)]
    try:
        await asyncio.gather(*(upgrade(engine) for engine in engines))
        async with engines[0].connect() as conn:
            versions = list(await conn.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        for engine in engines:
            await engine.dispose()
    assert versions == [head_revision()]


class _Heard:
    """What a change listener reported."""

    def __init__(self) -> None:
        self.changed: list[int] = []
        self.missed = 0

    def change(self, telegram_id: int) -> None:
        """A person's cached view is stale."""
        self.changed.append(telegram_id)

    def miss(self) -> None:
        """Notifications may have been lost."""
        self.missed += 1


@pytest.fixture
async def heard(pg_engine: AsyncEngine) -> AsyncIterator[tuple[_Heard, ChangeListener]]:
    """A running change listener on the test database, and what it heard."""
    found = _Heard()
    listener = ChangeListener(listener_dsn(pg_engine.url), found.change, found.miss, retry_min=0.05, retry_max=0.2)
    await listener.start()
    assert listener.listening
    yield found, listener
    await listener.stop()


async def test_role_and_language_changes_are_announced_when_they_commit_and_only_then(
    pg_engine: AsyncEngine, heard: tuple[_Heard, ChangeListener]
) -> None:
    found, _ = heard
    factory = create_session_factory(pg_engine)
    async with factory() as session:
        await staff_service.add_staff(session, 801, "Rina", Role.STAFF, Line.BAKERY)
        await session.rollback()  # never happened: nobody hears of it
    async with factory.begin() as session:
        await staff_service.add_staff(session, 802, "Dewi", Role.STAFF, Line.BAKERY)
        customer = await customers.get_or_register(session, 1001, "Siti", "id")
    await eventually(lambda: found.changed == [802], what="the added role to be announced")
    async with factory.begin() as session:
        await staff_service.remove_staff(session, 802)
        await customers.set_language(session, customer, "en")
    await eventually(lambda: found.changed == [802, 802, 1001], what="the removal and the language")
    async with factory.begin() as session:
        await customers.erase(session, customer.id)
    await eventually(lambda: found.changed[-1:] == [1001], what="the erased buyer")


async def test_a_lost_listener_connection_is_restored_and_reports_that_changes_may_have_been_missed(
    pg_engine: AsyncEngine, heard: tuple[_Heard, ChangeListener]
) -> None:
    found, listener = heard
    assert (listener.connections, found.missed) == (1, 1)  # it starts by forgetting whatever was cached before
    database = make_url(str(pg_engine.url)).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            killed = await conn.scalar(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     "WHERE datname = :db AND application_name = :app"),
                {"db": database, "app": APPLICATION_NAME},
            )
    finally:
        await admin.dispose()
    assert killed == 1
    await eventually(lambda: listener.connections == 2 and listener.listening, what="the listener to reconnect")
    assert found.missed == 3  # on losing the connection, and again once listening anew
    async with create_session_factory(pg_engine).begin() as session:
        await staff_service.add_staff(session, 803, "Ayu", Role.MANAGER)
    await eventually(lambda: found.changed == [803], what="a change after the reconnection")
