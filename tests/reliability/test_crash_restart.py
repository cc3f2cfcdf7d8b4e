"""Crash and restart: `python -m bot run` killed with SIGKILL at the worst moments, then started again.

The clock is the real one here (it is another process), so the tests order goods from stock, which any day
allows, and put the reminder slot half an hour ahead of now.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.emulator import EmulatedUser
from bot.emulator.errors import ApiError
from bot.emulator.server import BotApiEmulator
from bot.settings import Settings
from jobs.builders import Schedule, build_reminders
from models.calendar import PickupSlot
from models.catalog import Family, Product
from models.db import create_session_factory
from models.order import ActorKind, Order, OrderLine, OrderStatus, StatusChange
from models.outbox import OutboxMessage, OutboxState
from models.payment import Payment
from models.people import Customer
from models.rules.calendar import to_wib
from tests.flows.buyer_dialogues import checkout_to_summary, open_product, read_qr
from tests.reliability.botprocess import BotProcess
from tests.reliability.conftest import TOKEN
from tests.reliability.support import SEND_METHODS, deliveries_by_chat
from tests.support.calls import unanswered_calls
from tests.support.eventually import eventually

pytestmark = pytest.mark.slow
FAN_OUT = 500
FIRST_BUYER = 20_000


@pytest.fixture
async def process(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], tmp_path: Path
) -> AsyncIterator[BotProcess]:
    """The bot installation; whatever runs at the end is stopped, and its logs must hold no token."""
    bot = BotProcess(emulator, database[0], tmp_path)
    yield bot
    if bot.proc is not None:
        await bot.stop()
    output = bot.output()  # every run logged at DEBUG
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "Siti" not in output and "81234567890" not in output  # the buyer's name and phone number


async def _seed_reminders(engine: AsyncEngine, emulator: BotApiEmulator, now: datetime) -> int:
    """500 paid orders collected today in a slot starting in half an hour; the real builder queues reminders."""
    local = to_wib(now)
    starts = (local + timedelta(minutes=30)).time() if local.time() < time(23, 20) else time(23, 59)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        bread = await session.scalar(select(Product).where(Product.sku == "RTI-MNS-CKL"))
        assert bread is not None
        slot = PickupSlot(family=Family.BREAD, starts_at=starts, ends_at=time(23, 59), capacity=FAN_OUT, active=True)
        session.add(slot)
        await session.flush()
        for i in range(FAN_OUT):
            chat = FIRST_BUYER + i
            emulator.user(chat, f"Warga {i}")
            customer = Customer(telegram_id=chat, name=f"Warga {i}", language="id")
            session.add(customer)
            await session.flush()
            session.add(Order(
                code=f"KB-R{i:05d}", customer_id=customer.id, family=Family.BREAD, status=OrderStatus.PAID,
                fulfil_date=local.date(), slot_id=slot.id, total=bread.price, paid_amount=bread.price, created_at=now,
                lines=[OrderLine(product_id=bread.id, quantity=1, unit_price=bread.price, line_total=bread.price)],
                history=[StatusChange(from_status=None, to_status=OrderStatus.AWAITING_PAYMENT,
                                      actor_kind=ActorKind.CUSTOMER, actor_id=customer.id, at=now),
                         StatusChange(from_status=OrderStatus.AWAITING_PAYMENT, to_status=OrderStatus.PAID,
                                      actor_kind=ActorKind.STAFF, actor_id=1, at=now)],
            ))
        await session.flush()
        return await build_reminders(session, now=now, schedule=Schedule.of(Settings(_env_file=None)))


async def _reminder_states(engine: AsyncEngine) -> dict[int, OutboxState]:
    """The state of each buyer's reminder row, by chat."""
    async with create_session_factory(engine)() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.template == "reminder"))
        return {r.chat_id: r.state for r in rows}


