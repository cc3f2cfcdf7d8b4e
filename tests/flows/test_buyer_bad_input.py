"""Every bad input of issue 5 gets a clear, polite answer and changes nothing.

Pressing Konfirmasi twice and a cut-off passing while the buyer chooses are in test_buyer_bread.py.
"""

from __future__ import annotations

import pytest

from bot.emulator import EmulatedUser
from models.conversation import CartItem
from models.order import Order, OrderStatus
from models.people import Line, Role
from tests.flows.buyer_dialogues import (
    MORNING,
    SATURDAY,
    answer_text,
    bread_to_cart,
    checkout_to_summary,
    confirm,
    count,
    open_product,
    orders,
    outbox,
    start,
)
from tests.support.clock import FakeClock
from tests.support.harness import Harness

LONG = "angka " * 682 + "1234"  # 4096 characters


async def _at_bread_quantity(user: EmulatedUser) -> None:
    """Opens the quantity question for chocolate bread on Saturday morning."""
    await start(user)
    await open_product(user, "Roti", "Roti Manis Isi Cokelat")
    await user.press("Pilih tanggal ambil")
    await user.wait_for("Pilih tanggal ambil:")
    await user.press(SATURDAY)
    await user.wait_for("Pilih jam ambil")
    await user.press(MORNING)
    await user.wait_for("Berapa pcs")


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("sepuluh", "bukan jumlah yang bisa kami baca"),
        ("10,5", "bilangan bulat tanpa koma"),
        ("10.000", "tinggal 240 pcs"),
        ("10000", "tinggal 240 pcs"),
        ("0", "paling sedikit 1"),
        ("-5", "paling sedikit 1"),
        ("99999999999999999999", "terlalu besar"),
        ("🍞🍞🍞", "bukan jumlah yang bisa kami baca"),
        (LONG, "bukan jumlah yang bisa kami baca"),
    ],
)
async def test_a_quantity_that_cannot_be_taken_is_refused_politely(bot: Harness, typed: str, answer: str) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await _at_bread_quantity(siti)
    await siti.send(typed)
    reply = await siti.wait_for(answer)
    assert reply.content.startswith(("Mohon", "Sorry"))
    assert await count(bot, CartItem) == 0
    await siti.send("10")
    await siti.wait_for("Masuk keranjang")
    assert await count(bot, CartItem) == 1


async def test_dots_group_thousands_so_10_000_pieces_of_paving_are_ten_thousand(bot: Harness) -> None:
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", "Paving Bata/Holland 21x10,5x6")
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    await budi.send("10.000 biji")
    quote = await budi.wait_for("Perhitungan")
    assert "Jumlah: 10.000 biji" in quote.content and "Rp20.000.000" in quote.content


