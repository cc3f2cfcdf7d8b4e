"""The Mini App with PAYMENT_PROVIDER=midtrans: Konfirmasi from the page gets the sandbox's code (on the page, in
its PNG, in the chat once, charged once after a double tap), paying in the sandbox turns the order paid in
"Pesanan Saya"; a gateway down at Konfirmasi keeps the orders, says so on the page, and the chat's "Coba lagi"
makes the code. The real bot, the Bot API emulator and the local sandbox over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.emulator import EmulatedUser
from bot.midtrans_sandbox.control import PREFIX
from models.order import OrderStatus
from models.outbox import OutboxState
from models.payment import ConfirmedVia, PaymentState
from tests.flows.buyer_dialogues import start
from tests.gateway.conftest import clock, database_url, emulator, sandbox, shop  # noqa: F401  (the bot on Midtrans)
from tests.gateway.support import BUYER, GatewayShop, qr_text
from tests.miniapp.support import MiniApp, signed_contact
from tests.support.eventually import eventually

BREAD, SATURDAY = "RTI-MNS-CKL", "2026-11-28"


def photos(user: EmulatedUser) -> list[bytes]:
    """The photos the bot sent to the buyer's chat."""
    return [m.photo for m in user.inbox if m.photo is not None]


async def all_sent(running: GatewayShop) -> bool:
    """True when every outbox row is finished (a SENDING row's message may not have reached the chat yet)."""
    return all(r.state not in (OutboxState.PENDING, OutboxState.SENDING) for r in await running.outbox())


async def to_summary(running: GatewayShop) -> tuple[MiniApp, str]:
    """The buyer opens the chat, then puts 2 loaves for Saturday in the Mini App's cart and checks out up to the
    summary (phone by the signed contact, picked up): the app and the summary's token."""
    await start(running.buyer)
    app = MiniApp(running.bot, BUYER, first_name="Sari")
    slots = (await app.ok("GET", f"/app/api/products/{BREAD}/slots?date={SATURDAY}"))["slots"]
    await app.ok("POST", "/app/api/cart", {"sku": BREAD, "qty": 2, "date": SATURDAY, "slot_id": slots[0]["id"]},
                 status=201)
    contact = signed_contact(running.bot.harness.emulator.token, BUYER, running.bot.harness.clock())
    await app.ok("POST", "/app/api/phone", {"contact": contact})
    summary = await app.ok("POST", "/app/api/checkout/summary", {})
    if summary["need"] == "fulfilment":
        summary = await app.ok("POST", "/app/api/checkout/summary", {"fulfilment": "pickup"})
    assert summary["need"] == "summary" and summary["token"], summary
    return app, summary["token"]


async def qr_on_page(app: MiniApp, url: str) -> str:
    """What the page's QR picture says."""
    async with app.bot.http.get(app.bot.url(url), headers=app.header()) as response:
        assert response.status == 200 and response.content_type == "image/png"
        return qr_text(await response.read())


async def my_order(app: MiniApp, code: str) -> dict[str, Any]:
    """The order as "Pesanan Saya" shows it."""
    mine = await app.ok("GET", "/app/api/orders")
    return next(o for o in mine["orders"] if o["code"] == code)


