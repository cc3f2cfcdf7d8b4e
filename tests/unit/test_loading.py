"""Loading is explicit: no relationship loads by itself, so what a query costs is written where the query is."""

from __future__ import annotations

import models.entities  # noqa: F401  (maps every entity)
from models.base import Base


def test_every_relationship_raises_when_read_without_being_loaded() -> None:
    """A forgotten load is an error in the tests, never a hidden query (SQLAlchemy's asyncio advice)."""
    lazy = {f"{m.class_.__name__}.{r.key}": r.lazy for m in Base.registry.mappers for r in m.relationships}
    assert lazy, "no relationships mapped"
    assert {name: how for name, how in lazy.items() if how != "raise"} == {}
