"""Command menus per audience: buyers in the default scope (one per language), staff and managers per chat.

Set at start-up and again whenever a role changes; a removed staff member's chat menu is deleted so they see the
buyers' menu again. Descriptions come from `bot.texts.labels`, one literal text key per command.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.services import Services
from bot.texts import lang_of, languages, t
from bot.texts.labels import buyer_command_description, manager_command_description, staff_command_description
from models.people import Role
from models.services import recipients
from models.services import staff as staff_service

log = logging.getLogger(__name__)

BUYER_COMMANDS = ("start", "katalog", "keranjang", "pesananku", "bahasa", "datasaya", "hapusdata", "bantuan")
STAFF_COMMANDS = ("start", "hariini", "produksi", "pesanan", "bayar", "mutasi", "catat", "petugas")
MANAGER_COMMANDS = (
    "laporan", "ekspor", "undang", "staf", "katalog", "produkbaru", "ubah", "batal", "kategori", "harga", "produk",
    "stok", "kapasitas", "libur", "audit", "pimpinan",
)  # fmt: skip


def buyer_commands(lang: str) -> list[BotCommand]:
    """The buyers' menu, described in `lang`."""
    return [BotCommand(c, buyer_command_description(lang, c)) for c in BUYER_COMMANDS]


def staff_commands(role: Role, lang: str) -> list[BotCommand]:
    """The menu of a staff member: staff commands, plus manager commands for managers and admins."""
    commands = [BotCommand(c, staff_command_description(lang, c)) for c in STAFF_COMMANDS]
    if role in (Role.MANAGER, Role.ADMIN):
        commands += [BotCommand(c, manager_command_description(lang, c)) for c in MANAGER_COMMANDS]
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
        log.warning("could not set the command menu of chat %s: %s", chat_id, exc, extra={"chat_id": chat_id})


async def refresh_all(bot: Bot, services: Services) -> None:
    """Sets the buyers' default menus (one per language) and every active staff member's own menu."""
    for lang in languages():
        try:
            await bot.set_my_commands(buyer_commands(lang), scope=BotCommandScopeDefault(), language_code=lang)
        except TelegramError as exc:
            log.warning("could not set the buyers' %s menu: %s", lang, exc)
    try:
        await bot.set_my_commands(buyer_commands("id"), scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("could not set the default menu: %s", exc)
    await set_storefront_button(bot, services)
    async with services.session_factory() as session:
        members = await staff_service.list_staff(session)
        langs = {m.telegram_id: await recipients.language_of(session, m.telegram_id) for m in members}
    for member in members:
        await set_chat_menu(bot, member.telegram_id, member.role, langs[member.telegram_id])


async def set_storefront_button(bot: Bot, services: Services) -> None:
    """With a storefront address (MINIAPP_URL), the chat's menu button opens the Mini App ("Toko")."""
    url = services.settings.storefront_url
    if not url:
        return
    button = MenuButtonWebApp(t(services.settings.language, "b_menu_button_shop"), WebAppInfo(url))
    try:
        await bot.set_chat_menu_button(menu_button=button)
    except TelegramError as exc:
        log.warning("could not set the Mini App menu button: %s", exc)
