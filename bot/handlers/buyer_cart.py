"""Buyer cart: show it, change a quantity, move bread to another date, remove an item, empty it."""

from __future__ import annotations

from telegram import Update

from bot.handlers.buyer_catalogue import read_quantity
from bot.keyboards import button
from bot.render.buyer_cart import cart_screen, clear_confirm_screen, item_quantity_prompt, item_screen
from bot.render.buyer_catalogue import dates_screen, slots_screen
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.router import Router
from bot.texts import t
from models.services import cart

router = Router()


async def open_cart(update: Update, context: BotContext) -> None:
    """Shows the cart with totals."""
    found = await cart.view(context.session, context.viewer.customer_id)
    await replies.show(update, context, cart_screen(context.lang, found.items, found.slots))


@router.command("keranjang", private_only=True)
@router.button(Action.CART)
async def show_cart(update: Update, context: BotContext) -> None:
    """/keranjang: the cart."""
    await open_cart(update, context)


@router.button(Action.CART_ITEM)
async def item(update: Update, context: BotContext) -> None:
    """Shows one cart item with its actions."""
    found = await cart.item_view(context.session, context.viewer.customer_id, context.press.int_arg(0))
    await replies.show(update, context, item_screen(context.lang, found.item, found.slots))


@router.button(Action.ITEM_QUANTITY)
async def ask_item_quantity(update: Update, context: BotContext) -> None:
    """Asks for a cart item's new quantity."""
    found = await cart.get_item(context.session, context.viewer.customer_id, context.press.int_arg(0))
    prompt = item_quantity_prompt(context.lang, found)
    await replies.show(update, context, prompt, step=Step.ITEM_QUANTITY, data={"item": found.id})


@router.step(Step.ITEM_QUANTITY)
async def typed_item_quantity(update: Update, context: BotContext) -> None:
    """Sets the typed quantity on the cart item and shows the cart again."""
    quantity = await read_quantity(update, context)
    if quantity is None:
        return
    item_id = int(context.step_data["item"])
    await cart.change_quantity(context.session, context.viewer.customer_id, item_id, quantity, now=context.now())
    await open_cart(update, context)


@router.button(Action.REMOVE_ITEM)
async def remove_item(update: Update, context: BotContext) -> None:
    """Removes one item and shows the cart."""
    await cart.remove(context.session, context.viewer.customer_id, context.press.int_arg(0))
    await open_cart(update, context)
    await replies.answer(context, t(context.lang, "b_removed_toast"))


@router.button(Action.CLEAR_CART)
async def ask_clear(update: Update, context: BotContext) -> None:
    """Asks before emptying the cart."""
    await replies.show(update, context, clear_confirm_screen(context.lang))


@router.button(Action.CLEAR_CART_YES)
async def clear(update: Update, context: BotContext) -> None:
    """Empties the cart."""
    await cart.clear(context.session, context.viewer.customer_id)
    await open_cart(update, context)
    await replies.answer(context, t(context.lang, "b_cleared_toast"))


@router.button(Action.MOVE_ITEM)
async def move_dates(update: Update, context: BotContext) -> None:
    """Shows the pickup dates a bread item can move to."""
    found, options = await cart.move_dates(context.session, context.viewer.customer_id, context.press.int_arg(0),
                                           context.now())
    back = button(t(context.lang, "b_btn_back"), Action.CART_ITEM, found.id)
    screen = dates_screen(context.lang, found.product, options, back=back, action=Action.MOVE_ITEM_DATE,
                          target=found.id)
    await replies.show(update, context, screen)


@router.button(Action.MOVE_ITEM_DATE)
async def move_slots(update: Update, context: BotContext) -> None:
    """Shows the slots of the date a bread item moves to."""
    press = context.press
    day = press.day_arg(1)
    found, options = await cart.move_slots(context.session, context.viewer.customer_id, press.int_arg(0), day,
                                           context.now())
    screen = slots_screen(context.lang, found.product, day, options, action=Action.MOVE_ITEM_SLOT, target=found.id,
                          back_action=Action.MOVE_ITEM)
    await replies.show(update, context, screen)


@router.button(Action.MOVE_ITEM_SLOT)
async def move(update: Update, context: BotContext) -> None:
    """Moves a bread item to the chosen date and slot, then shows the cart."""
    press = context.press
    day = press.day_arg(1)
    await cart.move(context.session, context.viewer.customer_id, press.int_arg(0), day, press.int_arg(2),
                    now=context.now())
    await open_cart(update, context)
    await replies.answer(context, t(context.lang, "b_moved_toast"))
