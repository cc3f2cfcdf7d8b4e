"""Buyer catalogue: categories, products, bread pickup dates and slots, quantities, the paving calculator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from telegram import Message, Update

from bot.keyboards import day_code, decode, parse_day_code, pressed_callbacks
from bot.render.buyer_cart import added_screen
from bot.render.buyer_catalogue import (
    categories_screen,
    dates_screen,
    product_screen,
    products_screen,
    quantity_screen,
    slots_screen,
)
from bot.render.buyer_common import parse_area
from bot.render.buyer_paving import paving_prompt, paving_quote
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.press import Stale
from bot.routing.router import Router
from bot.texts import t
from models.catalog import Family
from models.rules.parsing import parse_quantity
from models.services import cart, catalogue, paving_offer
from models.services.ordering import MAX_LINE_QTY

router = Router()


@router.command("katalog", private_only=True)
async def categories_command(update: Update, context: BotContext) -> None:
    """/katalog: the categories."""
    await open_categories(update, context)


@router.button(Action.CATEGORIES)
async def categories(update: Update, context: BotContext) -> None:
    """Shows the categories (one page)."""
    await open_categories(update, context, context.press.optional_int(0))


async def open_categories(update: Update, context: BotContext, page: int = 0) -> None:
    """Shows one page of the categories."""
    found = await catalogue.list_categories(context.session)
    await replies.show(update, context, categories_screen(context.lang, found, page))


@router.button(Action.CATEGORY)
async def products(update: Update, context: BotContext) -> None:
    """Shows the products of a category (one page)."""
    category, found = await catalogue.category_with_products(context.session, context.press.int_arg(0))
    await replies.show(update, context, products_screen(context.lang, category, found, context.press.optional_int(1)))


@router.button(Action.PRODUCT)
async def product(update: Update, context: BotContext) -> None:
    """Shows a product card (its first photo when it has photos)."""
    await open_product(update, context, product_id=context.press.int_arg(0))


@router.button(Action.PRODUCT_PHOTO)
async def product_photo(update: Update, context: BotContext) -> None:
    """◀ ▶: shows another photo of the product on the same screen (or the photo again after the whole text)."""
    product_id = _photo_press_product(context)
    await open_product(update, context, product_id=product_id, index=context.press.int_arg(1))


@router.button(Action.PRODUCT_TEXT)
async def product_text(update: Update, context: BotContext) -> None:
    """Selengkapnya: the whole card as text, for a description longer than a photo's caption holds."""
    product_id = _photo_press_product(context)
    await open_product(update, context, product_id=product_id, index=context.press.int_arg(1), full=True)


def _photo_press_product(context: BotContext) -> int:
    """The product of a photo button, when the pressed screen shows that product (Stale for data forged onto
    another product's screen, or a screen too old to be known)."""
    press = context.press
    product_id = press.int_arg(0)
    message = press.query.message
    ours = {Action.PRODUCT_PHOTO.value, Action.PRODUCT_TEXT.value}
    for data in pressed_callbacks(message) if isinstance(message, Message) else ():
        found = decode(data)
        if found is not None and found.action in ours and found.int_arg(0) == product_id:
            return product_id
    raise Stale()


async def open_product(
    update: Update,
    context: BotContext,
    *,
    product_id: int | None = None,
    sku: str | None = None,
    index: int = 0,
    full: bool = False,
) -> None:
    """Shows a product card by id (a button) or SKU (a deep link): photo `index`, or the whole text (`full`)."""
    card = await catalogue.product_card(
        context.session, product_id=product_id, sku=sku, now=context.now(), bot_id=context.bot.id
    )
    if card.photos and index >= len(card.photos):
        raise Stale()  # a photo removed meanwhile, or a forged index
    screen = product_screen(context.lang, card.product, card.ready, card.photos, index, full=full)
    await replies.show(update, context, screen)


@router.button(Action.PICKUP_DATES)
async def pickup_dates(update: Update, context: BotContext) -> None:
    """Shows the next pickup dates of a bread product, with why a date cannot be chosen."""
    found, options = await catalogue.bread_pickup_dates(context.session, context.press.int_arg(0), context.now())
    await replies.show(update, context, dates_screen(context.lang, found, options))


@router.button(Action.PICKUP_SLOTS)
async def pickup_slots(update: Update, context: BotContext) -> None:
    """Shows the pickup slots of the chosen date."""
    press = context.press
    day = press.day_arg(1)
    found, options = await cart.bread_pickup_slots(context.session, press.int_arg(0), day, context.now())
    await replies.show(update, context, slots_screen(context.lang, found, day, options))


