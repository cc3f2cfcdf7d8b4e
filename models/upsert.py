"""INSERT ... ON CONFLICT for the engine at hand: SQLite and PostgreSQL spell it alike, from different modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `table` that offers on_conflict_do_nothing / on_conflict_do_update in `dialect`."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
