"""Product photos kept in the database (models/services/photos.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Product
from models.db import SessionFactory
from models.errors import NotFound, PhotoAlreadyAdded, ProductUnavailable, TooManyPhotos
from models.images import PreparedImage, prepare_image
from models.media import MediaStore
from models.photo import PhotoFileId, ProductPhoto
from models.services import catalogue, photos
from tests.conftest import wib
from tests.integration.races import Contender, Work, run_race
from tests.support.pictures import jpeg, metadata_of, phone_photo

NOW = wib(2026, 12, 4, 9, 0)
BOT = 123456
OTHER_BOT = 654321


async def product_id(factory: SessionFactory, sku: str) -> int:
    """The id of a catalogue product."""
    async with factory() as s:
        found = await s.scalar(select(Product.id).where(Product.sku == sku))
    assert found is not None
    return found


def picture(seed: int) -> PreparedImage:
    """A distinct prepared photo."""
    return prepare_image(jpeg(640, 480, seed=seed))


async def add(factory: SessionFactory, store: MediaStore, product: int, seed: int) -> int:
    """Stores a picture and adds it as the product's last photo; returns the photo id."""
    prepared = picture(seed)
    async with factory.begin() as s:
        photo = await photos.add_photo(s, product, prepared, store.save(prepared), now=NOW)
        return photo.id


async def order_of(factory: SessionFactory, product: int) -> list[tuple[int, int]]:
    """(position, id) of the product's photos as buyers page through them."""
    async with factory() as s:
        return [(p.position, p.id) for p in await photos.photos_of(s, product)]


