"""The payment photo: the QRIS image and its caption (amount in figures and words, code, deadline, how to pay)."""

from __future__ import annotations

from typing import assert_never

from bot.keyboards import button, markup
from bot.render.buyer_common import Lang, deadline_text
from bot.render.qr import render_payment_qr
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import t
from bot.texts.format import amount_in_words, rupiah
from models.order import Order
from models.payment import Payment, PaymentKind


def _title(lang: Lang, kind: PaymentKind, code: str) -> str:
    """ "Pembayaran", "Uang muka (DP)" or "Pelunasan" pesanan KB-..."""
    match kind:
        case PaymentKind.FULL:
            return t(lang, "b_pay_title_full", code=code)
        case PaymentKind.DEPOSIT:
            return t(lang, "b_pay_title_deposit", code=code)
        case PaymentKind.BALANCE:
            return t(lang, "b_pay_title_balance", code=code)
        case _:
            assert_never(kind)


def payment_caption(lang: Lang, payment: Payment, order: Order) -> Screen:
    """The caption under the QR code, with "Saya sudah bayar" and "Lihat pesanan"."""
    lines = [
        _title(lang, payment.kind, order.code),
        t(lang, "b_pay_amount", amount=rupiah(payment.payable_amount),
          words=amount_in_words(payment.payable_amount, lang)),
    ]
    if payment.unique_code:
        lines.append(t(lang, "b_pay_unique", code=rupiah(payment.unique_code), amount=rupiah(payment.payable_amount)))
    rest = order.total - order.paid_amount - payment.amount
    if rest > 0:
        lines.append(t(lang, "b_pay_rest", total=rupiah(order.total), rest=rupiah(rest)))
    if payment.expires_at is not None:
        time_text, date_text = deadline_text(lang, payment.expires_at)
        lines.append(t(lang, "b_pay_deadline", time=time_text, date=date_text))
    # A gateway's code turns paid by itself; the static QRIS waits for staff (a proof photo helps them).
    lines += [t(lang, "b_pay_howto"), t(lang, "b_pay_after_gateway") if payment.provider else t(lang, "b_pay_after")]
    return Screen(
        "\n".join(lines),
        markup(
            [button(t(lang, "b_btn_paid"), Action.PAID, payment.id)],
            [button(t(lang, "b_btn_order_detail"), Action.ORDER, order.code)],
        ),
    )


def payment_image(lang: Lang, payment: Payment, order: Order) -> bytes:
    """The QR code PNG for the payment's payload with the amount, order code and deadline printed under it."""
    if not payment.payload:
        raise ValueError("payment has no QRIS payload")
    lines = [order.code]
    if payment.expires_at is not None:
        time_text, _ = deadline_text(lang, payment.expires_at)
        lines.append(t(lang, "b_qr_deadline", time=time_text))
    return render_payment_qr(payment.payload, amount_text=rupiah(payment.payable_amount), caption_lines=lines)
