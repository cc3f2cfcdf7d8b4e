"""Managers keep the catalogue in chat: /produkbaru for bread, paving and a one-of-a-kind painting, buyers seeing
them at once, /ubah while a buyer looks, two managers at once, drafts that outlive leaving and restarts, /batal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.emulator import EmulatedUser
from bot.emulator.server import BotApiEmulator
from bot.menus import refresh_all
from models.catalog import Category, Family, Product
from models.conversation import CatalogueDraft
from models.images import prepare_image
from models.people import Line, Role
from models.services import photos
from tests.flows.buyer_dialogues import answer_text, open_product, start
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot
from tests.support.pictures import jpeg

MANAGER, SECOND, STAFF, BUYER = 601, 602, 501, 1001


@pytest.fixture
async def bot(emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    """The running bot with the default catalogue and its photo files in a folder of this test."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with running_bot(emulator, url, clock, media_dir=tmp_path / "media") as harness:
        yield harness


async def _say(user: EmulatedUser, text: str, expect: str) -> None:
    """Types an answer and waits for the next question."""
    await user.send(text)
    await user.wait_for(expect)


async def _tap(user: EmulatedUser, label: str, expect: str) -> None:
    """Presses a button and waits for the next question."""
    await user.press(label)
    await user.wait_for(expect)


async def _manager(bot: Harness, telegram_id: int = MANAGER, name: str = "Pak Budi") -> EmulatedUser:
    """A manager in their private chat."""
    await bot.add_staff(telegram_id, name, Role.MANAGER)
    return bot.emulator.user(telegram_id, name)


async def _product(bot: Harness, sku: str) -> Product:
    """A product as stored."""
    async with bot.services.session_factory() as s:
        product = await s.scalar(select(Product).where(Product.sku == sku))
    assert product is not None, sku
    return product


async def _bread_up_to_sku(pak: EmulatedUser) -> None:
    """/produkbaru for Roti Pisang Cokelat, every question answered up to the SKU."""
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _tap(pak, "Roti", "Nama produk")
    await _say(pak, "Roti Pisang Cokelat", "Dijual per apa")
    await _tap(pak, "pcs", "Harga per satuan")
    await _say(pak, "Rp 3.500", "Deskripsi singkat")
    await _say(pak, "Roti lembut isi pisang dan cokelat.", "per hari")
    await _say(pak, "240", "Satu adonan")
    await _say(pak, "48", "satu loyang")
    await _tap(pak, "Lewati", "Tahan berapa hari")
    await _say(pak, "3", "hari sebelumnya")
    await _say(pak, "1", "Minimal pesan")
    await _say(pak, "1", "Kode produk")


async def _bread_up_to_photos(pak: EmulatedUser) -> None:
    """/produkbaru for Roti Pisang Cokelat up to the photos, with the SKU offered."""
    await _bread_up_to_sku(pak)
    await _tap(pak, "Pakai RTO-PSN-1", "Kirim foto produk")


async def test_a_manager_adds_a_bread_product_and_a_buyer_sees_it_at_once(bot: Harness) -> None:
    pak = await _manager(bot)
    await _bread_up_to_photos(pak)
    await pak.press("Selesai")
    review = await pak.wait_for("Begini produk ini tampil")
    assert "Roti Pisang Cokelat" in review.content and "Rp3.500" in review.content
    assert review.buttons == ["💾 Simpan", "✏️ Ubah", "✖️ Batal"]
    await _tap(pak, "Simpan", "tersimpan dengan SKU RTO-PSN-1")
    product = await _product(bot, "RTO-PSN-1")
    assert (product.family, product.price, product.batch_yield, product.shelf_life_days) == (Family.BREAD, 3_500, 48, 3)
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await open_product(siti, "Roti", "Roti Pisang Cokelat")
    card = await siti.wait_for("Roti Pisang Cokelat")
    assert "Rp3.500" in card.content and "Roti lembut isi pisang" in card.content


