"""Dialogues: browsing the catalogue on one screen edited in place, pages, product photos, retired products."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import update

from models.catalog import Product
from tests.flows.buyer_dialogues import answer_text, open_product, start
from tests.support.harness import Harness


async def test_browsing_edits_one_screen_in_place_and_pages_long_lists(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await siti.press("Katalog")
    first = await siti.wait_for("Halaman 1 dari 2")
    assert first.buttons[:8] == ["Roti", "Paving Block", "Tas", "Sandal", "Kerajinan", "Konveksi", "Lukisan", "Meubel"]
    await siti.press("Berikutnya")
    second = await siti.wait_for("Halaman 2 dari 2")
    assert second.buttons[:2] == ["Ikan Teri Olahan", "Keripik"] and "◀️ Sebelumnya" in second.buttons
    await siti.press("Keripik")
    listing = await siti.wait_for("Keripik Ubi Pedas 200 g: Rp15.000/bungkus")
    await siti.press("Keripik Ubi Pedas")
    card = await siti.wait_for("Stok: 20 bungkus")
    await siti.press("Kembali")
    await siti.wait_for("Silakan pilih produk")
    await siti.press("Menu")
    await siti.wait_for("Menu utama")
    await siti.wait_idle()
    assert first.message_id == second.message_id == listing.message_id == card.message_id
    assert len(siti.inbox) == 1 and siti.inbox[0].edited


async def test_a_product_with_a_photo_is_shown_as_a_photo_card(bot: Harness) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color=(180, 120, 60)).save(buffer, format="JPEG")
    file_id = bot.emulator.state.files.add_photo(buffer.getvalue())[-1].file_id
    async with bot.services.session_factory.begin() as session:
        await session.execute(update(Product).where(Product.sku == "TAS-HB-01").values(photo=file_id))
    rina = bot.emulator.user(3003, "Rina")
    await start(rina)
    await open_product(rina, "Tas", "Tas Tangan Wanita")
    card = await rina.wait_for_photo()
    assert "Tas Tangan Wanita" in card.content and "Stok: 20 pcs" in card.content
    assert card.buttons[0] == "🛒 Pesan"
    await rina.press("Pesan")
    await rina.wait_for("Berapa pcs")
    await rina.wait_idle()
    # A photo cannot become text: the question replaces the photo card, which leaves no trail.
    [screen] = rina.inbox
    assert screen.photo is None and "Berapa pcs" in screen.content


async def test_a_product_switched_off_while_browsing_is_no_longer_offered(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await siti.press("Katalog")
    await siti.wait_for("pilih kategori")
    await siti.press("Roti")
    await siti.wait_for("pilih produk")
    async with bot.services.session_factory.begin() as session:
        await session.execute(update(Product).where(Product.sku == "RTI-MNS-KJU").values(active=False))
    query = await siti.press("Roti Manis Keju")
    await siti.wait_idle()
    assert "sedang tidak tersedia" in await answer_text(siti, query)
    await siti.press("Kembali")
    await siti.wait_for("pilih kategori")
    await siti.press("Roti")
    listing = await siti.wait_for("pilih produk")
    assert "Roti Manis Keju (±60 g)" not in listing.buttons
