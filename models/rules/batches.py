"""Production sheet arithmetic: whole batches for the day's need, the surplus for the Galeri shelf, trays."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BatchPlan:
    """How many batches to bake for a need, what they yield and how much is left over."""

    need: int
    batch_yield: int
    batches: int
    planned: int
    surplus: int
    trays: int | None
    units_per_tray: int | None = None


def _ceil_div(numerator: int, denominator: int) -> int:
    """Divides two non-negative integers rounding up."""
    return -(-numerator // denominator)


def plan_batches(need: int, batch_yield: int, units_per_tray: int | None = None) -> BatchPlan:
    """Plans whole batches covering `need` (130 at 48 a batch -> 3 batches, 144 planned, 14 surplus)."""
    if need < 0:
        raise ValueError("need must not be negative")
    if batch_yield <= 0:
        raise ValueError("batch_yield must be positive")
    if units_per_tray is not None and units_per_tray <= 0:
        raise ValueError("units_per_tray must be positive when given")
    batches = _ceil_div(need, batch_yield)
    planned = batches * batch_yield
    trays = None if units_per_tray is None else _ceil_div(planned, units_per_tray)
    return BatchPlan(
        need=need,
        batch_yield=batch_yield,
        batches=batches,
        planned=planned,
        surplus=planned - need,
        trays=trays,
        units_per_tray=units_per_tray,
    )
