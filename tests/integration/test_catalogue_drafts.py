"""Product drafts, saving with compare-and-set, and categories as data, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models.audit import AuditEntry
from models.catalog import Category, Family, Product
from models.conversation import CatalogueDraft
from models.db import SessionFactory
from models.errors import (
    CategoryExists,
    CategoryNotEmpty,
    DuplicateSku,
    FieldInvalid,
    FormOutOfStep,
    NotAllowed,
    PhotoAlreadyAdded,
)
from models.images import prepare_image
from models.media import MediaStore
from models.people import Role
from models.services import admin, catalogue, categories, draft_photos, drafts, photos, product_changes
from models.services import staff as staff_service
from tests.conftest import wib
from tests.jobs.helpers import BAKER, MANAGER, team
from tests.support.pictures import jpeg

NOW = wib(2026, 11, 27, 9, 0)
SECOND = 802
MEDIA = MediaStore(Path("/nonexistent/media"))  # drafts here have no photos: nothing is read or written


async def _managers(shop: SessionFactory) -> None:
    """The baker, Pak Budi and a second manager."""
    async with shop.begin() as s:
        await team(s)
        await staff_service.add_staff(s, SECOND, "Bu Ani", Role.MANAGER)


async def _bread_draft(shop: SessionFactory) -> None:
    """Pak Budi answers every question of a new bread product in the Roti category."""
    async with shop.begin() as s:
        roti = await s.scalar(select(Category).where(Category.slug == "roti"))
        assert roti is not None
        await drafts.start_new(s, MANAGER)
        prompt = await drafts.answer_choice(s, MANAGER, "category", str(roti.id))
        assert prompt.step == "name" and prompt.family is Family.BREAD  # the kind of Roti's products
        for text in ("Roti Pisang Cokelat", "pcs", "Rp 3.500", "Roti lembut isi pisang.", "240", "48"):
            await drafts.answer_text(s, MANAGER, text)
        await drafts.answer_choice(s, MANAGER, "units_per_tray", drafts.SKIP)
        for text in ("3", "1", "1"):
            prompt = await drafts.answer_text(s, MANAGER, text)
        assert prompt.step == "sku" and prompt.suggestion == "RTO-PSN-1"
        prompt = await drafts.answer_choice(s, MANAGER, "sku", "ok")
        assert prompt.step == drafts.PHOTOS


async def test_a_new_product_is_saved_with_every_answer_and_audited(shop: SessionFactory) -> None:
    await _managers(shop)
    await _bread_draft(shop)
    async with shop.begin() as s:
        assert (await draft_photos.photos_done(s, MANAGER)).step == drafts.REVIEW
        saved = await product_changes.save(s, MANAGER, now=NOW, media=MEDIA)
    assert isinstance(saved, product_changes.Saved) and saved.created
    async with shop() as s:
        product = await s.scalar(select(Product).where(Product.sku == "RTO-PSN-1"))
        assert product is not None
        assert (product.family, product.price, product.daily_capacity, product.batch_yield) == (
            Family.BREAD, 3_500, 240, 48)
        assert (product.units_per_tray, product.shelf_life_days, product.lead_days, product.version) == (None, 3, 1, 1)
        assert await s.scalar(select(CatalogueDraft)) is None
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.subject == "product:RTO-PSN-1"))
        assert entry is not None and entry.action == "product.create" and entry.detail["price"] == 3_500
        assert any(p.sku == "RTO-PSN-1" for p in await catalogue.list_products(s, product.category_id))


async def test_the_second_of_two_managers_changing_a_product_is_refused_with_what_changed(
    shop: SessionFactory,
) -> None:
    await _managers(shop)
    async with shop.begin() as s:
        for who in (MANAGER, SECOND):
            await drafts.start_edit(s, who, sku="RTI-MNS-CKL")
            await drafts.choose_field(s, who, "price")
        await drafts.answer_text(s, MANAGER, "3.800")
        await drafts.answer_text(s, SECOND, "4.000")
        await drafts.choose_field(s, SECOND, "name")
        await drafts.answer_text(s, SECOND, "Roti Cokelat")
    async with shop.begin() as s:
        first = await product_changes.save(s, MANAGER, now=NOW, media=MEDIA)
    assert isinstance(first, product_changes.Saved) and [c.field for c in first.changes] == ["price"]
    async with shop.begin() as s:
        second = await product_changes.save(s, SECOND, now=NOW, media=MEDIA)
    assert isinstance(second, product_changes.Conflict)
    assert [(c.field, c.old, c.new) for c in second.changes] == [("price", 3_500, 3_800)]
    async with shop() as s:
        product = await s.scalar(select(Product).where(Product.sku == "RTI-MNS-CKL"))
        assert product is not None and (product.price, product.name) == (3_800, "Roti Manis Isi Cokelat (±60 g)")
    async with shop.begin() as s:  # saved again knowingly: her own changes only
        again = await product_changes.save(s, SECOND, now=NOW, media=MEDIA)
    assert isinstance(again, product_changes.Saved)
    assert {c.field: c.new for c in again.changes} == {"price": 4_000, "name": "Roti Cokelat"}


async def test_a_price_changed_with_harga_meanwhile_refuses_the_draft(shop: SessionFactory) -> None:
    await _managers(shop)
    async with shop.begin() as s:
        await drafts.start_edit(s, MANAGER, sku="RTI-MNS-CKL")
        await drafts.choose_field(s, MANAGER, "shelf_life_days")
        await drafts.answer_text(s, MANAGER, "2")
        await admin.change_price(s, SECOND, "RTI-MNS-CKL", 3_700, now=NOW)
        outcome = await product_changes.save(s, MANAGER, now=NOW, media=MEDIA)
    assert isinstance(outcome, product_changes.Conflict) and outcome.changes[0].new == 3_700
    async with shop.begin() as s:
        saved = await product_changes.save(s, MANAGER, now=NOW, media=MEDIA)
    assert isinstance(saved, product_changes.Saved) and [c.field for c in saved.changes] == ["shelf_life_days"]
    async with shop() as s:
        assert await s.scalar(select(Product.price).where(Product.sku == "RTI-MNS-CKL")) == 3_700


@pytest.mark.parametrize("typed", ["roti", "  ROTI ", "Paving  block", "Bread"])
async def test_a_category_named_like_an_existing_one_is_refused(shop: SessionFactory, typed: str) -> None:
    await _managers(shop)
    async with shop.begin() as s:
        with pytest.raises(CategoryExists):
            await categories.create_category(s, typed, actor=MANAGER, now=NOW)
        await drafts.start_new(s, MANAGER)
        with pytest.raises(CategoryExists):
            await drafts.answer_text(s, MANAGER, typed)


async def test_categories_are_added_renamed_moved_hidden_and_removed_only_when_empty(shop: SessionFactory) -> None:
    await _managers(shop)
    async with shop.begin() as s:
        added = await categories.create_category(s, "Kue Kering / Cookies", actor=MANAGER, now=NOW)
        assert (added.slug, added.name_id, added.name_en) == ("kue_kering", "Kue Kering", "Cookies")
        await categories.rename(s, MANAGER, added.id, "Kue Lebaran", now=NOW)
        await categories.move(s, MANAGER, added.id, True, now=NOW)
        roti = await s.scalar(select(Category).where(Category.slug == "roti"))
        assert roti is not None
        with pytest.raises(CategoryNotEmpty):
            await categories.remove(s, MANAGER, roti.id, now=NOW)
        await categories.set_hidden(s, MANAGER, roti.id, True, now=NOW)
        assert "roti" not in [c.slug for c in await catalogue.list_categories(s)]
        order = [c.slug for c, _ in await categories.all_categories(s, MANAGER)]
        assert order[-2:] == ["kue_kering", "keripik"]
        assert await categories.remove(s, MANAGER, added.id, now=NOW) == "Kue Lebaran"
    async with shop() as s:
        actions = [a.action for a in await s.scalars(
            select(AuditEntry).where(AuditEntry.subject.like("category:%")).order_by(AuditEntry.id))]
    assert actions == ["category.add", "category.name", "category.position", "category.hidden", "category.remove"]


async def test_bad_answers_and_forged_choices_change_nothing(shop: SessionFactory) -> None:
    await _managers(shop)
    async with shop.begin() as s:
        await drafts.start_new(s, MANAGER)
        with pytest.raises(FormOutOfStep):
            await drafts.answer_choice(s, MANAGER, "category", "99999")
        with pytest.raises(FormOutOfStep):
            await drafts.answer_choice(s, MANAGER, "sku", "ok")
        await drafts.answer_text(s, MANAGER, "Lukisan Kaca")
        await drafts.answer_choice(s, MANAGER, "family", "goods")
        with pytest.raises(FieldInvalid):
            await drafts.answer_text(s, MANAGER, "x" * 300)
        await drafts.answer_text(s, MANAGER, "Lukisan Kaca Bunga")
        await drafts.answer_text(s, MANAGER, "pcs")
        for bad in ("tiga ribu", "3,5", "0", "-3500", "1.000.000.001"):
            with pytest.raises(FieldInvalid):
                await drafts.answer_text(s, MANAGER, bad)
        assert (await drafts.current(s, MANAGER)).step == "price"


async def test_a_typed_sku_that_another_product_has_is_refused(shop: SessionFactory) -> None:
    await _managers(shop)
    await _bread_draft(shop)
    async with shop.begin() as s:
        draft = await s.scalar(select(CatalogueDraft))
        assert draft is not None
        draft.step = "sku"
        with pytest.raises(DuplicateSku):
            await drafts.answer_text(s, MANAGER, "rti-mns-ckl")


async def test_staff_cannot_open_a_draft(shop: SessionFactory) -> None:
    await _managers(shop)
    async with shop.begin() as s:
        with pytest.raises(NotAllowed):
            await drafts.start_new(s, BAKER)
        with pytest.raises(NotAllowed):
            await drafts.start_edit(s, BAKER, sku="RTI-MNS-CKL")


async def test_a_drafts_photos_are_saved_then_reordered_replaced_and_removed(
    shop: SessionFactory, tmp_path: Path
) -> None:
    media = MediaStore(tmp_path / "media")
    await _managers(shop)
    first, second, third = (jpeg(800, 600, seed=n) for n in (1, 2, 3))
    async with shop.begin() as s:
        await drafts.start_edit(s, MANAGER, sku="TAS-HB-01")
        await drafts.choose_field(s, MANAGER, drafts.PHOTOS)
        for picture in (first, second):
            await draft_photos.receive(s, MANAGER, picture, None, media)
        with pytest.raises(PhotoAlreadyAdded):
            await draft_photos.receive(s, MANAGER, first, None, media)
        await draft_photos.photos_done(s, MANAGER)
        saved = await product_changes.save(s, MANAGER, now=NOW, media=media)
    assert isinstance(saved, product_changes.Saved) and [c.field for c in saved.changes] == ["photos"]
    hashes = {n: prepare_image(p).content_hash for n, p in (("first", first), ("second", second), ("third", third))}
    async with shop.begin() as s:
        product = await s.scalar(select(Product).where(Product.sku == "TAS-HB-01"))
        assert product is not None and product.version == 2
        assert [p.content_hash for p in await photos.photos_of(s, product.id)] == [hashes["first"], hashes["second"]]
        await drafts.start_edit(s, MANAGER, sku="TAS-HB-01")
        await drafts.choose_field(s, MANAGER, drafts.PHOTOS)
        await draft_photos.arrange_photo(s, MANAGER, 1, "first")
        await draft_photos.arrange_photo(s, MANAGER, 1, "replace")
        await draft_photos.receive(s, MANAGER, third, None, media)
        await draft_photos.photos_done(s, MANAGER)
        await product_changes.save(s, MANAGER, now=NOW, media=media)
    async with shop.begin() as s:
        assert [p.content_hash for p in await photos.photos_of(s, product.id)] == [hashes["second"], hashes["third"]]
        await drafts.start_edit(s, MANAGER, sku="TAS-HB-01")
        await drafts.choose_field(s, MANAGER, drafts.PHOTOS)
        await draft_photos.arrange_photo(s, MANAGER, 0, "remove")
        await draft_photos.photos_done(s, MANAGER)
        await product_changes.save(s, MANAGER, now=NOW, media=media)
    async with shop() as s:
        assert [p.content_hash for p in await photos.photos_of(s, product.id)] == [hashes["third"]]
        trail = [a.detail for a in await s.scalars(select(AuditEntry).where(AuditEntry.action == "product.photos"))]
    assert trail == [{"old": 0, "new": 2}, {"old": 2, "new": 2}, {"old": 2, "new": 1}]
    assert media.has(prepare_image(first).content_hash + ".jpg"), "files stay on disk (a backup may point at them)"
