"""Command menus per audience: buyers in the default scope (id and en), staff and managers per chat.

Set at start-up and again whenever a role changes; a removed staff member's chat menu is deleted so
they see the buyers' menu again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.services import Services
from bot.texts import t
from models.people import Role
from models.services import recipients
from models.services import staff as staff_service

STAFF_COMMANDS = ("hariini", "produksi", "pesanan", "bayar", "catat", "petugas")
MANAGER_COMMANDS = (
    "laporan", "ekspor", "undang", "staf", "katalog", "harga", "produk", "stok", "kapasitas", "libur", "audit",
    "pimpinan",
)  # fmt: skip
FALLBACK_BUYER = {
    "id": [("start", "Menu utama"), ("bantuan", "Bantuan")],
    "en": [("start", "Main menu"), ("bantuan", "Help")],
}
log = logging.getLogger(__name__)


def _as_commands(items: Iterable[Any], lang: str = "id") -> list[BotCommand]:
    """BotCommands from BotCommand objects, (command, description) or (command, description_id, description_en)."""
    found: list[BotCommand] = []
    for item in items:
        if isinstance(item, BotCommand):
            found.append(item)
        elif len(item) == 3:
            command, description_id, description_en = item
            found.append(BotCommand(str(command), str(description_en if lang == "en" else description_id)))
        else:
            command, description = item
            found.append(BotCommand(str(command), str(description)))
    return found


def buyer_commands(lang: str) -> list[BotCommand]:
    """The buyers' menu from `bot.handlers.buyer.BUYER_COMMANDS` (per language or shared), else a fallback."""
    from bot.handlers import buyer

    source: Any = getattr(buyer, "BUYER_COMMANDS", None)
    if callable(source):
        source = source(lang)
    if isinstance(source, dict):
        source = source.get(lang) or source.get("id")
    try:
        commands = _as_commands(source, lang) if source else []
    except (TypeError, ValueError):
        log.warning("BUYER_COMMANDS has an unexpected shape; using the fallback menu")
        commands = []
    return commands or _as_commands(FALLBACK_BUYER[lang])


def staff_commands(role: Role, lang: str) -> list[BotCommand]:
    """The menu of a staff member: staff commands, plus manager commands for managers and admins."""
    commands = [BotCommand("start", t(lang, "st_cmd_start"))]
    commands += [BotCommand(c, t(lang, f"st_cmd_{c}")) for c in STAFF_COMMANDS]
    if role in (Role.MANAGER, Role.ADMIN):
        commands += [BotCommand(c, t(lang, f"mg_cmd_{c}")) for c in MANAGER_COMMANDS]
    return commands


async def set_chat_menu(bot: Bot, chat_id: int, role: Role | None, lang: str) -> None:
    """Shows a chat the menu of its role (or removes the staff menu when the role is gone)."""
    scope = BotCommandScopeChat(chat_id)
    try:
        if role is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands(staff_commands(role, "en" if lang == "en" else "id"), scope=scope)
    except TelegramError as exc:  # a menu is a convenience: never fail the action that changed the role
        log.warning("could not set the command menu of chat %s: %s", chat_id, exc)


async def refresh_all(bot: Bot, services: Services) -> None:
    """Sets the buyers' default menus and every active staff member's own menu."""
    for lang in ("id", "en"):
        try:
            await bot.set_my_commands(buyer_commands(lang), scope=BotCommandScopeDefault(), language_code=lang)
        except TelegramError as exc:
            log.warning("could not set the buyers' %s menu: %s", lang, exc)
    try:
        await bot.set_my_commands(buyer_commands("id"), scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("could not set the default menu: %s", exc)
    async with services.session_factory() as session:
        members = await staff_service.list_staff(session)
        langs = {m.telegram_id: await recipients.language_of(session, m.telegram_id) for m in members}
    for member in members:
        await set_chat_menu(bot, member.telegram_id, member.role, langs[member.telegram_id])