async def test_a_phone_photo_is_kept_on_disk_and_in_a_row_without_its_gps(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    prepared = prepare_image(phone_photo())
    async with shop.begin() as s:
        await photos.add_photo(s, bag, prepared, store.save(prepared), now=NOW)
    async with shop() as s:
        [row] = await photos.photos_of(s, bag)
    assert (row.position, row.width, row.height, row.size_bytes) == (0, 960, 1280, prepared.size_bytes)
    assert row.file_name == f"{row.content_hash}.jpg" and row.created_at == NOW
    assert metadata_of(store.read(row.file_name)) == {}


async def test_a_product_takes_six_photos_and_refuses_a_seventh(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    for seed in range(6):
        await add(shop, store, bag, seed)
    with pytest.raises(TooManyPhotos) as refused:
        await add(shop, store, bag, 99)
    assert refused.value.details["limit"] == photos.MAX_PHOTOS
    assert [position for position, _ in await order_of(shop, bag)] == [0, 1, 2, 3, 4, 5]


async def test_the_same_picture_twice_is_refused_but_another_product_may_share_it(
    shop: SessionFactory, tmp_path: Path
) -> None:
    store = MediaStore(tmp_path / "media")
    bag, sandal = await product_id(shop, "TAS-HB-01"), await product_id(shop, "SDL-KLT-01")
    await add(shop, store, bag, 1)
    with pytest.raises(PhotoAlreadyAdded) as refused:
        await add(shop, store, bag, 1)
    assert refused.value.details["position"] == 1
    await add(shop, store, sandal, 1)
    assert len(list((tmp_path / "media").iterdir())) == 1, "one file for the picture both products show"


async def test_photos_are_reordered_and_removed_with_dense_positions(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    first, second, third = [await add(shop, store, bag, seed) for seed in (1, 2, 3)]
    async with shop.begin() as s:
        await photos.move_photo(s, bag, third, 0)
    assert await order_of(shop, bag) == [(0, third), (1, first), (2, second)]
    async with shop.begin() as s:
        await photos.move_photo(s, bag, third, 99)  # past the end: the last
    assert await order_of(shop, bag) == [(0, first), (1, second), (2, third)]
    async with shop.begin() as s:
        await photos.remove_photo(s, bag, first)
    assert await order_of(shop, bag) == [(0, second), (1, third)]


async def test_a_replaced_photo_keeps_its_place_and_forgets_its_file_ids(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    first, second = await add(shop, store, bag, 1), await add(shop, store, bag, 2)
    async with shop.begin() as s:
        await photos.remember_file_id(s, second, BOT, "AgAC-old")
    new = picture(3)
    async with shop.begin() as s:
        replaced = await photos.replace_photo(s, bag, second, new, store.save(new), now=NOW)
    assert (replaced.id, replaced.position, replaced.content_hash) == (second, 1, new.content_hash)
    assert await order_of(shop, bag) == [(0, first), (1, second)]
    async with shop() as s:
        assert await photos.cached_file_id(s, second, BOT) is None
    with pytest.raises(PhotoAlreadyAdded):
        async with shop.begin() as s:
            await photos.replace_photo(s, bag, second, picture(1), store.save(picture(1)), now=NOW)


async def test_another_products_photo_cannot_be_moved_replaced_or_removed(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag, sandal = await product_id(shop, "TAS-HB-01"), await product_id(shop, "SDL-KLT-01")
    photo = await add(shop, store, bag, 1)
    for change in ("move", "remove", "replace"):
        with pytest.raises(NotFound):
            async with shop.begin() as s:
                if change == "move":
                    await photos.move_photo(s, sandal, photo, 0)
                elif change == "remove":
                    await photos.remove_photo(s, sandal, photo)
                else:
                    await photos.replace_photo(s, sandal, photo, picture(2), "x.jpg", now=NOW)
    assert await order_of(shop, bag) == [(0, photo)]


async def test_file_ids_are_remembered_per_bot(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    photo = await add(shop, store, bag, 1)
    async with shop.begin() as s:
        await photos.remember_file_id(s, photo, BOT, "AgAC-first")
    async with shop.begin() as s:
        await photos.remember_file_id(s, photo, BOT, "AgAC-second")  # a second first view: the last one wins
    async with shop() as s:
        assert await photos.cached_file_id(s, photo, BOT) == "AgAC-second"
        assert await photos.cached_file_id(s, photo, OTHER_BOT) is None, "a new bot token uploads again"
        [shown] = (await catalogue.product_card(s, product_id=bag, now=NOW, bot_id=BOT)).photos
        [unknown] = (await catalogue.product_card(s, product_id=bag, now=NOW, bot_id=OTHER_BOT)).photos
    assert (shown.photo.id, shown.file_id, unknown.file_id) == (photo, "AgAC-second", None)
    async with shop.begin() as s:
        await photos.remove_photo(s, bag, photo)
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(PhotoFileId)) == 0
        assert await s.scalar(select(func.count()).select_from(ProductPhoto)) == 0


async def test_two_managers_adding_the_sixth_photo_at_once_get_one_in(shop: SessionFactory, tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    for seed in range(5):
        await add(shop, store, bag, seed)
    pictures = [picture(50), picture(51)]
    names = [store.save(p) for p in pictures]

    def adding(n: int) -> Work[int]:
        async def work(session: AsyncSession, contender: Contender) -> int:
            photo = await photos.add_photo(session, bag, pictures[n], names[n], now=NOW)
            await contender.hold()  # the other manager's save queues behind this one's lock on the product
            return photo.id

        return work

    results = await run_race(shop, [adding(0), adding(1)])
    assert sorted(type(r).__name__ for r in results) == ["TooManyPhotos", "int"], results
    assert [position for position, _ in await order_of(shop, bag)] == [0, 1, 2, 3, 4, 5]


async def test_a_product_card_reads_the_product_and_its_photos_with_file_ids_in_one_statement(
    shop: SessionFactory, tmp_path: Path
) -> None:
    store = MediaStore(tmp_path / "media")
    bag = await product_id(shop, "TAS-HB-01")
    first, second = await add(shop, store, bag, 1), await add(shop, store, bag, 2)
    async with shop.begin() as s:
        await photos.remember_file_id(s, second, BOT, "AgAC-second")
    statements: list[str] = []

    def listener(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    async with shop() as s:
        event.listen(s.get_bind(), "before_cursor_execute", listener)
        try:
            by_id = await catalogue.product_card(s, product_id=bag, now=NOW, bot_id=BOT)
            by_sku = await catalogue.product_card(s, sku="tas-hb-01", now=NOW, bot_id=OTHER_BOT)
        finally:
            event.remove(s.get_bind(), "before_cursor_execute", listener)
        assert len(statements) == 2  # one for each card
        assert by_id.product.id == by_sku.product.id == bag
        assert [(p.photo.id, p.file_id) for p in by_id.photos] == [(first, None), (second, "AgAC-second")]
        assert [(p.photo.id, p.file_id) for p in by_sku.photos] == [(first, None), (second, None)]
        assert (await catalogue.product_card(s, sku="RTI-MNS-CKL", now=NOW, bot_id=BOT)).photos == []
        await s.execute(update(Product).where(Product.id == bag).values(active=False))
        with pytest.raises(ProductUnavailable):
            await catalogue.product_card(s, product_id=bag, now=NOW, bot_id=BOT)
        with pytest.raises(ProductUnavailable):
            await catalogue.product_card(s, sku="TAS-HB-01", now=NOW, bot_id=BOT)
        with pytest.raises(ProductUnavailable):
            await catalogue.product_card(s, product_id=10_000, now=NOW, bot_id=BOT)
