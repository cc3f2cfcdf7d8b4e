"""The whole Mini App order over HTTP, against the real bot and the emulator: browse, bread for a date and slot,
50 m2 of paving, the phone, the summary, Konfirmasi; the orders are in the database, the QR photos in the chat."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.emulator import EmulatedUser
from models.order import Order
from models.outbox import OutboxMessage, OutboxState
from tests.flows.buyer_dialogues import read_qr
from tests.miniapp.support import MiniApp, signed_contact
from tests.support.eventually import eventually
from tests.web.support import WebBot

BREAD, PAVING = "RTI-MNS-CKL", "PVB-BTA-6"
SATURDAY = "2026-11-28"


async def outbox_rows(bot: WebBot) -> list[OutboxMessage]:
    """Every queued message, oldest first."""
    async with bot.harness.services.session_factory() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def photos_in_chat(user: EmulatedUser) -> list[bytes]:
    """The photos the bot sent to the buyer's chat."""
    return [m.photo for m in user.inbox if m.photo is not None]


async def fill_cart(app: MiniApp) -> None:
    """Browses, then adds 2 loaves for Saturday's first slot and paving for 50 m2."""
    catalogue = await app.ok("GET", "/app/api/catalogue")
    assert any(p["sku"] == BREAD for c in catalogue["categories"] for p in c["products"])
    product = await app.ok("GET", f"/app/api/products/{BREAD}")
    assert next(d for d in product["dates"] if d["date"] == SATURDAY)["available"]
    slots = (await app.ok("GET", f"/app/api/products/{BREAD}/slots?date={SATURDAY}"))["slots"]
    body = {"sku": BREAD, "qty": 2, "date": SATURDAY, "slot_id": slots[0]["id"]}
    cart = await app.ok("POST", "/app/api/cart", body, status=201)
    assert (cart["count"], cart["total"]) == (1, 7000)
    quote = await app.ok("POST", "/app/api/paving/quote", {"sku": PAVING, "input": "50 m2"})
    cart = await app.ok("POST", "/app/api/cart", {"sku": PAVING, "paving_input": "50 m2"}, status=201)
    assert cart["count"] == 2 and cart["total"] == 7000 + quote["total"]
    assert cart["groups"][0]["reason"].startswith("Roti dibuat untuk tanggal")


async def check_out(app: MiniApp) -> dict[str, object]:
    """Phone by the signed contact, paving picked up, the summary, Konfirmasi: the confirm answer."""
    assert (await app.ok("POST", "/app/api/checkout/summary", {}))["need"] == "phone"
    contact = signed_contact(app.bot.harness.emulator.token, app.user_id, app.bot.harness.clock())
    assert (await app.ok("POST", "/app/api/phone", {"contact": contact}))["phone"].startswith("+62812")
    asked = await app.ok("POST", "/app/api/checkout/summary", {})
    assert asked["need"] == "fulfilment" and asked["token"] is None
    assert any("Ambil sendiri" in line for line in asked["lines"])  # the chat's why: the shop's yard, trip fees
    assert any("ongkos angkut" in line for line in asked["lines"])
    summary = await app.ok("POST", "/app/api/checkout/summary", {"fulfilment": "pickup"})
    assert summary["need"] == "summary" and summary["token"]
    # The cards carry each order (with the paving deposit); the notes what the cards do not: split, totals, phone.
    assert summary["lines"][0].startswith("Keranjang dibagi menjadi 2 pesanan")
    assert not any("Roti dibuat" in line or "• " in line for line in summary["lines"])
    assert any(line.startswith("Total: Rp") for line in summary["lines"])
    assert any(line.startswith("No. HP: +62812") for line in summary["lines"])
    paving = next(g for g in summary["groups"] if g["title"].startswith("Paving"))
    assert paving["deposit_text"].startswith("DP dibayar sekarang: Rp")
    placed = await app.ok("POST", "/app/api/checkout/confirm", {"token": summary["token"]})
    return {"token": summary["token"], **placed}


