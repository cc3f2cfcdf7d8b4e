"""The fields of a product as a manager types them in chat: which a product's kind needs, and how each is read.

Pure functions. Every answer is read as typed and refused with `FieldInvalid` (field, reason, limits) when it
fails its check: money as `parse_amount` reads it ("3.500", "3500", "Rp3.500", "Rp 3.500"), counts the same
way without decimals, the paving weight as an Indonesian decimal ("2,9"), texts within their column's length.
A draft's answers are JSON (ints, strings, None); `product_columns` turns them into product columns.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.catalog import Family, Product
from models.errors import FieldInvalid, InvalidQuantity
from models.rules.parsing import parse_amount, parse_decimal_id

MAX_PRICE = 1_000_000_000


class Kind(enum.StrEnum):
    """How a field's answer is given: typed text, typed money, a typed count or decimal, or a button."""

    TEXT = "text"
    MONEY = "money"
    COUNT = "count"
    DECIMAL = "decimal"
    CHOICE = "choice"


@dataclass(frozen=True)
class Field:
    """One question: its kind, the bounds of its answer, and whether it may be skipped."""

    key: str
    kind: Kind
    low: int = 0
    high: int = 0
    optional: bool = False


FIELDS = {f.key: f for f in (
    Field("category", Kind.CHOICE),
    Field("family", Kind.CHOICE),
    Field("name", Kind.TEXT, 2, 120),
    Field("unit", Kind.TEXT, 1, 20),
    Field("price", Kind.MONEY, 1, MAX_PRICE),
    Field("description", Kind.TEXT, 1, 900, optional=True),
    Field("daily_capacity", Kind.COUNT, 1, 1_000_000),
    Field("batch_yield", Kind.COUNT, 1, 100_000),
    Field("units_per_tray", Kind.COUNT, 1, 1_000, optional=True),
    Field("shelf_life_days", Kind.COUNT, 1, 365),
    Field("lead_days", Kind.COUNT, 0, 365),
    Field("min_qty", Kind.COUNT, 1, 1_000_000),
    Field("pcs_per_m2", Kind.COUNT, 1, 1_000),
    Field("thickness_cm", Kind.COUNT, 1, 50),
    Field("weight_kg", Kind.DECIMAL, 0, 1_000),
    Field("waste_pct", Kind.COUNT, 0, 100),
    Field("stock_mode", Kind.CHOICE),
    Field("stock_on_hand", Kind.COUNT, 0, 10_000_000),
    Field("sku", Kind.TEXT, 3, 40),
)}  # fmt: skip

FAMILY_FIELDS = {
    Family.BREAD: ("daily_capacity", "batch_yield", "units_per_tray", "shelf_life_days", "lead_days", "min_qty"),
    Family.PAVING: ("pcs_per_m2", "thickness_cm", "weight_kg", "min_qty", "waste_pct", "lead_days"),
    Family.GOODS: ("stock_mode",),
}
COMMON_FIELDS = ("name", "unit", "price", "description")
# Goods are one of a kind (a painting), counted on hand, or made to order (with lead days).
UNIQUE, STOCK, TO_ORDER = "unique", "stock", "order"
STOCK_MODES = (UNIQUE, STOCK, TO_ORDER)
UNIT_CHOICES = ("pcs", "bungkus", "pak", "kotak", "biji", "pasang")
CHOICES = {"family": tuple(f.value for f in Family), "stock_mode": STOCK_MODES, "unit": UNIT_CHOICES}
_SKU_RE = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$")


def family_questions(family: Family, values: dict[str, Any]) -> tuple[str, ...]:
    """The questions of a product's kind, given the answers so far (goods ask their count or lead days)."""
    asked = FAMILY_FIELDS[family]
    if family is Family.GOODS:
        mode = values.get("stock_mode")
        asked += ("stock_on_hand",) if mode == STOCK else ("lead_days",) if mode == TO_ORDER else ()
    return asked


def questions(family: Family | None, values: dict[str, Any], *, ask_family: bool) -> tuple[str, ...]:
    """Every question of a new product in order, up to its SKU (photos come after)."""
    first = ("category", "family") if ask_family else ("category",)
    if family is None:
        return first
    return (*first, *COMMON_FIELDS, *family_questions(family, values), "sku")


def next_question(family: Family | None, values: dict[str, Any], *, ask_family: bool) -> str | None:
    """The first question not answered yet, or None when every one is."""
    return next((q for q in questions(family, values, ask_family=ask_family) if q not in values), None)


def _refuse(key: str, reason: str, text: str, **limits: object) -> FieldInvalid:
    """The error for one refused answer, carrying what was typed (shortened) and the bounds."""
    return FieldInvalid(field=key, reason=reason, text=text[:40], **limits)


def _whole(key: str, text: str) -> int:
    """A whole number as typed ("3.500", "Rp3.500"), the sign kept; FieldInvalid for anything else."""
    body = text.strip()
    negative = body[:1] in ("-", "\u2212")
    amount = parse_amount(body[1:] if negative else body)
    if amount is None:
        raise _refuse(key, "not_number", text)
    return -amount if negative else amount


