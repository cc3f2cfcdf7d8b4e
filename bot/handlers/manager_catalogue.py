"""Manager changes from the chat: price, on/off, stock, a day's capacity, holidays, staff, audit trail.

Each command reads its arguments, calls one service (which checks the manager role again and records who and
when), and answers in one line; the router turns a refusal into the manager's words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from html import escape

from telegram import Update

from bot.menus import set_chat_menu
from bot.render.manager import catalogue_text, staff_screen, trail_text
from bot.render.manager_categories import category_trail_text
from bot.render.manager_products import edit_keyboard, product_trail_text
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action
from bot.routing.context import BotContext
from bot.routing.router import Router, manager_only
from bot.texts import t, tn
from bot.texts.format import long_date, number, number_id, rupiah
from models.rules.calendar import wib_today
from models.rules.codes import normalize_order_code
from models.rules.parsing import parse_amount, parse_day
from models.services import admin, categories, product_changes

router = Router()
Command = Callable[[Update, BotContext, list[str]], Awaitable[None]]
ON_WORDS, OFF_WORDS = frozenset({"on", "aktif"}), frozenset({"off", "nonaktif"})
CATEGORY_WORDS = frozenset({"kategori", "category", "categories"})  # /audit kategori


def with_args(count: int, usage: str) -> Callable[[Command], Callable[[Update, BotContext], Awaitable[None]]]:
    """Gives the command its arguments, or answers with the usage line when fewer than `count` were typed."""

    def wrap(command: Command) -> Callable[[Update, BotContext], Awaitable[None]]:
        @wraps(command)
        async def run(update: Update, context: BotContext) -> None:
            args = list(context.args or [])
            if len(args) < count:
                await replies.say(update, context, t(context.lang, "mg_usage", usage=usage))
                return
            await command(update, context, args)

        return run

    return wrap


async def _unreadable(update: Update, context: BotContext, key: str, text: str) -> None:
    """Says which argument could not be read ("mg_bad_number" or "mg_bad_date")."""
    await replies.say(update, context, t(context.lang, key, text=escape(text)))


@router.command("harga")
@manager_only
@with_args(2, "/harga SKU HARGA")
async def price(update: Update, context: BotContext, args: list[str]) -> None:
    """`/harga SKU HARGA` changes a price for new orders ("3500", "3.500", "Rp3.500", "Rp 3.500")."""
    typed = " ".join(args[1:])
    amount = parse_amount(typed)
    if amount is None:
        await _unreadable(update, context, "mg_bad_number", typed)
        return
    product, old = await admin.change_price(context.session, context.viewer.telegram_id, args[0], amount,
                                            now=context.now())
    text = t(context.lang, "mg_price_ok", sku=product.sku, price=rupiah(product.price), old=rupiah(old))
    await replies.say(update, context, text)


@router.command("produk")
@manager_only
@with_args(2, "/produk SKU on|off")
async def switch(update: Update, context: BotContext, args: list[str]) -> None:
    """`/produk SKU on|off` switches a product on or off for buyers."""
    word = args[1].lower()
    if word not in ON_WORDS | OFF_WORDS:
        await replies.say(update, context, t(context.lang, "mg_usage", usage="/produk SKU on|off"))
        return
    active = word in ON_WORDS
    product = await admin.set_active(context.session, context.viewer.telegram_id, args[0], active, now=context.now())
    await replies.say(update, context, t(context.lang, "mg_active_on" if active else "mg_active_off", sku=product.sku))


@router.command("stok")
@manager_only
@with_args(2, "/stok SKU JUMLAH")
async def stock(update: Update, context: BotContext, args: list[str]) -> None:
    """`/stok SKU JUMLAH` sets goods on hand (or cured paving ready)."""
    qty = parse_amount(args[1])
    if qty is None:
        await _unreadable(update, context, "mg_bad_number", args[1])
        return
    product = await admin.set_stock(context.session, context.viewer.telegram_id, args[0], qty, now=context.now())
    await replies.say(update, context, t(context.lang, "mg_stock_ok", sku=product.sku, qty=number_id(qty)))


@router.command("kapasitas")
@manager_only
@with_args(3, "/kapasitas SKU TANGGAL JUMLAH")
async def capacity(update: Update, context: BotContext, args: list[str]) -> None:
    """`/kapasitas SKU TANGGAL JUMLAH` sets one day's capacity."""
    day, qty = parse_day(args[1], wib_today(context.services.clock)), parse_amount(args[2])
    if day is None:
        await _unreadable(update, context, "mg_bad_date", args[1])
        return
    if qty is None:
        await _unreadable(update, context, "mg_bad_number", args[2])
        return
    row = await admin.set_day_capacity(context.session, context.viewer.telegram_id, args[0], day, qty,
                                       now=context.now())
    lang = context.lang
    await replies.say(update, context, t(lang, "mg_capacity_ok", sku=args[0].upper(), date=long_date(day, lang),
                                         capacity=number_id(qty), committed=number_id(row.committed)))


