"""Production sheet batches: whole batches, surplus for the Galeri, trays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.batches import BatchPlan, plan_batches


def test_130_ordered_at_48_a_batch_makes_3_batches_144_planned_14_surplus() -> None:
    plan = plan_batches(130, 48)
    assert (plan.batches, plan.planned, plan.surplus) == (3, 144, 14)
    assert plan.trays is None


def test_nothing_ordered_means_no_batches() -> None:
    assert plan_batches(0, 48, units_per_tray=12) == BatchPlan(
        need=0, batch_yield=48, batches=0, planned=0, surplus=0, trays=0, units_per_tray=12
    )


def test_an_exact_multiple_leaves_no_surplus() -> None:
    plan = plan_batches(96, 48)
    assert (plan.batches, plan.planned, plan.surplus) == (2, 96, 0)


def test_trays_cover_the_planned_units() -> None:
    assert plan_batches(130, 48, units_per_tray=12).trays == 12
    assert plan_batches(130, 48, units_per_tray=20).trays == 8


@pytest.mark.parametrize(("need", "batch_yield", "tray"), [(-1, 48, None), (10, 0, None), (10, 48, 0)])
def test_nonsense_inputs_are_refused(need: int, batch_yield: int, tray: int | None) -> None:
    with pytest.raises(ValueError):
        plan_batches(need, batch_yield, tray)


@given(st.integers(0, 100_000), st.integers(1, 500))
def test_surplus_is_always_less_than_one_batch(need: int, batch_yield: int) -> None:
    plan = plan_batches(need, batch_yield)
    assert plan.planned >= need
    assert 0 <= plan.surplus < batch_yield
    assert plan.planned == plan.batches * batch_yield
