"""Demand the rules turned away (past the cut-off, capacity full, sold out...), counted for the weekly summary.

Each refused attempt is an audit entry `demand.refused` with the reason, the quantity and the day asked for; the
weekly summary (`weekly._refusals`) reads them. Only refusals that say something about demand are recorded:
a typo in a quantity is not demand.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.errors import CapacityFull, ClosedDay, DomainError, OutOfStock, PastCutoff, SlotFull

REFUSED = "demand.refused"
REFUSED_DEMAND: tuple[type[DomainError], ...] = (PastCutoff, CapacityFull, ClosedDay, SlotFull, OutOfStock)


def is_refused_demand(error: DomainError) -> bool:
    """True for a refusal that turned real demand away (not a typo or a stale button)."""
    return isinstance(error, REFUSED_DEMAND)


async def record_refusal(
    session: AsyncSession,
    *,
    reason: str,
    sku: str,
    quantity: int,
    day: date | None,
    now: datetime,
    actor_telegram_id: int | None = None,
) -> None:
    """Records an order attempt the rules refused, for the weekly summary."""
    session.add(
        AuditEntry(
            actor_telegram_id=actor_telegram_id,
            action=REFUSED,
            subject=f"product:{sku}",
            detail={"reason": reason, "quantity": quantity, "day": day.isoformat() if day else None},
            at=now,
        )
    )
    await session.flush()
