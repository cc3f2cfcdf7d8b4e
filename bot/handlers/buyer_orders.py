"""Pesanan Saya: the buyer's orders, details, cancel while the rules allow, and "Pesan lagi"."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.handlers.buyer_cart import open_cart
from bot.keyboards import button
from bot.payments.codes import cancel_retired_soon
from bot.render.buyer_catalogue import dates_screen, slots_screen
from bot.render.buyer_orders import cancel_confirm_screen, order_screen, orders_screen
from bot.routing import replies
from bot.routing.actions import Action
from bot.routing.context import BotContext
from bot.routing.press import Stale
from bot.routing.router import Router
from bot.texts import t
from models.rules.codes import normalize_order_code
from models.services import buyer_orders, cart, ordering

router = Router()


def _code(context: BotContext) -> str:
    """The order code of a button, or Stale when it is not one."""
    code = normalize_order_code(context.press.text_arg(0))
    if code is None:
        raise Stale()
    return code


@router.command("pesananku", private_only=True)
@router.button(Action.ORDERS)
async def list_orders(update: Update, context: BotContext) -> None:
    """/pesananku: the buyer's recent orders."""
    found = await ordering.list_customer_orders(context.session, context.viewer.customer_id, limit=10)
    await replies.show(update, context, orders_screen(context.lang, found))


async def open_order(update: Update, context: BotContext, code: str) -> None:
    """Shows one of the buyer's orders (a button, a deep link or a typed code)."""
    order, slot = await ordering.customer_order_with_slot(context.session, context.viewer.customer_id, code)
    place = context.services.settings.shop_address
    await replies.show(update, context, order_screen(context.lang, order, slot, now=context.now(), place=place))


@router.button(Action.ORDER)
async def order(update: Update, context: BotContext) -> None:
    """Shows one order."""
    await open_order(update, context, _code(context))


@router.button(Action.CANCEL_ORDER)
async def ask_cancel(update: Update, context: BotContext) -> None:
    """Asks before cancelling an order."""
    found = await ordering.get_customer_order(context.session, context.viewer.customer_id, _code(context))
    await replies.show(update, context, cancel_confirm_screen(context.lang, found))


@router.button(Action.CANCEL_ORDER_YES)
async def cancel(update: Update, context: BotContext) -> None:
    """Cancels the order (capacity, slot and stock go back) and tells the staff of its line."""
    viewer = context.viewer
    found = await buyer_orders.cancel_and_tell(
        context.session, viewer.customer_id, _code(context), telegram_id=viewer.telegram_id,
        alerts=context.services.staff_alerts, now=context.now(),
    )
    await open_order(update, context, found.code)
    await replies.answer(context, t(context.lang, "b_cancelled_toast", code=found.code))
    await cancel_retired_soon(context)


@router.button(Action.REORDER)
async def reorder(update: Update, context: BotContext) -> None:
    """ "Pesan lagi": bread asks for a new pickup date first; other orders go straight back into the cart."""
    code = _code(context)
    found = await cart.reorder_dates(context.session, context.viewer.customer_id, code, context.now())
    if found is None:
        await _reorder_into_cart(update, context, code)
        return
    product, options = found
    back = button(t(context.lang, "b_btn_back"), Action.ORDER, code)
    screen = dates_screen(context.lang, product, options, back=back, action=Action.REORDER_DATE, target=code)
    await replies.show(update, context, screen)


@router.button(Action.REORDER_DATE)
async def reorder_slots(update: Update, context: BotContext) -> None:
    """Shows the pickup slots for a reordered bread order."""
    code, day = _code(context), context.press.day_arg(1)
    product, options = await cart.reorder_slots(context.session, context.viewer.customer_id, code, day,
                                                    context.now())
    screen = slots_screen(context.lang, product, day, options, action=Action.REORDER_SLOT, target=code,
                          back_action=Action.REORDER)
    await replies.show(update, context, screen)


@router.button(Action.REORDER_SLOT)
async def reorder_bread(update: Update, context: BotContext) -> None:
    """Puts a bread order back in the cart for the chosen date and slot."""
    press = context.press
    await _reorder_into_cart(update, context, _code(context), day=press.day_arg(1), slot_id=press.int_arg(2))


async def _reorder_into_cart(
    update: Update, context: BotContext, code: str, *, day: date | None = None, slot_id: int | None = None
) -> None:
    """Adds the order's lines to the cart (bread for the chosen date and slot) and shows it."""
    await cart.reorder(context.session, context.viewer.customer_id, code, now=context.now(), fulfil_date=day,
                       slot_id=slot_id)
    await open_cart(update, context)
    await replies.answer(context, t(context.lang, "b_reordered_toast"))
