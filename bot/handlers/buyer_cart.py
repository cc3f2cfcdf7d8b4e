"""Buyer cart: show it, change a quantity, move bread to another date, remove an item, empty it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import steps
from bot.handlers.buyer_screen import Press, Stale, action, guarded, lang, say, show, typed_text, viewer
from bot.handlers.common import services
from bot.keyboards import button
from bot.render.buyer_cart import cart_screen, clear_confirm_screen, item_quantity_prompt, item_screen
from bot.render.buyer_catalogue import dates_screen, slots_screen
from bot.render.buyer_common import parse_day
from bot.texts import t
from models.calendar import PickupSlot
from models.catalog import Family
from models.conversation import CartItem
from models.rules.quantity import parse_quantity
from models.services import cart, catalogue
from models.services.ordering import MAX_LINE_QTY

ITEM_QTY_STEP = "buyer.item_qty"


async def slots_of(session: AsyncSession, items: Sequence[CartItem]) -> dict[int, PickupSlot]:
    """The pickup slots the items refer to, by id."""
    return await catalogue.slots_by_id(session, {i.slot_id for i in items if i.slot_id is not None})


async def open_cart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the cart with totals."""
    async with services(context).session_factory() as session:
        found = await cart.items(session, viewer(context).customer_id)
        slots = await slots_of(session, found)
    await show(update, context, cart_screen(lang(context), found, slots))


@action("bcart")
async def cart_button(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """Shows the cart."""
    await open_cart(update, context)


async def _item(context: ContextTypes.DEFAULT_TYPE, press: Press) -> tuple[CartItem, dict[int, PickupSlot]]:
    """The buyer's own cart item named by the button, with its slot."""
    async with services(context).session_factory() as session:
        item = await cart.get_item(session, viewer(context).customer_id, press.int_arg(0))
        return item, await slots_of(session, [item])


@action("bi")
async def item(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows one cart item with its actions."""
    found, slots = await _item(context, press)
    await show(update, context, item_screen(lang(context), found, slots))


@action("biq")
async def ask_item_quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Asks for a cart item's new quantity."""
    found, _ = await _item(context, press)
    await show(update, context, item_quantity_prompt(lang(context), found), step=ITEM_QTY_STEP, data={"item": found.id})


@steps.step(ITEM_QTY_STEP)
@guarded
async def typed_item_quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Sets the typed quantity on the cart item and shows the cart again."""
    text = typed_text(update)
    if text is None:
        await say(update, context, t(lang(context), "b_e_need_number"))
        return
    quantity = parse_quantity(text, max_value=MAX_LINE_QTY)
    svc = services(context)
    async with svc.session_factory.begin() as session:
        await cart.change_quantity(session, viewer(context).customer_id, int(data["item"]), quantity, now=svc.now())
    await open_cart(update, context)


@action("bir")
async def remove_item(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Removes one item and shows the cart."""
    async with services(context).session_factory.begin() as session:
        await cart.remove(session, viewer(context).customer_id, press.int_arg(0))
    await open_cart(update, context)
    await press.answer(t(lang(context), "b_removed_toast"))


@action("bclr")
async def ask_clear(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """Asks before emptying the cart."""
    await show(update, context, clear_confirm_screen(lang(context)))


@action("bclry")
async def clear(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Empties the cart."""
    async with services(context).session_factory.begin() as session:
        await cart.clear(session, viewer(context).customer_id)
    await open_cart(update, context)
    await press.answer(t(lang(context), "b_cleared_toast"))


@action("bim")
async def move_dates(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the pickup dates a bread item can move to."""
    svc = services(context)
    async with svc.session_factory() as session:
        found = await cart.get_item(session, viewer(context).customer_id, press.int_arg(0))
        if found.product.family is not Family.BREAD:
            raise Stale()
        options = await catalogue.pickup_options(session, found.product, svc.now())
    back = button(t(lang(context), "b_btn_back"), "bi", found.id)
    screen = dates_screen(lang(context), found.product, options, back=back, action="bimd", target=found.id)
    await show(update, context, screen)


@action("bimd")
async def move_slots(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the slots of the date a bread item moves to."""
    svc = services(context)
    day = parse_day(press.text_arg(1))
    if day is None:
        raise Stale()
    async with svc.session_factory() as session:
        found = await cart.get_item(session, viewer(context).customer_id, press.int_arg(0))
        await cart.check_pickup(session, found.product, day, None, svc.now())
        options = await catalogue.slot_options(session, found.product.family, day)
    screen = slots_screen(lang(context), found.product, day, options, action="bims", target=found.id, back_action="bim")
    await show(update, context, screen)


@action("bims")
async def move(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Moves a bread item to the chosen date and slot, then shows the cart."""
    svc = services(context)
    day = parse_day(press.text_arg(1))
    if day is None:
        raise Stale()
    async with svc.session_factory.begin() as session:
        await cart.move(session, viewer(context).customer_id, press.int_arg(0), day, press.int_arg(2), now=svc.now())
    await open_cart(update, context)
    await press.answer(t(lang(context), "b_moved_toast"))
