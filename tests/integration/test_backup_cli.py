"""`python -m bot backup` and `python -m bot restore` through the real entry point, on SQLite files: what the
operator reads, what the files hold, and one clear line (exit 1, nothing changed) for every refusal."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bot.cli_tasks import human_size
from tests.integration.backup_helpers import order_codes, shop_with_orders
from tests.integration.test_cli import run

WRITTEN = re.compile(r"^Backup written: (?P<path>/\S+/karya-\d{8}T\d{6}Z\.sqlite3) \((?P<size>[\d.]+ \w+)\)$")


def _sha(path: Path) -> str:
    """The file's bytes, summed up."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(err: str) -> str:
    """The single line an operator reads on a refusal (no traceback, nothing else)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    return lines[0]


async def test_a_backup_prints_its_path_and_size_and_a_restore_what_it_restored(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    codes = await shop_with_orders(f"sqlite+aiosqlite:///{live}", 3)
    made = run("backup", "--to", str(tmp_path / "b"), db=live)
    assert made.code == 0 and made.err == "", made
    match = WRITTEN.match(made.out.strip())
    assert match, made.out
    path = Path(match["path"])
    assert path.parent == tmp_path / "b"
    assert match["size"] == human_size(path.stat().st_size)
    assert order_codes(path) == set(codes)

    fresh = tmp_path / "restored" / "karya.sqlite3"
    restored = run("restore", str(path), "--database-url", f"sqlite:///{fresh}", db=live)
    assert restored.code == 0 and restored.err == "", restored
    assert restored.out.strip() == (
        f"Restored {path} into {fresh}: 3 orders, 3 customers, 19 products (integrity check ok)."
    )
    assert order_codes(fresh) == set(codes)


async def test_a_backup_goes_to_backup_dir_without_to(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    await shop_with_orders(f"sqlite+aiosqlite:///{live}", 1)
    made = run("backup", db=live, BACKUP_DIR=str(tmp_path / "configured"))
    assert made.code == 0, made
    [written] = list((tmp_path / "configured").iterdir())
    assert made.out.startswith(f"Backup written: {written} (")


async def test_restore_refuses_a_database_with_orders_unless_forced(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    old_codes = await shop_with_orders(f"sqlite+aiosqlite:///{old}", 1)
    saved = WRITTEN.match(run("backup", "--to", str(tmp_path / "b"), db=old).out.strip())
    assert saved
    live = tmp_path / "live.sqlite3"
    live_codes = await shop_with_orders(f"sqlite+aiosqlite:///{live}", 3)
    before = _sha(live)

    refused = run("restore", saved["path"], db=live)  # into DATABASE_URL
    assert refused.code == 1 and refused.out == ""
    line = _one_error_line(refused.err)
    assert line.startswith(f"Error: {live} already holds 3 order(s): not overwritten")
    assert "--force" in line
    assert _sha(live) == before and order_codes(live) == set(live_codes)

    forced = run("restore", saved["path"], "--force", db=live)
    assert forced.code == 0, forced
    assert forced.out.strip() == (
        f"Restored {saved['path']} into {live}: 1 orders, 1 customers, 19 products (integrity check ok)."
    )
    assert order_codes(live) == set(old_codes)


async def test_what_cannot_be_restored_gets_one_line(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    await shop_with_orders(f"sqlite+aiosqlite:///{live}", 1)
    before = _sha(live)
    (tmp_path / "notes.txt").write_text("not a backup")
    (tmp_path / "karya.pgdump").write_bytes(b"PGDMP\x01\x0e\x00")
    cases = {
        str(tmp_path / "missing.sqlite3"): f"Error: no such file: {tmp_path / 'missing.sqlite3'}",
        str(tmp_path / "notes.txt"): "is neither an SQLite database nor a pg_dump custom-format file",
        str(tmp_path / "karya.pgdump"): "is a PostgreSQL dump: restore it into a postgresql:// database URL",
    }
    for file, words in cases.items():
        result = run("restore", file, "--force", db=live)
        assert result.code == 1 and result.out == "", result
        assert words in _one_error_line(result.err)
    bad_url = run("restore", str(live), "--database-url", "mysql://x/y", db=live)
    assert _one_error_line(bad_url.err) == "Error: invalid --database-url: must be a sqlite:/// or postgresql:// URL"
    assert _sha(live) == before


def test_a_backup_of_a_missing_database_gets_one_line(tmp_path: Path) -> None:
    result = run("backup", "--to", str(tmp_path / "b"), db=tmp_path / "none.sqlite3")
    assert result.code == 1
    assert _one_error_line(result.err) == f"Error: no database to back up at {tmp_path / 'none.sqlite3'}"
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_postgresql_backup_without_pg_dump_names_the_missing_tool(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    result = run(
        "backup", "--to", str(tmp_path / "b"),
        DATABASE_URL="postgresql://karya:secret@127.0.0.1:5432/karya", PATH=str(tmp_path / "bin"),
    )
    assert result.code == 1 and result.out == ""
    line = _one_error_line(result.err)
    assert line.startswith("Error: pg_dump is not installed (not found on PATH)")
    assert "postgresql-client" in line and "secret" not in line
    assert not (tmp_path / "b").exists() or list((tmp_path / "b").iterdir()) == []
