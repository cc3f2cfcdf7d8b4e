"""Dialogues: paving by the square metre, the calculation echoed back, delivery with an address, the deposit."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import pytest

from models.order import Fulfilment
from models.payment import PaymentKind
from models.services.payments import bill_number_for
from tests.flows.buyer_dialogues import confirm, open_product, orders, payments, read_qr, start
from tests.support.harness import Harness

BATA = "Paving Bata/Holland 21x10,5x6"
ADDRESS = "Jl. Melati No. 5, RT 02/RW 03, Kel. Tanjung Gusta, Kec. Medan Helvetia, Kota Medan"


async def test_paving_by_m2_is_delivered_with_a_deposit_code_first(bot: Harness) -> None:
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", BATA)
    card = budi.last_message
    assert card is not None
    assert "Isi: 44 biji per m²" in card.content and "Tebal: 6 cm" in card.content
    assert "Pesanan minimal: 500 biji" in card.content
    assert "Paling cepat siap: Sabtu, 12 Desember 2026" in card.content
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    await budi.send("10x5")
    quote = await budi.wait_for("Perhitungan")
    for line in (
        "Luas: 10 × 5 m = 50 m²",
        "Isi per m²: 44 biji",
        "Cadangan pecah/potong: 5% (dari 2.200 biji)",
        "Jumlah: 2.310 biji",
        "Harga: 2.310 × Rp2.000 = Rp4.620.000",
        "Berat: ±6,7 ton",
        "Angkutan: 5× pick-up atau 3× truk engkel atau 1× colt diesel",
        "Paling cepat siap: Sabtu, 12 Desember 2026",
        "Uang muka (DP) saat pesan: Rp2.310.000",
    ):
        assert line in quote.content, line
    await budi.press("Masukkan keranjang")
    await budi.wait_for("Masuk keranjang")
    await budi.press("Pesan sekarang")
    await budi.wait_for("kami perlu nomor HP")
    await budi.send("+62 812-3456-7890")
    await budi.wait_for("diambil sendiri atau diantar")
    await budi.press("Diantar")
    await budi.wait_for("alamat pengiriman")
    assert budi.keyboard() == ["📍 Kirim lokasi", "Batal"]
    await budi.press_key("📍 Kirim lokasi")
    await budi.wait_for("lokasi diterima")
    await budi.send("Medan")
    await budi.wait_for("alamat terlalu pendek")
    await budi.send("Jl. Melati No. 5 dekat masjid besar")
    await budi.wait_for("kecamatan")
    await budi.send(ADDRESS)
    summary = await budi.wait_for("Ringkasan pesanan")
    assert "Paving: siap Sabtu, 12 Desember 2026, diantar" in summary.content
    assert "DP dibayar sekarang: Rp2.310.000; sisa Rp2.310.000" in summary.content
    assert f"Alamat kirim: {ADDRESS}" in summary.content and "Lokasi: terkirim" in summary.content
    assert "Ongkos angkut paving dihitung petugas" in summary.content
    [photo] = await confirm(budi)

    [order] = await orders(bot)
    assert (order.fulfilment, order.total, order.deposit_amount) == (Fulfilment.DELIVERY, 4_620_000, 2_310_000)
    assert order.delivery_address == ADDRESS and order.delivery_lat == Decimal("3.5952")
    assert order.lines[0].area_m2 == Decimal("50.00") and order.fulfil_date == date(2026, 12, 12)
    code = read_qr(photo)
    deposit_bill = bill_number_for(order.code, PaymentKind.DEPOSIT, 0)
    assert (code.amount, code.bill_number) == (2_310_000, deposit_bill)
    assert deposit_bill == order.code.replace("-", "") + "DP"
    [payment] = await payments(bot)
    assert payment.kind is PaymentKind.DEPOSIT
    caption = next(m for m in budi.inbox if m.photo is not None).content
    assert "Uang muka (DP) pesanan" in caption and "dua juta tiga ratus sepuluh ribu rupiah" in caption
    assert "sisa Rp2.310.000 dibayar kemudian" in caption


async def test_paving_by_pieces_for_own_pickup(bot: Harness) -> None:
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", "Paving Segi Enam")
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    await budi.send("100 biji")
    quote = await budi.wait_for("Perhitungan")
    assert "Jumlah: 300 biji" in quote.content and "dinaikkan ke pesanan minimal 300 biji" in quote.content
    await budi.send("12 m2")
    quote = await budi.wait_for("Luas: 12 m²")
    assert "Cadangan pecah/potong: 10% (dari 300 biji)" in quote.content and "Jumlah: 330 biji" in quote.content
    await budi.press("Masukkan keranjang")
    await budi.wait_for("Masuk keranjang")
    await budi.press("Pesan sekarang")
    await budi.wait_for("kami perlu nomor HP")
    await budi.press_key("📱 Kirim nomor HP")
    await budi.wait_for("diambil sendiri atau diantar")
    await budi.press("Ambil sendiri")
    summary = await budi.wait_for("Ringkasan pesanan")
    assert "siap" in summary.content and "ambil sendiri" in summary.content
    assert "Alamat kirim" not in summary.content
    await confirm(budi)
    [order] = await orders(bot)
    assert order.fulfilment is Fulfilment.PICKUP and order.lines[0].quantity == 330


async def test_paving_sizes_that_cannot_be_read_are_refused_politely(bot: Harness) -> None:
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", BATA)
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    for text, answer in (
        ("lima puluh meter", "ukurannya tidak terbaca"),
        ("0 m2", "luas dan ukurannya harus lebih dari 0"),
        ("-20 m2", "luas dan ukurannya harus lebih dari 0"),
        ("10x0", "luas dan ukurannya harus lebih dari 0"),
        ("0 biji", "jumlah paling sedikit 1"),  # pieces are a count, as everywhere else
        ("999999999 m2", "terlalu besar"),
        ("x" * 4096, "ukurannya tidak terbaca"),
    ):
        await budi.send(text)
        await budi.wait_for(answer)
    await budi.send_sticker()
    await budi.wait_for("ukurannya tidak terbaca")
    await budi.send("52,5 m2")
    quote = await budi.wait_for("Perhitungan")
    assert "Luas: 52,5 m²" in quote.content and "Jumlah: 2.426 biji" in quote.content
    assert await orders(bot) == []


async def test_the_logs_of_a_delivery_order_hold_no_phone_number_or_address(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", BATA)
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    await budi.send("600 biji")
    await budi.wait_for("Perhitungan")
    await budi.press("Masukkan keranjang")
    await budi.wait_for("Masuk keranjang")
    await budi.press("Pesan sekarang")
    await budi.wait_for("kami perlu nomor HP")
    await budi.send("0812 3456 7890")
    await budi.wait_for("diambil sendiri atau diantar")
    await budi.press("Diantar")
    await budi.wait_for("alamat pengiriman")
    await budi.send(ADDRESS)
    await budi.wait_for("Ringkasan pesanan")
    await confirm(budi)
    logged = caplog.text
    assert "81234567890" not in logged and "3456 7890" not in logged
    assert "Melati" not in logged and "Helvetia" not in logged
