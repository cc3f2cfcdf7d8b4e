"""Dialogues: a buyer pages through a product's photos on one screen, reads a long description, and forged photo
buttons change nothing; photos are uploaded once per bot and then sent by file id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.emulator.server import BotApiEmulator
from bot.emulator.user import EmulatedUser
from models.catalog import Product
from models.images import prepare_image
from models.photo import PhotoFileId
from models.services import photos
from tests.conftest import wib
from tests.flows.buyer_dialogues import answer_text, start
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot
from tests.support.pictures import jpeg

STALE = "tombol ini sudah tidak berlaku"
LONG = " ".join(f"anyaman{n}" for n in range(250))  # about 2,400 characters, no sentence a caption could hold


@pytest.fixture
async def shop(emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    """The running bot with its photos in a folder of this test."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with running_bot(emulator, url, clock, media_dir=tmp_path / "media") as harness:
        yield harness


async def seed(harness: Harness, sku: str, seeds: tuple[int, ...], description: str | None = None) -> list[bytes]:
    """Gives a product photos through the photo service (as the manager's chat would); returns their bytes."""
    store = harness.services.media
    pictures = [prepare_image(jpeg(800, 600, seed=seed)) for seed in seeds]
    async with harness.services.session_factory.begin() as session:
        product = await session.scalar(select(Product).where(Product.sku == sku))
        assert product is not None
        if description is not None:
            product.description = description
        for picture in pictures:
            await photos.add_photo(session, product.id, picture, store.save(picture), now=wib(2026, 11, 27, 9, 0))
    return [p.data for p in pictures]


async def product_id(harness: Harness, sku: str) -> int:
    """A product's id."""
    async with harness.services.session_factory() as session:
        found = await session.scalar(select(Product.id).where(Product.sku == sku))
    assert found is not None
    return found


async def open_bag(user: EmulatedUser) -> None:
    """Katalog -> Tas -> the handbag."""
    await start(user)
    await user.press("Katalog")
    await user.wait_for("pilih kategori")
    await user.press("Tas")
    await user.wait_for("pilih produk")
    await user.press("Tas Tangan Wanita")


def uploads(harness: Harness) -> list[str]:
    """The methods of the calls that uploaded a photo (the rest sent one by file id)."""
    found = []
    for call in harness.emulator.calls:
        if call.method == "sendPhoto" and not isinstance(call.params.get("photo"), str):
            found.append(call.method)
        media = call.params.get("media")
        if call.method == "editMessageMedia" and isinstance(media, dict) and media["media"].startswith("attach://"):
            found.append(call.method)
    return found


async def test_a_buyer_pages_through_two_photos_on_one_screen(shop: Harness) -> None:
    first, second = await seed(shop, "TAS-HB-01", (1, 2))
    siti = shop.emulator.user(1001, "Siti")
    await open_bag(siti)
    card = await siti.wait_for_photo()
    assert card.photo == first and card.caption is not None
    assert card.caption.startswith("Tas Tangan Wanita (handbag)\nHarga: Rp125.000 per pcs")
    assert "Stok: 20 pcs" in card.caption
    assert card.buttons == ["◀️", "1/2", "▶️", "🛒 Pesan", "⬅️ Kembali", "🏠 Menu"]
    await siti.press("▶️")
    turned = await siti.wait_for(lambda m: m.photo == second)
    assert "2/2" in turned.buttons and turned.caption == card.caption
    await siti.press("▶️")  # round again to the first
    await siti.wait_for(lambda m: m.photo == first)
    await siti.press("◀️")
    await siti.wait_for(lambda m: m.photo == second)
    await siti.wait_idle()
    assert [m.message_id for m in siti.inbox] == [card.message_id], "one screen, edited in place"
    assert uploads(shop) == ["editMessageMedia", "editMessageMedia"], "each photo uploaded once, then by file id"
    async with shop.services.session_factory() as session:
        cached = list(await session.scalars(select(PhotoFileId.bot_id)))
    assert cached == [shop.app.bot.id, shop.app.bot.id]


async def test_moving_between_text_and_photo_screens_leaves_no_trail(shop: Harness) -> None:
    [photo] = await seed(shop, "TAS-HB-01", (3,))
    budi = shop.emulator.user(1002, "Budi")
    await open_bag(budi)
    listing_id = budi.inbox[0].message_id
    card = await budi.wait_for_photo()
    assert card.message_id == listing_id, "the product list itself became the photo"
    assert card.buttons == ["🛒 Pesan", "⬅️ Kembali", "🏠 Menu"], "one photo: no arrows"
    await budi.press("Kembali")
    listing = await budi.wait_for("pilih produk")
    await budi.wait_idle()
    assert [m.message_id for m in budi.inbox] == [listing.message_id] and listing.photo is None
    await budi.press("Tas Tangan Wanita")
    again = await budi.wait_for_photo()
    await budi.press("Pesan")
    await budi.wait_for("Berapa pcs")
    await budi.wait_idle()
    assert again.message_id == listing.message_id and again.photo == photo
    [screen] = budi.inbox
    assert screen.photo is None and "Berapa pcs" in screen.content


