"""The paving offer: what a buyer typed ("50 m2", "10x5", "2300 biji") quoted for one paving product."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Family, Product
from models.errors import NotPaving
from models.rules.paving import PavingQuote, PavingRequest, parse_paving_request, quote_paving
from models.services import catalogue, ordering
from models.services.ordering import OrderPolicy

# Vehicle loads for 6 cm bata (domain.md / the catalogue defaults); the trips echo uses them for every paving.
VEHICLE_CAPACITY_PCS = {"pickup": 500, "engkel": 1000, "colt_diesel": 2500}
DEFAULT_WASTE_PCT = 5


@dataclass(frozen=True)
class PavingOffer:
    """A paving quote for one product with the earliest date the pieces can be collected."""

    product: Product
    request: PavingRequest
    quote: PavingQuote
    ready_date: date
    deposit: int = 0
    vehicles: dict[str, int] = field(default_factory=dict)


async def quote_paving_for(
    session: AsyncSession, product_id: int, text: str, *, now: datetime, policy: OrderPolicy
) -> PavingOffer:
    """Reads "50 m2", "10x5" or "2300 biji" for a paving product and quotes pieces, price, weight, trips, date."""
    product = await catalogue.get_product(session, product_id)
    if product.family is not Family.PAVING or not product.pcs_per_m2:
        raise NotPaving()
    request = parse_paving_request(text)
    quote = quote_paving(
        request,
        pcs_per_m2=product.pcs_per_m2,
        waste_pct=product.waste_pct if product.waste_pct is not None else DEFAULT_WASTE_PCT,
        unit_price=product.price,
        weight_kg=product.weight_kg,
        min_qty=product.min_qty,
        vehicle_capacity_pcs=VEHICLE_CAPACITY_PCS,
    )
    ordering.check_quantity(product, quote.pieces)
    ready = await catalogue.earliest_ready_date(session, product, quote.pieces, now)
    deposit = ordering.deposit_for(quote.total_price, [product], policy)
    return PavingOffer(product, request, quote, ready, deposit, dict(quote.trips))
