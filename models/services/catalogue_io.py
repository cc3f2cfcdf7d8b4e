"""Catalogue import (idempotent upsert by SKU, refused whole on any problem) and export as YAML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import ClosedWeekday, PickupSlot
from models.catalog import Category, Family, Product, SplitBasis
from models.errors import CatalogueError

CATEGORY_NAMES = {
    "roti": ("Roti", "Bread"),
    "paving": ("Paving Block", "Paving blocks"),
    "tas_handbag": ("Tas", "Bags"),
    "sandal": ("Sandal", "Sandals"),
    "kerajinan": ("Kerajinan", "Handicrafts"),
    "konveksi": ("Konveksi", "Garments"),
    "lukisan": ("Lukisan", "Paintings"),
    "meubel": ("Meubel", "Furniture"),
    "ikan_teri_olahan": ("Ikan Teri Olahan", "Anchovy snacks"),
    "keripik": ("Keripik", "Chips"),
}
FAMILY_OF_CATEGORY = {"roti": Family.BREAD, "paving": Family.PAVING}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
}
DEFAULT_SLOTS = {
    Family.BREAD: [(time(10), time(12), 40), (time(14), time(16), 40)],
    Family.PAVING: [(time(8), time(16), 10)],
    Family.GOODS: [(time(9), time(16), 100)],
}
DEFAULT_STOCK = 20
REQUIRED = ("sku", "category", "name", "unit", "price_rp")
# Column sizes of the text fields (PostgreSQL refuses longer values, SQLite would keep them).
MAX_LENGTH = {"sku": 40, "name": 120, "unit": 20, "photo": 255, "k_grade_declared": 60}
MAX_INT = 2**31 - 1  # INTEGER columns
INT_FIELDS = (
    "price_rp",
    "min_qty",
    "max_qty",
    "lead_days",
    "deposit_pct",
    "daily_capacity",
    "batch_yield",
    "units_per_tray",
    "shelf_life_days",
    "pcs_per_m2",
    "waste_pct",
    "thickness_cm",
    "curing_days",
    "stock",
    "stock_ready",
    "stock_curing",
)


@dataclass(frozen=True)
class ImportResult:
    """How many products an import created and updated."""

    created: int
    updated: int
    categories: int


def _load(text: str) -> tuple[dict[str, Any], dict[int, int]]:
    """Parses YAML and maps each product's index to its line number."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise CatalogueError([f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
    if not isinstance(data, dict):
        raise CatalogueError(["the file must be a mapping with 'categories' and 'products'"])
    lines: dict[int, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "products" and isinstance(value, yaml.SequenceNode):
                lines = {i: node.start_mark.line + 1 for i, node in enumerate(value.value)}
    return data, lines


def _check_product(raw: Any, where: str, categories: set[str], defaults: dict[str, Any]) -> list[str]:
    """Lists every problem of one product entry."""
    if not isinstance(raw, dict):
        return [f"{where}: must be a mapping"]
    problems = [f"{where}: missing field '{f}'" for f in REQUIRED if raw.get(f) in (None, "")]
    cat = raw.get("category")
    if cat is not None and cat not in categories:
        problems.append(f"{where}: unknown category '{cat}'")
    merged = {**defaults.get(str(cat), {}), **raw}
    for name in INT_FIELDS:
        value = merged.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(f"{where}: {name} must be a whole number >= 0 (got {value!r})")
        elif isinstance(value, int) and name != "price_rp" and value > MAX_INT:
            problems.append(f"{where}: {name} must be at most {MAX_INT} (got {value!r})")
    if merged.get("price_rp") == 0:
        problems.append(f"{where}: price_rp must be at least 1 (a QRIS code needs an amount)")
    for name, limit in MAX_LENGTH.items():
        if merged.get(name) is not None and len(str(merged[name])) > limit:
            problems.append(f"{where}: {name} must be at most {limit} characters")
    family = FAMILY_OF_CATEGORY.get(str(cat), Family.GOODS)
    if family is Family.PAVING and not (
        isinstance(merged.get("pcs_per_m2"), int) and merged["pcs_per_m2"] > 0
    ):
        problems.append(f"{where}: paving needs pcs_per_m2 > 0")
    if family is Family.BREAD and not (
        isinstance(merged.get("batch_yield"), int) and merged["batch_yield"] > 0
    ):
        problems.append(f"{where}: bread needs batch_yield > 0")
    if merged.get("min_qty") == 0:
        problems.append(f"{where}: min_qty must be at least 1")
    if "cutoff_time" in merged:
        try:
            time.fromisoformat(str(merged["cutoff_time"]).replace(".", ":"))
        except ValueError:
            problems.append(f"{where}: cutoff_time must be HH:MM (got {merged['cutoff_time']!r})")
    if merged.get("weight_kg") is not None:
        try:
            if Decimal(str(merged["weight_kg"])) < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"{where}: weight_kg must be a number >= 0")
    return problems