@router.button(Action.ASK_QUANTITY)
async def ask_quantity(update: Update, context: BotContext) -> None:
    """Asks how many (bread for the chosen date and slot, goods from stock or made to order)."""
    press = context.press
    found = await catalogue.get_product(context.session, press.int_arg(0))
    if found.family is Family.BREAD:
        day, slot_id = press.day_arg(1), press.int_arg(2)
        slot, remaining = await cart.pickup_room(context.session, found, day, slot_id, context.now())
        screen = quantity_screen(context.lang, found, day=day, slot=slot, remaining=remaining)
        data = {"product": found.id, "day": day_code(day), "slot": slot_id}
    elif found.family is Family.GOODS:
        screen = quantity_screen(context.lang, found)
        data = {"product": found.id}
    else:
        raise Stale()
    await replies.show(update, context, screen, step=Step.QUANTITY, data=data)


async def add_to_cart(
    update: Update,
    context: BotContext,
    product_id: int,
    quantity: int,
    *,
    day: date | None = None,
    slot_id: int | None = None,
    area: Decimal | None = None,
) -> None:
    """Puts the choice in the cart and confirms it with the cart's count and total."""
    added = await cart.add(
        context.session,
        context.viewer.customer_id,
        product_id,
        quantity,
        now=context.now(),
        fulfil_date=day,
        slot_id=slot_id,
        area_m2=area,
    )
    screen = added_screen(context.lang, added.item, added.summary.count, added.summary.total)
    await replies.show(update, context, screen)


@router.button(Action.QUICK_QUANTITY)
async def quick_quantity(update: Update, context: BotContext) -> None:
    """Adds a quick-pick quantity to the cart."""
    press = context.press
    if press.arg_count == 4:
        await add_to_cart(
            update, context, press.int_arg(0), press.int_arg(3), day=press.day_arg(1), slot_id=press.int_arg(2)
        )
    elif press.arg_count == 2:
        await add_to_cart(update, context, press.int_arg(0), press.int_arg(1))
    else:
        raise Stale()
    await replies.answer(context, t(context.lang, "b_added_toast"))


async def read_quantity(update: Update, context: BotContext) -> int | None:
    """A typed quantity ("12", "1.000", "12 pcs"); None after asking again for anything but text."""
    text = update.effective_message.text if update.effective_message else None
    if not text:
        await replies.say(update, context, t(context.lang, "b_e_need_number"))
        return None
    return parse_quantity(text, max_value=MAX_LINE_QTY)


@router.step(Step.QUANTITY)
async def typed_quantity(update: Update, context: BotContext) -> None:
    """Reads a typed quantity and adds it to the cart."""
    quantity = await read_quantity(update, context)
    if quantity is None:
        return
    data = context.step_data
    day = parse_day_code(str(data.get("day", "")))
    slot = data.get("slot")
    await add_to_cart(
        update, context, int(data["product"]), quantity, day=day, slot_id=slot if isinstance(slot, int) else None
    )


@router.button(Action.PAVING_CALCULATOR)
async def paving_calculator(update: Update, context: BotContext) -> None:
    """Asks a paving buyer for an area, dimensions or pieces."""
    found = await catalogue.get_product(context.session, context.press.int_arg(0))
    if found.family is not Family.PAVING:
        raise Stale()
    screen = paving_prompt(context.lang, found)
    await replies.show(update, context, screen, step=Step.PAVING, data={"product": found.id})


@router.step(Step.PAVING)
async def typed_paving(update: Update, context: BotContext) -> None:
    """Echoes the paving calculation for what the buyer typed; the step stays for another try."""
    text = update.effective_message.text if update.effective_message else None
    if not text:
        await replies.say(update, context, t(context.lang, "b_e_paving_not_understood"))
        return
    services, data = context.services, context.step_data
    offer = await paving_offer.quote_paving_for(
        context.session, int(data["product"]), text, now=context.now(), policy=services.order_policy
    )
    await replies.show(update, context, paving_quote(context.lang, offer), step=Step.PAVING, data=data)


@router.button(Action.ADD_PAVING)
async def add_paving(update: Update, context: BotContext) -> None:
    """Puts the quoted paving pieces (and the area they cover) in the cart."""
    press = context.press
    await add_to_cart(update, context, press.int_arg(0), press.int_arg(1), area=parse_area(press.text_arg(2)))
    await replies.answer(context, t(context.lang, "b_added_toast"))
