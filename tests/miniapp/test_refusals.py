"""What the Mini App API refuses, politely and without changing anything: bad input, dates that cannot be
ordered, and everything of another buyer (cart items, payment codes, a summary token)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.emulator.server import BotApiEmulator
from models.conversation import CartItem
from models.order import Order
from tests.miniapp.support import MiniApp, signed_contact
from tests.miniapp.test_flow import BREAD, SATURDAY, check_out, fill_cart
from tests.reliability.conftest import RunningClock
from tests.web.support import WebBot, web_bot


async def cart_rows(bot: WebBot) -> list[tuple[int, int]]:
    """(customer id, quantity) of every cart item in the database."""
    async with bot.harness.services.session_factory() as session:
        return [(i.customer_id, i.quantity) for i in await session.scalars(select(CartItem).order_by(CartItem.id))]


async def first_slot(app: MiniApp) -> int:
    """Saturday's first bread slot."""
    return int((await app.ok("GET", f"/app/api/products/{BREAD}/slots?date={SATURDAY}"))["slots"][0]["id"])


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"qty": "abc"}, 400, "not_a_number"),
        ({"qty": -3}, 400, "zero_or_negative"),
        ({"qty": 0}, 400, "zero_or_negative"),
        ({"qty": 10**15}, 400, "too_large"),
        ({"qty": 2.5}, 400, "not_whole"),
        ({"qty": True}, 400, "not_a_number"),
        ({"qty": 500}, 409, "capacity_full"),
        ({"sku": "TIDAK-ADA"}, 404, "product_unavailable"),
        ({"date": "2026-11-26"}, 409, "past_cutoff"),
        ({"date": "2026-11-29"}, 409, "closed_day"),
        ({"date": "28/11/2026"}, 400, "bad_request"),
        ({"slot_id": "satu"}, 400, "bad_request"),
        ({"slot_id": 999}, 404, "not_found"),
    ],
)
async def test_bad_input_is_refused_with_a_polite_message_and_nothing_changes(
    siti: MiniApp, change: dict[str, object], status: int, code: str
) -> None:
    body = {"sku": BREAD, "qty": 2, "date": SATURDAY, "slot_id": await first_slot(siti), **change}
    found, answer = await siti.post("/app/api/cart", body)
    assert (found, answer["error"]["code"]) == (status, code), answer
    assert answer["error"]["message"].startswith(("Mohon", "Maaf")) and "<" not in answer["error"]["message"]
    assert await cart_rows(siti.bot) == []


async def test_a_body_that_is_not_a_json_object_is_refused(siti: MiniApp) -> None:
    for raw in (b"not json", b"[1, 2]", b'"text"'):
        status, answer = await siti.call("POST", "/app/api/cart", raw=raw, headers=siti.header())
        assert (status, answer["error"]["code"]) == (400, "bad_request")


async def test_another_buyers_cart_item_is_not_found_and_stays_as_it_was(shop_bot: WebBot) -> None:
    siti, budi = MiniApp(shop_bot, 1001), MiniApp(shop_bot, 1002, "Budi")
    body = {"sku": BREAD, "qty": 2, "date": SATURDAY, "slot_id": await first_slot(siti)}
    item = (await siti.ok("POST", "/app/api/cart", body, status=201))["groups"][0]["items"][0]["id"]
    status, answer = await budi.patch(f"/app/api/cart/{item}", {"qty": 9})
    assert (status, answer["error"]["code"]) == (404, "not_found")
    status, _ = await budi.delete(f"/app/api/cart/{item}")
    assert status == 404
    for forged in ("abc", "-1", "1" * 30):
        assert (await budi.delete(f"/app/api/cart/{forged}"))[0] == 404
    # A customer or user id in the body is not who is asking: Budi's add lands in Budi's own cart.
    await budi.ok("POST", "/app/api/cart", {**body, "customer_id": 1, "user": {"id": 1001}}, status=201)
    rows = await cart_rows(shop_bot)
    assert sorted(q for _, q in rows) == [2, 2] and len({c for c, _ in rows}) == 2
    assert (await siti.ok("GET", "/app/api/cart"))["count"] == 1


async def test_another_buyers_payment_and_summary_token_are_refused(shop_bot: WebBot) -> None:
    shop_bot.harness.emulator.user(1001, "Siti")
    siti, budi = MiniApp(shop_bot, 1001), MiniApp(shop_bot, 1002, "Budi")
    await fill_cart(siti)
    placed = await check_out(siti)
    payment = placed["payments"][0]  # type: ignore[index]
    status, answer = await budi.get(f"/app/api/payments/{payment['id']}/qr.png")
    assert (status, answer["error"]["code"]) == (404, "not_found")
    status, answer = await budi.post("/app/api/checkout/confirm", {"token": placed["token"]})
    assert (status, answer["error"]["code"]) == (409, "stale_summary")
    assert (await budi.ok("GET", "/app/api/orders"))["orders"] == []
    async with shop_bot.harness.services.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Order)) == 2


async def test_a_contact_of_someone_else_or_unsigned_is_refused(siti: MiniApp) -> None:
    token, now = siti.bot.harness.emulator.token, siti.bot.harness.clock()
    status, answer = await siti.post("/app/api/phone", {"contact": signed_contact(token, 4242, now)})
    assert (status, answer["error"]["code"]) == (400, "not_your_contact")
    status, answer = await siti.post("/app/api/phone", {"contact": signed_contact("1:other", 1001, now)})
    assert status == 401
    assert (await siti.ok("GET", "/app/api/session"))["phone"] is None


@pytest.fixture
async def strict_bot(emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str) -> AsyncIterator[WebBot]:
    """The bot with a flood gate of 3 updates per 10 s."""
    async with web_bot(emulator, sqlite_url, clock, flood_max_updates=3) as bot:
        yield bot


async def test_a_flood_of_calls_gets_429_like_the_chat(strict_bot: WebBot) -> None:
    app = MiniApp(strict_bot, 1001)
    statuses = [(await app.get("/app/api/session"))[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    status, answer = await app.get("/app/api/catalogue")
    assert status == 429 and "terlalu cepat" in answer["error"]["message"]


