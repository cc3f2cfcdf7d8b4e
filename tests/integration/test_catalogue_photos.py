"""The catalogue file carries photos: exported with their files, imported with the same checks as in chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.catalog import Product
from models.db import SessionFactory, create_engine, create_session_factory
from models.errors import CatalogueError
from models.images import PreparedImage, prepare_image
from models.media import MediaStore
from models.migrate import upgrade
from models.services import catalogue_io, catalogue_photos, photos
from tests.conftest import wib
from tests.support.pictures import jpeg, noise, phone_photo, png, png_bomb

NOW = wib(2026, 12, 4, 9, 0)


@pytest.fixture
async def empty_copy(
    engine: AsyncEngine, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[SessionFactory]:
    """A second, empty, migrated database on the same engine as `engine`."""
    if engine.dialect.name == "sqlite":
        other = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'copy.sqlite3'}")
    else:
        _, url = request.getfixturevalue("empty_pg_database")
        other = create_engine(url)
    await upgrade(other)
    yield create_session_factory(other)
    await other.dispose()


async def _export(factory: SessionFactory, store: MediaStore, folder: Path) -> str:
    """Exports the catalogue and its photos into `folder` (the YAML as catalogue.yaml); returns the YAML."""
    async with factory() as s:
        listed = await catalogue_photos.export_photos(s, store, folder, folder)
        text = await catalogue_io.export_catalogue(s, listed)
    (folder / "catalogue.yaml").write_text(text, encoding="utf-8")
    return text


async def _import(factory: SessionFactory, store: MediaStore, file: Path) -> int:
    """Imports a catalogue file with its photos in one transaction; returns how many products' photos changed."""
    text = file.read_text(encoding="utf-8")
    found = catalogue_photos.read_photos(catalogue_io.validate_catalogue(text), file.parent)
    async with factory.begin() as s:
        await catalogue_io.import_catalogue(s, text)
        return await catalogue_photos.apply_photos(s, store, found, now=NOW)


async def _bag_with_a_photo(factory: SessionFactory, store: MediaStore) -> tuple[int, PreparedImage]:
    """Adds one photo to the bag TAS-HB-01, its file in `store`; returns the bag's id and the photo."""
    prepared = prepare_image(jpeg(640, 480))
    async with factory.begin() as s:
        bag = await s.scalar(select(Product.id).where(Product.sku == "TAS-HB-01"))
        assert bag is not None
        await photos.add_photo(s, bag, prepared, store.save(prepared), now=NOW)
    return bag, prepared


async def test_export_then_import_into_an_empty_database_gives_the_same_catalogue_and_photos(
    shop: SessionFactory, empty_copy: SessionFactory, tmp_path: Path
) -> None:
    store = MediaStore(tmp_path / "media")
    pictures = {"TAS-HB-01": [phone_photo(), jpeg(900, 700, seed=2)], "LKS-KNV-01": [jpeg(1280, 960, seed=3)]}
    async with shop.begin() as s:
        for sku, raw in pictures.items():
            product = await s.scalar(select(Product).where(Product.sku == sku))
            assert product is not None
            for data in raw:
                prepared = prepare_image(data)
                await photos.add_photo(s, product.id, prepared, store.save(prepared), now=NOW)
    exported = await _export(shop, store, tmp_path / "out")
    doc = yaml.safe_load(exported)
    listed = {p["sku"]: p.get("photos") for p in doc["products"] if "photos" in p}
    assert listed == {"TAS-HB-01": ["TAS-HB-01-1.jpg", "TAS-HB-01-2.jpg"], "LKS-KNV-01": ["LKS-KNV-01-1.jpg"]}

    copy_store = MediaStore(tmp_path / "media-copy")
    assert await _import(empty_copy, copy_store, tmp_path / "out" / "catalogue.yaml") == 2
    again = await _export(empty_copy, copy_store, tmp_path / "again")
    assert again == exported
    for name in ("TAS-HB-01-1.jpg", "TAS-HB-01-2.jpg", "LKS-KNV-01-1.jpg"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "out" / name).read_bytes(), name
    assert sorted(p.name for p in copy_store.root.iterdir()) == sorted(p.name for p in store.root.iterdir())
    for stored in copy_store.root.iterdir():
        assert stored.read_bytes() == (store.root / stored.name).read_bytes()
    # The same file again changes nothing.
    assert await _import(empty_copy, copy_store, tmp_path / "out" / "catalogue.yaml") == 0


