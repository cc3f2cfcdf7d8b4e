"""Unique amounts ("kode unik"): 1 to 999 rupiah added to an open QRIS code so that no two open codes share the
amount the buyer pays, and a statement row can be matched to one code by its amount alone.

The code is chosen when the payment code is issued, among those whose amount no open code uses. Two units of
work (two buyers pressing Konfirmasi at once, in one process or two) may still choose the same one: the partial
unique index `ux_payments_open_payable` lets only the first insert through, and the others choose again inside a
savepoint, seeing the winner's row (PostgreSQL makes them wait for it; SQLite runs one writer at a time).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import NoUniqueCodeLeft
from models.payment import UNIQUE_CODE_MAX, Payment, PaymentState

CodePicker = Callable[[Sequence[int]], int]
ATTEMPTS = 8

_RANDOM = random.SystemRandom()


def random_code(free: Sequence[int]) -> int:
    """Any free code at random: a guessed or reused amount says nothing about another order."""
    return _RANDOM.choice(free)


def free_codes(amount: int, taken: set[int], max_amount: int) -> list[int]:
    """The codes (1..999) whose payable amount no open code uses and that keep the payment within the QRIS limit."""
    return [c for c in range(1, UNIQUE_CODE_MAX + 1) if amount + c not in taken and amount + c <= max_amount]


async def taken_amounts(session: AsyncSession, amount: int) -> set[int]:
    """The payable amounts of open codes between `amount` + 1 and `amount` + 999 (this unit of work's own too)."""
    rows = await session.scalars(
        select(Payment.payable_amount).where(
            Payment.state == PaymentState.PENDING,
            Payment.payable_amount > amount,
            Payment.payable_amount <= amount + UNIQUE_CODE_MAX,
        )
    )
    return set(rows)


async def add_coded(
    session: AsyncSession, make: Callable[[int], Payment], amount: int, *, max_amount: int, pick: CodePicker
) -> Payment:
    """Inserts the payment `make(code)` with a unique code for `amount`, choosing again after losing a race."""
    for attempt in range(1, ATTEMPTS + 1):
        free = free_codes(amount, await taken_amounts(session, amount), max_amount)
        if not free:
            raise NoUniqueCodeLeft(amount=amount)
        payment = make(pick(free))
        try:
            async with session.begin_nested():  # a lost race undoes only this insert
                session.add(payment)
                await session.flush()
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
            continue
        return payment
    raise AssertionError("unreachable")
