"""Dialogues: Pesanan Saya, cancelling, ordering again, paying again, sending a proof, deep links."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlalchemy import select

from models.calendar import DayCapacity
from models.order import Order, OrderStatus
from models.payment import PaymentState
from models.people import Line, Role
from models.services import fulfilment, ordering, payments
from tests.flows.buyer_dialogues import (
    bread_to_cart,
    checkout_to_summary,
    confirm,
    open_product,
    orders,
    outbox,
    start,
)
from tests.flows.buyer_dialogues import payments as all_payments
from tests.support.harness import Harness


def _receipt_png() -> bytes:
    """A small PNG standing in for a screenshot of a banking app."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 100), color=(20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


async def _bread_order(
    bot: Harness, user_id: int = 1001, name: str = "Siti", qty: str = "10", *, first: bool = True
) -> Order:
    """A buyer with one more bread order for Saturday awaiting payment (the phone is asked the first time)."""
    user = bot.emulator.user(user_id, name)
    await start(user)
    await bread_to_cart(user, qty=qty)
    await checkout_to_summary(user, share_contact=first)
    await confirm(user)
    return (await orders(bot))[-1]


async def test_pesanan_saya_lists_orders_with_status_words_and_cancel_releases_capacity(bot: Harness) -> None:
    await bot.add_staff(501, "Bu Rina", Role.STAFF, Line.BAKERY)
    order = await _bread_order(bot)
    siti = bot.emulator.user(1001, "Siti")
    await siti.send("/pesananku")
    listing = await siti.wait_for("Pesanan Saya")
    assert listing.buttons[0] == f"{order.code} · Sab 28/11 · Menunggu Pembayaran"
    await siti.press(order.code)
    detail = await siti.wait_for(f"Pesanan {order.code}")
    assert "Status: Menunggu Pembayaran" in detail.content and "Bayar sebelum 11.00 WIB" in detail.content
    assert "10 pcs Roti Manis Isi Cokelat" in detail.content
    await siti.press("Batalkan")
    await siti.wait_for("Yakin membatalkan")
    await siti.press("Ya, batalkan")
    cancelled = await siti.wait_for("Status: Dibatalkan")
    assert "Batalkan" not in " ".join(cancelled.buttons)
    [after] = await orders(bot)
    assert after.status is OrderStatus.CANCELLED
    async with bot.services.session_factory() as session:
        assert (await session.scalar(select(DayCapacity.committed))) == 0
    assert (await all_payments(bot))[0].state is PaymentState.EXPIRED
    assert any("dibatalkan pembeli" in m.text and m.chat_id == 501 for m in await outbox(bot))


async def test_pesan_lagi_puts_a_bread_order_back_in_the_cart_for_a_new_date(bot: Harness) -> None:
    order = await _bread_order(bot, qty="7")
    siti = bot.emulator.user(1001, "Siti")
    await siti.send(f"/start o_{order.code}")
    await siti.wait_for(f"Pesanan {order.code}")
    await siti.press("Pesan lagi")
    await siti.wait_for("Pilih tanggal ambil:")
    await siti.press("Sen 30/11")
    await siti.wait_for("Pilih jam ambil")
    await siti.press("14.00–16.00 WIB")
    cart = await siti.wait_for("Keranjang")
    assert "7 pcs Roti Manis Isi Cokelat" in cart.content
    assert "ambil Senin, 30 November 2026, 14.00–16.00 WIB" in cart.content
    await siti.press("Pesan sekarang")
    await siti.wait_for("Ringkasan pesanan")
    await confirm(siti)
    assert [o.fulfil_date for o in await orders(bot)] == [date(2026, 11, 28), date(2026, 11, 30)]


async def test_pesan_lagi_of_goods_goes_straight_to_the_cart(bot: Harness) -> None:
    rina = bot.emulator.user(3003, "Rina")
    await start(rina)
    await open_product(rina, "Tas", "Tas Tangan Wanita")
    await rina.press("Pesan")
    await rina.wait_for("Berapa pcs")
    await rina.press("2")
    await rina.wait_for("Masuk keranjang")
    await checkout_to_summary(rina)
    await confirm(rina)
    [order] = await orders(bot)
    await rina.send("/pesananku")
    await rina.wait_for("Pesanan Saya")
    await rina.press(order.code)
    await rina.wait_for(f"Pesanan {order.code}")
    await rina.press("Pesan lagi")
    cart = await rina.wait_for("Keranjang")
    assert "2 pcs Tas Tangan Wanita" in cart.content and "Rp250.000" in cart.content


