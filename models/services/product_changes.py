"""Saving a manager's draft: a new product, or the changed fields of one, audited field by field.

A change is saved only against the product version it started from (compare-and-set on `products.version`):
when another manager saved in between, nothing is written and the manager is told what changed; the draft is
moved onto the new version (their own changes kept, the others' taken in), so a second "Simpan" is a choice
made knowing it, never a silent overwrite.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.catalog import Category, Family, Product
from models.conversation import CatalogueDraft
from models.errors import DuplicateSku, FormOutOfStep, NoDraft, NotFound
from models.media import MediaStore
from models.people import Role
from models.rules import product_fields as pf
from models.services import audit_trail, catalogue, categories, drafts, product_photos
from models.services import staff as staff_service
from models.services.audit_trail import TrailLine


@dataclass(frozen=True)
class Change:
    """One field's value before and after."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Saved:
    """The product as saved, whether it is new, and the fields that changed."""

    product: Product
    created: bool
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Conflict:
    """Nothing saved: another manager changed these fields since the draft began (the draft now starts there)."""

    changes: list[Change]
    prompt: drafts.Prompt


def _plain(value: Any) -> Any:
    """A value as the audit's JSON keeps it (decimals as text)."""
    return str(value) if isinstance(value, Decimal) else value


def _columns(family: Family, values: dict[str, Any]) -> dict[str, Any]:
    """The product columns of a draft's values, the category included."""
    columns = pf.product_columns(family, values)
    columns["category_id"] = values.get("category")
    return columns


def _audit(session: AsyncSession, actor: int, sku: str, now: datetime, action: str, **detail: Any) -> None:
    """Records one product change."""
    session.add(AuditEntry(actor_telegram_id=actor, action=action, subject=f"product:{sku}",
                           detail={k: _plain(v) for k, v in detail.items()}, at=now))


async def _category_of(session: AsyncSession, data: dict[str, Any], actor: int, now: datetime) -> int:
    """The draft's category id, creating the category typed in it."""
    if data.get("new_category"):
        return (await categories.create_category(session, str(data["new_category"]), actor=actor, now=now)).id
    category_id = int((data.get("values") or {}).get("category") or 0)
    if await session.get(Category, category_id) is None:
        raise FormOutOfStep()  # removed meanwhile: the manager picks another
    return category_id


async def save(session: AsyncSession, actor: int, *, now: datetime, media: MediaStore) -> Saved | Conflict:
    """Saves the manager's draft from its review (or list of fields) and drops it, its photos included (their
    files are in `media` already); see the module docstring."""
    await staff_service.require_role(session, actor, Role.MANAGER)
    draft = await session.scalar(select(CatalogueDraft).where(CatalogueDraft.manager_telegram_id == actor))
    if draft is None:
        raise NoDraft()
    if draft.step not in (drafts.REVIEW, drafts.FIELDS):
        raise FormOutOfStep()
    data = copy.deepcopy(dict(draft.data))
    if draft.product_id is None:
        return await _create(session, draft, data, actor, now, media)
    return await _change(session, draft, data, actor, now, media)


async def _photos(
    session: AsyncSession, product: Product, data: dict[str, Any], actor: int, now: datetime, media: MediaStore
) -> None:
    """Makes the product's photos the draft's, audited with how many there were and are."""
    before = len(data.get("base_photos") or [])
    done = await product_photos.sync(session, product.id, list(data.get("photos") or []), media, now=now)
    if done:
        _audit(session, actor, product.sku, now, "product.photos", old=before, new=len(data.get("photos") or []))


def _photos_changed(data: dict[str, Any]) -> bool:
    """Whether the draft's photos differ from the product's when the draft began (added, removed, reordered)."""
    return [p.get("hash") for p in data.get("photos") or []] != [p.get("hash") for p in data.get("base_photos") or []]