def validate_catalogue(text: str) -> dict[str, Any]:
    """Parses and checks a catalogue file, raising CatalogueError that lists every problem."""
    data, lines = _load(text)
    problems: list[str] = []
    cats = data.get("categories")
    if not isinstance(cats, list) or not all(isinstance(c, str) and c for c in cats):
        problems.append("'categories' must be a list of category slugs")
        cats = []
    products = data.get("products")
    if not isinstance(products, list) or not products:
        problems.append("'products' must be a non-empty list")
        products = []
    defaults = data.get("defaults") or {}
    for slug in FAMILY_OF_CATEGORY:
        days = (defaults.get(slug) or {}).get("non_production_weekdays") or []
        unknown = [d for d in days if str(d).lower() not in WEEKDAYS]
        if unknown:
            problems.append(f"defaults.{slug}.non_production_weekdays: unknown weekday {unknown[0]!r}")
    seen: set[str] = set()
    for i, raw in enumerate(products):
        sku = raw.get("sku") if isinstance(raw, dict) else None
        where = f"line {lines.get(i, '?')} (SKU {sku})" if sku else f"line {lines.get(i, '?')}"
        problems += _check_product(raw, where, set(cats), defaults)
        # SKUs are stored upper-case, so "abc-1" and "ABC-1" are the same product.
        if sku and str(sku).upper() in seen:
            problems.append(f"{where}: duplicate SKU")
        if sku:
            seen.add(str(sku).upper())
    if problems:
        raise CatalogueError(problems)
    return data


def _apply(product: Product, merged: dict[str, Any], family: Family, created: bool) -> None:
    """Copies the catalogue fields onto a product row."""
    cutoff = merged.get("cutoff_time")
    product.family = family
    product.name = str(merged["name"])
    product.unit = str(merged["unit"])
    product.price = int(merged["price_rp"])
    product.active = bool(merged.get("active", True))
    product.description = merged.get("description")
    product.photo = merged.get("photo")
    product.min_qty = int(merged.get("min_qty") or 1)
    product.max_qty = merged.get("max_qty")
    product.lead_days = int(merged.get("lead_days") or 0)
    product.deposit_pct = merged.get("deposit_pct")
    product.daily_capacity = merged.get("daily_capacity")
    product.batch_yield = merged.get("batch_yield")
    product.units_per_tray = merged.get("units_per_tray")
    product.shelf_life_days = merged.get("shelf_life_days")
    product.cutoff_time = time.fromisoformat(str(cutoff).replace(".", ":")) if cutoff else None
    product.pcs_per_m2 = merged.get("pcs_per_m2")
    product.waste_pct = merged.get("waste_pct")
    product.weight_kg = Decimal(str(merged["weight_kg"])) if merged.get("weight_kg") is not None else None
    product.thickness_cm = merged.get("thickness_cm")
    product.k_grade = merged.get("k_grade_declared")
    product.curing_days = merged.get("curing_days")
    if family is Family.PAVING and created:
        product.stock_ready = merged.get("stock_ready", 0)
        product.stock_curing = merged.get("stock_curing", 0)
    is_stock = family is Family.GOODS and merged.get("stock_mode", "stock") == "stock"
    if not is_stock:
        product.stock_on_hand = None
    elif "stock" in merged:
        product.stock_on_hand = int(merged["stock"])
    elif created or product.stock_on_hand is None:
        product.stock_on_hand = DEFAULT_STOCK


async def import_catalogue(session: AsyncSession, text: str) -> ImportResult:
    """Upserts categories and products by SKU; the same file twice changes nothing the second time."""
    data = validate_catalogue(text)
    defaults = data.get("defaults") or {}
    split = data.get("revenue_split_default") or {}
    by_slug = {c.slug: c for c in await session.scalars(select(Category))}
    for position, slug in enumerate(data["categories"]):
        cat = by_slug.get(slug)
        if cat is None:
            name_id, name_en = CATEGORY_NAMES.get(slug, (slug.replace("_", " ").title(),) * 2)
            cat = Category(slug=slug, name_id=name_id, name_en=name_en)
            session.add(cat)
            by_slug[slug] = cat
        cat.position = position
        cat.split_basis = (
            SplitBasis.SALES if split.get("basis") in ("sales", "penjualan") else SplitBasis.PROFIT
        )
        cat.pnbp_pct = int(split.get("pnbp_pct", 15))
        cat.premi_pct = int(split.get("premi_pct", 50))
        cat.capital_pct = int(split.get("modal_pct", split.get("capital_pct", 35)))
    await session.flush()
    created = updated = 0
    existing = {p.sku: p for p in await session.scalars(select(Product))}
    for raw in data["products"]:
        merged = {**defaults.get(raw["category"], {}), **raw}
        family = FAMILY_OF_CATEGORY.get(raw["category"], Family.GOODS)
        product = existing.get(str(raw["sku"]).upper())
        is_new = product is None
        if product is None:
            product = Product(sku=str(raw["sku"]).upper(), category_id=by_slug[raw["category"]].id)
            session.add(product)
            created += 1
        else:
            product.category_id = by_slug[raw["category"]].id
            updated += 1
        _apply(product, merged, family, is_new)
        if not is_new and session.is_modified(product):
            # A manager's draft begun before this import is then refused with what changed, not saved over it.
            product.version += 1
    await _import_calendar(session, defaults)
    await session.flush()
    return ImportResult(created, updated, len(data["categories"]))


