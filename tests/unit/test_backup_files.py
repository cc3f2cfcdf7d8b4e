"""Backup files: the UTC time in their names, the age of the newest, keeping the newest few and nothing else
touched; how the PostgreSQL tools are told where the database is (the password never on their command line)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.backup import Kind, NotABackup, backup_name, backups_in, last_backup_age, prune
from models.backup.files import kind_of
from models.backup.postgres import target_of
from models.rules.calendar import WIB

NOW = datetime(2026, 12, 4, 9, 15, tzinfo=WIB)  # 02:15 UTC


def _touch(folder: Path, *names: str) -> None:
    """Creates files with some content."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"x")


def test_a_backup_is_named_by_its_utc_time() -> None:
    assert backup_name(Kind.SQLITE, NOW) == "karya-20261204T021500Z.sqlite3"
    assert backup_name(Kind.PGDUMP, NOW) == "karya-20261204T021500Z.pgdump"


def test_there_is_no_last_backup_without_the_folder_or_without_backups_in_it(tmp_path: Path) -> None:
    assert last_backup_age(tmp_path / "missing", NOW) is None
    _touch(tmp_path / "b", "notes.txt", "karya.sqlite3", "karya-20261204T021500Z.sqlite3.partial")
    assert last_backup_age(tmp_path / "b", NOW) is None


def test_the_last_backup_age_is_read_from_the_newest_name(tmp_path: Path) -> None:
    _touch(tmp_path, "karya-20261203T021500Z.sqlite3", "karya-20261204T014500Z.sqlite3")
    assert last_backup_age(tmp_path, NOW) == timedelta(minutes=30)


def test_an_old_last_backup_is_old(tmp_path: Path) -> None:
    _touch(tmp_path, "karya-20261201T021500Z.pgdump")
    assert last_backup_age(tmp_path, NOW) == timedelta(days=3)


def test_a_name_with_an_impossible_time_falls_back_to_the_file_time(tmp_path: Path) -> None:
    _touch(tmp_path, "karya-20261399T021500Z.sqlite3")
    written = (NOW - timedelta(hours=5)).timestamp()
    os.utime(tmp_path / "karya-20261399T021500Z.sqlite3", (written, written))
    assert last_backup_age(tmp_path, NOW) == timedelta(hours=5)


def test_keeping_the_newest_deletes_only_older_backups(tmp_path: Path) -> None:
    backups = [f"karya-202612{day:02d}T021500Z.sqlite3" for day in range(1, 6)]
    others = ["notes.txt", "karya.sqlite3", "karya-20261101T021500Z.sqlite3.partial", "karya-old.sqlite3"]
    _touch(tmp_path, *backups, *others)
    (tmp_path / "karya-20261102T021500Z.sqlite3").mkdir()  # a folder with a backup's name is no backup
    deleted = prune(tmp_path, keep=2)
    assert [p.name for p in deleted] == backups[:3]
    assert [b.path.name for b in backups_in(tmp_path)] == backups[3:]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*backups[3:], *others, "karya-20261102T021500Z.sqlite3"])
    assert prune(tmp_path, keep=2) == []


def test_a_file_is_known_by_its_first_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"SQLite format 3\x00rest")
    (tmp_path / "b").write_bytes(b"PGDMP\x01\x0e")
    (tmp_path / "c").write_text("hello")
    assert kind_of(tmp_path / "a") is Kind.SQLITE
    assert kind_of(tmp_path / "b") is Kind.PGDUMP
    with pytest.raises(NotABackup, match="neither an SQLite database nor a pg_dump"):
        kind_of(tmp_path / "c")
    with pytest.raises(NotABackup, match="no such file"):
        kind_of(tmp_path / "d")
    with pytest.raises(NotABackup, match="is a folder"):
        kind_of(tmp_path)


def test_the_password_goes_to_the_environment_not_the_command_line() -> None:
    target = target_of("postgresql+asyncpg://karya:s3cr%40t@db.example:6543/shop?ssl=require")
    assert target.options == ("--dbname=shop", "--host=db.example", "--port=6543", "--username=karya")
    assert target.env["PGPASSWORD"] == "s3cr@t"
    assert target.env["PGSSLMODE"] == "require"
    assert "s3cr" not in " ".join(target.options) and "s3cr" not in target.shown
    assert target.shown == "postgresql+asyncpg://karya:***@db.example:6543/shop?ssl=require"


def test_a_url_without_password_or_host_leaves_them_to_libpq() -> None:
    target = target_of("postgresql+asyncpg:///karya")
    assert target.options == ("--dbname=karya",)
    assert "PGPASSWORD" not in target.env


def test_the_utc_time_is_used_whatever_the_zone_of_now() -> None:
    assert backup_name(Kind.SQLITE, NOW.astimezone(UTC)) == backup_name(Kind.SQLITE, NOW)
