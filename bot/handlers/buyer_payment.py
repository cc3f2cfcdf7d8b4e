"""Buyer payments: the QRIS photo (uploaded once, then resent by file id), "Bayar", and the proof photo."""

from __future__ import annotations

from telegram import Update

from bot.keyboards import button, markup
from bot.payments.codes import ask_paid, asks_gateway, with_code
from bot.render.buyer_common import nav_row
from bot.render.buyer_payment import payment_caption, payment_image
from bot.render.payable import payable_text
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.router import Router
from bot.texts import t
from models.order import Order
from models.payment import Payment
from models.services import buyer_orders

router = Router()


async def send_payment(update: Update, context: BotContext, payment: Payment, order: Order) -> None:
    """Sends the payment's QRIS photo with its caption; the first upload's file id is kept for resending.

    A gateway's code is made first when the payment has none; if the gateway fails, the buyer gets an apology and
    "Coba lagi" (the order stays, and trying again never charges twice).
    """
    coded = await with_code(context, payment)
    if coded is None:
        retry = markup([button(t(context.lang, "b_btn_retry_code"), Action.PAY, order.code)])
        await replies.say(update, context, t(context.lang, "b_gateway_down", code=order.code), retry)
        return
    payment = coded
    caption = payment_caption(context.lang, payment, order)
    if payment.qr_file_id:
        await replies.send_photo(update, context, payment.qr_file_id, caption=caption.text, screen=caption)
        return
    png = payment_image(context.lang, payment, order)
    message = await replies.send_photo(update, context, png, caption=caption.text, screen=caption)
    if message.photo:
        await (await context.after_send()).qr_file(payment.id, message.photo[-1].file_id)


@router.button(Action.PAY)
async def pay(update: Update, context: BotContext) -> None:
    """Sends the order's open payment code, issuing the next instalment (balance) when none is open."""
    payment, order = await buyer_orders.payment_to_send(
        context.session, context.viewer.customer_id, context.press.text_arg(0), context.services.payment_policy,
        now=context.now(),
    )
    await send_payment(update, context, payment, order)


@router.button(Action.PAID)
async def paid(update: Update, context: BotContext) -> None:
    """ "Saya sudah bayar": a gateway's code is asked about now (paid: the usual notice follows; else "not yet");
    a static QRIS code asks for the proof photo."""
    payment = await buyer_orders.start_proof(context.session, context.viewer.customer_id, context.press.int_arg(0))
    if asks_gateway(context, payment):
        if not await ask_paid(context, payment):
            await replies.say(update, context, t(context.lang, "b_gw_not_yet"))
        return
    text = t(context.lang, "b_proof_prompt", amount=payable_text(context.lang, payment), code=payment.order.code)
    screen = Screen(text, markup(nav_row(context.lang)))
    await replies.show(update, context, screen, step=Step.PROOF, data={"payment": payment.id})


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


@router.step(Step.PROOF)
async def proof_given(update: Update, context: BotContext) -> None:
    """Keeps the proof on the payment and sends it to the staff of the line with Approve / Reject buttons."""
    found = _proof_file(update)
    if found is None:
        await replies.say(update, context, t(context.lang, "b_e_need_photo"))
        return
    file_id, unique_id, kind = found
    payment_id = context.step_data.get("payment")
    order = await buyer_orders.send_proof(
        context.session, context.viewer.customer_id, payment_id if isinstance(payment_id, int) else 0,
        file_id=file_id, unique_id=unique_id, kind=kind, alerts=context.services.staff_alerts, now=context.now(),
    )
    await replies.set_step(update, context, None)
    await replies.say(update, context, t(context.lang, "b_proof_received", code=order.code))
