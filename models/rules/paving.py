"""The paving calculator: what buyers type, pieces with spare, price, weight, truck trips and lead time.

Accepted requests (any case, spaces optional):
  * area: "50 m2", "50m2", "50 m²", "50 meter", "50 meter persegi", "50 mtr", "50 m" and a bare "50";
    a bare number or "meter" means square metres, because that is what buyers mean when asking for paving.
  * dimensions in metres: "10x5", "10 x 5", "10 X 5,5", "10*5", "10×5", "10 m x 5 m" -> area = product.
  * pieces: "2300 biji", "2.300 biji", "2300 pcs", "2300 buah" (also "pc", "bj", "bh", "keping", "unit").
Refusals: garbage -> InvalidInput(reason="not_understood"); numbers -> InvalidQuantity with the reasons of
`models.rules.parsing` ("zero_or_negative", "too_large", "not_whole", "not_a_number").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from models.errors import InvalidInput, NotANumber, NothingToPave, NotUnderstood, TooLarge
from models.rules.parsing import NOT_A_NUMBER, TOO_LARGE, ZERO_OR_NEGATIVE, parse_decimal_id, parse_quantity

MAX_AREA_M2 = Decimal(100_000)
MAX_PIECES = 5_000_000
NOT_UNDERSTOOD = "not_understood"

_NUM = r"[-\u2212]?\s*[0-9.,]*[0-9]"
_METRE = r"(?:m|mtr|meter|metre)"
_AREA_UNIT = r"(?:m2|m\^2|mtr2|meter2|meter\s*persegi|metre\s*persegi|m\s*persegi|" + _METRE + r")"
_PIECE_UNIT = r"(?:pcs|pc|biji|bj|buah|bh|keping|unit)"
_AREA_RE = re.compile(rf"^(?P<n>{_NUM})\s*{_AREA_UNIT}?$")
_DIMS_RE = re.compile(rf"^(?P<a>{_NUM})\s*{_METRE}?\s*[x×*]\s*(?P<b>{_NUM})\s*{_METRE}?$")
_PIECES_RE = re.compile(rf"^(?P<n>{_NUM})\s*{_PIECE_UNIT}$")


@dataclass(frozen=True)
class PavingRequest:
    """What the buyer asked for: an area (maybe from dimensions) or a number of pieces, never both."""

    area_m2: Decimal | None = None
    pieces: int | None = None
    dimensions: tuple[Decimal, Decimal] | None = None

    def __post_init__(self) -> None:
        """Checks that exactly one of area and pieces is given."""
        if (self.area_m2 is None) == (self.pieces is None):
            raise ValueError("give either area_m2 or pieces")
        if self.dimensions is not None and self.area_m2 is None:
            raise ValueError("dimensions need an area")


@dataclass(frozen=True)
class PavingQuote:
    """Everything the calculator echoes back: area, pcs/m2, spare %, pieces, price, weight and trips."""

    area_m2: Decimal | None
    pcs_per_m2: int
    waste_pct: int
    base_pieces: int
    pieces: int
    raised_to_minimum: bool
    total_price: int
    weight_kg: Decimal | None
    trips: dict[str, int] = field(default_factory=dict, hash=False)
    unit_price: int = 0
    min_qty: int = 0


def _number(text: str) -> Decimal:
    """Reads one number of a paving request, turning a parse failure into InvalidQuantity."""
    try:
        return parse_decimal_id(text.replace(" ", ""))
    except InvalidInput as exc:
        raise NotANumber(reason=NOT_A_NUMBER) from exc


def _checked_area(area: Decimal) -> Decimal:
    """Refuses zero, negative and absurd areas."""
    if area <= 0:
        raise NothingToPave(reason=ZERO_OR_NEGATIVE)
    if area > MAX_AREA_M2:
        raise TooLarge(reason=TOO_LARGE, max_value=int(MAX_AREA_M2))
    return area


def parse_paving_request(text: str) -> PavingRequest:
    """Reads "50 m2", "10x5" or "2300 biji" into a PavingRequest, else raises InvalidInput/InvalidQuantity."""
    cleaned = " ".join(text.strip().lower().replace("²", "2").split()).rstrip(".!?")
    if len(cleaned) > 80:
        raise NotUnderstood(reason=NOT_UNDERSTOOD)
    if match := _PIECES_RE.match(cleaned):
        pieces = parse_quantity(match.group("n").replace(" ", ""), max_value=MAX_PIECES)
        return PavingRequest(pieces=pieces)
    if match := _DIMS_RE.match(cleaned):
        length, width = _number(match.group("a")), _number(match.group("b"))
        if length <= 0 or width <= 0:
            raise NothingToPave(reason=ZERO_OR_NEGATIVE)
        return PavingRequest(area_m2=_checked_area(length * width), dimensions=(length, width))
    if match := _AREA_RE.match(cleaned):
        return PavingRequest(area_m2=_checked_area(_number(match.group("n"))))
    raise NotUnderstood(reason=NOT_UNDERSTOOD)


def _ceil_div(numerator: int, denominator: int) -> int:
    """Divides two positive integers rounding up, exactly."""
    return -(-numerator // denominator)


def quote_paving(
    request: PavingRequest,
    *,
    pcs_per_m2: int,
    waste_pct: int,
    unit_price: int,
    weight_kg: Decimal | None,
    min_qty: int,
    vehicle_capacity_pcs: Mapping[str, int],
) -> PavingQuote:
    """Turns a request into pieces (spare added to areas only, then the minimum), price, weight and trips."""
    if pcs_per_m2 <= 0 or waste_pct < 0 or unit_price < 0 or min_qty < 0:
        raise ValueError("pcs_per_m2 must be positive; waste_pct, unit_price and min_qty not negative")
    if weight_kg is not None and weight_kg <= 0:
        raise ValueError("weight_kg must be positive")
    if request.area_m2 is not None:
        # Exact rational arithmetic: a Decimal area becomes an integer fraction, so 10 x 44 x 1.05 is 462,
        # never 463 as float rounding would give.
        num, den = request.area_m2.as_integer_ratio()
        base = _ceil_div(num * pcs_per_m2, den)
        wanted = _ceil_div(num * pcs_per_m2 * (100 + waste_pct), den * 100)
        applied_waste = waste_pct
    elif request.pieces is not None:
        base = wanted = request.pieces
        applied_waste = 0
    else:  # pragma: no cover - PavingRequest guarantees one of the two
        raise ValueError("empty request")
    pieces = max(min_qty, wanted)
    return PavingQuote(
        area_m2=request.area_m2,
        pcs_per_m2=pcs_per_m2,
        waste_pct=applied_waste,
        base_pieces=base,
        pieces=pieces,
        raised_to_minimum=wanted < min_qty,
        total_price=pieces * unit_price,
        weight_kg=None if weight_kg is None else pieces * weight_kg,
        trips=trips_needed(pieces, vehicle_capacity_pcs),
        unit_price=unit_price,
        min_qty=min_qty,
    )


def trips_needed(pieces: int, vehicle_capacity_pcs: Mapping[str, int]) -> dict[str, int]:
    """Counts the trips each vehicle needs to carry `pieces` (a partial load is still a trip)."""
    if any(capacity <= 0 for capacity in vehicle_capacity_pcs.values()):
        raise ValueError("vehicle capacities must be positive")
    return {vehicle: _ceil_div(pieces, cap) for vehicle, cap in vehicle_capacity_pcs.items()}


def paving_lead_days(qty_to_make: int, daily_capacity: int, curing_days: int) -> int:
    """Days until pickup: production days plus curing, or 1 (next working day) when stock covers it all."""
    if qty_to_make < 0 or daily_capacity <= 0 or curing_days < 0:
        raise ValueError("qty_to_make and curing_days must not be negative; daily_capacity must be positive")
    if qty_to_make == 0:
        return 1
    return _ceil_div(qty_to_make, daily_capacity) + curing_days
