"""The real Application, built by bot/app.py, running against the Bot API emulator over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application, running
from bot.emulator.server import BotApiEmulator
from bot.services import Services, build_services
from bot.settings import Settings
from models.migrate import upgrade
from models.people import Line, Role
from models.services import catalogue_io
from models.services import staff as staff_service
from tests.support.clock import FakeClock

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "catalogue.yaml"


@dataclass
class Harness:
    """Everything a flow test touches: the emulator, the running app, its services and the clock."""

    emulator: BotApiEmulator
    app: Application[Any, Any, Any, Any, Any, Any]
    services: Services
    clock: FakeClock

    async def add_staff(self, telegram_id: int, name: str, role: Role, line: Line | None = None) -> None:
        """Gives a Telegram user a role directly in the database."""
        async with self.services.session_factory.begin() as session:
            await staff_service.add_staff(session, telegram_id, name, role, line)


def test_settings(emulator: BotApiEmulator, database_url: str, **overrides: Any) -> Settings:
    """Settings pointing the bot at the emulator and a test database."""
    values: dict[str, Any] = {
        "telegram_bot_token": emulator.token,
        "telegram_api_base_url": emulator.base_url,
        "telegram_file_base_url": emulator.base_file_url,
        "database_url": database_url,
        "qris_merchant_payload": None,
        "flood_max_updates": 1000,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    emulator: BotApiEmulator,
    database_url: str,
    clock: FakeClock,
    *,
    catalogue: bool = True,
    with_jobs: bool = False,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """Migrates, loads the catalogue, runs the real Application and stops it after.

    `with_jobs` runs post_init as production does (menus, schedules, start-up catch-up); without it a test
    registers what it needs (tests/flows/staff_helpers.ensure_jobs).
    """
    settings = test_settings(emulator, database_url, **overrides)
    services = build_services(settings, clock=clock)
    await upgrade(services.engine)
    if catalogue:
        async with services.session_factory.begin() as session:
            await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    app = build_application(settings, services)
    async with running(app, poll_timeout=1, post_init=with_jobs):
        yield Harness(emulator, app, services, clock)
