"""Domain events: what a unit of work did (an order placed, a payment confirmed), told to an observer only once
its transaction has committed.

A service notes an event on its session (`record`); nothing is told yet. When the session commits, the observer
that the composition root wired to the session factory (`observe`) hears every event the transaction kept. Work
undone by a rollback takes its events with it, a savepoint's rollback (`begin_nested`) only the events noted
inside that savepoint, so a refused checkout or a lost race is never counted. Sessions nobody observes simply
drop their events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from models.catalog import Family
from models.db import SessionFactory
from models.payment import PaymentMethod

log = logging.getLogger(__name__)
_PENDING = "karya.domain_events"


@dataclass(frozen=True)
class OrderPlaced:
    """A new order was placed (by a buyer's checkout or a staff member's walk-in entry)."""

    family: Family


@dataclass(frozen=True)
class PaymentConfirmed:
    """Money for an order was received and recorded."""

    method: PaymentMethod


DomainEvent = OrderPlaced | PaymentConfirmed
Observer = Callable[[DomainEvent], None]


def record(session: AsyncSession, happened: DomainEvent) -> None:
    """Notes an event of this unit of work; the observer hears of it only if the transaction commits."""
    sync = session.sync_session
    transaction = sync.get_nested_transaction() or sync.get_transaction()
    sync.info.setdefault(_PENDING, []).append((transaction, happened))


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    """True when `transaction` is `ended` or nested inside it."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Forgets the events noted inside the transaction (or savepoint) that was just rolled back."""
    pending = session.info.get(_PENDING)
    if pending:
        kept = [(t, e) for t, e in pending if not _within(t, previous_transaction)]
        session.info[_PENDING] = kept if previous_transaction.parent is not None else []


def observe(factory: SessionFactory, observer: Observer) -> None:
    """Tells `observer` about every event committed through sessions of `factory` (the last wiring wins)."""

    def deliver(session: Session) -> None:
        """Hands the committed events to the observer; an observer's failure never touches the commit."""
        if session.get_nested_transaction() is not None:  # a savepoint was released: wait for the outer commit
            return
        for _, happened in session.info.pop(_PENDING, ()):
            try:
                observer(happened)
            except Exception:  # counting must never break the work it counts
                log.warning("the domain event observer failed", exc_info=True)

    # Each wiring gets a Session class of its own, so two factories (two Applications in one process, as in the
    # tests) never hear each other's events.
    session_class = type("ObservedSession", (Session,), {})
    event.listen(session_class, "after_commit", deliver)
    event.listen(session_class, "after_soft_rollback", _drop_rolled_back)
    factory.configure(sync_session_class=session_class)