async def test_a_long_description_is_cut_at_a_word_and_shown_whole_on_request(shop: Harness) -> None:
    await seed(shop, "TAS-HB-01", (4, 5), description=LONG)
    rina = shop.emulator.user(1003, "Rina")
    await open_bag(rina)
    card = await rina.wait_for_photo()
    assert card.caption is not None and len(card.caption.encode("utf-16-le")) // 2 <= 1024
    shown, _, rest = card.caption.partition("…")
    assert rest.startswith("\nHarga: Rp125.000"), "the price and the order facts always fit"
    last_word = shown.split()[-1]
    assert last_word in LONG.split(), f"cut mid-word: {last_word!r}"
    assert "📖 Selengkapnya" in card.buttons
    await rina.press("Selengkapnya")
    whole = await rina.wait_for(LONG)
    assert whole.photo is None and "🖼 Lihat foto" in whole.buttons and "🛒 Pesan" in whole.buttons
    await rina.press("Lihat foto")
    back = await rina.wait_for_photo()
    await rina.wait_idle()
    assert back.message_id == whole.message_id and [m.message_id for m in rina.inbox] == [whole.message_id]


async def test_forged_photo_buttons_get_a_polite_answer_and_change_nothing(shop: Harness) -> None:
    first, _ = await seed(shop, "TAS-HB-01", (6, 7))
    await seed(shop, "SDL-KLT-01", (8,))
    bag, sandal = await product_id(shop, "TAS-HB-01"), await product_id(shop, "SDL-KLT-01")
    eko = shop.emulator.user(1004, "Eko")
    await open_bag(eko)
    card = await eko.wait_for_photo()
    await eko.wait_idle()
    calls = len(shop.emulator.calls_to("editMessageMedia"))
    for forged in (f"bph:{sandal}:0", f"bpt:{sandal}:0", f"bph:{bag}:2", f"bph:{bag}:99999", "bph:x:1", "bph"):
        query = await eko.press_data(forged, message_id=card.message_id)
        assert STALE in await answer_text(eko, query), forged
    await eko.wait_idle()
    [screen] = eko.inbox
    assert (screen.photo, screen.caption, screen.buttons) == (first, card.caption, card.buttons)
    assert len(shop.emulator.calls_to("editMessageMedia")) == calls


async def test_a_file_id_telegram_no_longer_knows_is_replaced_by_an_upload_from_disk(shop: Harness) -> None:
    [photo] = await seed(shop, "TAS-HB-01", (9,))
    bag = await product_id(shop, "TAS-HB-01")
    async with shop.services.session_factory.begin() as session:
        [stored] = await photos.photos_of(session, bag)
        # As after a restored backup or another demo run: the cached id belongs to a Telegram that forgot it.
        await photos.remember_file_id(session, stored.id, shop.app.bot.id, "AgACAgIAAxkBAAIBe2ZZZZ")
    tono = shop.emulator.user(1005, "Tono")
    await open_bag(tono)
    card = await tono.wait_for_photo()
    await tono.wait_idle()
    assert card.photo == photo
    async with shop.services.session_factory() as session:
        cached = await photos.cached_file_id(session, stored.id, shop.app.bot.id)
    assert cached is not None and cached != "AgACAgIAAxkBAAIBe2ZZZZ"
    assert shop.emulator.state.files.get(cached).data == photo


async def test_a_photo_replaced_and_a_price_changed_while_a_buyer_looks_show_at_the_next_press(shop: Harness) -> None:
    first, _ = await seed(shop, "TAS-HB-01", (10, 11))
    bag = await product_id(shop, "TAS-HB-01")
    ani = shop.emulator.user(1006, "Ani")
    await open_bag(ani)
    await ani.wait_for_photo()
    await ani.wait_idle()
    new = prepare_image(jpeg(800, 600, seed=12))
    async with shop.services.session_factory.begin() as session:
        [_, second] = await photos.photos_of(session, bag)
        name = shop.services.media.save(new)
        await photos.replace_photo(session, bag, second.id, new, name, now=wib(2026, 11, 27, 9))
        product = await session.get(Product, bag)
        assert product is not None
        product.price = 135_000
    await ani.press("▶️")
    shown = await ani.wait_for(lambda m: m.photo == new.data)
    assert shown.caption is not None and "Harga: Rp135.000 per pcs" in shown.caption and "2/2" in shown.buttons
    await ani.press("▶️")
    back = await ani.wait_for(lambda m: m.photo == first)
    assert back.caption == shown.caption


async def test_a_deep_link_to_a_product_opens_its_photo_screen(shop: Harness) -> None:
    first, _ = await seed(shop, "TAS-HB-01", (13, 14))
    dewi = shop.emulator.user(1007, "Dewi")
    await dewi.open_deep_link("p_TAS-HB-01")
    card = await dewi.wait_for_photo()
    assert card.photo == first and "1/2" in card.buttons
    await dewi.press("▶️")
    await dewi.wait_for(lambda m: m.photo is not None and m.photo != first)
    await dewi.wait_idle()
    assert [m.message_id for m in dewi.inbox] == [card.message_id]