async def test_saya_sudah_bayar_sends_the_proof_photo_to_the_staff_of_the_line(bot: Harness) -> None:
    await bot.add_staff(501, "Bu Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(502, "Pak Joko", Role.STAFF, Line.PAVING)
    order = await _bread_order(bot)
    siti = bot.emulator.user(1001, "Siti")
    await siti.press("Saya sudah bayar")
    await siti.wait_for("kirim foto bukti pembayaran Rp35.000")
    await siti.send("sudah transfer pak")
    await siti.wait_for("sebagai foto")
    await siti.send_photo(_receipt_png())
    await siti.wait_for("sudah diteruskan ke petugas")
    [payment] = await all_payments(bot)
    assert payment.proof_file_id
    [alert] = [m for m in await outbox(bot) if m.template == "buyer.proof"]
    assert alert.chat_id == 501
    assert order.code in alert.text and "Rp35.000" in alert.text
    assert alert.attachment == {"type": "photo", "file_id": payment.proof_file_id}
    data = [b["callback_data"] for row in (alert.reply_markup or {})["inline_keyboard"] for b in row]
    assert data == [f"spok:{payment.id}", f"spno:{payment.id}"]
    await siti.send("halo")
    await siti.wait_for("belum mengerti")


async def test_bayar_resends_the_code_by_file_id_and_the_balance_after_a_deposit(bot: Harness) -> None:
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", "Paving Bata 21x10,5x8")
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    await budi.send("1000 biji")
    await budi.wait_for("Perhitungan")
    await budi.press("Masukkan keranjang")
    await budi.wait_for("Masuk keranjang")
    await budi.press("Pesan sekarang")
    await budi.wait_for("kami perlu nomor HP")
    await budi.press_key("📱 Kirim nomor HP")
    await budi.wait_for("diambil sendiri atau diantar")
    await budi.press("Ambil sendiri")
    await budi.wait_for("Ringkasan pesanan")
    await confirm(budi)
    [order] = await orders(bot)
    [deposit] = await all_payments(bot)
    await budi.press("Lihat pesanan")
    await budi.wait_for(f"Pesanan {order.code}")
    await budi.press("Bayar")
    await budi.wait_for_photo()
    assert bot.emulator.calls_to("sendPhoto")[-1].params["photo"] == deposit.qr_file_id
    async with bot.services.session_factory.begin() as session:
        paid = await payments.get_payment(session, deposit.id)
        await payments.confirm_payment(session, paid, staff_telegram_id=501, now=bot.clock())
    await budi.send(f"/start o_{order.code}")
    detail = await budi.wait_for(f"Pesanan {order.code}")
    assert "Status: Dibayar Sebagian (DP)" in detail.content and "Sisa: Rp1.400.000" in detail.content
    await budi.press("Bayar")
    balance = await budi.wait_for("Pelunasan pesanan")
    assert "Rp1.400.000" in balance.content and "satu juta empat ratus ribu rupiah" in balance.content


async def test_ready_orders_show_the_pickup_code_and_staff_cancellations_show_the_reason(bot: Harness) -> None:
    first = await _bread_order(bot, qty="5")
    second = await _bread_order(bot, qty="6", first=False)
    [payment] = [p for p in await all_payments(bot) if p.order_id == first.id]
    async with bot.services.session_factory.begin() as session:
        one = await ordering.get_order(session, first.code)
        await payments.confirm_payment(
            session, await payments.get_payment(session, payment.id), staff_telegram_id=501, now=bot.clock()
        )
        await fulfilment.mark_ready(session, one, staff_telegram_id=501, now=bot.clock())
        two = await ordering.get_order(session, second.code)
        await fulfilment.cancel_by_staff(session, two, staff_telegram_id=501, reason="Oven rusak", now=bot.clock())
        pickup_code = one.pickup_code
    siti = bot.emulator.user(1001, "Siti")
    await siti.send(f"/start o_{first.code}")
    ready = await siti.wait_for("Siap Diambil")
    assert f"Kode ambil: {pickup_code}" in ready.content and "Tempat ambil: Jl. Pemasyarakatan" in ready.content
    await siti.send(second.code.lower().replace("-", " "))
    cancelled = await siti.wait_for("Status: Dibatalkan")
    assert "Alasan: Oven rusak" in cancelled.content


async def test_deep_links_open_a_product_and_only_the_buyers_own_order(bot: Harness) -> None:
    order = await _bread_order(bot)
    budi = bot.emulator.user(2002, "Budi")
    await budi.open_deep_link("p_PVB-HEX-6")
    card = await budi.wait_for("Paving Segi Enam")
    assert "Isi: 25 biji per m²" in card.content
    await budi.open_deep_link(f"o_{order.code}")
    await budi.wait_for("tombol ini sudah tidak berlaku")
    await budi.open_deep_link("p_TIDAK-ADA")
    await budi.wait_for("produk ini sedang tidak tersedia")
    await budi.send(order.code)
    await budi.wait_for("belum mengerti")