async def test_a_manager_adds_a_paving_product_with_a_typed_sku(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _tap(pak, "Paving Block", "Nama produk")
    await _say(pak, "Paving Segitiga 6 cm", "Dijual per apa")
    await _tap(pak, "biji", "Harga per satuan")
    await _say(pak, "2.500", "Deskripsi singkat")
    await _tap(pak, "Lewati", "biji per m²")
    await _say(pak, "30", "Tebal berapa cm")
    await _say(pak, "6", "Berat satu biji")
    await _say(pak, "2,5", "Minimal pesan")
    await _say(pak, "300", "Cadangan potong")
    await _say(pak, "10", "hari sebelumnya")
    await _say(pak, "14", "Kode produk")
    await _say(pak, "pvb-stg-6", "Kirim foto produk")
    await _tap(pak, "Selesai", "Begini produk ini tampil")
    await _tap(pak, "Ubah", "Ubah PVB-STG-6")
    await _tap(pak, "Harga", "Harga per satuan")
    await _say(pak, "2.600", "• Harga: Rp2.600")
    await _tap(pak, "Simpan", "tersimpan dengan SKU PVB-STG-6")
    product = await _product(bot, "PVB-STG-6")
    assert product.price == 2_600
    assert (product.family, product.pcs_per_m2, product.thickness_cm, product.weight_kg) == (
        Family.PAVING, 30, 6, Decimal("2.5"))
    assert (product.min_qty, product.waste_pct, product.lead_days) == (300, 10, 14)
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await open_product(siti, "Paving Block", "Paving Segitiga 6 cm")
    assert "30 biji per m²" in (await siti.wait_for("Paving Segitiga")).content


async def test_a_one_of_a_kind_painting_in_a_new_category(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _say(pak, "Lukisan Kaca / Glass paintings", "Jenis produknya apa")
    await _tap(pak, "Barang", "Nama produk")
    await _say(pak, "Lukisan Danau Toba", "Dijual per apa")
    await _tap(pak, "pcs", "Harga per satuan")
    await _say(pak, "Rp1.250.000", "Deskripsi singkat")
    await _say(pak, "Cat minyak di atas kaca, 40x60 cm.", "Bagaimana barang ini dijual")
    await _tap(pak, "Karya satu-satunya", "Kode produk")
    await _tap(pak, "Pakai", "Kirim foto produk")
    await _tap(pak, "Selesai", "Begini produk ini tampil")
    await _tap(pak, "Simpan", "tersimpan dengan SKU")
    async with bot.services.session_factory() as s:
        painting = await s.scalar(select(Product).where(Product.name == "Lukisan Danau Toba"))
        category = await s.scalar(select(Category).where(Category.name_id == "Lukisan Kaca"))
    assert painting is not None and category is not None and category.name_en == "Glass paintings"
    assert (painting.category_id, painting.stock_on_hand, painting.max_qty, painting.price) == (
        category.id, 1, 1, 1_250_000)
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await open_product(siti, "Lukisan Kaca", "Lukisan Danau Toba")
    assert "Stok: 1 pcs" in (await siti.wait_for("Lukisan Danau Toba")).content


async def test_a_price_changed_while_a_buyer_looks_shows_at_the_buyers_next_press(bot: Harness) -> None:
    pak = await _manager(bot)
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await open_product(siti, "Roti", "Roti Manis Isi Cokelat")
    assert "Rp3.500" in (await siti.wait_for("Roti Manis Isi Cokelat")).content
    await _say(pak, "/ubah RTI-MNS-CKL", "Ubah RTI-MNS-CKL")
    await _tap(pak, "Harga", "Harga per satuan")
    await _say(pak, "3.900", "Ubah RTI-MNS-CKL")
    await pak.press("Simpan")
    saved = await pak.wait_for("Perubahan RTI-MNS-CKL tersimpan")
    assert "Harga: Rp3.500 → Rp3.900" in saved.content
    await siti.press("Kembali")
    assert "Roti Manis Isi Cokelat (±60 g): Rp3.900/pcs" in (await siti.wait_for("pilih produk")).content
    await pak.send("/audit RTI-MNS-CKL")
    trail = await pak.wait_for("Jejak RTI-MNS-CKL")
    assert "Pak Budi · Harga: Rp3.500 → Rp3.900" in trail.content


async def test_the_second_of_two_managers_saving_the_same_product_is_told_what_changed(bot: Harness) -> None:
    pak, bu = await _manager(bot), await _manager(bot, SECOND, "Bu Ani")
    for manager in (pak, bu):
        await _say(manager, "/ubah RTI-MNS-CKL", "Ubah RTI-MNS-CKL")
        await _tap(manager, "Harga", "Harga per satuan")
    await _say(pak, "3.800", "Ubah RTI-MNS-CKL")
    await _say(bu, "4.000", "Ubah RTI-MNS-CKL")
    await _tap(pak, "Simpan", "tersimpan")
    await bu.press("Simpan")
    refused = await bu.wait_for("Belum disimpan")
    assert "Harga: Rp3.500 → Rp3.800" in refused.content
    assert (await _product(bot, "RTI-MNS-CKL")).price == 3_800
    await bu.press("Simpan")
    assert "Harga: Rp3.800 → Rp4.000" in (await bu.wait_for("tersimpan")).content


async def test_a_draft_survives_leaving_the_dialogue(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _tap(pak, "Roti", "Nama produk")
    await _say(pak, "Roti Pisang", "Dijual per apa")
    await pak.send("/start")
    await pak.wait_for("Selamat datang")
    await _say(pak, "/produkbaru", "masih punya draf")
    await _tap(pak, "Lanjutkan draf", "Dijual per apa")
    await _tap(pak, "pcs", "Harga per satuan")


async def test_a_draft_survives_a_restart(emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with running_bot(emulator, url, clock, media_dir=tmp_path / "media") as bot:
        pak = await _manager(bot)
        await pak.send("/produkbaru")
        await pak.wait_for("Kategori apa")
        await _tap(pak, "Roti", "Nama produk")
        await _say(pak, "Roti Pisang", "Dijual per apa")
    async with running_bot(emulator, url, clock, catalogue=False, media_dir=tmp_path / "media"):
        await pak.send("/produkbaru")
        resumed = await pak.wait_for("masih punya draf")
        assert "Roti Pisang" in resumed.content
        await _tap(pak, "Lanjutkan draf", "Dijual per apa")


async def test_batal_drops_the_draft(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _tap(pak, "Roti", "Nama produk")
    await _say(pak, "/batal", "Draf dibuang")
    async with bot.services.session_factory() as s:
        assert await s.scalar(select(CatalogueDraft)) is None
    await _say(pak, "/produkbaru", "Kategori apa")
    await _say(pak, "/batal", "Draf dibuang")
    await _say(pak, "/batal", "Tidak ada draf")


async def _to_price(pak: EmulatedUser) -> None:
    """/produkbaru up to the price question."""
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _tap(pak, "Roti", "Nama produk")
    await _say(pak, "Roti Pisang", "Dijual per apa")
    await _tap(pak, "pcs", "Harga per satuan")


@pytest.mark.parametrize(("typed", "said"), [
    ("tiga ribu", "Harga tidak terbaca: «tiga ribu». Tulis angka saja, contoh: 3.500"),
    ("3,5", "Harga tidak terbaca: «3,5»"),
    ("0", "Harga paling sedikit Rp1"),
    ("-3500", "Harga paling sedikit Rp1"),
    ("Rp1.000.000.001", "Harga paling banyak Rp1.000.000.000"),
])  # fmt: skip
async def test_a_bad_price_is_refused_with_an_example_and_asked_again(bot: Harness, typed: str, said: str) -> None:
    pak = await _manager(bot)
    await _to_price(pak)
    await _say(pak, typed, said)
    await _say(pak, "3500", "Deskripsi singkat")


async def test_a_long_name_a_taken_sku_and_a_category_like_another_are_refused(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    await _say(pak, "  ROTI ", "Sudah ada kategori bernama mirip: Roti")
    await _tap(pak, "Roti", "Nama produk")
    await _say(pak, "R" * 300, "Nama terlalu panjang (300 huruf)")
    await _say(pak, "Roti Pisang", "Dijual per apa")
    await _say(pak, "/batal", "Draf dibuang")
    await _bread_up_to_sku(pak)
    await _say(pak, "rti-mns-ckl", "SKU RTI-MNS-CKL sudah dipakai produk lain")
    await _say(pak, "RTI-PSG-01", "Kirim foto produk")


@pytest.mark.parametrize("command", ["/produkbaru", "/ubah RTI-MNS-CKL", "/kategori"])
async def test_buyers_and_staff_are_told_only_managers_keep_the_catalogue(bot: Harness, command: str) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    for user in (bot.emulator.user(BUYER, "Siti"), bot.emulator.user(STAFF, "Rina")):
        await _say(user, command, "khusus pimpinan")


async def test_forged_draft_buttons_change_nothing(bot: Harness) -> None:
    pak = await _manager(bot)
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    query = await siti.press_data("mds")
    await siti.wait_idle()
    assert "khusus pimpinan" in (siti.callback_answer(query) or {}).get("text", "")
    await pak.send("/produkbaru")
    await pak.wait_for("Kategori apa")
    for data in ("mda:category:99999", "mda:family:bread", "mdo:3:remove", "mds", "mdf:price", "mda:price:1"):
        query = await pak.press_data(data)
        await pak.wait_idle()
        assert (pak.callback_answer(query) or {}).get("show_alert"), data
    async with bot.services.session_factory() as s:
        draft = await s.scalar(select(CatalogueDraft))
    assert draft is not None and draft.step == "category" and draft.data == {"values": {}}


async def test_a_manager_keeps_the_categories_in_chat(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/kategori")
    listing = await pak.wait_for("Kategori")
    assert "1. Roti / Bread (5 produk)" in listing.content
    await _tap(pak, "Tambah kategori", "Ketik nama kategori baru")
    await _say(pak, "paving BLOCK", "Sudah ada kategori bernama mirip: Paving Block")
    await _say(pak, "Kue Kering / Cookies", "Kategori Kue Kering ditambahkan")
    await _tap(pak, "Tambah kategori", "Ketik nama kategori baru")
    await _say(pak, "Kue <b>Enak & Murah", "Kategori Kue <b>Enak & Murah ditambahkan")
    await _tap(pak, "1. Roti", "Roti / Bread")
    query = await pak.press("Hapus")
    await pak.wait_idle()
    assert "masih berisi 5 produk" in (pak.callback_answer(query) or {}).get("text", "")
    await _tap(pak, "Sembunyikan", "Disembunyikan dari pembeli")
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await siti.press("Katalog")
    assert "Roti" not in (await siti.wait_for("pilih kategori")).buttons


async def test_audit_kategori_lists_who_added_renamed_moved_hid_and_removed_a_category(bot: Harness) -> None:
    pak = await _manager(bot)
    await pak.send("/kategori")
    await pak.wait_for("Kategori")
    await _tap(pak, "Tambah kategori", "Ketik nama kategori baru")
    await _say(pak, "Kue Kering / Cookies", "Kategori Kue Kering ditambahkan")
    await _tap(pak, "Kue Kering", "Kue Kering / Cookies")
    await _tap(pak, "Ganti nama", "Kue Kering")
    await _say(pak, "Kue Lebaran", "Nama kategori sekarang Kue Lebaran")
    await _tap(pak, "Kue Lebaran", "Kue Lebaran")
    await _tap(pak, "Naik", "10. Kue Lebaran")  # back at the list, one place up
    await _tap(pak, "Kue Lebaran", "Kue Lebaran")
    await _tap(pak, "Sembunyikan", "Disembunyikan dari pembeli")
    await _tap(pak, "Tampilkan lagi", "Kue Lebaran")
    await _tap(pak, "Hapus", "Kategori Kue Lebaran dihapus")

    await pak.send("/audit kategori")
    trail = (await pak.wait_for("Jejak kategori")).content.splitlines()[1:]
    assert [line.split(" · ", 2)[1:] for line in trail] == [
        ["Pak Budi", "Kue Kering: ditambahkan"],
        ["Pak Budi", "Kue Kering: nama diganti menjadi Kue Lebaran"],
        ["Pak Budi", "Kue Lebaran: urutan 11 → 10"],
        ["Pak Budi", "Kue Lebaran: disembunyikan dari pembeli"],
        ["Pak Budi", "Kue Lebaran: ditampilkan lagi"],
        ["Pak Budi", "Kue Lebaran: dihapus"],
    ]
    await pak.send("/audit KATEGORI")  # the word in any case, in English too
    await pak.wait_for("Kue Lebaran: dihapus")
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await siti.send("/audit kategori")
    await siti.wait_for("khusus pimpinan")


async def test_a_category_hidden_while_a_buyer_looks_at_it_takes_its_products_off_sale(bot: Harness) -> None:
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await siti.press("Katalog")
    await siti.wait_for("pilih kategori")
    await siti.press("Roti")
    await siti.wait_for("pilih produk")
    pak = await _manager(bot)
    await pak.send("/kategori")
    await pak.wait_for("Kategori")
    await _tap(pak, "1. Roti", "Roti / Bread")
    await _tap(pak, "Sembunyikan", "Disembunyikan dari pembeli")

    query = await siti.press("Roti Manis Keju")  # a button of the list she still has open
    await siti.wait_idle()
    assert "sedang tidak tersedia" in await answer_text(siti, query)
    await siti.press("Kembali")
    assert "Roti" not in (await siti.wait_for("pilih kategori")).buttons
    await siti.open_deep_link("p_RTI-MNS-KJU")  # a shared link to one of its products
    await siti.wait_for("tidak tersedia")


async def test_a_sticker_voice_note_pdf_or_video_where_a_photo_is_expected_is_answered_politely(bot: Harness) -> None:
    pak = await _manager(bot)
    await _bread_up_to_photos(pak)
    await _say(pak, "ini fotonya", "Silakan kirim foto produk (foto, atau berkas gambar JPEG/PNG/WebP)")
    await pak.send_sticker()
    await pak.wait_for("Itu stiker. Silakan kirim foto produk (foto, atau berkas gambar JPEG/PNG/WebP)")
    await pak.send_voice()
    await pak.wait_for("Itu pesan suara. Silakan kirim foto produk")
    await pak.send_document(b"%PDF-1.4 katalog", "katalog.pdf", "application/pdf")
    await pak.wait_for("Itu berkas katalog.pdf, bukan gambar. Silakan kirim foto produk")
    video = {"file_id": "video-1", "file_unique_id": "v1", "width": 640, "height": 480, "duration": 3}
    await pak._message({"video": video}, "sent a video", "did")  # the emulator's users send no video otherwise
    await pak.wait_for("Itu video. Silakan kirim foto produk")
    await _tap(pak, "Selesai", "Begini produk ini tampil")
    await pak.send_sticker()
    await pak.wait_for("Itu stiker. Mohon maaf, di langkah ini saya menunggu jawaban berupa teks")


async def test_a_manager_adds_bread_with_two_photos_and_a_buyer_pages_through_them(bot: Harness) -> None:
    pak = await _manager(bot)
    await _bread_up_to_photos(pak)
    first, second = jpeg(800, 600, seed=11), jpeg(800, 600, seed=12)
    await pak.send_photo(first)
    await pak.wait_for("Sudah 1 foto")
    await pak.send_document(second, "roti.jpg", "image/jpeg")
    await pak.wait_for("Sudah 2 foto")
    await pak.send_photo(first)
    await pak.wait_for("Foto yang sama sudah ada sebagai foto ke-1")
    await pak.press("Selesai")
    review = await pak.wait_for_photo()
    assert "Begini produk ini tampil" in review.content and "Roti Pisang Cokelat" in review.content
    assert review.buttons == ["💾 Simpan", "✏️ Ubah", "✖️ Batal"]
    await _tap(pak, "Simpan", "tersimpan dengan SKU RTO-PSN-1")
    product = await _product(bot, "RTO-PSN-1")
    async with bot.services.session_factory() as s:
        stored = await photos.photos_of(s, product.id)
    assert [p.content_hash for p in stored] == [prepare_image(first).content_hash, prepare_image(second).content_hash]
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await open_product(siti, "Roti", "Roti Pisang Cokelat")
    card = await siti.wait_for_photo()
    assert card.photo == prepare_image(first).data and "1/2" in card.buttons
    await siti.press("▶️")
    await siti.wait_for(lambda m: m.photo == prepare_image(second).data)


async def test_a_photo_replaced_and_a_price_changed_while_a_buyer_looks(bot: Harness) -> None:
    pak = await _manager(bot)
    old, new = jpeg(800, 600, seed=21), jpeg(640, 480, seed=22)
    await _say(pak, "/ubah TAS-HB-01", "Ubah TAS-HB-01")
    await _tap(pak, "Foto", "Kirim foto produk")
    await pak.send_photo(old)
    await pak.wait_for("Sudah 1 foto")
    await _tap(pak, "Selesai", "Ubah TAS-HB-01")
    await _tap(pak, "Simpan", "Perubahan TAS-HB-01 tersimpan")
    siti = bot.emulator.user(BUYER, "Siti")
    await start(siti)
    await open_product(siti, "Tas", "Tas Tangan Wanita")
    assert (await siti.wait_for_photo()).photo == prepare_image(old).data
    await _say(pak, "/ubah TAS-HB-01", "Ubah TAS-HB-01")
    await _tap(pak, "Foto", "Kirim foto produk")
    await _tap(pak, "Ganti 1", "menggantikan foto 1")
    await pak.send_photo(new)
    await pak.wait_for("Sudah 1 foto")
    await _tap(pak, "Selesai", "Ubah TAS-HB-01")
    await _tap(pak, "Harga", "Harga per satuan")
    await _say(pak, "130.000", "Ubah TAS-HB-01")
    await pak.press("Simpan")
    saved = await pak.wait_for("Perubahan TAS-HB-01 tersimpan")
    assert "Harga: Rp125.000 → Rp130.000" in saved.content and "Foto: 1 → 1" in saved.content
    await siti.press("Kembali")
    assert "Rp130.000/pcs" in (await siti.wait_for("pilih produk")).content
    await siti.press("Tas Tangan Wanita")
    card = await siti.wait_for(lambda m: m.photo == prepare_image(new).data)
    assert "Rp130.000" in card.content
    await _say(pak, "/audit TAS-HB-01", "Jejak TAS-HB-01")


@pytest.mark.parametrize(("picture", "said"), [
    (jpeg(50, 50), "foto itu terlalu kecil (50 × 50 piksel)"),
    (jpeg(800, 600)[:3000], "foto itu rusak atau terpotong"),
    (b"\xff\xd8" + bytes(30 * 1024 * 1024), "foto itu 30,0 MB; paling besar 10 MB"),
])  # fmt: skip
async def test_a_photo_too_small_broken_or_too_big_is_refused_politely(
    bot: Harness, picture: bytes, said: str
) -> None:
    pak = await _manager(bot)
    await _bread_up_to_photos(pak)
    await pak.send_document(picture, "foto.jpg", "image/jpeg")
    await pak.wait_for(said)
    await pak.send_photo(jpeg(640, 480))
    await pak.wait_for("Sudah 1 foto")


async def test_the_managers_list_menu_and_an_old_review_after_saving(bot: Harness) -> None:
    pak = await _manager(bot)
    await refresh_all(bot.app.bot, bot.services)
    assert {"produkbaru", "ubah", "batal", "kategori", "audit"} <= {c["command"] for c in pak.commands()}
    await _say(pak, "/katalog", "RTI-MNS-CKL")
    await _tap(pak, "✏️ TAS-HB-01", "Ubah TAS-HB-01")
    await _tap(pak, "Sembunyikan", "Disembunyikan dari pembeli")
    await _tap(pak, "Simpan", "Perubahan TAS-HB-01 tersimpan")
    assert not (await _product(bot, "TAS-HB-01")).active
    query = await pak.press_data("mds")  # as an old review's Simpan, or a second tap
    await pak.wait_idle()
    assert "sudah disimpan atau dibuang" in (pak.callback_answer(query) or {}).get("text", "")
    await _say(pak, "/ubah TAS-HB-01", "Ubah TAS-HB-01")
    await _tap(pak, "Tampilkan lagi", "Tampil untuk pembeli")
    await _tap(pak, "Simpan", "Tampil untuk pembeli: tidak → ya")
    assert (await _product(bot, "TAS-HB-01")).active


async def test_an_english_speaking_manager_is_asked_in_english(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Mr Budi", Role.MANAGER)
    budi = bot.emulator.user(MANAGER, "Mr Budi", language_code="en")
    await _say(budi, "/produkbaru", "Which category?")
    await _tap(budi, "Bread", "Product name?")
    await _say(budi, "Banana Bread", "Sold per what?")
    await _tap(budi, "pcs", "Price per unit")
    await _say(budi, "tiga ribu", "Price could not be read: «tiga ribu». Type digits only, for example: 3.500")