async def test_stickers_voice_notes_and_long_messages_get_a_polite_answer(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await siti.send_sticker()
    await siti.wait_for("hanya bisa membaca teks dan tombol")
    await siti.send_voice()
    await siti.wait_for("hanya bisa membaca teks dan tombol")
    await siti.send(LONG)
    reply = await siti.wait_for("belum mengerti")
    assert "angka angka" not in reply.content
    await _at_bread_quantity(siti)
    await siti.send_voice()
    await siti.wait_for("ketik jumlahnya dengan angka")
    await siti.send_sticker("😀")
    await siti.wait_for("ketik jumlahnya dengan angka")
    assert await count(bot, CartItem) == 0


async def test_bad_phone_numbers_and_addresses_are_refused_until_they_are_right(bot: Harness) -> None:
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    await open_product(budi, "Paving Block", "Paving Bata/Holland 21x10,5x6")
    await budi.press("Hitung kebutuhan")
    await budi.wait_for("Berapa yang dibutuhkan?")
    await budi.send("20 m2")
    await budi.wait_for("Perhitungan")
    await budi.press("Masukkan keranjang")
    await budi.wait_for("Masuk keranjang")
    await budi.press("Pesan sekarang")
    await budi.wait_for("kami perlu nomor HP")
    for bad, answer in (("nomor saya", "tidak terbaca"), ("+1 202 555 0143", "nomor Indonesia"), (LONG, "tidak")):
        await budi.send(bad)
        await budi.wait_for(answer)
    await budi.send_sticker()
    await budi.wait_for("Kirim nomor HP")
    await budi.send("6281234567890")
    await budi.wait_for("diambil sendiri atau diantar")
    await budi.press("Diantar")
    await budi.wait_for("alamat pengiriman")
    await budi.send(LONG)
    await budi.wait_for("alamat terlalu panjang (paling banyak 300 huruf)")
    await budi.send("Batal")
    await budi.wait_for("Pemesanan dibatalkan")
    cart = await budi.wait_for("Tekan nomor produk")
    assert "924 biji Paving Bata" in cart.content
    assert await orders(bot) == []


async def test_emoji_markup_and_unusual_scripts_in_names_show_literally(bot: Harness) -> None:
    await bot.add_staff(501, "Bu Rina", Role.STAFF, Line.BAKERY)
    odd = bot.emulator.user(5005, "Siti 🍞 <b>&amp; سيتي ศรี")
    await odd.send("/start")
    welcome = await odd.wait_for("Selamat datang")
    assert "Bapak/Ibu Siti 🍞 <b>&amp; سيتي ศรี" in welcome.content
    await bread_to_cart(odd, qty="2")
    await checkout_to_summary(odd)
    await confirm(odd)
    [alert] = [m for m in await outbox(bot) if m.chat_id == 501 and m.template == "buyer.new_order"]
    assert "Pembeli: Siti 🍞 &lt;b&gt;&amp;amp; سيتي ศรี" in alert.text


async def test_a_stale_konfirmasi_after_the_cart_changed_places_nothing(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="10")
    await checkout_to_summary(siti)
    summary = siti.last_message
    assert summary is not None
    data = next(b["callback_data"] for row in summary.inline_rows for b in row if "Konfirmasi" in b["text"])
    await siti.press("Ubah keranjang")
    await siti.wait_for("Tekan nomor produk")
    await siti.press("✏️ 1")
    await siti.wait_for("Produk di keranjang")
    await siti.press("Ubah jumlah")
    await siti.wait_for("Ketik jumlah baru")
    await siti.send("30")
    await siti.wait_for("Rp105.000")
    query = await siti.press_data(data, message_id=summary.message_id)
    await siti.wait_idle()
    assert "tidak berlaku" in await answer_text(siti, query)
    assert await orders(bot) == []


async def test_an_old_quantity_button_after_the_cutoff_changes_nothing(bot: Harness, clock: FakeClock) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await _at_bread_quantity(siti)
    clock.set_wib(2026, 11, 27, 14, 30)
    query = await siti.press("10")
    await siti.wait_idle()
    answer = await answer_text(siti, query)
    assert "batas pesan untuk Sabtu, 28 November 2026 sudah lewat" in answer
    assert await count(bot, CartItem) == 0


async def test_forged_buttons_for_someone_elses_order_or_nothing_at_all_change_nothing(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="10")
    await checkout_to_summary(siti)
    await confirm(siti)
    [order] = await orders(bot)
    budi = bot.emulator.user(2002, "Budi")
    await start(budi)
    forged = [
        f"bor:{order.code}",
        f"bcany:{order.code}",
        f"bcan:{order.code}",
        f"bpay:{order.code}",
        f"bre:{order.code}",
        "bpaid:1",
        "bir:1",
        "bi:1",
        "bp:999999",
        "bq:abc",
        "bs:1:20261399",
        "bn:1:20261128:1:0",
        "bok:c1-deadbeef",
        "bfd",
        "blang:fr",
        "bzz",
        "b",
        "xyz:1",
        "spok:1",
        "a" * 64,
        "not a callback!",
    ]
    for data in forged:
        query = await budi.press_data(data)
        await budi.wait_idle()
        text = await answer_text(budi, query)
        assert any(w in text for w in ("tidak berlaku", "tidak tersedia", "paling sedikit", "khusus petugas")), (
            data,
            text,
        )
    assert not [c for c in bot.emulator.calls_to("answerCallbackQuery") if c.error is not None]
    [still] = await orders(bot)
    assert still.status is OrderStatus.AWAITING_PAYMENT
    assert await count(bot, Order) == 1 and await count(bot, CartItem) == 0
    assert all(order.code not in m.content for m in budi.inbox)


async def test_typing_at_the_summary_keeps_the_checkout_where_it_was(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="4")
    await checkout_to_summary(siti)
    await siti.send("ok siap")
    await siti.wait_for("Silakan pilih dengan tombol")
    await siti.send_voice()
    await siti.wait_for("Silakan pilih dengan tombol")
    await confirm(siti)
    assert len(await orders(bot)) == 1


async def test_buyer_commands_are_answered_once_and_unknown_ones_politely(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    for command in ("/start", "/katalog", "/keranjang", "/pesananku", "/bahasa", "/datasaya", "/bantuan"):
        await siti.send(command)
        await siti.wait_idle()
    assert not [m for m in siti.inbox if "tidak dikenal" in m.content]
    await siti.send("/pesen")
    await siti.wait_for("perintah itu tidak dikenal")
