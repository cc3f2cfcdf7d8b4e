"""Buyer payments: the QRIS photo (uploaded once, then resent by file id), "Bayar", and the proof photo."""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import steps
from bot.handlers.buyer_screen import Press, Stale, action, chat_id_of, guarded, lang, say, show, viewer
from bot.handlers.common import services
from bot.keyboards import markup
from bot.render.buyer_alerts import proof_alert, proof_buttons
from bot.render.buyer_common import Screen, nav_row
from bot.render.buyer_payment import payment_caption, payment_image
from bot.texts import t
from bot.texts.format import rupiah
from models.order import Order
from models.payment import Payment
from models.services import buyer_orders, conversation, notify_staff, ordering

PROOF_STEP = "buyer.proof"


async def send_payment(update: Update, context: ContextTypes.DEFAULT_TYPE, payment: Payment, order: Order) -> None:
    """Sends the payment's QRIS photo with its caption; the first upload's file id is kept for resending."""
    chat_id = chat_id_of(update)
    caption = payment_caption(lang(context), payment, order)
    if payment.qr_file_id:
        await context.bot.send_photo(chat_id, payment.qr_file_id, caption=caption.text, reply_markup=caption.markup)
        return
    png = payment_image(lang(context), payment, order)
    message = await context.bot.send_photo(chat_id, png, caption=caption.text, reply_markup=caption.markup)
    if message.photo:
        async with services(context).session_factory.begin() as session:
            await buyer_orders.remember_qr_file(session, payment.id, message.photo[-1].file_id)


@action("bpay")
async def pay(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Sends the order's open payment code, issuing the next instalment (balance) when none is open."""
    svc = services(context)
    code = press.text_arg(0)
    customer_id = viewer(context).customer_id
    async with svc.session_factory.begin() as session:
        payment = await buyer_orders.next_payment(session, customer_id, code, svc.payment_policy, now=svc.now())
        order = await ordering.get_customer_order(session, customer_id, code)
    await send_payment(update, context, payment, order)


@action("bpaid")
async def paid(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """ "Saya sudah bayar": asks for the proof photo of that payment code."""
    svc = services(context)
    async with svc.session_factory() as session:
        payment = await buyer_orders.start_proof(session, viewer(context).customer_id, press.int_arg(0))
        text = t(lang(context), "b_proof_prompt", amount=rupiah(payment.amount), code=payment.order.code)
    screen = Screen(text, markup(nav_row(lang(context))))
    await show(update, context, screen, step=PROOF_STEP, data={"payment": payment.id})


def _proof_file(update: Update) -> tuple[str, str, str] | None:
    """(file id, unique id, kind) of a proof photo, or of an image sent as a file; None otherwise."""
    message = update.effective_message
    if message is None:
        return None
    if message.photo:
        best = message.photo[-1]
        return best.file_id, best.file_unique_id, "photo"
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        return document.file_id, document.file_unique_id, "document"
    return None


@steps.step(PROOF_STEP)
@guarded
async def proof_given(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Keeps the proof on the payment and sends it to the staff of the line with Approve / Reject buttons."""
    found = _proof_file(update)
    if found is None:
        await say(update, context, t(lang(context), "b_e_need_photo"))
        return
    file_id, unique_id, kind = found
    svc = services(context)
    payment_id = data.get("payment")
    if not isinstance(payment_id, int):
        raise Stale()
    async with svc.session_factory.begin() as session:
        payment = await buyer_orders.submit_proof(session, viewer(context).customer_id, payment_id, file_id)
        order = payment.order
        await notify_staff.alert_line(
            session,
            order.family,
            partial(proof_alert, payment=payment, order=order),
            now=svc.now(),
            dedupe_key=f"proof:{payment.id}:{unique_id}",
            group_chat_id=svc.settings.staff_group_chat_id,
            reply_markup=proof_buttons(payment),
            attachment={"type": kind, "file_id": file_id},
            template="buyer.proof",
        )
        await conversation.clear_step(session, chat_id_of(update))
        code = order.code
    await say(update, context, t(lang(context), "b_proof_received", code=code))
