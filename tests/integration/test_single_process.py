"""SQLite serves one bot process: the database file is claimed for the life of the process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from models.single_process import DatabaseInUse, claim_sqlite


def test_a_second_claim_on_an_sqlite_file_is_refused_in_one_line_naming_the_holder(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    claim = claim_sqlite(url)
    assert claim is not None
    with pytest.raises(DatabaseInUse) as refused:
        claim_sqlite(url)
    message = str(refused.value)
    assert "\n" not in message and str(tmp_path / "bot.sqlite3") in message and "PostgreSQL" in message
    assert f"(pid {os.getpid()})" in message
    claim.release()
    again = claim_sqlite(url)  # given back: the next bot process may start
    assert again is not None
    again.release()
    assert claim_sqlite("postgresql+asyncpg://postgres@127.0.0.1/karya") is None
    assert claim_sqlite("sqlite+aiosqlite:///:memory:") is None
