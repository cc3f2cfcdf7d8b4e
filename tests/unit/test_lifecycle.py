"""The order lifecycle allows only legal status changes."""

from __future__ import annotations

import pytest

from models.errors import InvalidTransition
from models.order import OrderStatus as S
from models.rules.lifecycle import FINAL, can_move, check_move, is_legal_path


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.AWAITING_PAYMENT, S.READY),
        (S.AWAITING_PAYMENT, S.DONE),
        (S.PAID, S.AWAITING_PAYMENT),
        (S.READY, S.PAID),
        (S.DONE, S.CANCELLED),
        (S.CANCELLED, S.PAID),
        (S.EXPIRED, S.PAID),
        (S.NO_SHOW, S.DONE),
        (S.OUT_FOR_DELIVERY, S.CANCELLED),
    ],
)
def test_illegal_status_changes_are_refused(current: S, target: S) -> None:
    assert not can_move(current, target)
    with pytest.raises(InvalidTransition):
        check_move(current, target)


def test_final_statuses_lead_nowhere() -> None:
    assert all(not can_move(final, target) for final in FINAL for target in S)


def test_the_usual_paths_are_legal() -> None:
    assert is_legal_path([S.AWAITING_PAYMENT, S.PAID, S.IN_PRODUCTION, S.READY, S.DONE])
    assert is_legal_path([S.AWAITING_PAYMENT, S.PARTIALLY_PAID, S.IN_PRODUCTION, S.PAID, S.READY, S.DONE])
    assert is_legal_path([S.AWAITING_PAYMENT, S.EXPIRED])
    assert not is_legal_path([S.PAID, S.READY])
    assert not is_legal_path([S.AWAITING_PAYMENT, S.READY])
