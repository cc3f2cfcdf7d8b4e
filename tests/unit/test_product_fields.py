"""How a manager's typed answers for a product's fields are read, and which questions each kind asks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.catalog import Family
from models.errors import FieldInvalid
from models.rules import product_fields as pf


@pytest.mark.parametrize("typed", ["3.500", "3500", "Rp3.500", "Rp 3.500", " rp3500 "])
def test_a_price_is_read_however_rupiah_is_written(typed: str) -> None:
    assert pf.parse_field("price", typed) == 3_500


@pytest.mark.parametrize(("typed", "reason"), [
    ("tiga ribu", "not_number"), ("3,5", "not_number"), ("0", "too_small"), ("-3500", "too_small"),
    ("1.000.000.001", "too_large"), ("", "not_number"),
])  # fmt: skip
def test_a_price_that_is_not_whole_rupiah_in_range_is_refused_with_why(typed: str, reason: str) -> None:
    with pytest.raises(FieldInvalid) as refused:
        pf.parse_field("price", typed)
    assert refused.value.details["reason"] == reason


def test_the_highest_price_is_one_billion_rupiah() -> None:
    assert pf.parse_field("price", "Rp1.000.000.000") == 1_000_000_000


def test_a_300_character_name_is_refused_and_spaces_are_tidied() -> None:
    with pytest.raises(FieldInvalid) as refused:
        pf.parse_field("name", "x" * 300)
    assert (refused.value.details["reason"], refused.value.details["length"]) == ("too_long", 300)
    assert pf.parse_field("name", "  Roti   Pisang ") == "Roti Pisang"


def test_lead_days_may_be_zero_but_a_minimum_may_not() -> None:
    assert pf.parse_field("lead_days", "0") == 0
    with pytest.raises(FieldInvalid):
        pf.parse_field("min_qty", "0")


def test_a_weight_is_an_indonesian_decimal() -> None:
    assert pf.parse_field("weight_kg", "2,9") == "2.9"
    with pytest.raises(FieldInvalid):
        pf.parse_field("weight_kg", "dua")


@pytest.mark.parametrize(("typed", "sku"), [("pvb-tri-6", "PVB-TRI-6"), ("ROTI 01", "ROTI-01")])
def test_a_typed_sku_is_upper_case_letters_digits_and_dashes(typed: str, sku: str) -> None:
    assert pf.parse_field("sku", typed) == sku


@pytest.mark.parametrize("typed", ["RT/01", "-AB", "ÄBC"])
def test_an_sku_with_other_characters_is_refused(typed: str) -> None:
    with pytest.raises(FieldInvalid):
        pf.parse_field("sku", typed)


def test_each_kind_asks_only_what_it_needs() -> None:
    bread = pf.questions(Family.BREAD, {}, ask_family=False)
    assert "batch_yield" in bread and "pcs_per_m2" not in bread and "stock_mode" not in bread
    paving = pf.questions(Family.PAVING, {}, ask_family=True)
    assert paving[:2] == ("category", "family") and "weight_kg" in paving and "shelf_life_days" not in paving
    assert "stock_on_hand" in pf.questions(Family.GOODS, {"stock_mode": pf.STOCK}, ask_family=False)
    assert "lead_days" in pf.questions(Family.GOODS, {"stock_mode": pf.TO_ORDER}, ask_family=False)
    unique = pf.questions(Family.GOODS, {"stock_mode": pf.UNIQUE}, ask_family=False)
    assert "stock_on_hand" not in unique and "lead_days" not in unique


def test_one_of_a_kind_goods_are_one_on_hand_and_at_most_one_per_order() -> None:
    columns = pf.product_columns(Family.GOODS, {"name": "Lukisan", "stock_mode": pf.UNIQUE})
    assert (columns["stock_on_hand"], columns["max_qty"], columns["lead_days"]) == (1, 1, 0)
    assert pf.stock_mode_of(1, 1) == pf.UNIQUE
    assert pf.product_columns(Family.PAVING, {"weight_kg": "2.9"})["weight_kg"] == Decimal("2.9")


def test_a_suggested_sku_is_readable_and_free() -> None:
    assert pf.suggest_sku("Roti", "Roti Pisang Cokelat", set()) == "RTO-PSN-1"
    assert pf.suggest_sku("Roti", "Roti Pisang Cokelat", {"RTO-PSN-1", "RTO-PSN-2"}) == "RTO-PSN-3"
    assert pf.suggest_sku("", "", set()) == "PRD-1"
