"""The offline demo: the real bot against the built-in Bot API emulator, with a chat in the terminal."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.app import build_application, running
from bot.emulator.server import BotApiEmulator
from bot.emulator.terminal import run_terminal_chat
from bot.emulator.user import EmulatedUser
from bot.services import build_services
from bot.settings import Settings
from models.migrate import upgrade
from models.people import Line, Role
from models.services import catalogue_io
from models.services import staff as staff_service

BUYER_ID = 700_001
IDENTITIES = {
    "buyer": (BUYER_ID, "Budi"),
    "pembeli": (BUYER_ID, "Budi"),
    "staff": (800_001, "Rina (Petugas Roti)"),
    "petugas": (800_001, "Rina (Petugas Roti)"),
    "manager": (900_001, "Pak Hendra (Pimpinan)"),
    "pimpinan": (900_001, "Pak Hendra (Pimpinan)"),
}


def read_script(path: Path) -> list[str]:
    """The user lines of a script file (blank lines and # comments skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.rstrip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


async def _prepare_database(settings: Settings, emulator_settings: Settings) -> None:
    """Migrates, loads the default catalogue on first run and creates the demo staff and manager."""
    services = build_services(emulator_settings)
    try:
        await upgrade(services.engine)
        async with services.session_factory.begin() as session:
            if await catalogue_io.catalogue_is_empty(session):
                await catalogue_io.import_catalogue(session, catalogue_io.read_file(settings.catalogue_file))
            staff_id, staff_name = IDENTITIES["staff"]
            manager_id, manager_name = IDENTITIES["manager"]
            if await staff_service.role_of(session, staff_id) is None:
                await staff_service.add_staff(session, staff_id, staff_name, Role.STAFF, Line.BAKERY)
            if await staff_service.role_of(session, manager_id) is None:
                await staff_service.add_staff(session, manager_id, manager_name, Role.MANAGER)
    finally:
        await services.engine.dispose()


async def run_demo(settings: Settings, *, script: Path | None, out_dir: Path) -> int:
    """Starts emulator and bot in this process and chats in the terminal (or plays `script`)."""
    # The terminal is the chat window: only problems are logged there.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
    lines = read_script(script) if script else None
    async with BotApiEmulator() as emulator:
        demo_settings = settings.model_copy(
            update={
                "telegram_bot_token": None,
                "telegram_api_base_url": emulator.base_url,
                "telegram_file_base_url": emulator.base_file_url,
            }
        )
        await _prepare_database(settings, demo_settings)
        application = build_application(demo_settings, token=emulator.token)
        users: dict[int, EmulatedUser] = {}

        def user_for(key: str) -> EmulatedUser:
            """The emulated person behind a demo identity."""
            telegram_id, name = IDENTITIES[key]
            if telegram_id not in users:
                users[telegram_id] = emulator.user(telegram_id, name, language_code="id")
            return users[telegram_id]

        async def switch(name: str) -> EmulatedUser:
            """Switches the terminal to another identity (/as staff, /as manager, /as buyer)."""
            key = name.lower()
            if key not in IDENTITIES:
                raise ValueError("Peran tidak dikenal: pakai /as buyer, /as staff atau /as manager")
            return user_for(key)

        for key in ("staff", "manager"):  # their chats exist from the start, so alerts to them are kept
            user_for(key)
        out_dir.mkdir(parents=True, exist_ok=True)
        async with running(application):
            await run_terminal_chat(
                emulator, user_for("buyer"), switch_identity=switch, out_dir=out_dir, input_lines=lines
            )
    return 0
