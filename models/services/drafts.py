"""Managers' product drafts: a new product asked question by question, or a product's fields changed one by one.

A draft is one row per manager (`catalogue_drafts`): leaving in the middle, a restart or a deploy keeps it, and
the next /produkbaru or /ubah offers to go on. `step` names what the bot asked: a field of `product_fields`,
"photos", "review" (the product as buyers will see it) or "fields" (which field to change). Saving is
`product_changes.save`; here nothing touches the products table.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Category, Family, Product
from models.conversation import CatalogueDraft
from models.errors import DuplicateSku, FieldInvalid, FormOutOfStep, NoDraft, NotFound
from models.people import Role
from models.rules import product_fields as pf
from models.services import catalogue, product_photos
from models.services import categories as category_service
from models.services import staff as staff_service

PHOTOS, REVIEW, FIELDS = "photos", "review", "fields"
SKIP = "skip"


@dataclass(frozen=True)
class Prompt:
    """Where a draft stands: the draft, its kind, and what the question needs shown (the categories to pick)."""

    draft: CatalogueDraft
    family: Family | None
    categories: list[Category] = field(default_factory=list)
    resumed: bool = False  # an older draft was found instead of starting the one asked for
    suggestion: str | None = None  # the SKU offered at the SKU question

    @property
    def step(self) -> str:
        """What the bot asks now."""
        return self.draft.step

    @property
    def values(self) -> dict[str, Any]:
        """The answers so far."""
        return dict(self.draft.data.get("values") or {})

    @property
    def photos(self) -> list[dict[str, Any]]:
        """The draft's photos, in order."""
        return list(self.draft.data.get("photos") or [])

    @property
    def editing(self) -> bool:
        """True for a change of an existing product."""
        return self.draft.product_id is not None


async def _manager(session: AsyncSession, actor: int) -> None:
    """Refuses anyone below manager (again, behind the router's check)."""
    await staff_service.require_role(session, actor, Role.MANAGER)


async def _draft(session: AsyncSession, actor: int) -> CatalogueDraft | None:
    """The manager's open draft, if any."""
    return await session.scalar(select(CatalogueDraft).where(CatalogueDraft.manager_telegram_id == actor))


def _family(draft: CatalogueDraft) -> Family | None:
    """The kind of product the draft is about, once known."""
    value = (draft.data.get("values") or {}).get("family")
    return Family(value) if value in pf.CHOICES["family"] else None


async def prompt_of(session: AsyncSession, draft: CatalogueDraft, *, resumed: bool = False) -> Prompt:
    """The prompt of a draft, with the categories when it asks for one."""
    shown: list[Category] = []
    if draft.step == "category":
        shown = await category_service.visible_categories(session)
    suggestion = await suggested_sku(session, draft) if draft.step == "sku" else None
    return Prompt(draft, _family(draft), shown, resumed, suggestion)


async def suggested_sku(session: AsyncSession, draft: CatalogueDraft) -> str:
    """A readable SKU for the draft's product that no product has yet."""
    values = draft.data.get("values") or {}
    category = str(values.get("category_name") or "")
    head = pf.suggest_sku(category, str(values.get("name") or ""), set())
    prefix = head.rsplit("-", 1)[0]
    taken = set(await session.scalars(select(Product.sku).where(Product.sku.like(f"{prefix}-%"))))
    return pf.suggest_sku(category, str(values.get("name") or ""), taken)


def _advance(data: dict[str, Any]) -> str:
    """The next step: the first unanswered question, the photos once, then back to where a change began."""
    values = data.get("values") or {}
    family = Family(values["family"]) if values.get("family") in pf.CHOICES["family"] else None
    question = pf.next_question(family, values, ask_family=bool(data.get("ask_family")))
    if question is not None:
        return question
    if not data.get("photos_done"):
        return PHOTOS
    return str(data.pop("back", REVIEW))


def store(draft: CatalogueDraft, data: dict[str, Any], step: str | None = None) -> None:
    """Writes a changed copy of the data back (JSON columns do not see changes made in place)."""
    draft.step = step if step is not None else _advance(data)
    draft.data = data


async def start_new(session: AsyncSession, actor: int, *, fresh: bool = False) -> Prompt:
    """Begins a new product at its category; an open draft is offered again instead unless `fresh`."""
    await _manager(session, actor)
    found = await _draft(session, actor)
    if found is not None and not fresh:
        return await prompt_of(session, found, resumed=True)
    await session.execute(delete(CatalogueDraft).where(CatalogueDraft.manager_telegram_id == actor))
    draft = CatalogueDraft(manager_telegram_id=actor, step="category", data={"values": {}})
    session.add(draft)
    await session.flush()
    return await prompt_of(session, draft)


async def start_edit(
    session: AsyncSession, actor: int, *, sku: str | None = None, product_id: int | None = None
) -> Prompt:
    """Opens the change of a product (by SKU or id) at its list of fields; another open draft is offered first."""
    await _manager(session, actor)
    if sku is not None:
        product = await catalogue.product_by_sku(session, sku)
    elif (by_id := await session.get(Product, product_id or 0)) is not None:
        product = by_id
    else:
        raise NotFound(what="product", id=product_id)
    found = await _draft(session, actor)
    if found is not None and found.product_id != product.id:
        return await prompt_of(session, found, resumed=True)
    if found is not None:
        return await prompt_of(session, found)
    category = await session.get(Category, product.category_id)
    assert category is not None  # a foreign key
    values = pf.draft_values(product, category.name_id)
    photos = await product_photos.current_photos(session, product.id)
    data = {"values": values, "base": copy.deepcopy(values), "photos": photos, "base_photos": photos,
            "photos_done": True}
    draft = CatalogueDraft(manager_telegram_id=actor, product_id=product.id, step=FIELDS, data=data,
                           base_version=product.version)
    session.add(draft)
    await session.flush()
    return await prompt_of(session, draft)


