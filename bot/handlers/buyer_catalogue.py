"""Buyer catalogue: categories, products, bread pickup dates and slots, quantities, the paving calculator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import steps
from bot.handlers.buyer_screen import (
    Press,
    Stale,
    action,
    guarded,
    lang,
    say,
    show,
    typed_text,
    viewer,
)
from bot.handlers.common import services
from bot.render.buyer_cart import added_screen, cart_total
from bot.render.buyer_catalogue import (
    categories_screen,
    dates_screen,
    product_screen,
    products_screen,
    quantity_screen,
    slots_screen,
)
from bot.render.buyer_common import day_code, parse_area, parse_day
from bot.render.buyer_paving import paving_prompt, paving_quote
from bot.texts import t
from models.catalog import Family, Product
from models.rules.quantity import parse_quantity
from models.services import cart, catalogue, ledger, paving_offer
from models.services.ordering import MAX_LINE_QTY

QUANTITY_STEP = "buyer.quantity"
PAVING_STEP = "buyer.paving"


def _day_arg(press: Press, index: int) -> date:
    """A date argument of a button, or Stale."""
    day = parse_day(press.text_arg(index))
    if day is None:
        raise Stale()
    return day


async def open_categories(update: Update, context: ContextTypes.DEFAULT_TYPE, page: int = 0) -> None:
    """Shows the categories (one page); also for /katalog."""
    async with services(context).session_factory() as session:
        found = await catalogue.list_categories(session)
    await show(update, context, categories_screen(lang(context), found, page))


@action("bk")
async def categories(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the categories (one page)."""
    await open_categories(update, context, press.callback.int_arg(0) or 0)


