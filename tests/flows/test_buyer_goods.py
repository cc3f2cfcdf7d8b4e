"""Dialogues: goods from stock, a mixed cart split into orders, and a large order paid with a deposit first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.catalog import Family, Product
from models.payment import PaymentKind
from models.services.payments import bill_number_for
from tests.flows.buyer_dialogues import (
    assert_every_press_answered_once,
    bread_to_cart,
    checkout_to_summary,
    confirm,
    open_product,
    orders,
    payments,
    read_qr,
    start,
)
from tests.support.harness import Harness


async def _stock(bot: Harness, sku: str) -> int | None:
    """The quantity on hand of a product."""
    async with bot.services.session_factory() as session:
        return await session.scalar(select(Product.stock_on_hand).where(Product.sku == sku))


async def test_goods_from_stock_are_limited_to_what_is_on_hand(bot: Harness) -> None:
    rina = bot.emulator.user(3003, "Rina")
    await start(rina)
    await open_product(rina, "Tas", "Tas Tangan Wanita")
    card = rina.last_message
    assert card is not None and "Stok: 20 pcs" in card.content and "Rp125.000" in card.content
    await rina.press("Pesan")
    ask = await rina.wait_for("Berapa pcs")
    assert ask.buttons[:5] == ["1", "2", "5", "10", "20"]
    await rina.send("25")
    await rina.wait_for("stok tinggal 20 pcs")
    await rina.send("2")
    await rina.wait_for("Masuk keranjang")
    await checkout_to_summary(rina)
    summary = rina.last_message
    assert summary is not None
    assert "Barang: ambil di Galeri mulai Jumat, 27 November 2026" in summary.content
    [photo] = await confirm(rina)
    assert read_qr(photo).amount == 250_000
    assert await _stock(bot, "TAS-HB-01") == 18


async def test_a_mixed_cart_is_split_into_one_order_per_fulfilment_and_says_why(bot: Harness) -> None:
    rina = bot.emulator.user(3003, "Rina")
    await start(rina)
    await bread_to_cart(rina, qty="10")
    await open_product(rina, "Paving Block", "Paving Bata/Holland 21x10,5x6")
    await rina.press("Hitung kebutuhan")
    await rina.wait_for("Berapa yang dibutuhkan?")
    await rina.send("50 m2")
    await rina.wait_for("Perhitungan")
    await rina.press("Masukkan keranjang")
    await rina.wait_for("Masuk keranjang")
    await open_product(rina, "Keripik", "Keripik Ubi Pedas")
    await rina.press("Pesan")
    await rina.wait_for("Berapa bungkus")
    await rina.press("5")
    added = await rina.wait_for("Masuk keranjang")
    assert "Isi keranjang: 3 produk" in added.content
    await rina.press("Keranjang (3)")
    cart = await rina.wait_for("Total: Rp4.730.000")
    assert "untuk 50 m²" in cart.content and "ambil Sabtu, 28 November 2026, 10.00–12.00 WIB" in cart.content
    await rina.press("Pesan sekarang")
    await rina.wait_for("kami perlu nomor HP")
    await rina.press_key("📱 Kirim nomor HP")
    await rina.wait_for("diambil sendiri atau diantar")
    await rina.press("Ambil sendiri")
    summary = await rina.wait_for("Ringkasan pesanan")
    text = summary.content
    assert "Keranjang dibagi menjadi 3 pesanan" in text
    assert text.index("1. Barang") < text.index("2. Roti") < text.index("3. Paving")
    assert "Barang dari stok, langsung bisa diambil di Galeri." in text
    assert "Roti dibuat untuk tanggal dan jam ambilnya." in text
    assert "Paving dicetak lalu dikeringkan" in text
    assert "Total: Rp4.730.000" in text and "Dibayar sekarang: Rp2.420.000" in text
    photos = await confirm(rina, photos=3)

    placed = await orders(bot)
    assert [(o.family, o.fulfil_date, o.total) for o in placed] == [
        (Family.GOODS, date(2026, 11, 27), 75_000),
        (Family.BREAD, date(2026, 11, 28), 35_000),
        (Family.PAVING, date(2026, 12, 12), 4_620_000),
    ]
    amounts = sorted(read_qr(p).amount for p in photos)
    assert amounts == [35_000, 75_000, 2_310_000]
    bills = {read_qr(p).bill_number for p in photos}
    kinds = {p.order_id: p.kind for p in await payments(bot)}
    assert bills == {bill_number_for(o.code, kinds[o.id], 0) for o in placed}
    assert kinds[placed[2].id] is PaymentKind.DEPOSIT
    await assert_every_press_answered_once(bot)


async def test_an_order_above_the_qris_limit_gets_a_deposit_code_first(bot: Harness) -> None:
    rina = bot.emulator.user(3003, "Rina")
    await start(rina)
    await open_product(rina, "Lukisan", "Lukisan Kanvas")
    await rina.press("Pesan")
    await rina.wait_for("Berapa pcs")
    await rina.send("14")
    await rina.wait_for("Masuk keranjang")
    await checkout_to_summary(rina)
    summary = rina.last_message
    assert summary is not None
    assert "Total: Rp10.500.000" in summary.content
    assert "DP dibayar sekarang: Rp5.250.000; sisa Rp5.250.000" in summary.content
    [photo] = await confirm(rina)
    assert read_qr(photo).amount == 5_250_000
    [payment] = await payments(bot)
    assert (payment.kind, payment.amount) == (PaymentKind.DEPOSIT, 5_250_000)
    caption = next(m for m in rina.inbox if m.photo is not None).content
    assert "lima juta dua ratus lima puluh ribu rupiah" in caption
