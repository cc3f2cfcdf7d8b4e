"""Property-based fuzzing against the real flows: random sequences of what buyers and a baker do in the chat
(order bread, tap Konfirmasi once or twice, cancel, confirm a payment, mark an order ready) with restarts of
the Application in between; after every step the invariants of issue 7 hold on what the bot stored and sent.
A whole dialogue per step is slow, so there are few examples; test_fuzz.py explores far more through the
services."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.emulator import BotMessage, EmulatedUser
from bot.emulator.server import BotApiEmulator
from models.order import Order, OrderStatus
from models.people import Line, Role
from models.services import staff as staff_service
from tests.flows.buyer_dialogues import bread_to_cart
from tests.reliability.conftest import TOKEN, RunningClock
from tests.reliability.fuzz_world import shop_invariants
from tests.reliability.support import SEND_METHODS, outbox_idle
from tests.support.eventually import eventually
from tests.support.harness import Harness, running_bot

BUYERS = (1001, 1002)
STAFF = 501
SLOTS = ("10.00–12.00 WIB", "14.00–16.00 WIB")
buyer = st.sampled_from(BUYERS)
STEPS = st.one_of(
    st.tuples(st.just("order"), buyer, st.integers(1, 30), st.sampled_from(SLOTS), st.integers(1, 2)),
    st.tuples(st.just("order"), buyer, st.integers(1, 30), st.sampled_from(SLOTS), st.integers(1, 2)),
    st.tuples(st.just("cancel"), buyer),
    st.tuples(st.just("pay"), st.integers(0, 20)),
    st.tuples(st.just("ready"), st.integers(0, 20)),
    st.tuples(st.just("restart")),
)


def _received(emulator: BotApiEmulator) -> Counter[tuple[int, str]]:
    """What reached each chat, as (chat, text or caption) counts."""
    return Counter(
        (int(c.params["chat_id"]), str(c.params.get("text") or c.params.get("caption") or ""))
        for c in emulator.calls if c.error is None and c.method in SEND_METHODS
    )


async def _orders(bot: Harness) -> list[Order]:
    async with bot.services.session_factory() as session:
        return list(await session.scalars(select(Order).order_by(Order.id).options(joinedload(Order.customer))))


async def _order(user: EmulatedUser, qty: int, slot: str, taps: int) -> None:
    """Bread for Saturday into the cart, checkout, and Konfirmasi tapped once or twice in a row."""
    await user.send("/start")
    await user.wait_for("Selamat datang")
    await bread_to_cart(user, qty=str(qty), slot=slot)
    await user.press("Pesan sekarang")

    def summary(m: BotMessage) -> bool:
        return any("Konfirmasi" in b for b in m.buttons)

    asked = await user.wait_for(lambda m: "nomor HP" in m.content or summary(m))
    if not summary(asked):
        await user.press_key("📱 Kirim nomor HP")
        asked = await user.wait_for(summary)
    data = next(b["callback_data"] for row in asked.inline_rows for b in row if "Konfirmasi" in b["text"])
    for _ in range(taps):
        await user.press_data(data, message_id=asked.message_id)
    await user.wait_for_photo()
    await user.wait_idle()


async def _cancel(user: EmulatedUser, bot: Harness) -> None:
    """The buyer cancels their newest order that still allows it, through Pesanan Saya."""
    mine = [o for o in await _orders(bot) if o.customer.telegram_id == user.id
            and o.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID)]
    if not mine:
        return
    await user.send("/pesananku")
    await user.wait_for("Pesanan Saya")
    await user.press(mine[-1].code)
    await user.wait_for(f"Pesanan {mine[-1].code}")
    if not any("Batalkan" in b for b in user.buttons()):
        return
    await user.press("Batalkan")
    await user.wait_for("Yakin membatalkan")
    await user.press("Ya, batalkan")
    await user.wait_idle()


async def _staff(bot: Harness, step: str, pick: int) -> None:
    """The baker confirms the payment of an order (/bayar) or marks it ready from its card."""
    orders = await _orders(bot)
    if not orders:
        return
    code = orders[pick % len(orders)].code
    rina = bot.emulator.user(STAFF, "Rina")
    if step == "pay":
        await rina.send(f"/bayar {code}")
        await rina.wait_idle()
        return
    await rina.send(f"/pesanan {code}")
    card = await rina.wait_for(code)
    if any("Siap diambil" in b for b in card.buttons):
        await rina.press("Siap diambil", message_id=card.message_id)
    await rina.wait_idle()


async def _play(emulator: BotApiEmulator, url: str, steps: list[tuple[Any, ...]]) -> None:
    """Plays the steps against the running bot, restarting it when asked; checks invariants after each."""
    clock = RunningClock.__new__(RunningClock)
    clock.set_wib(2026, 11, 27, 9, 0)
    first = True
    while steps:
        async with running_bot(emulator, url, clock, with_jobs=True, catalogue=first) as bot:
            if first:
                async with bot.services.session_factory.begin() as session:
                    await staff_service.add_staff(session, STAFF, "Rina", Role.STAFF, Line.BAKERY)
                emulator.user(STAFF, "Rina")
                first = False
            while steps:
                name, *args = steps.pop(0)
                if name == "restart":
                    break
                if name == "order":
                    await _order(emulator.user(args[0], f"Pembeli {args[0]}"), args[1], args[2], args[3])
                elif name == "cancel":
                    await _cancel(emulator.user(args[0], f"Pembeli {args[0]}"), bot)
                else:
                    await _staff(bot, name, args[0])
                await shop_invariants(bot.services.session_factory, _received(emulator), 0)
            await eventually(lambda: outbox_idle(bot), timeout=20, what="the dispatcher to send what is due")
            await shop_invariants(bot.services.session_factory, _received(emulator), 0)


@settings(max_examples=1, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEPS, min_size=3, max_size=7))
@example(steps=[("order", 1001, 12, SLOTS[0], 2), ("restart",), ("order", 1002, 30, SLOTS[1], 1), ("pay", 0),
                ("ready", 0), ("restart",), ("cancel", 1002), ("order", 1002, 5, SLOTS[0], 2), ("pay", 2)])
@pytest.mark.slow
def test_random_chat_sessions_with_restarts_keep_every_invariant(tmp_path: Path, steps: list[tuple[Any, ...]]) -> None:
    async def main() -> None:
        async with BotApiEmulator(token=TOKEN) as emulator:
            target = tmp_path / "flows.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            await _play(emulator, f"sqlite+aiosqlite:///{target}", list(steps))

    asyncio.run(main())
