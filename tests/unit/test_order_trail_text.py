"""An order's audit trail as a manager reads it: every kind of line worded, in Indonesian and English."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.render.manager import trail_text
from models.order import ActorKind, Order, OrderSource, OrderStatus
from models.payment import PaymentKind, PaymentMethod
from models.services.admin import TrailEntry, TrailKind

AT = datetime(2026, 12, 5, 2, 30, tzinfo=UTC)  # 09.30 WIB


def _order(status: OrderStatus) -> Order:
    """An order as the trail's title needs it."""
    return Order(code="KB-7GQ2XM", status=status)


def _lines(lang: str, *entries: TrailEntry, status: OrderStatus = OrderStatus.CANCELLED) -> list[str]:
    """The trail's lines without the time."""
    text = trail_text(lang, _order(status), entries)
    return [text.splitlines()[0]] + [line.split(" · ", 1)[1] for line in text.splitlines()[1:]]


def test_a_cancelled_order_with_a_deposit_paid_in_cash_reads_in_words() -> None:
    lines = _lines(
        "id",
        TrailEntry(AT, TrailKind.STATUS, ActorKind.STAFF, "Rina", None, OrderStatus.AWAITING_PAYMENT,
                   source=OrderSource.WALK_IN),
        TrailEntry(AT, TrailKind.CODE, ActorKind.SYSTEM, payment_id=7, payment_kind=PaymentKind.DEPOSIT,
                   amount=1_250_000),
        TrailEntry(AT, TrailKind.PAID, ActorKind.STAFF, "Rina", payment_id=7, method=PaymentMethod.CASH,
                   amount=1_250_000),
        TrailEntry(AT, TrailKind.ACTION, ActorKind.STAFF, "Rina", action="payment.cash"),
        TrailEntry(AT, TrailKind.STATUS, ActorKind.STAFF, "801", OrderStatus.PARTIALLY_PAID, OrderStatus.CANCELLED,
                   reason="pembeli pindah <kota>"),
        TrailEntry(AT, TrailKind.ACTION, ActorKind.STAFF, "Rina", action="order.something_new"),
    )
    assert lines == [
        "<b>Jejak KB-7GQ2XM</b> · Dibatalkan",
        "Rina · pesanan dibuat: Menunggu Pembayaran (Datang langsung)",
        "sistem · kode bayar #7 dibuat (DP): Rp1.250.000",
        "Rina · pembayaran #7 diterima (tunai): Rp1.250.000",
        "Rina · uang tunai diterima",
        # Someone no longer on the staff list is named by Telegram id; a typed reason is shown as typed, escaped.
        "801 · Dibayar Sebagian (DP) → Dibatalkan (pembeli pindah &lt;kota&gt;)",
        "Rina · order.something_new",  # an action the bot has no words for yet is shown as recorded
    ]


def test_an_order_that_expired_reads_in_english() -> None:
    lines = _lines(
        "en",
        TrailEntry(AT, TrailKind.STATUS, ActorKind.CUSTOMER, None, None, OrderStatus.AWAITING_PAYMENT),
        TrailEntry(AT, TrailKind.STATUS, ActorKind.SYSTEM, None, OrderStatus.AWAITING_PAYMENT, OrderStatus.EXPIRED,
                   timeout=True),
        TrailEntry(AT, TrailKind.STATUS, ActorKind.STAFF, "Rina", OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID,
                   payment_kind=PaymentKind.FULL, amount=42_000),
        TrailEntry(AT, TrailKind.ACTION, ActorKind.STAFF, "Rina", action="payment.proof_rejected"),
        status=OrderStatus.EXPIRED,
    )
    assert lines[1:] == [
        "buyer · order placed: Awaiting payment",
        "system · Awaiting payment → Payment time ran out (payment deadline passed)",
        "Rina · Awaiting payment → Paid (payment full Rp42.000)",  # rupiah are written one way in every language
        "Rina · payment proof rejected",
    ]
