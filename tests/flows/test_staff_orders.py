"""Staff at the counter: confirm a payment (twice counts once), mark ready, the buyer gets the pickup code."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.order import OrderStatus
from models.payment import Payment, PaymentState
from models.people import Line, Role
from tests.flows.staff_helpers import ensure_jobs, place, reload
from tests.support.harness import Harness

STAFF = 501
BUYER = 1001


@pytest.fixture(autouse=True)
def _jobs(bot: Harness) -> None:
    """The scheduled jobs (the outbox dispatcher above all) run in these flows."""
    ensure_jobs(bot)


async def test_staff_confirm_twice_counts_once_and_ready_sends_the_pickup_code(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    order, payment = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    staff = bot.emulator.user(STAFF, "Rina")
    buyer = bot.emulator.user(BUYER, "Siti")

    await staff.send(f"/pesanan {order.code.lower()}")
    card = await staff.wait_for(order.code)
    assert "Menunggu Pembayaran" in card.content
    assert any("Bayar masuk Rp35.000" in b for b in card.buttons)
    assert not any("Siap diambil" in b for b in card.buttons)

    await staff.press("Bayar masuk")
    await staff.wait_for("Rp35.000 dicatat")
    await staff.press_data(f"sp:{payment.id}", message_id=card.message_id)
    await staff.wait_idle()
    stored = await reload(bot, order.code)
    assert stored.paid_amount == 35_000 and stored.status is OrderStatus.PAID
    async with bot.services.session_factory() as s:
        paid = await s.scalar(select(func.count(Payment.id)).where(Payment.state == PaymentState.PAID))
    assert paid == 1
    await buyer.wait_for("sudah kami terima")

    await staff.send(f"/pesanan {order.code}")
    await staff.wait_for(order.code)
    await staff.press("Siap diambil")
    await staff.wait_for("Kode ambil")
    stored = await reload(bot, order.code)
    assert stored.status is OrderStatus.READY and stored.pickup_code
    notice = await buyer.wait_for("Siap Diambil", timeout=8)
    assert stored.pickup_code in notice.content
    assert "Jl. Pemasyarakatan" in notice.content


async def test_staff_and_managers_are_greeted_with_the_command_for_their_own_work(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(601, "Pak Budi", Role.MANAGER)
    await bot.add_staff(602, "Mr Tan", Role.ADMIN)
    greetings = {}
    for user in (bot.emulator.user(STAFF, "Rina"), bot.emulator.user(601, "Pak Budi"),
                 bot.emulator.user(602, "Mr Tan", language_code="en"), bot.emulator.user(BUYER, "Siti")):
        await user.send("/start")
        greetings[user.id] = (await user.wait_for("🙏")).text
    assert greetings[STAFF].endswith("Silakan pilih menu:\n\nUntuk tugas petugas: /petugas")
    assert greetings[601].endswith("Untuk tugas pimpinan: /pimpinan · tugas petugas: /petugas")
    assert greetings[602].endswith("Please choose:\n\nManager work: /pimpinan · staff work: /petugas")
    assert greetings[BUYER].endswith("Silakan pilih menu:")  # a buyer's greeting names no staff command
    await bot.emulator.user(STAFF).send("/petugas")
    assert "/hariini" in (await bot.emulator.user(STAFF).wait_for("Menu petugas")).text
