"""Settings: every one documented in .env.example, and bad values named in one line."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {m.group(1) for m in (re.match(r"^([A-Z_]+)=", line) for line in lines) if m}
    assert documented == {name.upper() for name in Settings.model_fields}
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            above = lines[i - 1]
            assert above.startswith("#") or re.match(r"^[A-Z_]+=", above), line


def test_env_example_loads_as_the_defaults() -> None:
    settings = load_settings(_env_file=str(ROOT / ".env.example"))
    assert settings.token is None
    assert settings.morning_plan_time == time(5, 30)
    assert settings.database_url.startswith("sqlite+aiosqlite:///")


def test_indonesian_times_and_id_lists_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MORNING_PLAN_TIME", "05.45")
    monkeypatch.setenv("ADMIN_IDS", "111, 222")
    settings = load_settings(_env_file=None)
    assert settings.morning_plan_time == time(5, 45)
    assert settings.admin_ids == [111, 222]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAYMENT_TIMEOUT_MINUTES", "abc"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("TIMEZONE", "Mars/Olympus"),
        ("MORNING_PLAN_TIME", "25.00"),
        ("LANGUAGE", "fr"),
        ("HTTP_PORT", "70000"),
        ("LOG_FORMAT", "xml"),
        ("READY_OUTBOX_MAX_AGE_SECONDS", "0"),
        ("EVENT_LOOP", "tokio"),
    ],
)
def test_a_bad_value_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings(_env_file=None)
    message = str(err.value)
    assert message.count("\n") == 0
    assert message.startswith(f"Invalid setting {name}:")


def test_postgres_urls_get_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert load_settings(_env_file=None).database_url == "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def test_the_web_server_listens_on_http_listen_and_http_port_by_default() -> None:
    settings = load_settings(_env_file=None)
    assert settings.http_address == ("127.0.0.1", 8080)
    assert settings.startup_notices() == []


def test_the_old_webhook_names_still_work_with_a_notice_and_the_http_names_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0")
    monkeypatch.setenv("WEBHOOK_PORT", "8443")
    settings = load_settings(_env_file=None)
    assert settings.http_address == ("0.0.0.0", 8443)
    assert settings.startup_notices() == [
        "WEBHOOK_LISTEN and WEBHOOK_PORT are old names of HTTP_LISTEN and HTTP_PORT: listening on 0.0.0.0:8443 "
        "(rename them; HTTP_* wins when both are set)"
    ]
    monkeypatch.setenv("HTTP_PORT", "9000")
    assert load_settings(_env_file=None).http_address == ("0.0.0.0", 9000)


def test_webhook_mode_on_the_default_port_says_the_port_moved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example/telegram")
    [notice] = load_settings(_env_file=None).startup_notices()
    assert "8080" in notice and "8443" in notice
    monkeypatch.setenv("HTTP_PORT", "8080")
    assert load_settings(_env_file=None).startup_notices() == []


def test_uvloop_asked_for_where_it_is_missing_is_named_and_auto_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.settings.uvloop_installed", lambda: False)
    monkeypatch.setenv("EVENT_LOOP", "uvloop")
    with pytest.raises(SettingsError) as err:
        load_settings(_env_file=None)
    assert str(err.value) == ("Invalid setting EVENT_LOOP: uvloop is not installed here; use auto or asyncio "
                              "(got 'uvloop')")
    monkeypatch.setenv("EVENT_LOOP", "auto")
    assert load_settings(_env_file=None).event_loop == "auto"