async def current(session: AsyncSession, actor: int) -> Prompt:
    """The manager's open draft where it stands; NoDraft when there is none."""
    await _manager(session, actor)
    draft = await _draft(session, actor)
    if draft is None:
        raise NoDraft()
    return await prompt_of(session, draft)


async def drop(session: AsyncSession, actor: int) -> bool:
    """Drops the manager's draft (/batal); False when there was none."""
    await _manager(session, actor)
    result = await session.execute(delete(CatalogueDraft).where(CatalogueDraft.manager_telegram_id == actor))
    return bool(getattr(result, "rowcount", 0))


async def open_draft(session: AsyncSession, actor: int) -> tuple[CatalogueDraft, dict[str, Any]]:
    """The manager's draft and a copy of its data to change; NoDraft when there is none."""
    await _manager(session, actor)
    draft = await _draft(session, actor)
    if draft is None:
        raise NoDraft()
    return draft, copy.deepcopy(dict(draft.data or {}))


async def answer_text(session: AsyncSession, actor: int, text: str) -> Prompt:
    """Takes a typed answer to the question asked (a new category's name, a field, an SKU); refuses a bad one."""
    draft, data = await open_draft(session, actor)
    values = data.setdefault("values", {})
    key = draft.step
    if key == "category":
        name = await category_service.check_new_name(session, text)
        values.update(category=0, category_name=name)
        data.update(new_category=name, ask_family=True)
    elif key in pf.FIELDS and key not in ("family", "stock_mode"):
        value = pf.parse_field(key, text)
        if key == "sku":
            await check_sku_free(session, value)
        values[key] = value
    else:
        raise FieldInvalid(field=key, reason="choose", text=text[:40])
    store(draft, data)
    await session.flush()
    return await prompt_of(session, draft)


async def check_sku_free(session: AsyncSession, sku: str) -> None:
    """Refuses an SKU another product has."""
    if await session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise DuplicateSku(sku=sku)


async def answer_choice(session: AsyncSession, actor: int, key: str, value: str) -> Prompt:
    """Takes a button answer (a category, the kind, how goods are sold, skip, the offered SKU) to the question
    asked; a button of another question (an old or forged one) changes nothing."""
    draft, data = await open_draft(session, actor)
    if draft.step != key:
        raise FormOutOfStep()
    values = data.setdefault("values", {})
    if key == "category":
        await _choose_category(session, data, int(value) if value.isdigit() else -1)
    elif key == "sku" and value == "ok":
        values["sku"] = await suggested_sku(session, draft)
    elif value == SKIP and key in pf.FIELDS and pf.FIELDS[key].optional:
        values[key] = None
    elif pf.choice_allowed(key, value):
        if key == "stock_mode":
            values.pop("stock_on_hand", None)
            values.pop("lead_days", None)
        values[key] = value
    else:
        raise FormOutOfStep()
    store(draft, data)
    await session.flush()
    return await prompt_of(session, draft)


async def _choose_category(session: AsyncSession, data: dict[str, Any], category_id: int) -> None:
    """Puts an existing category in the draft; its products' kind is the new one's (asked when it has none)."""
    category = await session.get(Category, category_id)
    if category is None:
        raise FormOutOfStep()
    values = data["values"]
    values.update(category=category.id, category_name=category.name_id)
    data.pop("new_category", None)
    if data.get("base"):  # a product changing category keeps its kind
        return
    kinds = Counter(await session.scalars(select(Product.family).where(Product.category_id == category.id)))
    if kinds:
        values["family"] = kinds.most_common(1)[0][0].value
        data["ask_family"] = False
    else:
        values.pop("family", None)
        data["ask_family"] = True


async def choose_field(session: AsyncSession, actor: int, key: str) -> Prompt:
    """Asks one field again (from the review or the list of fields), then comes back."""
    draft, data = await open_draft(session, actor)
    family = _family(draft)
    editable = ("category", *pf.COMMON_FIELDS, *(pf.family_questions(family, data.get("values") or {})
                                                 if family else ()))
    if draft.step not in (REVIEW, FIELDS) or (key not in editable and key != PHOTOS):
        raise FormOutOfStep()
    data["back"] = draft.step
    if key == PHOTOS:
        data["photos_done"] = False
    store(draft, data, step=key)
    await session.flush()
    return await prompt_of(session, draft)


async def show_fields(session: AsyncSession, actor: int) -> Prompt:
    """Goes from the review to the list of fields ("Ubah")."""
    draft, data = await open_draft(session, actor)
    if draft.step not in (REVIEW, FIELDS):
        raise FormOutOfStep()
    store(draft, data, step=FIELDS)
    await session.flush()
    return await prompt_of(session, draft)


async def toggle_active(session: AsyncSession, actor: int) -> Prompt:
    """Hides a product from buyers, or shows it again, when the change is saved."""
    draft, data = await open_draft(session, actor)
    if draft.step != FIELDS or draft.product_id is None:
        raise FormOutOfStep()
    values = data.setdefault("values", {})
    values["active"] = not values.get("active", True)
    store(draft, data, step=FIELDS)
    await session.flush()
    return await prompt_of(session, draft)
