"""POST /payments/midtrans under attack and under Midtrans' own habits: forged, truncated or oversized bodies change
nothing; duplicates and reordered notifications count once; an unknown order id is answered and logged; and the
server key never shows in a log line."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from bot.payments.midtrans import NOTIFICATION_PATH
from bot.payments.signature import signature
from models.order import OrderStatus
from models.payment import PaymentState
from tests.gateway.support import SERVER_KEY, GatewayShop, ordered, to_summary
from tests.support.eventually import eventually


def _body(order_id: str, *, status: str = "settlement", code: str = "200", amount: str = "42000.00",
          key: str = SERVER_KEY) -> dict[str, Any]:
    """A notification as Midtrans sends it, signed with `key`."""
    return {"order_id": order_id, "status_code": code, "gross_amount": amount, "transaction_status": status,
            "transaction_id": "tx-forged", "fraud_status": "accept", "payment_type": "qris",
            "signature_key": signature(order_id, code, amount, key)}


async def _post(shop: GatewayShop, body: bytes | str | dict[str, Any]) -> int:
    """POSTs a body to the bot's notification route; returns the HTTP status."""
    data = json.dumps(body) if isinstance(body, dict) else body
    async with shop.bot.http.post(shop.bot.url(NOTIFICATION_PATH), data=data,
                                  headers={"Content-Type": "application/json"}) as response:
        await response.read()
        return response.status


async def _unchanged(shop: GatewayShop) -> None:
    """The order still waits for its money and nobody was told anything about a payment."""
    [payment] = await shop.payments()
    assert payment.state is PaymentState.PENDING
    [order] = await shop.orders()
    assert (order.status, order.paid_amount) == (OrderStatus.AWAITING_PAYMENT, 0)
    assert [m.template for m in await shop.outbox() if m.template and "paid" in m.template] == []


def _altered(body: dict[str, Any], **changes: str) -> dict[str, Any]:
    """The body with fields changed after signing (the signature no longer covers them)."""
    return {**body, **changes}


async def test_each_forged_signature_is_refused_with_401_and_changes_nothing(shop: GatewayShop) -> None:
    order_id = await ordered(shop)
    genuine = _body(order_id)
    forged = {
        "wrong key": _body(order_id, key="SB-Mid-server-someone-else"),
        "altered amount": _altered(genuine, gross_amount="4200.00"),
        "altered status": _altered(genuine, status_code="201"),
        "altered order id": _altered(genuine, order_id=order_id + "X"),
        "no signature": {k: v for k, v in genuine.items() if k != "signature_key"},
        "signature not a string": _altered(genuine, signature_key=123),  # type: ignore[arg-type]
    }
    for case, body in forged.items():
        assert await _post(shop, body) == 401, case
    await _unchanged(shop)


async def test_a_signed_notification_the_status_api_contradicts_changes_nothing(shop: GatewayShop) -> None:
    order_id = await ordered(shop)  # signed with the right key, yet the buyer has not paid
    assert await _post(shop, _body(order_id)) == 200
    await _unchanged(shop)


async def test_bodies_that_are_not_notifications_are_refused(shop: GatewayShop) -> None:
    await ordered(shop)
    assert await _post(shop, "not json at all") == 400
    assert await _post(shop, b"\xff\xfe\x00garbage") == 400
    assert await _post(shop, "[1, 2, 3]") == 400
    assert await _post(shop, '{"order_id": "KB') == 400  # truncated
    assert await _post(shop, "x" * (65 * 1024)) == 413
    await _unchanged(shop)


async def test_an_unknown_order_id_is_answered_200_and_logged_once(
    shop: GatewayShop, caplog: pytest.LogCaptureFixture
) -> None:
    await ordered(shop)
    with caplog.at_level(logging.WARNING, logger="bot.web.midtrans"):
        assert await _post(shop, _body("KBNOSUCHORDER")) == 200
    assert [r.getMessage() for r in caplog.records if "unknown order_id" in r.getMessage()] == [
        "midtrans notification for an unknown order_id 'KBNOSUCHORDER': ignored"]
    await _unchanged(shop)


async def test_duplicated_and_reordered_notifications_pay_once_and_tell_once(shop: GatewayShop) -> None:
    shop.sandbox.faults.notifications.reorder(2)  # "pending" is held, then comes after "settlement"
    order_id = await ordered(shop)
    shop.sandbox.pay(order_id)
    await shop.buyer.wait_for("Lunas", timeout=15)
    for _ in range(3):  # the same event again, as Midtrans does "in extremely rare cases"
        shop.sandbox.notify(order_id)
    await shop.sandbox.idle()
    delivered = [(d.notification.body["transaction_status"], d.status) for d in shop.sandbox.deliveries]
    assert delivered[:2] == [("settlement", 200), ("pending", 200)]  # out of order, both answered
    assert delivered[2:] == [("settlement", 200)] * 3
    [payment] = await shop.payments()
    assert (payment.state, payment.provider_status) == (PaymentState.PAID, "settlement")
    messages = await shop.outbox()
    assert [m.template for m in messages if m.template in ("notice.paid", "gateway.paid")] == [
        "notice.paid", "gateway.paid"]
    [order] = await shop.orders()
    assert order.paid_amount == 42_000


async def test_the_server_key_is_in_no_log_line_even_when_the_gateway_fails(
    shop: GatewayShop, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await to_summary(shop.buyer)
        shop.sandbox.faults.api.server_errors(shop.gateway.attempts, calls=["charge"])
        await shop.buyer.press("Konfirmasi")
        await shop.buyer.wait_for("Mohon maaf", timeout=15)
        assert await _post(shop, _body("KBX", key="wrong")) == 401
        await eventually(lambda: any("gave no code" in r.getMessage() for r in caplog.records), timeout=5,
                         what="the failed charge logged")
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert SERVER_KEY not in logged and "gave no code" in logged


async def test_a_status_api_too_slow_for_midtrans_gets_503_within_five_seconds_and_changes_nothing(
    shop: GatewayShop,
) -> None:
    order_id = await ordered(shop)
    shop.gateway.status_timeout = 30.0  # the production client would wait longer than Midtrans does
    gate = shop.sandbox.faults.api.slow(1, calls=["status"], after=False)
    try:
        started = time.monotonic()
        assert await _post(shop, _body(order_id)) == 503
        assert time.monotonic() - started < 5.0
    finally:
        gate.set()
    await _unchanged(shop)


async def test_midtrans_money_of_another_amount_is_not_booked_and_the_baker_is_told(shop: GatewayShop) -> None:
    order_id = await ordered(shop)
    shop.sandbox.pay(order_id, amount=4_200)
    alert = await shop.staff.wait_for("bukan Rp42.000", timeout=15)
    assert "Rp4.200" in alert.content and "belum dicatat" in alert.content
    await _unchanged(shop)
