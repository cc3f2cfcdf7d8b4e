"""The offline demo: the real bot against the built-in Bot API emulator, with a chat in the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import build_application, running
from bot.demo_payments import PAY_COMMAND, demo_gateway
from bot.demo_storefront import storefront
from bot.emulator.server import BotApiEmulator
from bot.emulator.terminal import run_terminal_chat
from bot.emulator.user import EmulatedUser
from bot.render.placeholder_cards import placeholder_card
from bot.services import build_services, services_of
from bot.settings import Settings
from models.catalog import Product
from models.images import prepare_image
from models.media import MediaStore
from models.migrate import upgrade
from models.people import Line, Role
from models.services import catalogue_io, outbox, photos
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

# Products of the default catalogue that a fresh demo shows with drawn example cards, and how many.
PLACEHOLDER_PHOTOS = {"TAS-HB-01": 2, "LKS-KNV-01": 1}
# How often the idle check looks again: nothing signals "a handler finished", so the condition is polled.
IDLE_POLL = 0.02
TAKE_IN_GROUP = -1000


def read_script(path: Path) -> list[str]:
    """The user lines of a script file (blank lines and # comments skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.rstrip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class BotIdle:
    """Tells when the demo's bot has nothing left to do for its users, so a script can go on (or end).

    Idle means: every update the demo's users pushed has been taken in by the application and none is in progress
    (PTB's public `update_processor.current_concurrent_updates`), no scheduled job is running, and no outbox
    message is due now for their chats. Slow replies (the chart and spreadsheet after /laporan's text) come from a
    handler still in progress; alerts to other roles come from the outbox.
    """

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 users: Mapping[int, EmulatedUser]) -> None:
        self._processor = application.update_processor
        self._services = services_of(application.bot_data)
        self._users = users
        self._taken_in: set[int] = set()
        self._jobs_running: Counter[str] = Counter()  # job id -> runs under way
        self._activity = 0  # grows with every update taken in and every job started
        # Before every other handler (the pipeline may stop an update, a duplicate or a flood, but it was taken in),
        # in a group of its own: PTB runs only the first matching handler of a group.
        application.add_handler(TypeHandler(Update, self._take_in), group=TAKE_IN_GROUP)
        if application.job_queue is not None:
            mask = EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
            application.job_queue.scheduler.add_listener(self._note_job, mask)

    async def _take_in(self, update: Update, _: object) -> None:
        """Notes an update the application started processing."""
        self._taken_in.add(update.update_id)
        self._activity += 1

    def _note_job(self, event: JobEvent) -> None:
        """Counts job runs under way from APScheduler's events (a run ends executed, failed or missed)."""
        if event.code == EVENT_JOB_SUBMITTED:
            self._jobs_running[event.job_id] += 1
            self._activity += 1
        elif self._jobs_running[event.job_id] > 0:  # a missed run was never submitted
            self._jobs_running[event.job_id] -= 1

    def _busy(self) -> bool:
        """True while an update of the demo's users waits or runs, or a job runs."""
        waiting = any(u.last_update_id is not None and u.last_update_id not in self._taken_in
                      for u in self._users.values())
        return waiting or self._processor.current_concurrent_updates > 0 or any(self._jobs_running.values())

    async def _outbox_due(self) -> bool:
        """True when a message to one of the demo's chats is due now and not sent yet."""
        now = self._services.now()
        async with self._services.session_factory() as session:
            for chat_id in list(self._users):
                if any(row.due_at <= now for row in await outbox.pending_for(session, chat_id)):
                    return True
        return False

    async def is_idle(self) -> bool:
        """One look: not busy, nothing due in the outbox, and nothing started while the outbox was read."""
        if self._busy():
            return False
        activity = self._activity
        # A row is claimed (and no longer pending) only inside the dispatcher's job: no job ran meanwhile means
        # every row not pending was sent or given up.
        due = await self._outbox_due()
        return not due and not self._busy() and self._activity == activity

    async def wait(self, timeout: float) -> bool:
        """Waits until the bot is idle; False when it was still busy after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not await self.is_idle():
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(IDLE_POLL)
        return True


async def _prepare_database(settings: Settings, emulator_settings: Settings) -> None:
    """Migrates, loads the default catalogue on first run and creates the demo staff and manager."""
    services = build_services(emulator_settings)
    try:
        await upgrade(services.engine)
        async with services.session_factory.begin() as session:
            if await catalogue_io.catalogue_is_empty(session):
                await catalogue_io.import_catalogue(session, catalogue_io.read_file(settings.catalogue_file))
                await _placeholder_photos(session, services.media, services.now())
            staff_id, staff_name = IDENTITIES["staff"]
            manager_id, manager_name = IDENTITIES["manager"]
            if await staff_service.role_of(session, staff_id) is None:
                await staff_service.add_staff(session, staff_id, staff_name, Role.STAFF, Line.BAKERY)
            if await staff_service.role_of(session, manager_id) is None:
                await staff_service.add_staff(session, manager_id, manager_name, Role.MANAGER)
    finally:
        await services.engine.dispose()


async def _placeholder_photos(session: AsyncSession, store: MediaStore, now: datetime) -> None:
    """Gives a few products of a fresh demo catalogue drawn cards marked "CONTOH GAMBAR", so the demo shows a product
    screen with photos (◀️ 1/2 ▶️) before a manager has sent any."""
    for sku, count in PLACEHOLDER_PHOTOS.items():
        product = await session.scalar(select(Product).where(Product.sku == sku))
        if product is None:
            continue
        for number in range(1, count + 1):
            prepared = prepare_image(placeholder_card(product.name, number, count))
            await photos.add_photo(session, product.id, prepared, store.save(prepared), now=now)


async def run_demo(settings: Settings, *, script: Path | None, out_dir: Path) -> int:
    """Starts emulator and bot in this process and chats in the terminal (or plays `script`)."""
    # The terminal is the chat window: only problems are logged there.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.WARNING)  # not "Application started/stopping" between messages
    lines = read_script(script) if script else None
    async with BotApiEmulator() as emulator, demo_gateway(settings) as gateway:
        demo_settings = settings.model_copy(
            update={
                "telegram_bot_token": None,
                "telegram_api_base_url": emulator.base_url,
                "telegram_file_base_url": emulator.base_file_url,
                **(gateway.settings_update() if gateway is not None else {}),
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
        idle = BotIdle(application, users)
        out_dir.mkdir(parents=True, exist_ok=True)
        shop = storefront(application, emulator.token, IDENTITIES["buyer"])
        async with shop, running(application), (gateway.serving(application) if gateway else contextlib.nullcontext()):
            await run_terminal_chat(
                emulator, user_for("buyer"), switch_identity=switch, out_dir=out_dir, input_lines=lines,
                settle=idle.wait, commands={PAY_COMMAND: gateway.pay} if gateway is not None else None,
            )
    return 0
