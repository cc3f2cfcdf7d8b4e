"""Staff record an order for a walk-in, phone or Instagram buyer: a short form kept in the chat's state.

Steps: source -> product -> quantity (typed) -> date and slot (bread) -> name -> phone -> cash or QRIS ->
check -> save. The order obeys the same rules and counts in the same capacity, sheets and reports as a
bot order; saving twice (a double tap) records it once (a checkout key drawn when the form opens).
"""

from __future__ import annotations

import secrets
from datetime import date
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InputFile, Update
from telegram.ext import ContextTypes

from bot.handlers import steps
from bot.handlers.common import services
from bot.handlers.staff_common import error_text, lang, pressed, refuse, show, staff_gate, wording
from bot.keyboards import button, markup, rows
from bot.render.staff_cards import card_markup, card_text, slot_label, status_label
from bot.texts import t
from bot.texts.format import Lang, long_date, number_id, rupiah, short_date
from bot.texts.labels import source_label
from models.catalog import Family, Product
from models.errors import CapacityFull, DomainError, InvalidInput, PastCutoff
from models.order import Order, OrderSource
from models.payment import Payment
from models.rules.phone import normalize_phone
from models.services import catalogue, conversation, desk, walkin, weekly
from models.services.walkin import WalkInOrder

FORM = "staff.walkin"
QTY = "staff.walkin_qty"
NAME = "staff.walkin_name"
PHONE = "staff.walkin_phone"
SOURCES = (OrderSource.WALK_IN, OrderSource.PHONE, OrderSource.INSTAGRAM)


def _abort_row(lg: Lang) -> list[InlineKeyboardButton]:
    """The cancel button every step shows."""
    return [button(t(lg, "st_walkin_abort"), "swx")]


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Opens the form: where does the order come from?"""
    viewer = await staff_gate(update, context)
    if viewer is None:
        return
    lg = lang(context)
    async with services(context).session_factory.begin() as session:
        await desk.require_staff(session, viewer.telegram_id)
        await conversation.set_step(session, viewer.telegram_id, FORM, key=secrets.token_hex(8))
    choices = [button(source_label(lg, s), "sws", s.value) for s in SOURCES]
    await show(update, t(lg, "st_walkin_source"), markup(choices, _abort_row(lg)))


async def _form(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> dict[str, Any] | None:
    """The form data when the chat is filling in the walk-in form, else None."""
    async with services(context).session_factory() as session:
        state = await conversation.get_state(session, chat_id)
    return dict(state.data or {}) if state.step.startswith(FORM) else None


async def _save_step(context: ContextTypes.DEFAULT_TYPE, chat_id: int, step: str, data: dict[str, Any]) -> None:
    """Stores the form and the step it waits at."""
    async with services(context).session_factory.begin() as session:
        await conversation.set_step(session, chat_id, step, **data)


async def _product(context: ContextTypes.DEFAULT_TYPE, product_id: int) -> Product:
    """An active product, or ProductUnavailable."""
    async with services(context).session_factory() as session:
        return await catalogue.get_product(session, product_id)


async def on_source(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, data: dict[str, Any]) -> None:
    """Stores the source and lists the products."""
    callback = pressed(update)
    value = callback.args[0] if callback and callback.args else ""
    if value not in {s.value for s in SOURCES}:
        raise InvalidInput("walkin_source")
    data["source"] = value
    await _save_step(context, chat, FORM, data)
    async with services(context).session_factory() as session:
        products = await catalogue.active_products(session)
    lg = lang(context)
    choices = [button(f"{p.name[:28]} · {rupiah(p.price)}", "swp", p.id) for p in products]
    await show(update, t(lg, "st_walkin_product"), markup(*rows(choices, per_row=1), _abort_row(lg)), edit=True)


async def on_product(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, data: dict[str, Any]) -> None:
    """Stores the product and asks for the quantity."""
    callback = pressed(update)
    product_id = callback.int_arg(0) if callback else None
    if product_id is None or "source" not in data:
        raise InvalidInput("walkin_step")
    product = await _product(context, product_id)
    data["product_id"] = product.id
    await _save_step(context, chat, QTY, data)
    lg = lang(context)
    text = t(lg, "st_walkin_qty", unit=escape(product.unit), name=escape(product.name))
    await show(update, text, markup(_abort_row(lg)), edit=True)


@steps.step(QTY)
async def on_quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Reads the typed quantity; bread goes on to the date, everything else to the buyer's name."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    text = (message.text or "").strip().replace(".", "")
    if not text.isdigit() or not 0 < int(text) <= 1_000_000:
        await message.reply_text(t(lg, "st_walkin_bad_qty"), reply_markup=markup(_abort_row(lg)))
        return
    data["qty"] = int(text)
    product = await _product(context, int(data["product_id"]))
    if product.family is not Family.BREAD:
        await _save_step(context, viewer.telegram_id, NAME, data)
        await message.reply_text(t(lg, "st_walkin_name"), reply_markup=markup(_abort_row(lg)))
        return
    svc = services(context)
    async with svc.session_factory() as session:
        options = [o for o in await catalogue.pickup_options(session, product, svc.now(), count=8) if o.available]
    if not options:
        await message.reply_text(t(lg, "st_walkin_no_dates"))
        return
    await _save_step(context, viewer.telegram_id, FORM, data)
    choices = [button(short_date(o.day, lg), "swd", o.day.strftime("%Y%m%d")) for o in options]
    await message.reply_text(t(lg, "st_walkin_date"), reply_markup=markup(*rows(choices, per_row=3), _abort_row(lg)))


async def on_date(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, data: dict[str, Any]) -> None:
    """Stores the pickup date and offers the slots with room."""
    callback = pressed(update)
    raw = callback.args[0] if callback and callback.args else ""
    try:
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise InvalidInput("walkin_date") from None
    if "qty" not in data:
        raise InvalidInput("walkin_step")
    data["day"] = day.isoformat()
    await _save_step(context, chat, FORM, data)
    async with services(context).session_factory() as session:
        slots = [o for o in await catalogue.slot_options(session, Family.BREAD, day) if o.remaining > 0]
    lg = lang(context)
    choices = [button(slot_label(o.slot), "swt", o.slot.id) for o in slots]
    await show(update, t(lg, "st_walkin_slot"), markup(*rows(choices), _abort_row(lg)), edit=True)


async def on_slot(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, data: dict[str, Any]) -> None:
    """Stores the slot and asks for the buyer's name."""
    callback = pressed(update)
    slot_id = callback.int_arg(0) if callback else None
    if slot_id is None or "day" not in data:
        raise InvalidInput("walkin_step")
    data["slot_id"] = slot_id
    await _save_step(context, chat, NAME, data)
    lg = lang(context)
    await show(update, t(lg, "st_walkin_name"), markup(_abort_row(lg)), edit=True)