def parse_field(key: str, text: str) -> Any:
    """Reads a typed answer for the field `key`, or raises FieldInvalid naming why."""
    spec = FIELDS[key]
    if spec.kind is Kind.TEXT:
        return _text(spec, text)
    if spec.kind is Kind.DECIMAL:
        try:
            value = parse_decimal_id(text)
        except InvalidQuantity:
            raise _refuse(key, "not_number", text) from None
        if value <= spec.low:
            raise _refuse(key, "too_small", text, low=spec.low)
        if value > spec.high:
            raise _refuse(key, "too_large", text, high=spec.high)
        return str(value)
    if spec.kind is Kind.CHOICE:
        raise _refuse(key, "choose", text)
    whole = _whole(key, text)
    if whole < spec.low:
        raise _refuse(key, "too_small", text, low=spec.low)
    if whole > spec.high:
        raise _refuse(key, "too_large", text, high=spec.high)
    return whole


def _text(spec: Field, text: str) -> str:
    """A text answer with its spaces tidied; an SKU upper-case and of letters, digits and dashes."""
    value = " ".join(text.split())
    if spec.key == "sku":
        value = value.upper().replace(" ", "-")
        if not _SKU_RE.match(value):
            raise _refuse(spec.key, "bad_sku", text)
    if len(value) < spec.low:
        raise _refuse(spec.key, "too_short", text, low=spec.low)
    if len(value) > spec.high:
        raise _refuse(spec.key, "too_long", text, high=spec.high, length=len(value))
    return value


def choice_allowed(key: str, value: str) -> bool:
    """Whether a button's value is one the field offers (button data is untrusted)."""
    return value in CHOICES.get(key, ())


def product_columns(family: Family, values: dict[str, Any]) -> dict[str, Any]:
    """The product columns a draft's answers set (one of a kind: one on hand, at most one per order)."""
    columns = {k: values[k] for k in (*COMMON_FIELDS, *FAMILY_FIELDS[family], "lead_days", "stock_on_hand")
               if k in values and k != "stock_mode"}
    if "weight_kg" in columns and columns["weight_kg"] is not None:
        columns["weight_kg"] = Decimal(str(columns["weight_kg"]))
    if family is Family.GOODS:
        mode = values.get("stock_mode")
        columns["stock_on_hand"] = 1 if mode == UNIQUE else None if mode == TO_ORDER else values.get("stock_on_hand")
        columns["max_qty"] = 1 if mode == UNIQUE else None
        if mode != TO_ORDER:
            columns["lead_days"] = 0
    if "active" in values:
        columns["active"] = bool(values["active"])
    return columns


def draft_values(product: Product, category_name: str) -> dict[str, Any]:
    """A product's fields as a draft holds them (to change them one by one)."""
    values: dict[str, Any] = {"category": product.category_id, "family": product.family.value,
                              "category_name": category_name, "active": product.active, "sku": product.sku}
    for key in (*COMMON_FIELDS, *FAMILY_FIELDS[product.family], "lead_days"):
        if key != "stock_mode":
            values[key] = getattr(product, key)
    if values.get("weight_kg") is not None:
        values["weight_kg"] = str(values["weight_kg"])
    if product.family is Family.GOODS:
        mode = stock_mode_of(product.stock_on_hand, product.max_qty)
        values["stock_mode"] = mode
        if mode == STOCK:
            values["stock_on_hand"] = product.stock_on_hand
        if mode != TO_ORDER:
            values.pop("lead_days", None)
    return values


def stock_mode_of(stock_on_hand: int | None, max_qty: int | None) -> str:
    """How goods are sold, read back from their columns."""
    if stock_on_hand is None:
        return TO_ORDER
    return UNIQUE if max_qty == 1 and stock_on_hand <= 1 else STOCK


def _abbreviation(word: str, size: int = 3) -> str:
    """A short readable code of a word: its first letter, then its consonants, then other letters."""
    letters = [c for c in word.upper() if c.isascii() and c.isalnum()]
    if not letters:
        return ""
    rest = letters[1:]
    consonants = [c for c in rest if c not in "AEIOU"]
    others = [c for c in rest if c in "AEIOU"]
    return "".join([letters[0], *consonants, *others])[:size]


def suggest_sku(category: str, name: str, taken: set[str]) -> str:
    """A readable SKU no product has: category code, name code and a number ("ROT-PSN-1" for Roti Pisang)."""
    skip = {w.casefold() for w in re.split(r"[\s_]+", category)}
    words = [w for w in re.split(r"[^0-9A-Za-z]+", name) if w and w.casefold() not in skip]
    head = "-".join(p for p in (_abbreviation(category.replace("_", "")), _abbreviation(words[0] if words else ""))
                    if p) or "PRD"
    number = 1
    while f"{head}-{number}" in taken:
        number += 1
    return f"{head}-{number}"
