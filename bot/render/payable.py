"""The amount a payment code asks for, as buyers and staff read it: with its unique code named when it has one."""

from __future__ import annotations

from bot.texts import Lang, t
from bot.texts.format import rupiah
from models.payment import Payment


def payable_text(lang: Lang, payment: Payment) -> str:
    """ "Rp35.137 (termasuk kode unik Rp137)", or just "Rp35.000" for a code without one."""
    if not payment.unique_code:
        return rupiah(payment.payable_amount)
    return t(lang, "pay_with_code", amount=rupiah(payment.payable_amount), code=rupiah(payment.unique_code))
