"""Categories as data: managers add, rename, reorder and hide them; one that holds products cannot be removed.

Every change checks the manager role, refuses a name like an existing one (case and spaces aside, in either
language) and is audited with who, when, and the old and new value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.catalog import Category, Product
from models.errors import CategoryExists, CategoryNotEmpty, FieldInvalid, NotFound
from models.people import Role
from models.services import audit_trail
from models.services import staff as staff_service
from models.services.audit_trail import TrailLine

MAX_NAME = 80
SUBJECT_PREFIX = "category:"  # the audit subject of a category: this and its slug
# The audit actions that record a category's name, and in which of their values.
_NAMED_BY = {"category.add": "new", "category.name": "new", "category.remove": "old"}


def _key(name: str) -> str:
    """A name compared case- and space-insensitively ("Roti  manis" and "roti manis" are one)."""
    return "".join(name.split()).casefold()


def split_names(text: str) -> tuple[str, str]:
    """The Indonesian and English names of "Roti / Bread" (one name serves both when no slash is typed)."""
    first, _, second = text.partition("/")
    name_id = " ".join(first.split())
    return name_id, " ".join(second.split()) or name_id


async def visible_categories(session: AsyncSession) -> list[Category]:
    """Categories a new product can go in (not hidden), in display order."""
    return list(await session.scalars(
        select(Category).where(Category.hidden.is_(False)).order_by(Category.position, Category.id)
    ))


async def all_categories(session: AsyncSession, actor: int) -> list[tuple[Category, int]]:
    """Every category with how many products it holds, for a manager."""
    await staff_service.require_role(session, actor, Role.MANAGER)
    rows = await session.execute(select(Product.category_id, func.count(Product.id)).group_by(Product.category_id))
    counts = {category_id: count for category_id, count in rows}
    found = await session.scalars(select(Category).order_by(Category.position, Category.id))
    return [(c, int(counts.get(c.id, 0))) for c in found]


async def check_new_name(session: AsyncSession, text: str, *, keep: int | None = None) -> str:
    """The typed name, tidied, when no other category is named like it; else CategoryExists or FieldInvalid."""
    name_id, name_en = split_names(text)
    if not name_id:
        raise FieldInvalid(field="category", reason="too_short", text=text[:40], low=1)
    if max(len(name_id), len(name_en)) > MAX_NAME:
        raise FieldInvalid(field="category", reason="too_long", text=text[:40], high=MAX_NAME)
    wanted = {_key(name_id), _key(name_en)}
    for other in await session.scalars(select(Category)):
        if other.id != keep and wanted & {_key(other.name_id), _key(other.name_en), _key(other.slug)}:
            raise CategoryExists(name=other.name_id)
    return name_id if name_en == name_id else f"{name_id} / {name_en}"


async def _slug(session: AsyncSession, name: str) -> str:
    """A free slug made from a name ("Tas Anyaman" -> "tas_anyaman")."""
    base = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[:30] or "kategori"
    taken = set(await session.scalars(select(Category.slug).where(Category.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}_{number}", number + 1
    return slug


def _audit(session: AsyncSession, actor: int, action: str, category: Category, now: datetime, **detail: object) -> None:
    """Records one category change."""
    session.add(AuditEntry(actor_telegram_id=actor, action=action, subject=SUBJECT_PREFIX + category.slug,
                           detail=detail, at=now))


async def create_category(session: AsyncSession, text: str, *, actor: int, now: datetime) -> Category:
    """Adds a category at the end of the list (its name checked as `check_new_name` does)."""
    await staff_service.require_role(session, actor, Role.MANAGER)
    name_id, name_en = split_names(await check_new_name(session, text))
    last = await session.scalar(select(func.max(Category.position)))
    category = Category(slug=await _slug(session, name_id), name_id=name_id, name_en=name_en,
                        position=(last or 0) + 1, hidden=False)
    session.add(category)
    await session.flush()
    _audit(session, actor, "category.add", category, now, new=name_id)
    return category


async def _category(session: AsyncSession, actor: int, category_id: int) -> Category:
    """A category by id for a manager, or NotFound."""
    await staff_service.require_role(session, actor, Role.MANAGER)
    category = await session.get(Category, category_id)
    if category is None:
        raise NotFound(what="category", id=category_id)
    return category


async def rename(session: AsyncSession, actor: int, category_id: int, text: str, *, now: datetime) -> Category:
    """Renames a category ("Nama" or "Nama / Name")."""
    category = await _category(session, actor, category_id)
    name_id, name_en = split_names(await check_new_name(session, text, keep=category.id))
    old = category.name_id
    category.name_id, category.name_en = name_id, name_en
    _audit(session, actor, "category.name", category, now, old=old, new=name_id)
    await session.flush()
    return category


async def move(session: AsyncSession, actor: int, category_id: int, up: bool, *, now: datetime) -> Category:
    """Moves a category one place up or down the buyers' list."""
    category = await _category(session, actor, category_id)
    ordered = list(await session.scalars(select(Category).order_by(Category.position, Category.id)))
    index = next(i for i, c in enumerate(ordered) if c.id == category.id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, each in enumerate(ordered):
            each.position = position
        _audit(session, actor, "category.position", category, now, old=index + 1, new=other + 1)
    await session.flush()
    return category


async def set_hidden(session: AsyncSession, actor: int, category_id: int, hidden: bool, *, now: datetime) -> Category:
    """Hides a category (and so its products) from buyers, or shows it again."""
    category = await _category(session, actor, category_id)
    if category.hidden is not hidden:
        _audit(session, actor, "category.hidden", category, now, old=category.hidden, new=hidden)
        category.hidden = hidden
        await session.flush()
    return category


async def remove(session: AsyncSession, actor: int, category_id: int, *, now: datetime) -> str:
    """Removes an empty category and returns its name; one that holds products is refused (hide it instead)."""
    category = await _category(session, actor, category_id)
    count = await session.scalar(select(func.count(Product.id)).where(Product.category_id == category.id))
    if count:
        raise CategoryNotEmpty(count=int(count), name=category.name_id)
    _audit(session, actor, "category.remove", category, now, old=category.name_id)
    await session.delete(category)
    await session.flush()
    return category.name_id


@dataclass(frozen=True)
class CategoryTrail:
    """Every audited category change, oldest first, and the name of each category they name (by subject)."""

    lines: list[TrailLine]
    names: dict[str, str]


async def category_trail(session: AsyncSession, actor: int) -> CategoryTrail:
    """What managers changed in the categories (added, renamed, moved, hidden or shown, removed), oldest first."""
    await staff_service.require_role(session, actor, Role.MANAGER)
    lines = await audit_trail.trail(session, AuditEntry.subject.startswith(SUBJECT_PREFIX, autoescape=True))
    names = {SUBJECT_PREFIX + c.slug: c.name_id for c in await session.scalars(select(Category))}
    for line in reversed(lines):  # a removed category is named as it was last (its removal records the name)
        named = line.detail.get(_NAMED_BY.get(line.action, ""))
        if isinstance(named, str):
            names.setdefault(line.subject, named)
    return CategoryTrail(lines, names)
