"""THE RACE: the last 10 loaves of a day, 10 buyers in the chat and 10 in the Mini App pressing Konfirmasi at the
same moment. Exactly 10 are sold, whoever wins; everyone else is told politely and nothing of theirs is placed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select, update

from bot.emulator import EmulatedUser
from bot.emulator.server import BotApiEmulator
from models.catalog import Product
from models.order import Order, OrderLine
from models.people import Customer
from tests.flows.buyer_dialogues import bread_to_cart, checkout_to_summary, start
from tests.miniapp.support import MiniApp, signed_contact
from tests.miniapp.test_flow import BREAD, SATURDAY
from tests.reliability.conftest import RunningClock
from tests.support.eventually import eventually
from tests.web.support import WebBot, web_bot

LEFT = 10
CHAT_BUYERS = range(2001, 2011)
APP_BUYERS = range(3001, 3011)


@asynccontextmanager
async def race_bot(emulator: BotApiEmulator, clock: RunningClock, url: str) -> AsyncIterator[WebBot]:
    """The bot with only 10 loaves of the chocolate bread left per day."""
    async with web_bot(emulator, url, clock) as bot:
        async with bot.harness.services.session_factory.begin() as session:
            await session.execute(update(Product).where(Product.sku == BREAD).values(daily_capacity=LEFT))
        yield bot


async def chat_buyer_to_summary(user: EmulatedUser) -> None:
    """A chat buyer with one loaf for Saturday morning in the cart, at the summary with its Konfirmasi button."""
    await start(user)
    await bread_to_cart(user, qty="1")
    await checkout_to_summary(user)


async def app_buyer_to_summary(app: MiniApp) -> str:
    """A Mini App buyer with one loaf for Saturday morning in the cart, at the summary: its token."""
    slots = (await app.ok("GET", f"/app/api/products/{BREAD}/slots?date={SATURDAY}"))["slots"]
    first = next(s for s in slots if s["label"].startswith("10.00"))
    await app.ok("POST", "/app/api/cart", {"sku": BREAD, "qty": 1, "date": SATURDAY, "slot_id": first["id"]}, 201)
    contact = signed_contact(app.bot.harness.emulator.token, app.user_id, app.bot.harness.clock())
    await app.ok("POST", "/app/api/phone", {"contact": contact})
    summary = await app.ok("POST", "/app/api/checkout/summary", {})
    assert summary["need"] == "summary"
    return str(summary["token"])


async def sold_by_buyer(bot: WebBot) -> dict[int, int]:
    """Loaves of the bread sold for Saturday, by the buyer's Telegram id."""
    async with bot.harness.services.session_factory() as session:
        rows = await session.execute(
            select(Customer.telegram_id, OrderLine.quantity)
            .join(Order, Order.customer_id == Customer.id)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .join(Product, Product.id == OrderLine.product_id)
            .where(Product.sku == BREAD)
        )
        sold: dict[int, int] = {}
        for telegram_id, quantity in rows:
            sold[telegram_id] = sold.get(telegram_id, 0) + quantity
        return sold


async def the_race(race_bot: WebBot) -> None:
    """20 buyers at their summaries, then every Konfirmasi at once; the checks."""
    emulator = race_bot.harness.emulator
    chat = [emulator.user(i, f"Pembeli {i}") for i in CHAT_BUYERS]
    apps = [MiniApp(race_bot, i, f"Pembeli {i}") for i in APP_BUYERS]
    await asyncio.gather(*(chat_buyer_to_summary(u) for u in chat))
    tokens = await asyncio.gather(*(app_buyer_to_summary(a) for a in apps))

    async def press(user: EmulatedUser) -> None:
        await user.press("Konfirmasi")

    async def confirm(app: MiniApp, token: str) -> tuple[int, object]:
        return await app.post("/app/api/checkout/confirm", {"token": token})

    # The chat's presses travel through getUpdates and the Mini App's calls straight to the web server: the
    # calls are fired once the bot has begun on half of the presses, so both doors are at the capacity at once.
    harness = race_bot.harness
    before = set(harness.pushed)
    await asyncio.gather(*(press(u) for u in chat))
    presses = harness.pushed - before
    await eventually(lambda: len(presses & harness.taken_in) >= len(presses) // 2, timeout=30,
                     what="the bot to begin on half of the chat's Konfirmasi presses")
    answers = await asyncio.gather(*(confirm(a, t) for a, t in zip(apps, tokens, strict=True)))
    await harness.settled(timeout=60)

    sold = await sold_by_buyer(race_bot)
    assert sum(sold.values()) == LEFT and set(sold.values()) == {1}
    by_chat = sum(1 for i in sold if i in CHAT_BUYERS)
    print(f"[race] {by_chat} loaves sold through the chat, {LEFT - by_chat} through the Mini App")
    app_answers = list(answers)
    assert [status for status, _ in app_answers] == [200 if i in sold else 409 for i in APP_BUYERS]
    for status, body in app_answers:
        if status == 409:
            assert "Mohon maaf" in body["error"]["message"]  # type: ignore[index]
    for user in chat:
        told = user.transcript()
        assert ("Pesanan dibuat" in told) == (user.id in sold), told
        assert user.id in sold or "Mohon maaf" in told.rsplit("Konfirmasi]", 1)[1], told


async def test_the_last_ten_loaves_go_to_exactly_ten_of_twenty_buyers_in_chat_and_mini_app(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str
) -> None:
    async with race_bot(emulator, clock, sqlite_url) as bot:
        await the_race(bot)


async def test_the_same_race_on_postgresql(
    emulator: BotApiEmulator, clock: RunningClock, own_pg_url: str
) -> None:
    async with race_bot(emulator, clock, own_pg_url) as bot:
        await the_race(bot)