async def test_sigkill_in_a_500_reminder_fan_out_then_restart_delivers_every_reminder(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], process: BotProcess
) -> None:
    now = datetime.now(UTC)
    if to_wib(now).time() >= time(23, 50):
        pytest.skip("no pickup slot can start later today (WIB); the fan-out needs one")
    _, engine = database
    assert await _seed_reminders(engine, emulator, now) == FAN_OUT
    chats = [FIRST_BUYER + i for i in range(FAN_OUT)]
    await process.start()
    await eventually(lambda: _delivered_at_least(emulator, 230), timeout=60, what="230 reminders out")  # mid-batch
    await process.kill()
    await process.drained()  # a request already on the wire still reaches Telegram
    before = deliveries_by_chat(emulator, "Pengingat")
    states = await _reminder_states(engine)
    recorded = {chat for chat, state in states.items() if state is OutboxState.SENT}
    in_flight = set(before) - recorded  # reached Telegram, but the bot died before writing it down
    orphaned = sum(state is OutboxState.SENDING for state in states.values())
    await process.start()

    async def all_sent() -> bool:
        return all(state is OutboxState.SENT for state in (await _reminder_states(engine)).values())

    await eventually(all_sent, timeout=90, every=0.2, what="every reminder row SENT")
    await eventually(lambda: not unanswered_calls(emulator, SEND_METHODS), what="the last sends to be answered")
    after = deliveries_by_chat(emulator, "Pengingat")
    missing = [chat for chat in chats if after[chat] == 0]
    doubled = {chat for chat in chats if after[chat] > 1}
    assert orphaned > 0  # the kill left claimed rows behind: their lease had to run out
    assert missing == []
    assert doubled <= in_flight and len(in_flight) <= 1
    assert sum(after.values()) == FAN_OUT + len(doubled)
    print(f"[reliability] SIGKILL after {sum(before.values())}/{FAN_OUT} reminders ({orphaned} claimed rows "
          f"orphaned, {len(in_flight)} in flight): after restart {FAN_OUT - len(missing)}/{FAN_OUT} delivered, "
          f"{len(doubled)} twice")


async def _delivered_at_least(emulator: BotApiEmulator, n: int) -> bool:
    """True once n reminders reached their chats."""
    return sum(deliveries_by_chat(emulator, "Pengingat").values()) >= n


async def _goods_to_summary(user: EmulatedUser) -> None:
    """A bag from stock in the cart, checkout up to the summary (the phone shared by the contact key)."""
    await user.send("/start")
    await user.wait_for("Selamat datang", timeout=20)
    await open_product(user, "Tas", "Tas Tangan Wanita")
    await user.press("Pesan")
    await user.wait_for("Berapa pcs")
    await user.send("1")
    await user.wait_for("Masuk keranjang")
    await checkout_to_summary(user)


def _hang(emulator: BotApiEmulator, method: str) -> tuple[asyncio.Event, asyncio.Future[None]]:
    """Holds the bot's next call of `method` at Telegram's door; releasing it fails the call (nothing shown)."""
    reached, release = asyncio.Event(), asyncio.get_running_loop().create_future()
    original = emulator.state.faults.before_call

    async def before_call(name: str) -> None:
        if name == method.lower() and not release.done():
            reached.set()
            await release
            raise ApiError(500, "Internal Server Error")
        await original(name)

    emulator.state.faults.before_call = before_call  # type: ignore[method-assign]
    release.add_done_callback(lambda _: setattr(emulator.state.faults, "before_call", original))
    return reached, release


async def _orders_and_payments(engine: AsyncEngine) -> tuple[list[Order], list[Payment]]:
    """Every order and payment in the database."""
    async with create_session_factory(engine)() as session:
        orders = list(await session.scalars(select(Order)))
        payments = list(await session.scalars(select(Payment)))
    return orders, payments


Recovery = Callable[[EmulatedUser, str, int], Awaitable[str | None]]


async def _konfirmasi_again(user: EmulatedUser, data: str, message_id: int) -> str | None:
    """The summary still shows Konfirmasi: the buyer presses it again; returns the answer's text."""
    query = await user.press_data(data, message_id=message_id)
    await user.wait_for_photo(timeout=20)
    answer = user.callback_answer(query)
    return str(answer.get("text")) if answer else None


