"""The whole story in one dialogue: a buyer orders and pays, staff confirm from the alert, the buyer collects."""

from __future__ import annotations

from models.order import OrderStatus
from models.people import Line, Role
from tests.flows.buyer_dialogues import bread_to_cart, checkout_to_summary, confirm, orders, read_qr, start
from tests.flows.staff_helpers import ensure_jobs
from tests.support.harness import Harness

BAKER = 501


async def test_a_bread_order_goes_from_chat_to_pickup(bot: Harness) -> None:
    ensure_jobs(bot)
    await bot.add_staff(BAKER, "Rina", Role.STAFF, Line.BAKERY)
    siti = bot.emulator.user(1001, "Siti")
    rina = bot.emulator.user(BAKER, "Rina")

    await start(siti)
    await bread_to_cart(siti, qty="12")
    await checkout_to_summary(siti)
    [photo] = await confirm(siti)
    [order] = await orders(bot)
    code = read_qr(photo)
    assert (code.amount, code.bill_number) == (42_000, order.code.replace("-", ""))

    alert = await rina.wait_for(f"Pesanan baru {order.code}", timeout=8)
    assert "12 pcs Roti Manis Isi Cokelat" in alert.content and "Rp42.000" in alert.content
    await rina.press(f"📋 {order.code}")
    card = await rina.wait_for("Menunggu Pembayaran")
    assert order.code in card.content
    await rina.press("Bayar masuk")
    await rina.wait_for("Rp42.000 dicatat")
    await siti.wait_for("sudah kami terima", timeout=8)

    await rina.send(f"/pesanan {order.code}")
    await rina.wait_for(order.code)
    await rina.press("Siap diambil")
    await rina.wait_for("Kode ambil")
    ready = await siti.wait_for("Siap Diambil", timeout=8)
    [stored] = await orders(bot)
    assert stored.status is OrderStatus.READY and stored.pickup_code in ready.content