async def the_whole_order(bot: WebBot) -> None:
    """The full flow on whatever database the bot runs on."""
    user = bot.harness.emulator.user(1001, "Siti")
    await user.send("/start")
    await user.wait_for("Selamat datang")
    app = MiniApp(bot, 1001)
    await fill_cart(app)
    placed = await check_out(app)
    assert placed["replayed"] is False
    orders = placed["orders"]
    assert isinstance(orders, list) and len(orders) == 2
    async with bot.harness.services.session_factory() as session:
        stored = list(await session.scalars(select(Order).order_by(Order.id)))
    assert sorted(o.code for o in stored) == sorted(o["code"] for o in orders)
    payments = placed["payments"]
    assert isinstance(payments, list) and len(payments) == 2
    # The QR photos reach the chat (through the outbox), and the page's PNG says the same as the chat's photo.
    await eventually(lambda: len([m for m in user.inbox if m.photo is not None]) == 2, timeout=10,
                     what=lambda: f"two payment photos in the chat\n{user.transcript()}")
    in_chat = {read_qr(png).payload for png in await photos_in_chat(user)}
    for payment in payments:
        async with bot.http.get(bot.url(payment["qr_url"]), headers=app.header()) as response:
            assert response.status == 200 and response.content_type == "image/png"
            assert read_qr(await response.read()).payload == payment["payload"]
    assert {p["payload"] for p in payments} == in_chat
    # Konfirmasi again: the same orders, no second set of photos.
    again = await app.ok("POST", "/app/api/checkout/confirm", {"token": placed["token"]})
    assert again["replayed"] is True and [o["code"] for o in again["orders"]] == [o["code"] for o in orders]
    rows = await outbox_rows(bot)
    qr_rows = [r for r in rows if (r.dedupe_key or "").startswith("payment-qr:")]
    assert len(qr_rows) == 2
    await eventually(lambda: _all_sent(bot), timeout=10, what="the outbox to send everything")
    assert len(await photos_in_chat(user)) == 2
    mine = await app.ok("GET", "/app/api/orders")
    assert {o["code"] for o in mine["orders"]} == {o["code"] for o in orders}
    assert all(o["payable"] and o["payment_id"] for o in mine["orders"])
    assert (await app.ok("GET", "/app/api/cart"))["count"] == 0


async def _all_sent(bot: WebBot) -> bool:
    """True when every outbox row is finished (a SENDING row's photo may not have reached the chat yet)."""
    return all(r.state not in (OutboxState.PENDING, OutboxState.SENDING) for r in await outbox_rows(bot))


async def test_a_buyer_orders_bread_and_paving_from_the_mini_app(shop_bot: WebBot) -> None:
    await the_whole_order(shop_bot)


async def test_the_same_order_on_postgresql(pg_shop_bot: WebBot) -> None:
    await the_whole_order(pg_shop_bot)


async def paving_summary(app: MiniApp) -> str:
    """Paving for 10x5 in the cart, the phone by the signed contact, pickup: the summary's token."""
    await app.ok("POST", "/app/api/cart", {"sku": PAVING, "paving_input": "10x5"}, status=201)
    contact = signed_contact(app.bot.harness.emulator.token, app.user_id, app.bot.harness.clock())
    await app.ok("POST", "/app/api/phone", {"contact": contact})
    return str((await app.ok("POST", "/app/api/checkout/summary", {"fulfilment": "pickup"}))["token"])


async def test_a_double_tap_on_konfirmasi_places_the_orders_once(shop_bot: WebBot) -> None:
    user = shop_bot.harness.emulator.user(1001, "Siti")
    app = MiniApp(shop_bot, 1001)
    token = await paving_summary(app)
    first, second = await asyncio.gather(*(app.post("/app/api/checkout/confirm", {"token": token}) for _ in "ab"))
    assert first[0] == second[0] == 200
    assert sorted([first[1]["replayed"], second[1]["replayed"]]) == [False, True]
    assert first[1]["orders"] == second[1]["orders"]
    async with shop_bot.harness.services.session_factory() as session:
        assert len(list(await session.scalars(select(Order)))) == 1
    await eventually(lambda: _all_sent(shop_bot), timeout=10, what="the outbox to send everything")
    assert len(await photos_in_chat(user)) == 1


async def test_the_chat_stays_usable_while_a_mini_app_summary_waits(shop_bot: WebBot) -> None:
    user = shop_bot.harness.emulator.user(1001, "Siti")
    app = MiniApp(shop_bot, 1001)
    token = await paving_summary(app)
    await user.send("halo")
    await user.wait_for("Silakan pilih menu di bawah")  # the chat shows no summary: it answers as when idle
    # Checkout begun again in the chat makes the page's summary stale, as a newer chat summary would.
    await user.send("/keranjang")
    await user.wait_for("Keranjang")
    await user.press("Pesan sekarang")
    await user.wait_for("Paving diambil sendiri atau diantar")
    status, answer = await app.post("/app/api/checkout/confirm", {"token": token})
    assert (status, answer["error"]["code"]) == (409, "stale_summary")
