"""Buyer handlers: welcome and deep links, the buyer commands, the main menu, help, and free input at rest.

The buyer's screens live in the sibling modules (catalogue, cart, checkout, payment, orders, privacy); importing
them registers their button actions and input steps, and `register` adds the Telegram handlers in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, NamedTuple

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.handlers import (
    buyer_cart,
    buyer_catalogue,
    buyer_checkout,
    buyer_orders,
    buyer_payment,
    buyer_privacy,
    steps,
)
from bot.handlers.buyer_screen import (
    Press,
    Stale,
    action,
    lang,
    on_callback,
    on_unknown_callback,
    say,
    show,
    typed_text,
    viewer,
)
from bot.handlers.common import services
from bot.render.buyer_account import help_screen
from bot.render.buyer_catalogue import menu_screen
from bot.render.buyer_common import Screen
from bot.render.buyer_errors import error_text
from bot.texts import t
from models.errors import DomainError, NotFound
from models.rules.codes import normalize_order_code
from models.services import cart

__all__ = ["BUYER_COMMANDS", "BuyerCommand", "buyer_checkout", "buyer_payment", "register"]


class BuyerCommand(NamedTuple):
    """A command of the buyer's menu with its Indonesian and English descriptions."""

    command: str
    description_id: str
    description_en: str


BUYER_COMMANDS: tuple[BuyerCommand, ...] = (
    BuyerCommand("start", "Menu utama", "Main menu"),
    BuyerCommand("katalog", "Lihat katalog produk", "Browse the catalogue"),
    BuyerCommand("keranjang", "Keranjang belanja", "Shopping cart"),
    BuyerCommand("pesananku", "Pesanan saya dan statusnya", "My orders and their status"),
    BuyerCommand("bahasa", "Ganti bahasa / Change language", "Change language / Ganti bahasa"),
    BuyerCommand("datasaya", "Data saya yang disimpan", "What is stored about me"),
    BuyerCommand("hapusdata", "Hapus data pribadi saya", "Delete my personal data"),
    BuyerCommand("bantuan", "Bantuan cara memesan", "Help: how to order"),
)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _guarded(func: Handler) -> Handler:
    """Wraps a command so a domain error or stale payload gets a polite message."""

    async def run(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await func(update, context)
        except Stale:
            await say(update, context, t(lang(context), "b_e_stale"))
        except DomainError as exc:
            await say(update, context, error_text(lang(context), exc))

    run.__doc__ = func.__doc__
    return run


async def _menu_screen(
    context: ContextTypes.DEFAULT_TYPE, update: Update, *, welcome: bool, text: str | None = None
) -> Screen:
    """The main menu (or the greeting) with the cart count."""
    async with services(context).session_factory() as session:
        count = await cart.count(session, viewer(context).customer_id)
    user = update.effective_user
    name = user.first_name if user else ""
    screen = menu_screen(lang(context), name, services(context).settings.shop_name, count, welcome=welcome)
    return Screen(text, screen.markup) if text is not None else screen


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the buyer; `?start=p_<SKU>` opens a product and `?start=o_<CODE>` the buyer's own order."""
    payload = context.args[0] if context.args else ""
    if payload.startswith("p_") and len(payload) > 2:
        await buyer_catalogue.open_product(update, context, sku=payload[2:])
        return
    if payload.startswith("o_"):
        code = normalize_order_code(payload[2:])
        if code is None:
            raise Stale()
        await buyer_orders.open_order(update, context, code)
        return
    await show(update, context, await _menu_screen(context, update, welcome=True))


async def catalogue_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/katalog: the categories."""
    await buyer_catalogue.open_categories(update, context)


async def cart_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/keranjang: the cart."""
    await buyer_cart.open_cart(update, context)


async def orders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/pesananku: the buyer's orders."""
    await buyer_orders.open_orders(update, context)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bantuan: how ordering works."""
    settings = services(context).settings
    await show(update, context, help_screen(lang(context), settings.shop_name, settings.shop_address))


@action("bm")
async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """Shows the main menu."""
    await show(update, context, await _menu_screen(context, update, welcome=False))


@action("bhelp")
async def help_button(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """Shows the help."""
    await help_command(update, context)


@steps.on_idle
async def idle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free input when no question is open: an order code opens the order, anything else gets the menu."""
    message = update.effective_message
    if message is None:
        return
    text = typed_text(update)
    if text is not None and len(text) <= 20 and (code := normalize_order_code(text)) is not None:
        try:
            await buyer_orders.open_order(update, context, code)
            return
        except NotFound:
            pass
    if text is not None:
        key = "b_idle"
    elif message.photo:
        key = "b_idle_photo"
    elif message.contact is not None or message.location is not None:
        key = "b_idle_share"
    else:
        key = "b_idle_media"
    await show(update, context, await _menu_screen(context, update, welcome=False, text=t(lang(context), key)))


COMMANDS: dict[str, Handler] = {
    "start": start,
    "katalog": catalogue_command,
    "keranjang": cart_command,
    "pesananku": orders_command,
    "bahasa": buyer_privacy.open_language,
    "datasaya": buyer_privacy.open_stored_data,
    "hapusdata": buyer_privacy.ask_delete,
    "bantuan": help_command,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the buyer commands (private chats), the buyer button router and the catch-all for unknown buttons."""
    private = filters.ChatType.PRIVATE
    for name, func in COMMANDS.items():
        application.add_handler(CommandHandler(name, _guarded(func), filters=private))
    application.add_handler(CallbackQueryHandler(on_callback, pattern=r"^b[a-z]*(?::|$)"))
    application.add_handler(CallbackQueryHandler(on_unknown_callback))
