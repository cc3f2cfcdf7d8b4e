"""Catalogue import and export, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import ClosedWeekday, PickupSlot
from models.catalog import Category, Product
from models.db import SessionFactory
from models.errors import CatalogueError
from models.services import catalogue_io
from tests.conftest import CATALOGUE, wib
from tests.integration.helpers import order, product

DEFAULT_TEXT = CATALOGUE.read_text(encoding="utf-8")
SKUS = 19


def _columns(row: object) -> dict[str, Any]:
    """Every mapped column of an ORM row, except the surrogate id."""
    mapper = inspect(type(row))
    return {c.key: getattr(row, c.key) for c in mapper.column_attrs if c.key != "id"}


async def snapshot(session: AsyncSession) -> dict[str, Any]:
    """Everything a catalogue import may write, in a comparable form."""
    products = await session.scalars(select(Product).order_by(Product.sku))
    categories = await session.scalars(select(Category).order_by(Category.slug))
    closed = await session.scalars(select(ClosedWeekday).order_by(ClosedWeekday.family, ClosedWeekday.weekday))
    slots = await session.scalars(select(PickupSlot).order_by(PickupSlot.family, PickupSlot.starts_at))
    return {
        "products": {p.sku: _columns(p) for p in products},
        "categories": {c.slug: _columns(c) for c in categories},
        "closed": [(c.family, c.weekday) for c in closed],
        "slots": [_columns(s) for s in slots],
    }


async def counts(session: AsyncSession) -> tuple[int, int, int, int]:
    """Rows of products, categories, closed weekdays and pickup slots."""
    return tuple(  # type: ignore[return-value]
        [await session.scalar(select(func.count()).select_from(t)) for t in (Product, Category, ClosedWeekday,
                                                                              PickupSlot)]
    )


async def test_the_default_catalogue_loads(session_factory: SessionFactory) -> None:
    async with session_factory.begin() as s:
        assert await catalogue_io.catalogue_is_empty(s)
        result = await catalogue_io.import_catalogue(s, DEFAULT_TEXT)
    assert (result.created, result.updated, result.categories) == (SKUS, 0, 10)
    async with session_factory() as s:
        assert not await catalogue_io.catalogue_is_empty(s)
        assert await counts(s) == (SKUS, 10, 2, 4)  # Sunday closed for bread and for the paving yard
        roti = await product(s, "RTI-MNS-CKL")
        assert (roti.price, roti.batch_yield, roti.daily_capacity, roti.lead_days) == (3_500, 48, 240, 1)
        assert roti.cutoff_time is not None and roti.cutoff_time.hour == 14  # from the category defaults
        paving = await product(s, "PVB-BTA-6")
        assert (paving.pcs_per_m2, paving.curing_days, paving.stock_on_hand) == (44, 14, None)
        assert (await product(s, "TAS-HB-01")).stock_on_hand == catalogue_io.DEFAULT_STOCK
        assert (await product(s, "MBL-KRS-01")).stock_on_hand is None  # made to order


async def test_importing_twice_changes_nothing(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        # Stock moves between imports: a re-import must not reset what was sold.
        await order(s, "TAS-HB-01", 2, now=wib(2026, 11, 27, 10))
    async with shop() as s:
        before = await snapshot(s)
    assert before["products"]["TAS-HB-01"]["stock_on_hand"] == catalogue_io.DEFAULT_STOCK - 2
    async with shop.begin() as s:
        result = await catalogue_io.import_catalogue(s, DEFAULT_TEXT)
    assert (result.created, result.updated) == (0, SKUS)
    async with shop() as s:
        assert await snapshot(s) == before


async def test_a_changed_price_is_updated_in_place(shop: SessionFactory) -> None:
    """The product keeps its row; its version moves (a manager's older draft is refused), the others' do not."""
    async with shop() as s:
        old = await product(s, "RTI-MNS-CKL")
        old_id, old_version = old.id, old.version
        keju_version = (await product(s, "RTI-MNS-KJU")).version
    changed = DEFAULT_TEXT.replace("price_rp: 3500,", "price_rp: 3700,")
    async with shop.begin() as s:
        result = await catalogue_io.import_catalogue(s, changed)
    assert (result.created, result.updated) == (0, SKUS)
    async with shop() as s:
        roti = await product(s, "RTI-MNS-CKL")
        assert (roti.id, roti.price, roti.version) == (old_id, 3_700, old_version + 1)
        assert (await product(s, "RTI-MNS-KJU")).version == keju_version


def _with_products(*entries: str, header: str = "categories: [roti, paving, keripik]\nproducts:\n") -> str:
    """A small catalogue file with one product entry per line (line 3 is the first product)."""
    good = "  - {sku: KRP-OK-1, category: keripik, name: Keripik, unit: bungkus, price_rp: 15000}\n"
    return header + good + "".join(f"  - {entry}\n" for entry in entries)


# Each bad file, and a part of the message for every problem it must report (product lines start at 4).
BAD_FILES = {
    "yaml_error": (
        "categories: [keripik]\nproducts:\n  - {sku: A-1, category: keripik, name: x\n  - [\n",
        ["line 4: not valid YAML"],
    ),
    "unknown_category": (
        _with_products("{sku: MNN-1, category: mainan, name: Mainan, unit: pcs, price_rp: 1000}"),
        ["line 4 (SKU MNN-1): unknown category 'mainan'"],
    ),
    "negative_price": (
        _with_products("{sku: KRP-NEG-1, category: keripik, name: Murah, unit: pcs, price_rp: -5}"),
        ["line 4 (SKU KRP-NEG-1): price_rp must be a whole number >= 0"],
    ),
    "zero_price": (
        _with_products("{sku: KRP-NOL-1, category: keripik, name: Gratis, unit: pcs, price_rp: 0}"),
        ["line 4 (SKU KRP-NOL-1): price_rp must be at least 1"],
    ),
    "missing_field": (
        _with_products(
            "{sku: KRP-MIS-1, category: keripik, unit: pcs, price_rp: 100}",
            "{category: keripik, name: Tanpa SKU, unit: pcs, price_rp: 100}",
        ),
        ["line 4 (SKU KRP-MIS-1): missing field 'name'", "line 5: missing field 'sku'"],
    ),
    "text_price": (
        _with_products("{sku: KRP-TXT-1, category: keripik, name: Teks, unit: pcs, price_rp: '3.500'}"),
        ["line 4 (SKU KRP-TXT-1): price_rp must be a whole number"],
    ),
    "duplicate_sku": (
        _with_products("{sku: krp-ok-1, category: keripik, name: Lagi, unit: pcs, price_rp: 100}"),
        ["line 4 (SKU krp-ok-1): duplicate SKU"],
    ),
    "family_rules": (
        _with_products(
            "{sku: RTI-X-1, category: roti, name: Roti, unit: pcs, price_rp: 100}",
            "{sku: PVB-X-1, category: paving, name: Paving, unit: biji, price_rp: 100, min_qty: 0}",
            "{sku: RTI-X-2, category: roti, name: Roti, unit: pcs, price_rp: 100, batch_yield: 6,"
            " cutoff_time: '25:99'}",
        ),
        [
            "line 4 (SKU RTI-X-1): bread needs batch_yield > 0",
            "line 5 (SKU PVB-X-1): paving needs pcs_per_m2 > 0",
            "line 5 (SKU PVB-X-1): min_qty must be at least 1",
            "line 6 (SKU RTI-X-2): cutoff_time must be HH:MM",
        ],
    ),
    "too_long": (
        _with_products(f"{{sku: KRP-LONG-1, category: keripik, name: {'x' * 121}, unit: pcs, price_rp: 100}}"),
        ["line 4 (SKU KRP-LONG-1): name must be at most 120 characters"],
    ),
    "too_large_number": (
        _with_products("{sku: KRP-BIG-1, category: keripik, name: Banyak, unit: pcs, price_rp: 100,"
                       " stock: 3000000000}"),
        ["line 4 (SKU KRP-BIG-1): stock must be at most 2147483647"],
    ),
    "unknown_weekday": (
        _with_products(
            "{sku: RTI-X-3, category: roti, name: Roti, unit: pcs, price_rp: 100, batch_yield: 6}",
            header="categories: [roti, keripik]\ndefaults:\n  roti: {non_production_weekdays: [sundy]}\nproducts:\n",
        ),
        ["non_production_weekdays: unknown weekday 'sundy'"],
    ),
    "no_products": ("categories: [roti]\nproducts: []\n", ["'products' must be a non-empty list"]),
    "not_a_mapping": ("- just\n- a list\n", ["must be a mapping"]),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
async def test_a_bad_file_is_refused_whole_naming_every_problem(shop: SessionFactory, kind: str) -> None:
    text, expected = BAD_FILES[kind]
    # The bad file also carries a valid price change, which must not be applied.
    text = text.replace("price_rp: 15000}", "price_rp: 15000}\n  - {sku: RTI-MNS-CKL, category: roti, name: Roti, "
                        "unit: pcs, price_rp: 9999, batch_yield: 48}", 1)
    async with shop() as s:
        before = await snapshot(s)
        rows_before = await counts(s)
    with pytest.raises(CatalogueError) as err:
        async with shop.begin() as s:
            await catalogue_io.import_catalogue(s, text)
    problems = err.value.problems
    for part in expected:
        if kind != "yaml_error":  # the price change shifts the bad entries one line down
            part = _shift(part)
        assert any(part in problem for problem in problems), (part, problems)
    assert len(problems) == len(expected)
    async with shop() as s:
        assert await counts(s) == rows_before
        assert (await product(s, "RTI-MNS-CKL")).price == 3_500
        assert await snapshot(s) == before


def _shift(part: str) -> str:
    """The expected message with its product line number moved down by one."""
    found = re.match(r"line (\d+)", part)
    return f"line {int(found.group(1)) + 1}{part[found.end():]}" if found else part


async def test_a_bad_file_leaves_an_empty_database_empty(session_factory: SessionFactory) -> None:
    text = DEFAULT_TEXT.replace("price_rp: 2300,", "price_rp: -2300,")
    with pytest.raises(CatalogueError) as err:
        async with session_factory.begin() as s:
            await catalogue_io.import_catalogue(s, text)
    [problem] = err.value.problems
    line = 1 + next(i for i, row in enumerate(DEFAULT_TEXT.splitlines()) if "PVB-CCG-6" in row)
    assert problem.startswith(f"line {line} (SKU PVB-CCG-6): price_rp")
    async with session_factory() as s:
        assert await counts(s) == (0, 0, 0, 0)


async def test_export_and_import_round_trip(shop: SessionFactory, tmp_path: Path) -> None:
    from models.db import create_engine, create_session_factory
    from models.migrate import upgrade

    async with shop() as s:
        exported = await catalogue_io.export_catalogue(s)
        original = await snapshot(s)
    doc = yaml.safe_load(exported)
    assert len(doc["products"]) == SKUS
    assert doc["defaults"] == {
        "roti": {"non_production_weekdays": ["sunday"]},
        "paving": {"non_production_weekdays": ["sunday"]},
    }

    # Into a fresh SQLite database (whatever engine this test runs on): the same catalogue comes back.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        await upgrade(engine)
        fresh = create_session_factory(engine)
        async with fresh.begin() as s:
            result = await catalogue_io.import_catalogue(s, exported)
        assert (result.created, result.updated) == (SKUS, 0)
        async with fresh() as s:
            assert await catalogue_io.export_catalogue(s) == exported
            copied = await snapshot(s)
    finally:
        await engine.dispose()
    for sku, row in original["products"].items():
        assert {k: v for k, v in copied["products"][sku].items() if k != "category_id"} == {
            k: v for k, v in row.items() if k != "category_id"
        }, sku
    assert copied["closed"] == original["closed"]

    # And back into the same database: an export re-imported is a no-op.
    async with shop.begin() as s:
        result = await catalogue_io.import_catalogue(s, exported)
    assert (result.created, result.updated) == (0, SKUS)
    async with shop() as s:
        assert await snapshot(s) == original
