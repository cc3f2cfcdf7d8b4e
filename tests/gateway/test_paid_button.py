""""Saya sudah bayar" under a Midtrans code asks the gateway there and then (no proof photo): paid -> "Lunas",
not yet -> a polite "belum diterima", gateway unreachable -> "coba lagi sebentar lagi"; under the static QRIS it
still asks for the proof photo. Through the Bot API emulator and the local sandbox, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.emulator import EmulatedUser
from bot.emulator.server import BotApiEmulator
from bot.routing.actions import Step
from models.conversation import ChatState
from models.order import OrderStatus
from models.payment import ConfirmedVia, PaymentState
from tests.flows.buyer_dialogues import confirm
from tests.gateway.support import BUYER, GatewayShop, ordered, to_summary
from tests.reliability.conftest import RunningClock
from tests.support.eventually import eventually
from tests.web.support import WebBot, web_bot

PAID_BUTTON = "✅ Saya sudah bayar"


async def _press_paid(buyer: EmulatedUser) -> str:
    """Presses "Saya sudah bayar" under the payment photo; returns the query id once the press is answered."""
    photo = next(m for m in reversed(buyer.inbox) if m.photo is not None)
    query = await buyer.press(PAID_BUTTON, message_id=photo.message_id)
    await eventually(lambda: buyer.callback_answer(query) is not None, timeout=15, what="the press answered")
    return query


async def _chat_step(shop: GatewayShop) -> str | None:
    """The buyer's chat step as stored (None: idle)."""
    async with shop.services.session_factory() as session:
        state = await session.get(ChatState, BUYER)
        return state.step if state is not None else None


async def test_paid_at_midtrans_but_the_notification_was_lost_the_button_books_it(shop: GatewayShop) -> None:
    order_id = await ordered(shop)
    shop.sandbox.faults.notifications.lose()
    shop.sandbox.pay(order_id)
    await shop.sandbox.idle()
    [payment] = await shop.payments()
    assert payment.state is PaymentState.PENDING  # the bot has heard nothing

    await _press_paid(shop.buyer)
    lunas = await shop.buyer.wait_for("Lunas. Pembayaran", timeout=15)
    assert "Rp42.000" in lunas.content and "foto" not in lunas.content
    [payment] = await shop.payments()
    assert (payment.state, payment.confirmed_via) == (PaymentState.PAID, ConfirmedVia.MIDTRANS)
    [order] = await shop.orders()
    assert (order.status, order.paid_amount) == (OrderStatus.PAID, 42_000)
    await shop.staff.wait_for("Midtrans", timeout=15)  # the same alert as after a notification
    assert await _chat_step(shop) != Step.PROOF.value

    again = shop.buyer.callback_answer(await _press_paid(shop.buyer))  # again: said politely, booked once
    assert again is not None and "sudah kami terima" in again["text"]
    assert [p.state for p in await shop.payments()] == [PaymentState.PAID]


async def test_not_paid_yet_the_button_says_so_politely_and_asks_for_no_photo(shop: GatewayShop) -> None:
    await ordered(shop)
    await _press_paid(shop.buyer)
    answer = await shop.buyer.wait_for("belum diterima", timeout=15)
    assert answer.content == "Pembayaran belum diterima. Biasanya masuk dalam beberapa menit; kami kabari otomatis."
    assert await _chat_step(shop) != Step.PROOF.value
    [payment] = await shop.payments()
    assert payment.state is PaymentState.PENDING and payment.provider_checked_at is not None  # asked, booked


async def test_a_gateway_that_does_not_answer_gets_try_again_in_a_moment(shop: GatewayShop) -> None:
    await ordered(shop)
    shop.sandbox.faults.api.server_errors(shop.gateway.attempts, calls=["status"])
    query = await _press_paid(shop.buyer)
    answer = shop.buyer.callback_answer(query)
    assert answer is not None and answer["show_alert"]
    assert "coba lagi sebentar lagi" in answer["text"] and "Mohon maaf" in answer["text"]
    assert await _chat_step(shop) != Step.PROOF.value
    [payment] = await shop.payments()
    assert payment.state is PaymentState.PENDING


@pytest.fixture
async def static_bot(
    emulator: BotApiEmulator, clock: RunningClock, tmp_path: Path
) -> AsyncIterator[WebBot]:
    """The same bot with the default static QRIS (no gateway), on an SQLite file."""
    async with web_bot(emulator, f"sqlite+aiosqlite:///{tmp_path / 'static.sqlite3'}", clock) as bot:
        yield bot


async def test_under_the_static_qris_the_button_still_asks_for_the_proof_photo(
    static_bot: WebBot, emulator: BotApiEmulator
) -> None:
    buyer = emulator.user(BUYER, "Sari")
    await to_summary(buyer)
    await confirm(buyer)
    await _press_paid(buyer)
    prompt = await buyer.wait_for("bukti pembayaran", timeout=15)
    assert "foto" in prompt.content and "Rp42.000" in prompt.content