async def _import_calendar(session: AsyncSession, defaults: dict[str, Any]) -> None:
    """Sets closed weekdays from the category defaults and creates default pickup slots once."""
    for slug, family in FAMILY_OF_CATEGORY.items():
        days = (defaults.get(slug) or {}).get("non_production_weekdays")
        if days is None:
            continue
        await session.execute(delete(ClosedWeekday).where(ClosedWeekday.family == family))
        for name in days:
            session.add(ClosedWeekday(family=family, weekday=WEEKDAYS[str(name).lower()]))
    for family, slots in DEFAULT_SLOTS.items():
        if await session.scalar(
            select(func.count()).select_from(PickupSlot).where(PickupSlot.family == family)
        ):
            continue
        for start, end, capacity in slots:
            session.add(PickupSlot(family=family, starts_at=start, ends_at=end, capacity=capacity))


async def catalogue_is_empty(session: AsyncSession) -> bool:
    """True when no product exists yet (first run)."""
    return not await session.scalar(select(func.count()).select_from(Product))


async def export_catalogue(session: AsyncSession, photos: dict[str, list[str]] | None = None) -> str:
    """The catalogue as YAML that `import_catalogue` reads back unchanged; `photos` lists files per SKU."""
    cats = list(await session.scalars(select(Category).order_by(Category.position, Category.id)))
    slug_of = {c.id: c.slug for c in cats}
    products = list(await session.scalars(select(Product).order_by(Product.id)))
    out_products = []
    for p in products:
        row: dict[str, Any] = {
            "sku": p.sku,
            "category": slug_of[p.category_id],
            "name": p.name,
            "unit": p.unit,
            "price_rp": p.price,
            "active": p.active,
            "min_qty": p.min_qty,
            "lead_days": p.lead_days,
        }
        optional = {
            "max_qty": p.max_qty,
            "deposit_pct": p.deposit_pct,
            "daily_capacity": p.daily_capacity,
            "batch_yield": p.batch_yield,
            "units_per_tray": p.units_per_tray,
            "shelf_life_days": p.shelf_life_days,
            "cutoff_time": p.cutoff_time.strftime("%H:%M") if p.cutoff_time else None,
            "pcs_per_m2": p.pcs_per_m2,
            "waste_pct": p.waste_pct,
            "weight_kg": float(p.weight_kg) if p.weight_kg is not None else None,
            "thickness_cm": p.thickness_cm,
            "k_grade_declared": p.k_grade,
            "curing_days": p.curing_days,
            "description": p.description,
            "photo": p.photo,
        }
        row.update({k: v for k, v in optional.items() if v is not None})
        if photos and p.sku in photos:
            row["photos"] = photos[p.sku]
        if p.family is Family.GOODS:
            row["stock_mode"] = "stock" if p.stock_on_hand is not None else "made_to_order"
            if p.stock_on_hand is not None:
                row["stock"] = p.stock_on_hand
        out_products.append(row)
    doc = {"categories": [c.slug for c in cats], "products": out_products}
    if cats:
        c = cats[0]
        doc["revenue_split_default"] = {
            "basis": "sales" if c.split_basis is SplitBasis.SALES else "laba",
            "pnbp_pct": c.pnbp_pct,
            "premi_pct": c.premi_pct,
            "modal_pct": c.capital_pct,
        }
    closed = list(await session.scalars(select(ClosedWeekday)))
    names = {v: k for k, v in WEEKDAYS.items() if k.isascii() and k.endswith("day")}
    defaults: dict[str, Any] = {}
    for slug, family in FAMILY_OF_CATEGORY.items():
        days = [names[c.weekday] for c in closed if c.family is family]
        if days:
            defaults[slug] = {"non_production_weekdays": days}
    if defaults:
        doc["defaults"] = defaults
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def read_file(path: Path) -> str:
    """Reads a catalogue file, turning I/O problems into CatalogueError."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError([f"cannot read {path}: {exc.strerror}"]) from None
