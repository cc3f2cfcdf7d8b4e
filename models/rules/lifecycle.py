"""The order lifecycle: which status changes are legal, and which release capacity."""

from __future__ import annotations

from itertools import pairwise

from models.errors import InvalidTransition
from models.order import OrderStatus as S

LEGAL: dict[S, frozenset[S]] = {
    S.AWAITING_PAYMENT: frozenset({S.PARTIALLY_PAID, S.PAID, S.CANCELLED, S.EXPIRED}),
    S.PARTIALLY_PAID: frozenset({S.PAID, S.IN_PRODUCTION, S.READY, S.CANCELLED}),
    S.PAID: frozenset({S.IN_PRODUCTION, S.READY, S.OUT_FOR_DELIVERY, S.CANCELLED}),
    S.IN_PRODUCTION: frozenset({S.PAID, S.READY, S.OUT_FOR_DELIVERY, S.CANCELLED}),
    S.READY: frozenset({S.DONE, S.OUT_FOR_DELIVERY, S.NO_SHOW, S.CANCELLED}),
    S.OUT_FOR_DELIVERY: frozenset({S.DONE}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
    S.NO_SHOW: frozenset(),
}

# Statuses whose units count in a day's committed capacity.
HOLDS_CAPACITY = frozenset(set(S) - {S.CANCELLED, S.EXPIRED})
# Statuses whose units the production sheet counts as confirmed (money received).
CONFIRMED = frozenset(
    {S.PARTIALLY_PAID, S.PAID, S.IN_PRODUCTION, S.READY, S.OUT_FOR_DELIVERY, S.DONE, S.NO_SHOW}
)
# Statuses in which an order is still open (blocks deletion of the buyer's data).
OPEN = frozenset({S.AWAITING_PAYMENT, S.PARTIALLY_PAID, S.PAID, S.IN_PRODUCTION, S.READY, S.OUT_FOR_DELIVERY})
FINAL = frozenset({S.DONE, S.CANCELLED, S.EXPIRED, S.NO_SHOW})


def can_move(current: S, target: S) -> bool:
    """True when the lifecycle allows `current` -> `target`."""
    return target in LEGAL[current]


def check_move(current: S, target: S) -> None:
    """Raises InvalidTransition unless the lifecycle allows `current` -> `target`."""
    if not can_move(current, target):
        raise InvalidTransition(current=current, target=target)


def is_legal_path(path: list[S]) -> bool:
    """True when a status history starts at AWAITING_PAYMENT and every step is legal."""
    if not path or path[0] is not S.AWAITING_PAYMENT:
        return False
    return all(can_move(a, b) for a, b in pairwise(path))