@router.command("libur")
@manager_only
@with_args(1, "/libur TANGGAL NAMA")
async def holiday(update: Update, context: BotContext, args: list[str]) -> None:
    """`/libur TANGGAL NAMA` closes a day for production and pickups."""
    day = parse_day(args[0], wib_today(context.services.clock))
    if day is None:
        await _unreadable(update, context, "mg_bad_date", args[0])
        return
    name = " ".join(args[1:]) or "Libur"
    open_orders = await admin.add_holiday(context.session, context.viewer.telegram_id, day, name, now=context.now())
    lang = context.lang
    text = t(lang, "mg_holiday_ok", date=long_date(day, lang), name=escape(name))
    if open_orders:
        text += "\n" + tn(lang, "mg_holiday_orders", open_orders, count=number(open_orders, lang))
    await replies.say(update, context, text)


@router.command("katalog")
@manager_only
async def catalogue_list(update: Update, context: BotContext) -> None:
    """`/katalog` lists every product with SKU, price, stock and whether it is on."""
    products = await admin.list_products(context.session, context.viewer.telegram_id)
    await replies.say(update, context, catalogue_text(context.lang, products), edit_keyboard(context.lang, products))


@router.command("audit")
@manager_only
@with_args(1, "/audit KODE|SKU|kategori")
async def trail(update: Update, context: BotContext, args: list[str]) -> None:
    """`/audit KODE` shows who changed what on an order, and when; `/audit SKU` the same for a product, and
    `/audit kategori` for the categories."""
    typed = "".join(args)
    if typed.lower() in CATEGORY_WORDS:
        found = await categories.category_trail(context.session, context.viewer.telegram_id)
        await replies.say(update, context, category_trail_text(context.lang, found))
        return
    if normalize_order_code(typed) is None:
        product, lines = await product_changes.product_trail(context.session, context.viewer.telegram_id, typed)
        await replies.say(update, context, product_trail_text(context.lang, product, lines))
        return
    order, entries = await admin.order_trail(context.session, context.viewer.telegram_id, typed)
    await replies.say(update, context, trail_text(context.lang, order, entries))


@router.command("staf")
@manager_only
async def staff_list(update: Update, context: BotContext) -> None:
    """`/staf` lists active staff with a remove button each (not for oneself)."""
    members = await admin.staff_list(context.session, context.viewer.telegram_id)
    screen = staff_screen(context.lang, members, context.viewer.telegram_id)
    await replies.show(update, context, screen, track=False, in_place=False)


@router.button(Action.REMOVE_STAFF)
@manager_only
async def remove(update: Update, context: BotContext) -> None:
    """Takes the staff role from someone (the service refuses what the manager may not do)."""
    target = context.press.int_arg(0)
    name = await admin.remove_staff(context.session, context.viewer.telegram_id, target, now=context.now())
    await replies.answer(context)
    await replies.show(update, context, Screen(t(context.lang, "mg_staff_removed", name=escape(name))), track=False)
    await set_chat_menu(context.bot, target, None, "id")
    context.forget_viewer(target)