async def test_konfirmasi_from_the_page_shows_the_sandbox_code_charged_once_and_paying_turns_it_paid(
    shop: GatewayShop,  # noqa: F811
) -> None:
    buyer, midtrans = shop.buyer, shop.sandbox
    app, token = await to_summary(shop)
    first, second = await asyncio.gather(  # a double tap on Konfirmasi
        app.ok("POST", "/app/api/checkout/confirm", {"token": token}),
        app.ok("POST", "/app/api/checkout/confirm", {"token": token}),
    )
    assert sorted([first["replayed"], second["replayed"]]) == [False, True]
    [order] = await shop.orders()
    assert [o["code"] for o in first["orders"]] == [o["code"] for o in second["orders"]] == [order.code]
    [transaction] = midtrans.transactions  # one charge at Midtrans for the order, whichever tap made it
    assert transaction.charged_amount == 7_000
    for placed in (first, second):
        [payment] = placed["payments"]
        assert payment["payload"] == transaction.qr_string and placed["waiting"] == []
        assert await qr_on_page(app, payment["qr_url"]) == transaction.qr_string
    # The chat gets the same code, once.
    await eventually(lambda: photos(buyer), timeout=15, what=lambda: f"the payment photo\n{buyer.transcript()}")
    await eventually(lambda: all_sent(shop), timeout=15, what="the outbox to send everything")
    [photo] = photos(buyer)
    assert qr_text(photo) == transaction.qr_string
    shown = await my_order(app, order.code)
    assert shown["payable"] and shown["payment_id"] == first["payments"][0]["id"] and not shown["code_waiting"]

    # The buyer pays in the sandbox (its control API); Midtrans' notification confirms the order.
    async with shop.bot.http.post(f"{midtrans.base_url}{PREFIX}/pay/{transaction.order_id}") as response:
        assert response.status == 200
    await buyer.wait_for("Lunas. Pembayaran", timeout=15)
    [payment] = await shop.payments()
    assert (payment.state, payment.confirmed_via) == (PaymentState.PAID, ConfirmedVia.MIDTRANS)
    shown = await my_order(app, order.code)
    assert (shown["status"], shown["status_text"], shown["payable"]) == (OrderStatus.PAID.value, "Dibayar", False)
    assert len(midtrans.transactions) == 1


async def test_a_gateway_down_at_konfirmasi_keeps_the_orders_says_so_and_the_chats_try_again_works(
    shop: GatewayShop,  # noqa: F811
) -> None:
    buyer, midtrans = shop.buyer, shop.sandbox
    app, token = await to_summary(shop)
    midtrans.faults.api.server_errors(shop.gateway.attempts, calls=["charge"])
    placed = await app.ok("POST", "/app/api/checkout/confirm", {"token": token})
    [order] = await shop.orders()
    assert order.status is OrderStatus.AWAITING_PAYMENT and midtrans.transactions == []
    assert [o["code"] for o in placed["orders"]] == [order.code]
    assert placed["payments"] == [] and placed["waiting"] == [order.code]
    # The page has the words for it (app.js shows them for each waiting code), in the buyer's language.
    texts = (await app.ok("GET", "/app/api/session"))["texts"]
    assert texts["app_code_waiting"].startswith("Kode QRIS pesanan ini belum bisa dibuat")
    assert "Coba lagi" in texts["app_code_waiting"] and "belum ada tagihan" in texts["app_code_waiting"]
    shown = await my_order(app, order.code)
    assert shown["payable"] and shown["code_waiting"]

    # The chat has the apology with "Coba lagi", once; pressing it makes the code.
    apology = await buyer.wait_for("Mohon maaf", timeout=15)
    assert order.code in apology.content and "🔄 Coba lagi" in apology.buttons
    await buyer.press("🔄 Coba lagi", message_id=apology.message_id)
    photo = await buyer.wait_for_photo(timeout=15)
    assert photo.photo is not None
    [transaction] = midtrans.transactions
    assert qr_text(photo.photo) == transaction.qr_string
    shown = await my_order(app, order.code)
    assert shown["payable"] and not shown["code_waiting"]
    assert await qr_on_page(app, f"/app/api/payments/{shown['payment_id']}/qr.png") == transaction.qr_string
    # Konfirmasi tapped again later: the same order, now with its code, still one charge and one apology.
    again = await app.ok("POST", "/app/api/checkout/confirm", {"token": token})
    assert again["replayed"] is True and again["waiting"] == []
    assert [p["payload"] for p in again["payments"]] == [transaction.qr_string] and len(midtrans.transactions) == 1
    await eventually(lambda: all_sent(shop), timeout=15, what="the outbox to send everything")
    assert len([m for m in buyer.inbox if "Mohon maaf" in m.content]) == 1 and len(photos(buyer)) == 1
