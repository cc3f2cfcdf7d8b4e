"""Buyer handlers: welcome and deep links, the main menu, help, and free input when no question is open.

The buyer's other screens live in the sibling modules (catalogue, cart, checkout, payment, orders, privacy).
"""

from __future__ import annotations

from telegram import Update

from bot.handlers import buyer_catalogue, buyer_orders
from bot.render.buyer_account import help_screen
from bot.render.buyer_catalogue import menu_screen
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action
from bot.routing.context import BotContext
from bot.routing.press import Stale
from bot.routing.router import Router
from bot.texts import t
from models.errors import NotFound
from models.rules.codes import normalize_order_code
from models.services import cart

router = Router()


async def _menu(update: Update, context: BotContext, *, welcome: bool, text: str | None = None) -> Screen:
    """The main menu (or the greeting) with the cart count; `text` replaces the greeting."""
    count = await cart.count(context.session, context.viewer.customer_id)
    user = update.effective_user
    name = user.first_name if user else ""
    settings = context.services.settings
    screen = menu_screen(context.lang, name, settings.shop_name, count, welcome=welcome,
                         storefront=settings.storefront_url, role=context.viewer.role)
    return Screen(text, screen.markup) if text is not None else screen


@router.command("start", private_only=True)
async def start(update: Update, context: BotContext) -> None:
    """Greets the buyer with the main menu."""
    await replies.show(update, context, await _menu(update, context, welcome=True))


@router.deep_link("p_", private_only=True)
async def product_link(update: Update, context: BotContext) -> None:
    """`?start=p_<SKU>` opens a product."""
    sku = (context.args or [""])[0][2:]
    if not sku:
        await start(update, context)
        return
    await buyer_catalogue.open_product(update, context, sku=sku)


@router.deep_link("o_", private_only=True)
async def order_link(update: Update, context: BotContext) -> None:
    """`?start=o_<CODE>` opens the buyer's own order."""
    code = normalize_order_code((context.args or [""])[0][2:])
    if code is None:
        raise Stale()
    await buyer_orders.open_order(update, context, code)


@router.button(Action.MENU)
async def menu(update: Update, context: BotContext) -> None:
    """Shows the main menu."""
    await replies.show(update, context, await _menu(update, context, welcome=False))


@router.command("bantuan", private_only=True)
@router.button(Action.HELP)
async def help_screen_of_shop(update: Update, context: BotContext) -> None:
    """/bantuan: how ordering works."""
    settings = context.services.settings
    await replies.show(update, context, help_screen(context.lang, settings.shop_name, settings.shop_address))


@router.on_idle
async def idle(update: Update, context: BotContext) -> None:
    """Free input when no question is open: an order code opens the order, anything else gets the menu."""
    message = update.effective_message
    if message is None:
        return
    text = message.text
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
    await replies.show(update, context, await _menu(update, context, welcome=False, text=t(context.lang, key)))