async def test_a_catalogue_with_a_bad_picture_is_refused_whole(session_factory: SessionFactory, tmp_path: Path) -> None:
    folder = tmp_path / "katalog"
    folder.mkdir()
    (folder / "kecil.png").write_bytes(png(noise(50, 50)))
    (folder / "bom.png").write_bytes(png_bomb(30_000, 30_000))
    (folder / "surat.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "baik.jpg").write_bytes(jpeg(800, 600))
    text = (
        "categories: [keripik, lukisan]\nproducts:\n"
        "  - {sku: KRP-A, category: keripik, name: Keripik, unit: bungkus, price_rp: 15000,"
        " photos: [baik.jpg, kecil.png, surat.pdf]}\n"
        "  - {sku: LKS-B, category: lukisan, name: Lukisan, unit: pcs, price_rp: 750000,"
        " photos: [bom.png, hilang.jpg, baik.jpg, baik.jpg]}\n"
        "  - {sku: LKS-C, category: lukisan, name: Lukisan 2, unit: pcs, price_rp: 750000, photos: baik.jpg}\n"
    )
    (folder / "catalogue.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as refused:
        catalogue_photos.read_photos(catalogue_io.validate_catalogue(text), folder)
    problems = refused.value.problems
    assert problems[0] == "SKU KRP-A photo 2 'kecil.png': 50 x 50 px: the short side needs 320 px (image_too_small)"
    assert problems[1] == "SKU KRP-A photo 3 'surat.pdf': not a JPEG, PNG or WebP picture"
    assert problems[2].startswith("SKU LKS-B photo 1 'bom.png': more than 50000000 pixels")
    assert problems[3].startswith("SKU LKS-B photo 2 'hilang.jpg': cannot read")
    assert problems[4:] == [
        "SKU LKS-B: the same picture is listed twice", "SKU LKS-C: 'photos' must be a list of file paths"
    ]
    async with session_factory() as s:
        assert await catalogue_io.catalogue_is_empty(s)


async def test_a_product_without_photos_in_the_file_keeps_the_ones_added_in_chat(
    shop: SessionFactory, tmp_path: Path
) -> None:
    store = MediaStore(tmp_path / "media")
    bag, _ = await _bag_with_a_photo(shop, store)
    plain = tmp_path / "plain.yaml"
    async with shop() as s:
        plain.write_text(await catalogue_io.export_catalogue(s), encoding="utf-8")
    assert await _import(shop, store, plain) == 0
    async with shop() as s:
        assert len(await photos.photos_of(s, bag)) == 1
    emptied = plain.read_text(encoding="utf-8").replace("sku: TAS-HB-01\n", "sku: TAS-HB-01\n  photos: []\n")
    plain.write_text(emptied, encoding="utf-8")
    assert await _import(shop, store, plain) == 1
    async with shop() as s:
        assert await photos.photos_of(s, bag) == []


async def test_an_export_whose_photo_file_is_gone_names_it_and_writes_nothing(
    shop: SessionFactory, tmp_path: Path
) -> None:
    store = MediaStore(tmp_path / "media")
    _, prepared = await _bag_with_a_photo(shop, store)
    store.path(store.name_of(prepared)).unlink()
    with pytest.raises(CatalogueError) as refused:
        await _export(shop, store, tmp_path / "out")
    assert refused.value.problems == [
        f"SKU TAS-HB-01: photo file {store.name_of(prepared)} is not in MEDIA_DIR ({store.root})"
    ]
    assert not (tmp_path / "out").exists()