async def _create(
    session: AsyncSession, draft: CatalogueDraft, data: dict[str, Any], actor: int, now: datetime, media: MediaStore
) -> Saved:
    """Adds the new product (and its new category), audited with every value."""
    values = data["values"]
    family = Family(values["family"])
    sku = str(values["sku"])
    await drafts.check_sku_free(session, sku)  # another manager may have saved it since it was typed
    columns = _columns(family, values)
    columns["category_id"] = await _category_of(session, data, actor, now)
    columns["active"] = True
    product = Product(sku=sku, family=family, version=1, **columns)
    try:
        async with session.begin_nested():  # another manager saving the same SKU this very moment
            session.add(product)
    except IntegrityError:
        raise DuplicateSku(sku=sku) from None
    _audit(session, actor, sku, now, "product.create", **{k: v for k, v in columns.items() if v is not None})
    await _photos(session, product, data, actor, now, media)
    await session.delete(draft)
    await session.flush()
    return Saved(product, True)


async def _change(
    session: AsyncSession, draft: CatalogueDraft, data: dict[str, Any], actor: int, now: datetime, media: MediaStore
) -> Saved | Conflict:
    """Writes the changed fields if the product is still at the draft's version; else says what changed."""
    product = await session.get(Product, draft.product_id)
    if product is None:
        raise NotFound(what="product", id=draft.product_id)
    if data.get("new_category"):
        data["values"]["category"] = await _category_of(session, data, actor, now)
        data.pop("new_category")
    family = product.family
    mine, base = _columns(family, data["values"]), _columns(family, data["base"])
    changed = {k: v for k, v in mine.items() if v != base.get(k)}
    photos_changed = _photos_changed(data)
    if changed or photos_changed:
        result = await session.execute(
            update(Product)
            .where(Product.id == product.id, Product.version == draft.base_version)
            .values(**changed, version=Product.version + 1)
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0):
            return await _conflict(session, draft, data, product)
    await session.refresh(product)
    for key, new in changed.items():
        _audit(session, actor, product.sku, now, f"product.{key}", old=base.get(key), new=new)
    if photos_changed:
        await _photos(session, product, data, actor, now, media)
    await session.execute(delete(CatalogueDraft).where(CatalogueDraft.id == draft.id))
    await session.flush()
    changes = [Change(k, base.get(k), v) for k, v in changed.items()]
    if photos_changed:
        changes.append(Change("photos", len(data.get("base_photos") or []), len(data.get("photos") or [])))
    return Saved(product, False, changes)


async def _conflict(
    session: AsyncSession, draft: CatalogueDraft, data: dict[str, Any], product: Product
) -> Conflict:
    """Moves the draft onto the product as it is now, keeping the manager's own changes; lists the others'."""
    await session.refresh(product)
    category = await session.get(Category, product.category_id)
    assert category is not None  # a foreign key
    now_values = pf.draft_values(product, category.name_id)
    base, mine = data["base"], data["values"]
    theirs = [Change(k, base.get(k), v) for k, v in now_values.items() if base.get(k) != v and k != "category_name"]
    for key, value in now_values.items():
        if mine.get(key) == base.get(key):
            mine[key] = value
    now_photos = await product_photos.current_photos(session, product.id)
    if [p["hash"] for p in now_photos] != [p.get("hash") for p in data.get("base_photos") or []]:
        theirs.append(Change("photos", len(data.get("base_photos") or []), len(now_photos)))
        if not _photos_changed(data):
            data["photos"] = now_photos
    data["base_photos"] = now_photos
    data["base"] = now_values
    draft.data = data
    draft.base_version = product.version
    await session.flush()
    return Conflict(theirs, await drafts.current(session, draft.manager_telegram_id))


async def product_trail(session: AsyncSession, actor: int, sku: str) -> tuple[Product, list[TrailLine]]:
    """Every audited change of a product (added, fields, price, on/off, stock), oldest first."""
    await staff_service.require_role(session, actor, Role.MANAGER)
    product = await catalogue.product_by_sku(session, sku)
    return product, await audit_trail.trail(session, AuditEntry.subject == f"product:{product.sku}")
