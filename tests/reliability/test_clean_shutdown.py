"""Clean shutdown: `python -m bot run` gets SIGTERM (systemd's stop, a deploy, a container stop) in the middle of
work, exits 0 within 12 s, and nothing is lost or doubled across this run and a restart.

The moments are caught on what the emulator sees (sends arriving, a call held at Telegram's door) and what the
database holds, never on sleeps. The clock is the real one (another process), so the buyer orders goods from
stock, which any day allows.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.emulator.server import BotApiEmulator
from models.db import create_session_factory
from models.order import Order
from models.outbox import OutboxMessage, OutboxState
from models.payment import Payment
from models.people import Line, Role
from models.rules.calendar import to_wib
from models.services import staff as staff_service
from tests.flows.buyer_dialogues import read_qr
from tests.reliability.botprocess import BotProcess
from tests.reliability.conftest import TOKEN
from tests.reliability.support import SEND_METHODS, deliveries_by_chat
from tests.reliability.test_crash_restart import FAN_OUT, FIRST_BUYER, _goods_to_summary, _seed_reminders
from tests.support.calls import unanswered_calls
from tests.support.eventually import eventually

pytestmark = pytest.mark.slow
STOP_LIMIT = 12.0  # seconds from SIGTERM to the process's end
GALERI_STAFF = 602


@pytest.fixture
async def process(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], tmp_path: Path
) -> AsyncIterator[BotProcess]:
    """The bot installation; whatever runs at the end is stopped, and its logs must hold no token."""
    bot = BotProcess(emulator, database[0], tmp_path)
    yield bot
    if bot.proc is not None:
        await bot.stop()
    output = bot.output()
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "Traceback" not in output


async def _states(engine: AsyncEngine, template: str) -> list[OutboxMessage]:
    """The outbox rows of one template."""
    async with create_session_factory(engine)() as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)))


async def test_sigterm_in_a_500_reminder_fan_out_exits_0_gives_back_its_claims_and_nothing_is_lost_or_doubled(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], process: BotProcess
) -> None:
    now = datetime.now(UTC)
    if to_wib(now).time() >= clock_time(23, 50):
        pytest.skip("no pickup slot can start later today (WIB); the fan-out needs one")
    _, engine = database
    assert await _seed_reminders(engine, emulator, now) == FAN_OUT
    chats = [FIRST_BUYER + i for i in range(FAN_OUT)]
    await process.start()

    def sent(n: int) -> bool:
        return sum(deliveries_by_chat(emulator, "Pengingat").values()) >= n

    await eventually(lambda: sent(100), timeout=60, what="100 reminders out")  # mid-fan-out, a batch claimed
    code, seconds = await process.terminate()
    assert code == 0 and seconds < STOP_LIMIT, process.log_text()
    assert not unanswered_calls(emulator, SEND_METHODS)  # the send in flight was finished, not abandoned
    before = deliveries_by_chat(emulator, "Pengingat")
    rows = await _states(engine, "reminder")
    stopped_at = datetime.now(UTC)
    assert not [r for r in rows if r.state is OutboxState.SENDING]  # every claim given back
    recorded = {r.chat_id for r in rows if r.state is OutboxState.SENT}
    assert recorded == set(before)  # each send was recorded before the process left
    waiting = [r for r in rows if r.state is OutboxState.PENDING]
    assert len(waiting) == FAN_OUT - len(recorded) > 0
    assert all(r.due_at <= stopped_at for r in waiting)  # due at once, not after a lease
    given_back = sum(int(n) for n in re.findall(r"gave back (\d+) claimed", process.log_text()))

    await process.start()

    async def all_sent() -> bool:
        return all(r.state is OutboxState.SENT for r in await _states(engine, "reminder"))

    await eventually(all_sent, timeout=90, every=0.2, what="every reminder row SENT after the restart")
    await eventually(lambda: not unanswered_calls(emulator, SEND_METHODS), what="the last sends to be answered")
    after = deliveries_by_chat(emulator, "Pengingat")
    assert [chat for chat in chats if after[chat] != 1] == []  # none lost, none twice
    print(f"[reliability] SIGTERM after {len(recorded)}/{FAN_OUT} reminders: exit 0 in {seconds:.1f} s, "
          f"{given_back} claimed rows given back; after restart {FAN_OUT}/{FAN_OUT} delivered once each")


def _hold(emulator: BotApiEmulator, method: str) -> tuple[asyncio.Event, asyncio.Future[None]]:
    """Holds the bot's next call of `method` at Telegram's door until released; then it goes through."""
    reached, release = asyncio.Event(), asyncio.get_running_loop().create_future()
    original = emulator.state.faults.before_call

    async def before_call(name: str) -> None:
        if name == method.lower() and not release.done():
            reached.set()
            await release
        await original(name)

    emulator.state.faults.before_call = before_call  # type: ignore[method-assign]
    release.add_done_callback(lambda _: setattr(emulator.state.faults, "before_call", original))
    return reached, release


@pytest.mark.parametrize("held", ["answerCallbackQuery", "sendPhoto"],
                         ids=["before-the-press-is-answered", "before-the-payment-code"])
async def test_sigterm_during_konfirmasi_finishes_the_checkout_and_exits_0(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], process: BotProcess, held: str
) -> None:
    _, engine = database
    async with create_session_factory(engine).begin() as session:
        await staff_service.add_staff(session, GALERI_STAFF, "Rina", Role.STAFF, Line.GALERI)
    emulator.user(GALERI_STAFF, "Rina")
    await process.start()
    siti = emulator.user(1001, "Siti")
    await _goods_to_summary(siti)
    reached, release = _hold(emulator, held)
    await siti.press("Konfirmasi")
    await asyncio.wait_for(reached.wait(), 20)  # Konfirmasi is in flight: its call waits at Telegram's door
    assert process.proc is not None
    signalled = time.monotonic()
    process.proc.send_signal(signal.SIGTERM)
    await eventually(lambda: "stopping: no new updates" in process.log_text(), timeout=10,
                     what="the bot to begin stopping")
    release.set_result(None)
    code, seconds = await process.ended(signalled)
    assert code == 0 and seconds < STOP_LIMIT, process.log_text()

    async with create_session_factory(engine)() as session:
        orders = list(await session.scalars(select(Order)))
        payments = list(await session.scalars(select(Payment)))
    assert len(orders) == 1 and len(payments) == 1  # committed once, with its code
    [order] = orders
    assert any("Pesanan dibuat" in m.content and order.code in m.content for m in siti.inbox)
    [photo] = [m.photo for m in siti.inbox if m.photo is not None]  # the answer finished before the exit
    qr = read_qr(photo)
    assert (qr.amount, qr.bill_number) == (order.total, order.code.replace("-", ""))

    await process.start()  # the staff alert: sent during the stop, or given back and sent now; once either way
    await eventually(lambda: process.ran_after("outbox-dispatcher", "catch-up"), timeout=20,
                     what="the start-up catch-up, then an outbox pass")
    await eventually(lambda: deliveries_by_chat(emulator, "Pesanan baru")[GALERI_STAFF] >= 1, timeout=10,
                     what="the staff alert")
    assert deliveries_by_chat(emulator, "Pesanan baru")[GALERI_STAFF] == 1
    assert [m.photo for m in siti.inbox if m.photo is not None] == [photo]
