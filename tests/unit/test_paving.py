"""The paving calculator: requests as typed, pieces with spare, price, weight, trips and lead time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import InvalidInput, InvalidQuantity
from models.rules.paving import (
    PavingQuote,
    PavingRequest,
    parse_paving_request,
    paving_lead_days,
    quote_paving,
    trips_needed,
)

VEHICLES = {"pickup": 500, "engkel": 1000, "colt diesel": 2750}


def quote_bata(text: str, *, min_qty: int = 100, waste_pct: int = 5) -> PavingQuote:
    """Quotes 6 cm bata (44 pcs/m2, Rp2.000, 2,9 kg) for a typed request."""
    return quote_paving(
        parse_paving_request(text),
        pcs_per_m2=44,
        waste_pct=waste_pct,
        unit_price=2000,
        weight_kg=Decimal("2.9"),
        min_qty=min_qty,
        vehicle_capacity_pcs=VEHICLES,
    )


def test_worked_example_ten_by_five_metres_of_bata_gives_2310_pieces_for_rp4620000() -> None:
    quote = quote_paving(
        parse_paving_request("10x5"),
        pcs_per_m2=44,
        waste_pct=5,
        unit_price=2000,
        weight_kg=Decimal("2.9"),
        min_qty=100,
        vehicle_capacity_pcs=VEHICLES,
    )
    assert quote.area_m2 == Decimal(50)
    assert quote.pcs_per_m2 == 44
    assert quote.waste_pct == 5
    assert quote.base_pieces == 2200
    assert quote.pieces == 2310
    assert not quote.raised_to_minimum
    assert quote.total_price == 4_620_000
    assert quote.weight_kg == Decimal(6699)
    assert quote.trips == {"pickup": 5, "engkel": 3, "colt diesel": 1}


@pytest.mark.parametrize(
    "text",
    [
        "50 m2",
        "50m2",
        "50 m²",
        "50 M2",
        "50 meter",
        "50 meter persegi",
        "50 m",
        "50 mtr",
        "50",
        " 50 ",
        "50 m2.",
    ],
)
def test_area_forms_are_read_as_square_metres(text: str) -> None:
    assert parse_paving_request(text) == PavingRequest(area_m2=Decimal(50))


@pytest.mark.parametrize("text", ["10x5", "10 x 5", "10X5", "10*5", "10 * 5", "10×5", "10 m x 5 m", "10mx5m"])
def test_dimension_forms_multiply_to_an_area(text: str) -> None:
    request = parse_paving_request(text)
    assert request.area_m2 == Decimal(50)
    assert request.dimensions == (Decimal(10), Decimal(5))
    assert request.pieces is None


def test_dimensions_with_a_decimal_comma_are_read() -> None:
    request = parse_paving_request("10 X 5,5")
    assert request.area_m2 == Decimal("55")
    assert request.dimensions == (Decimal(10), Decimal("5.5"))


def test_a_decimal_area_is_read_with_comma_or_dot() -> None:
    assert parse_paving_request("12,5 m2").area_m2 == Decimal("12.5")
    assert parse_paving_request("12.5 m2").area_m2 == Decimal("12.5")


@pytest.mark.parametrize(
    "text", ["2300 biji", "2.300 biji", "2300 pcs", "2300 buah", "2300biji", "2300 BIJI"]
)
def test_piece_forms_are_read_as_pieces(text: str) -> None:
    assert parse_paving_request(text) == PavingRequest(pieces=2300)


@pytest.mark.parametrize(
    "text", ["", "halo", "berapa harga?", "1e3 m2", "10x", "x5", "50 kg", "m2", "😀", "a" * 200]
)
def test_garbage_is_refused_as_not_understood(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_paving_request(text)
    assert info.value.details["reason"] in {"not_understood", "not_a_number"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0", "zero_or_negative"),
        ("0 m2", "zero_or_negative"),
        ("-5 m2", "zero_or_negative"),
        ("10x0", "zero_or_negative"),
        ("0 biji", "zero_or_negative"),
        ("-100 biji", "zero_or_negative"),
        ("100001 m2", "too_large"),
        ("1000x1000", "too_large"),
        ("5.000.001 biji", "too_large"),
        ("2,5 biji", "not_whole"),
        ("10.00 biji", "not_a_number"),
    ],
)
def test_zero_negative_and_absurd_requests_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidQuantity) as info:
        parse_paving_request(text)
    assert info.value.details["reason"] == reason


def test_the_largest_sensible_requests_are_accepted() -> None:
    assert parse_paving_request("100.000 m2").area_m2 == Decimal(100_000)
    assert parse_paving_request("5.000.000 biji").pieces == 5_000_000


def test_hexagon_gets_ten_percent_spare() -> None:
    quote = quote_paving(
        parse_paving_request("50 m2"),
        pcs_per_m2=25,
        waste_pct=10,
        unit_price=2500,
        weight_kg=None,
        min_qty=100,
        vehicle_capacity_pcs={},
    )
    assert (quote.base_pieces, quote.pieces, quote.total_price) == (1250, 1375, 3_437_500)
    assert quote.weight_kg is None
    assert quote.trips == {}


def test_spare_is_rounded_up_exactly_without_float_surprises() -> None:
    # 10 m2 x 44 x 1.05 = 462 exactly; floats give 462.00000000000006 and would round up to 463.
    assert quote_bata("10 m2", min_qty=0).pieces == 462
    # 0,1 m2 x 44 = 4,4 -> 5 base; x 1.05 = 4,62 -> 5.
    quote = quote_bata("0,1 m2", min_qty=0)
    assert (quote.base_pieces, quote.pieces) == (5, 5)


def test_a_small_area_is_raised_to_the_minimum_order() -> None:
    quote = quote_bata("1 m2", min_qty=100)
    assert quote.base_pieces == 44
    assert quote.pieces == 100
    assert quote.raised_to_minimum
    assert quote.total_price == 200_000


def test_a_pieces_request_gets_no_spare_and_no_area() -> None:
    quote = quote_bata("2300 biji")
    assert quote.area_m2 is None
    assert quote.waste_pct == 0
    assert (quote.base_pieces, quote.pieces) == (2300, 2300)
    assert not quote.raised_to_minimum
    assert quote.total_price == 4_600_000
    assert quote.weight_kg == Decimal("6670")


def test_a_small_pieces_request_is_raised_to_the_minimum() -> None:
    quote = quote_bata("50 biji", min_qty=100)
    assert quote.pieces == 100
    assert quote.raised_to_minimum


def test_trips_for_pickup_engkel_and_colt_diesel() -> None:
    assert trips_needed(2310, VEHICLES) == {"pickup": 5, "engkel": 3, "colt diesel": 1}
    assert trips_needed(500, VEHICLES) == {"pickup": 1, "engkel": 1, "colt diesel": 1}
    assert trips_needed(501, VEHICLES) == {"pickup": 2, "engkel": 1, "colt diesel": 1}
    assert trips_needed(200_000, VEHICLES) == {"pickup": 400, "engkel": 200, "colt diesel": 73}


def test_a_zero_vehicle_capacity_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        trips_needed(10, {"becak": 0})


def test_nonsense_product_settings_are_configuration_errors() -> None:
    request = PavingRequest(area_m2=Decimal(1))
    with pytest.raises(ValueError):
        quote_paving(
            request,
            pcs_per_m2=0,
            waste_pct=5,
            unit_price=1,
            weight_kg=None,
            min_qty=0,
            vehicle_capacity_pcs={},
        )


def test_a_request_needs_exactly_one_of_area_and_pieces() -> None:
    with pytest.raises(ValueError):
        PavingRequest()
    with pytest.raises(ValueError):
        PavingRequest(area_m2=Decimal(1), pieces=1)


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000), places=2),
    st.integers(1, 100),
    st.integers(0, 30),
)
def test_pieces_are_the_smallest_whole_number_covering_area_and_spare(
    area: Decimal, pcs: int, waste: int
) -> None:
    quote = quote_paving(
        PavingRequest(area_m2=area),
        pcs_per_m2=pcs,
        waste_pct=waste,
        unit_price=1,
        weight_kg=None,
        min_qty=0,
        vehicle_capacity_pcs={},
    )
    exact = area * pcs * (100 + waste)
    assert (quote.pieces - 1) * 100 < exact <= quote.pieces * 100
    assert quote.base_pieces <= quote.pieces


def test_lead_days_are_production_days_plus_curing() -> None:
    assert paving_lead_days(2310, 1000, 14) == 3 + 14
    assert paving_lead_days(1000, 1000, 7) == 1 + 7


def test_lead_time_is_next_working_day_when_stock_covers_the_order() -> None:
    assert paving_lead_days(0, 1000, 14) == 1


def test_lead_days_refuse_a_zero_capacity() -> None:
    with pytest.raises(ValueError):
        paving_lead_days(10, 0, 7)
