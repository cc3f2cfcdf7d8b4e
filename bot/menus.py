"""Command menus per audience: buyers in the default scope (id and en), staff and managers per chat.

Set at start-up and again whenever a role changes; a removed staff member's chat menu is deleted so they see the
buyers' menu again. Each entry names its description's text key literally, so a translator sees every one.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.services import Services
from bot.texts import t
from bot.texts.format import lang_of
from models.people import Role
from models.services import recipients
from models.services import staff as staff_service

log = logging.getLogger(__name__)

BUYER_COMMANDS: dict[str, str] = {
    "start": "b_cmd_start",
    "katalog": "b_cmd_katalog",
    "keranjang": "b_cmd_keranjang",
    "pesananku": "b_cmd_pesananku",
    "bahasa": "b_cmd_bahasa",
    "datasaya": "b_cmd_datasaya",
    "hapusdata": "b_cmd_hapusdata",
    "bantuan": "b_cmd_bantuan",
}
STAFF_COMMANDS: dict[str, str] = {
    "start": "st_cmd_start",
    "hariini": "st_cmd_hariini",
    "produksi": "st_cmd_produksi",
    "pesanan": "st_cmd_pesanan",
    "bayar": "st_cmd_bayar",
    "catat": "st_cmd_catat",
    "petugas": "st_cmd_petugas",
}
MANAGER_COMMANDS: dict[str, str] = {
    "laporan": "mg_cmd_laporan",
    "ekspor": "mg_cmd_ekspor",
    "undang": "mg_cmd_undang",
    "staf": "mg_cmd_staf",
    "katalog": "mg_cmd_katalog",
    "harga": "mg_cmd_harga",
    "produk": "mg_cmd_produk",
    "stok": "mg_cmd_stok",
    "kapasitas": "mg_cmd_kapasitas",
    "libur": "mg_cmd_libur",
    "audit": "mg_cmd_audit",
    "pimpinan": "mg_cmd_pimpinan",
}


def _commands(table: dict[str, str], lang: str) -> list[BotCommand]:
    """The menu entries of a table in a language."""
    return [BotCommand(command, t(lang, key)) for command, key in table.items()]


def buyer_commands(lang: str) -> list[BotCommand]:
    """The buyers' menu."""
    return _commands(BUYER_COMMANDS, lang)


def staff_commands(role: Role, lang: str) -> list[BotCommand]:
    """The menu of a staff member: staff commands, plus manager commands for managers and admins."""
    commands = _commands(STAFF_COMMANDS, lang)
    if role in (Role.MANAGER, Role.ADMIN):
        commands += _commands(MANAGER_COMMANDS, lang)
    return commands


async def set_chat_menu(bot: Bot, chat_id: int, role: Role | None, lang: str) -> None:
    """Shows a chat the menu of its role (or removes the staff menu when the role is gone)."""
    scope = BotCommandScopeChat(chat_id)
    try:
        if role is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands(staff_commands(role, lang_of(lang)), scope=scope)
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
