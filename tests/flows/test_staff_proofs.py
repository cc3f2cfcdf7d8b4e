"""Payment proofs reach staff with Approve / Reject; cancelling with a reason; expiry tells the buyer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.keyboards import button, markup
from models.calendar import DayCapacity
from models.order import OrderStatus
from models.payment import Payment, PaymentState
from models.people import Line, Role
from models.services import outbox
from tests.flows.staff_helpers import SATURDAY, ensure_jobs, place, reload
from tests.support.harness import Harness

STAFF = 501
BUYER = 1001


@pytest.fixture(autouse=True)
def _jobs(bot: Harness) -> None:
    """The dispatcher and the expiry job run."""
    ensure_jobs(bot)


async def _proof_to_staff(bot: Harness, payment_id: int, code: str) -> None:
    """What the buyer side queues when a buyer sends a proof photo."""
    keyboard = markup([button("✅ Setujui", "spok", payment_id), button("✖ Tolak", "spno", payment_id)])
    async with bot.services.session_factory.begin() as s:
        await outbox.enqueue(s, STAFF, f"Bukti bayar {code}", due_at=bot.clock(), reply_markup=keyboard.to_dict(),
                             template="buyer.proof")


async def test_approving_a_proof_confirms_the_payment_once_and_tells_the_buyer(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    order, payment = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    staff = bot.emulator.user(STAFF, "Rina")
    buyer = bot.emulator.user(BUYER, "Siti")
    await _proof_to_staff(bot, payment.id, order.code)
    alert = await staff.wait_for("Bukti bayar", timeout=8)
    await staff.press("Setujui", message_id=alert.message_id)
    edited = await staff.wait_for("Rp35.000 dicatat")
    assert edited.buttons == []
    await staff.press_data(f"spok:{payment.id}", message_id=alert.message_id)
    await staff.wait_idle()
    assert (await reload(bot, order.code)).paid_amount == 35_000
    await buyer.wait_for("sudah kami terima", timeout=8)


async def test_rejecting_a_proof_keeps_the_code_payable_and_tells_the_buyer(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    order, payment = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    staff = bot.emulator.user(STAFF, "Rina")
    buyer = bot.emulator.user(BUYER, "Siti")
    await _proof_to_staff(bot, payment.id, order.code)
    alert = await staff.wait_for("Bukti bayar", timeout=8)
    await staff.press("Tolak", message_id=alert.message_id)
    await staff.wait_for("bukti ditolak")
    await buyer.wait_for("belum kami temukan", timeout=8)
    async with bot.services.session_factory() as s:
        state = await s.scalar(select(Payment.state).where(Payment.id == payment.id))
    assert state is PaymentState.PENDING
    assert (await reload(bot, order.code)).status is OrderStatus.AWAITING_PAYMENT


async def test_cancel_with_a_reason_releases_capacity_and_tells_the_buyer(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    order, _ = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    staff = bot.emulator.user(STAFF, "Rina")
    buyer = bot.emulator.user(BUYER, "Siti")
    await staff.send(f"/pesanan {order.code}")
    await staff.wait_for(order.code)
    await staff.press("Batalkan")
    await staff.wait_for("Ketik alasan pembatalan")
    await staff.send("Oven rusak")
    await staff.wait_for("dibatalkan. Pembeli diberi tahu")
    assert (await reload(bot, order.code)).status is OrderStatus.CANCELLED
    notice = await buyer.wait_for("dibatalkan oleh petugas", timeout=8)
    assert "Alasan: Oven rusak" in notice.content
    async with bot.services.session_factory() as s:
        assert await s.scalar(select(DayCapacity.committed).where(DayCapacity.day == SATURDAY)) == 0


async def test_an_unpaid_order_expires_releases_capacity_and_the_buyer_is_told(bot: Harness) -> None:
    order, _ = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    buyer = bot.emulator.user(BUYER, "Siti")
    bot.clock.advance(minutes=61)
    from jobs.registry import catch_up

    await catch_up(bot.services)
    assert (await reload(bot, order.code)).status is OrderStatus.EXPIRED
    await buyer.wait_for("Waktu pembayaran", timeout=8)
    async with bot.services.session_factory() as s:
        assert await s.scalar(select(DayCapacity.committed).where(DayCapacity.day == SATURDAY)) == 0
