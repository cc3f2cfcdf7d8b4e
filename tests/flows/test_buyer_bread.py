"""Dialogues: a buyer orders bread for tomorrow, through dates, slots, quantities, checkout and the QRIS code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.emulator import BotApiEmulator
from models.audit import AuditEntry
from models.calendar import DayCapacity
from models.catalog import Product
from models.conversation import CartItem
from models.order import Order, OrderStatus
from models.people import Line, Role
from models.services import ledger, weekly
from tests.flows.buyer_dialogues import (
    MORNING,
    SATURDAY,
    answer_text,
    assert_every_press_answered_once,
    bread_to_cart,
    checkout_to_summary,
    confirm,
    count,
    open_product,
    orders,
    outbox,
    payments,
    read_qr,
    start,
)
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot


async def test_bread_for_tomorrow_is_ordered_and_paid_with_a_qr_for_the_exact_amount(bot: Harness) -> None:
    await bot.add_staff(501, "Bu Rina", Role.STAFF, Line.BAKERY)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="12")
    await checkout_to_summary(siti)
    summary = siti.last_message
    assert summary is not None
    assert "Roti: ambil Sabtu, 28 November 2026, 10.00–12.00 WIB" in summary.content
    assert "Total: Rp42.000" in summary.content and "+62812****890" in summary.content
    [photo] = await confirm(siti)

    [order] = await orders(bot)
    assert (order.status, order.total, order.fulfil_date) == (OrderStatus.AWAITING_PAYMENT, 42_000, date(2026, 11, 28))
    code = read_qr(photo)
    assert code.amount == 42_000
    assert code.bill_number == order.code.replace("-", "")
    caption = next(m for m in siti.inbox if m.photo is not None)
    assert "Rp42.000" in caption.content and "empat puluh dua ribu rupiah" in caption.content
    assert order.code in caption.content and "Bayar sebelum 11.00 WIB" in caption.content
    assert caption.buttons == ["✅ Saya sudah bayar", "📦 Lihat pesanan"]
    [payment] = await payments(bot)
    assert payment.qr_file_id and payment.payload == code.payload
    [alert] = [m for m in await outbox(bot) if m.chat_id == 501 and m.template == "buyer.new_order"]
    assert order.code in alert.text and "Pesanan baru" in alert.text and "12 pcs Roti Manis" in alert.text
    await assert_every_press_answered_once(bot)


async def test_the_pickup_dates_say_why_a_date_cannot_be_chosen(bot: Harness, clock: FakeClock) -> None:
    clock.set_wib(2026, 11, 27, 14, 30)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await open_product(siti, "Roti", "Roti Manis Keju")
    await siti.press("Pilih tanggal ambil")
    dates = await siti.wait_for("Pilih tanggal ambil:")
    assert "✖️ Sabtu, 28 November 2026: batas pesan sudah lewat (Jum 27/11 14.00 WIB)" in dates.content
    assert "✖️ Minggu, 29 November 2026: tutup (hari libur produksi)" in dates.content
    assert "✅ Senin, 30 November 2026" in dates.content
    assert SATURDAY not in dates.buttons and "Sen 30/11" in dates.buttons


async def test_quick_quantities_stay_within_what_is_left_and_low_capacity_is_told(bot: Harness) -> None:
    async with bot.services.session_factory.begin() as session:
        sobek = await session.scalar(select(Product).where(Product.sku == "RTI-SBK-10"))
        assert sobek is not None
        await ledger.reserve_capacity(session, sobek, date(2026, 11, 28), 30)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await open_product(siti, "Roti", "Roti Sobek")
    await siti.press("Pilih tanggal ambil")
    dates = await siti.wait_for("Pilih tanggal ambil:")
    assert "✅ Sabtu, 28 November 2026: tinggal 6 pak" in dates.content
    await siti.press(SATURDAY)
    await siti.wait_for("Pilih jam ambil")
    await siti.press(MORNING)
    ask = await siti.wait_for("Berapa pak")
    assert "⚠️ Tinggal 6 pak untuk tanggal ini." in ask.content
    assert ask.buttons[:3] == ["1", "2", "5"] and "10" not in ask.buttons
    await siti.press("5")
    added = await siti.wait_for("Masuk keranjang")
    assert "sekarang 5 pak" in added.content and "Rp90.000" in added.content


async def test_pressing_konfirmasi_twice_creates_the_order_once(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="10")
    await checkout_to_summary(siti)
    summary = siti.last_message
    assert summary is not None
    data = next(b["callback_data"] for row in summary.inline_rows for b in row if "Konfirmasi" in b["text"])
    await confirm(siti)
    query = await siti.press_data(data, message_id=summary.message_id)
    await siti.wait_idle()
    assert "sudah dibuat sebelumnya" in await answer_text(siti, query)
    assert len(await orders(bot)) == 1
    assert len(await payments(bot)) == 1
    assert len([m for m in siti.inbox if m.photo is not None]) == 1


async def test_a_cutoff_passing_while_choosing_places_nothing_and_offers_another_date(
    bot: Harness, clock: FakeClock
) -> None:
    clock.set_wib(2026, 11, 27, 13, 55)
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="20")
    await checkout_to_summary(siti)
    clock.set_wib(2026, 11, 27, 14, 1)
    await siti.press("Konfirmasi")
    refusal = await siti.wait_for("belum ada pesanan yang dibuat")
    assert "batas pesan untuk Sabtu, 28 November 2026 sudah lewat (Jum 27/11 14.00 WIB)" in refusal.content
    assert await orders(bot) == [] and await count(bot, CartItem) == 1
    async with bot.services.session_factory() as session:
        assert [r.committed for r in await session.scalars(select(DayCapacity))] in ([], [0])
        [refused] = list(await session.scalars(select(AuditEntry).where(AuditEntry.action == weekly.REFUSED)))
        assert refused.subject == "product:RTI-MNS-CKL"
        assert refused.detail == {"reason": "past_cutoff", "quantity": 20, "day": "2026-11-28"}
    await siti.press("Ubah Roti Manis")
    await siti.wait_for("Produk di keranjang")
    await siti.press("Ganti tanggal")
    await siti.wait_for("Pilih tanggal ambil:")
    await siti.press("Sen 30/11")
    await siti.wait_for("Pilih jam ambil")
    await siti.press("14.00–16.00 WIB")
    moved = await siti.wait_for("Keranjang")
    assert "ambil Senin, 30 November 2026, 14.00–16.00 WIB" in moved.content
    await siti.press("Pesan sekarang")
    await siti.wait_for("Ringkasan pesanan")
    await confirm(siti)
    [order] = await orders(bot)
    assert order.fulfil_date == date(2026, 11, 30)


async def test_a_restart_in_the_middle_of_checkout_resumes_where_the_buyer_was(
    emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.sqlite3'}"
    siti = emulator.user(1001, "Siti")
    async with running_bot(emulator, url, clock):
        await start(siti)
        await bread_to_cart(siti, qty="8")
        await siti.press("Pesan sekarang")
        await siti.wait_for("kami perlu nomor HP")
        await siti.wait_idle()
    async with running_bot(emulator, url, clock) as second:
        await siti.send("0812-3456-7890")
        summary = await siti.wait_for("Ringkasan pesanan")
        assert "8 pcs Roti Manis Isi Cokelat" in summary.content
        await siti.wait_idle()
    async with running_bot(emulator, url, clock) as third:
        [photo] = await confirm(siti)
        [order] = await orders(third)
        assert read_qr(photo).amount == order.total == 28_000
        assert order.contact_phone == "+6281234567890"
    assert second is not third
    async with running_bot(emulator, url, clock) as fourth:
        assert len(await orders(fourth)) == 1
        assert (await orders(fourth))[0].status is OrderStatus.AWAITING_PAYMENT
        assert await count(fourth, Order) == 1