@action("bc")
async def products(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the products of a category (one page)."""
    category_id, page = press.int_arg(0), press.callback.int_arg(1) or 0
    async with services(context).session_factory() as session:
        category = await catalogue.get_category(session, category_id)
        found = await catalogue.list_products(session, category_id)
    await show(update, context, products_screen(lang(context), category, found, page))


async def _ready_date(session: Any, product: Product, now: Any) -> date | None:
    """The earliest ready date of a made-to-order product at its minimum quantity (None for stock and bread)."""
    if product.family is Family.BREAD or product.is_stock_item:
        return None
    return await catalogue.earliest_ready_date(session, product, product.min_qty, now)


async def open_product(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *, product_id: int | None = None, sku: str | None = None
) -> None:
    """Shows a product card by id (a button) or SKU (a deep link)."""
    svc = services(context)
    async with svc.session_factory() as session:
        if sku is not None:
            product = await catalogue.get_product_by_sku(session, sku)
        else:
            product = await catalogue.get_product(session, product_id or 0)
        ready = await _ready_date(session, product, svc.now())
    await show(update, context, product_screen(lang(context), product, ready))


@action("bp")
async def product(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows a product card."""
    await open_product(update, context, product_id=press.int_arg(0))


@action("bd")
async def pickup_dates(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the next pickup dates of a bread product, with why a date cannot be chosen."""
    svc = services(context)
    async with svc.session_factory() as session:
        found = await catalogue.get_product(session, press.int_arg(0))
        if found.family is not Family.BREAD:
            raise Stale()
        options = await catalogue.pickup_options(session, found, svc.now())
    await show(update, context, dates_screen(lang(context), found, options))


@action("bs")
async def pickup_slots(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the pickup slots of the chosen date."""
    svc = services(context)
    day = _day_arg(press, 1)
    async with svc.session_factory() as session:
        found = await catalogue.get_product(session, press.int_arg(0))
        if found.family is not Family.BREAD:
            raise Stale()
        await cart.check_pickup(session, found, day, None, svc.now())
        options = await catalogue.slot_options(session, found.family, day)
    await show(update, context, slots_screen(lang(context), found, day, options))


@action("bq")
async def ask_quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Asks how many (bread for the chosen date and slot, goods from stock or made to order)."""
    svc = services(context)
    async with svc.session_factory() as session:
        found = await catalogue.get_product(session, press.int_arg(0))
        if found.family is Family.BREAD:
            day = _day_arg(press, 1)
            slot = await cart.check_pickup(session, found, day, press.int_arg(2), svc.now())
            remaining = await ledger.remaining_capacity(session, found, day)
            screen = quantity_screen(lang(context), found, day=day, slot=slot, remaining=remaining)
            data = {"product": found.id, "day": day_code(day), "slot": press.int_arg(2)}
        elif found.family is Family.GOODS:
            screen = quantity_screen(lang(context), found)
            data = {"product": found.id}
        else:
            raise Stale()
    await show(update, context, screen, step=QUANTITY_STEP, data=data)


async def add_to_cart(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    product_id: int,
    quantity: int,
    *,
    day: date | None = None,
    slot_id: int | None = None,
    area: Decimal | None = None,
) -> None:
    """Puts the choice in the cart and confirms it with the cart's count and total."""
    svc = services(context)
    customer_id = viewer(context).customer_id
    async with svc.session_factory.begin() as session:
        item = await cart.add(
            session,
            customer_id,
            product_id,
            quantity,
            now=svc.now(),
            fulfil_date=day,
            slot_id=slot_id,
            area_m2=area,
        )
        in_cart = await cart.items(session, customer_id)
    await show(update, context, added_screen(lang(context), item, len(in_cart), cart_total(in_cart)))


@action("bn")
async def quick_quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Adds a quick-pick quantity to the cart."""
    args = press.callback.args
    if len(args) == 4:
        await add_to_cart(
            update, context, press.int_arg(0), press.int_arg(3), day=_day_arg(press, 1), slot_id=press.int_arg(2)
        )
    elif len(args) == 2:
        await add_to_cart(update, context, press.int_arg(0), press.int_arg(1))
    else:
        raise Stale()
    await press.answer(t(lang(context), "b_added_toast"))


@steps.step(QUANTITY_STEP)
@guarded
async def typed_quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Reads a typed quantity ("12", "1.000", "12 pcs") and adds it to the cart."""
    text = typed_text(update)
    if text is None:
        await say(update, context, t(lang(context), "b_e_need_number"))
        return
    quantity = parse_quantity(text, max_value=MAX_LINE_QTY)
    day = parse_day(str(data.get("day", ""))) if data.get("day") else None
    slot = data.get("slot")
    await add_to_cart(
        update, context, int(data["product"]), quantity, day=day, slot_id=int(slot) if isinstance(slot, int) else None
    )


@action("bv")
async def paving_calculator(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Asks a paving buyer for an area, dimensions or pieces."""
    async with services(context).session_factory() as session:
        found = await catalogue.get_product(session, press.int_arg(0))
    if found.family is not Family.PAVING:
        raise Stale()
    await show(update, context, paving_prompt(lang(context), found), step=PAVING_STEP, data={"product": found.id})


@steps.step(PAVING_STEP)
@guarded
async def typed_paving(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Echoes the paving calculation for what the buyer typed; the step stays for another try."""
    text = typed_text(update)
    if text is None:
        await say(update, context, t(lang(context), "b_e_paving_not_understood"))
        return
    svc = services(context)
    async with svc.session_factory() as session:
        offer = await paving_offer.quote_paving_for(
            session, int(data["product"]), text, now=svc.now(), policy=svc.order_policy
        )
    await show(update, context, paving_quote(lang(context), offer), step=PAVING_STEP, data=data)


@action("ba")
async def add_paving(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Puts the quoted paving pieces (and the area they cover) in the cart."""
    area = parse_area(press.text_arg(2))
    await add_to_cart(update, context, press.int_arg(0), press.int_arg(1), area=area)
    await press.answer(t(lang(context), "b_added_toast"))