async def _pesanan_saya(user: EmulatedUser, _: str, __: int) -> str | None:
    """The placed screen shows "Pesanan Saya": the buyer opens the order and presses Bayar."""
    await user.press("Pesanan Saya")
    await user.wait_for("Pesanan Saya", timeout=20)
    await user.press("KB-")
    await user.wait_for("Status", timeout=20)
    await user.press("Bayar")
    await user.wait_for_photo(timeout=20)
    return None


@pytest.mark.parametrize(
    ("held", "recovery"),
    [("editMessageText", _konfirmasi_again), ("sendPhoto", _pesanan_saya)],
    ids=["killed-before-the-placed-screen", "killed-before-the-payment-code"],
)
async def test_sigkill_between_konfirmasi_and_the_payment_code_leaves_one_order_whose_code_comes_after_restart(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], process: BotProcess, held: str, recovery: Recovery
) -> None:
    _, engine = database
    await process.start()
    siti = emulator.user(1001, "Siti")
    await _goods_to_summary(siti)
    summary = siti.last_message
    assert summary is not None
    data = next(b["callback_data"] for row in summary.inline_rows for b in row if "Konfirmasi" in b["text"])
    reached, release = _hang(emulator, held)
    await siti.press("Konfirmasi")
    await asyncio.wait_for(reached.wait(), 20)
    await process.kill()
    release.set_result(None)
    orders, payments = await _orders_and_payments(engine)
    assert len(orders) == 1 and len(payments) == 1  # the order and its code were committed together
    assert not [m for m in siti.inbox if m.photo is not None]
    await process.start()
    # The restarted bot's own work is done: the start-up catch-up, then an outbox pass begun after it.
    await eventually(lambda: process.ran_after("outbox-dispatcher", "catch-up"), timeout=20,
                     what="the start-up catch-up, then an outbox pass")
    assert not [m for m in siti.inbox if m.photo is not None]  # by design nothing arrives by itself
    answer = await recovery(siti, data, summary.message_id)
    [photo] = [m.photo for m in siti.inbox if m.photo is not None]
    code = read_qr(photo)
    [order] = (await _orders_and_payments(engine))[0]
    assert (code.amount, code.bill_number) == (order.total, order.code.replace("-", ""))
    if answer is not None:
        assert "sudah dibuat" in answer
    orders, payments = await _orders_and_payments(engine)
    assert len(orders) == 1 and len(payments) == 1


async def test_sigkill_mid_checkout_then_restart_the_buyer_continues_where_they_were(
    emulator: BotApiEmulator, database: tuple[Path, AsyncEngine], process: BotProcess
) -> None:
    _, engine = database
    await process.start()
    siti = emulator.user(1001, "Siti")
    await siti.send("/start")
    await siti.wait_for("Selamat datang", timeout=20)
    await open_product(siti, "Tas", "Tas Tangan Wanita")
    await siti.press("Pesan")
    await siti.wait_for("Berapa pcs")
    await siti.send("2")
    await siti.wait_for("Masuk keranjang")
    await siti.press("Pesan sekarang")
    await siti.wait_for("nomor HP")
    await siti.wait_idle()
    await process.kill()  # asked for the phone number
    await process.start()
    await siti.press_key("📱 Kirim nomor HP")
    summary = await siti.wait_for("Ringkasan pesanan", timeout=20)
    assert "2 pcs Tas Tangan Wanita" in summary.content
    await siti.wait_idle()
    await process.kill()  # at the summary
    await process.start()
    await siti.press("Konfirmasi")
    await siti.wait_for("Pesanan dibuat", timeout=20)
    photo = await siti.wait_for_photo(timeout=20)
    assert photo.photo is not None and read_qr(photo.photo).amount == 250_000
    orders, payments = await _orders_and_payments(engine)
    assert len(orders) == 1 and len(payments) == 1 and orders[0].total == 250_000