@steps.step(NAME)
async def on_name(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Reads the buyer's name and asks for the phone number."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    name = " ".join((message.text or "").split())[:128]
    if not name:
        await message.reply_text(t(lg, "st_walkin_name"), reply_markup=markup(_abort_row(lg)))
        return
    data["name"] = name
    await _save_step(context, viewer.telegram_id, PHONE, data)
    await message.reply_text(t(lg, "st_walkin_phone"), reply_markup=markup(_abort_row(lg)))


@steps.step(PHONE)
async def on_phone(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Reads the phone number (any Indonesian form) and asks how the buyer pays."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    try:
        data["phone"] = normalize_phone(message.text or "")
    except DomainError:
        await message.reply_text(t(lg, "st_err_phone"), reply_markup=markup(_abort_row(lg)))
        return
    await _save_step(context, viewer.telegram_id, FORM, data)
    pay = [button(t(lg, "st_walkin_cash"), "swm", "cash"), button(t(lg, "st_walkin_qris"), "swm", "qris")]
    await message.reply_text(t(lg, "st_walkin_pay"), reply_markup=markup(pay, _abort_row(lg)))


async def on_method(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, data: dict[str, Any]) -> None:
    """Stores cash or QRIS and shows the summary to check."""
    callback = pressed(update)
    method = callback.args[0] if callback and callback.args else ""
    if method not in ("cash", "qris") or "phone" not in data:
        raise InvalidInput("walkin_step")
    data["pay"] = method
    await _save_step(context, chat, FORM, data)
    product = await _product(context, int(data["product_id"]))
    lg = lang(context)
    day = date.fromisoformat(data["day"]) if data.get("day") else None
    text = t(
        lg, "st_walkin_summary", name=escape(data["name"]), source=source_label(lg, OrderSource(data["source"])),
        items=escape(f"{product.name} x {number_id(int(data['qty']))} {product.unit}"),
        when=long_date(day, lg) if day else "-", total=rupiah(product.price * int(data["qty"])),
        pay=t(lg, "st_walkin_cash" if method == "cash" else "st_walkin_qris"),
    )
    await show(update, text, markup([button(t(lg, "st_walkin_ok"), "swok")], _abort_row(lg)), edit=True)


async def on_save(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, data: dict[str, Any]) -> None:
    """Records the order (once), takes the cash or shows the QRIS code, and shows the order card."""
    if "pay" not in data:
        raise InvalidInput("walkin_step")
    svc = services(context)
    request = WalkInOrder(
        source=OrderSource(data["source"]), product_id=int(data["product_id"]), quantity=int(data["qty"]),
        fulfil_date=date.fromisoformat(data["day"]) if data.get("day") else None,
        slot_id=int(data["slot_id"]) if data.get("slot_id") else None, name=str(data["name"]),
        phone=str(data["phone"]), cash=data["pay"] == "cash",
    )
    try:
        async with svc.session_factory.begin() as session:
            order, payment = await walkin.record_order(
                session, request, staff_telegram_id=chat, now=svc.now(), order_policy=svc.order_policy,
                payment_policy=svc.payment_policy, checkout_key=f"walkin:{chat}:{data.get('key', '')}",
            )
            await conversation.clear_step(session, chat)
    except (PastCutoff, CapacityFull) as exc:
        await _record_refusal(context, chat, request, exc)
        raise
    async with svc.session_factory() as session:  # a fresh read: new order lines have no product loaded
        view = await desk.view_of(session, await desk.order_by_id(session, chat, order.id))
        order = view.order
    lg = lang(context)
    done = t(lg, "st_walkin_saved", code=order.code, status=status_label(lg, order.status))
    if update.callback_query is not None:
        await update.callback_query.answer()
    await show(update, card_text(view, lg) + "\n\n" + done, card_markup(view, lg), edit=True)
    if payment is not None and payment.payload:
        png = desk_qr(context, payment, order)
        caption = t(lg, "st_walkin_qr", amount=rupiah(payment.amount), code=order.code)
        await context.bot.send_photo(chat, InputFile(png, filename=f"qris-{order.code}.png"), caption=caption)


def desk_qr(context: ContextTypes.DEFAULT_TYPE, payment: Payment, order: Order) -> bytes:
    """The QRIS picture staff show or send to the buyer."""
    return wording(context).payment_qr(payment, order)


async def _record_refusal(
    context: ContextTypes.DEFAULT_TYPE, chat: int, request: WalkInOrder, exc: DomainError
) -> None:
    """Counts demand the rules turned away (for the weekly summary)."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        product = await session.get(Product, request.product_id)
        await weekly.record_refusal(
            session, reason=exc.code, sku=product.sku if product else "?", quantity=request.quantity,
            day=request.fulfil_date, now=svc.now(), actor_telegram_id=chat,
        )


async def on_abort(update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, _: dict[str, Any]) -> None:
    """Drops the form; nothing was recorded."""
    async with services(context).session_factory.begin() as session:
        await conversation.clear_step(session, chat)
    await show(update, t(lang(context), "st_step_cancelled"), edit=True)


ACTIONS = {
    "sws": on_source,
    "swp": on_product,
    "swd": on_date,
    "swt": on_slot,
    "swm": on_method,
    "swok": on_save,
    "swx": on_abort,
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Routes a press on the walk-in form; a press on an old form is answered politely."""
    viewer = await staff_gate(update, context)
    callback = pressed(update)
    query = update.callback_query
    if viewer is None or callback is None or query is None:
        return
    lg = lang(context)
    data = await _form(context, viewer.telegram_id)
    if data is None:
        await refuse(update, "st_walkin_expired", viewer.lang)
        return
    try:
        await ACTIONS[callback.action](update, context, viewer.telegram_id, data)
    except DomainError as exc:
        await query.answer(error_text(lg, exc)[:190], show_alert=True)
        return
    if callback.action != "swok":
        await query.answer()
