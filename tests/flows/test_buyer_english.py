"""Dialogues in English: units, counts and numbers as English writes them; rupiah stays `Rp4.620.000`."""

from __future__ import annotations

from sqlalchemy import update

from bot.emulator import EmulatedUser
from models.catalog import Product
from tests.flows.buyer_dialogues import orders
from tests.support.harness import Harness

BATA = "Paving Bata/Holland 21x10,5x6"


async def _english_buyer(bot: Harness) -> EmulatedUser:
    """A buyer whose Telegram speaks English, at the main menu."""
    john = bot.emulator.user(4004, "John", language_code="en")
    await john.send("/start")
    await john.wait_for("Welcome, John")
    return john


async def _open(john: EmulatedUser, category: str, product: str) -> str:
    """Catalogue -> category -> product card; returns the product list it passed through."""
    await john.send("/katalog")
    await john.wait_for("Please choose a category")
    await john.press(category)
    listing = await john.wait_for("Please choose a product")
    await john.press(product)
    await john.wait_for("Price")
    return listing.content


async def test_an_english_buyer_reads_the_paving_quote_in_english_units_and_numbers(bot: Harness) -> None:
    john = await _english_buyer(bot)
    listing = await _open(john, "Paving blocks", BATA)
    assert "Paving Bata/Holland 21x10,5x6 cm abu-abu: Rp2.000/piece" in listing
    card = john.last_message
    assert card is not None
    for line in ("Price: Rp2.000 per piece", "44 pieces per m²", "Minimum order: 500 pieces",
                 "(for 500 pieces; cast, then cured)"):  # fmt: skip
        assert line in card.content, line
    await john.press("Calculate")
    await john.wait_for("How much do you need?")
    await john.send("10x5")
    quote = await john.wait_for("Calculation for")
    for line in (
        "Area: 10 × 5 m = 50 m²",
        "Pieces per m²: 44",
        "Spare for breakage and cuts: 5% (of 2,200 pieces)",
        "Quantity: 2,310 pieces",
        "Price: 2,310 × Rp2.000 = Rp4.620.000",
        "Weight: about 6.7 t",
        "Transport: 5× pick-up or 3× small truck (engkel) or 1× colt diesel",
        "Deposit (DP) when ordering: Rp2.310.000",
    ):
        assert line in quote.content, line
    assert "biji" not in quote.content and "2.310 " not in quote.content
    await john.send("52,5 m2")
    quote = await john.wait_for("Area: 52.5 m²")
    assert "Quantity: 2,426 pieces" in quote.content


async def test_an_english_cart_counts_products_and_units_in_the_singular_and_plural(bot: Harness) -> None:
    john = await _english_buyer(bot)
    await _open(john, "Paving blocks", BATA)
    await john.press("Calculate")
    await john.wait_for("How much do you need?")
    await john.send("10x5")
    await john.wait_for("Calculation for")
    await john.press("Add to cart")
    added = await john.wait_for("In your cart")
    assert "now 2,310 pieces." in added.content and "Cart: 1 product, total Rp4.620.000." in added.content
    await _open(john, "Sandals", "Sandal Kulit Pria")
    card = john.last_message
    assert card is not None and "Price: Rp85.000 per pair" in card.content and " pairs" in card.content
    await john.press("Order")
    ask = await john.wait_for("How many pairs?")
    assert "for example 12" in ask.content
    await john.send("1")
    added = await john.wait_for("In your cart")
    assert "now 1 pair." in added.content and "Cart: 2 products, total Rp4.705.000." in added.content
    await john.press("Cart (2)")
    cart = await john.wait_for("Tap a product number")
    assert "1. 2,310 pieces Paving Bata/Holland" in cart.content and "for 50 m²" in cart.content
    assert "2. 1 pair Sandal Kulit Pria = Rp85.000" in cart.content
    await john.press("Order now")
    await john.wait_for("phone number")
    await john.press_key("📱 Send phone number")
    await john.wait_for("collect the paving")
    await john.press("Own pickup")
    summary = await john.wait_for("Order summary")
    assert "Your cart becomes 2 orders" in summary.content
    assert "• 2,310 pieces Paving Bata/Holland 21x10,5x6 cm abu-abu = Rp4.620.000" in summary.content
    assert "• 1 pair Sandal Kulit Pria = Rp85.000" in summary.content
    assert "the QRIS code is valid for 60 minutes." in summary.content
    await john.press("Confirm")
    await john.wait_for("Orders placed")
    await john.wait_idle()
    paving = next(o for o in await orders(bot) if o.total == 4_620_000)
    await john.send("/pesananku")
    await john.wait_for("My orders")
    await john.press(paving.code)
    detail = await john.wait_for(f"Order {paving.code}")
    assert "• 2,310 pieces Paving Bata/Holland 21x10,5x6 cm abu-abu = Rp4.620.000" in detail.content
    assert "Total: Rp4.620.000" in detail.content


async def test_an_english_buyer_is_told_what_is_left_in_the_singular_and_plural(bot: Harness) -> None:
    john = await _english_buyer(bot)
    await _open(john, "Paintings", "Lukisan Kanvas")
    await john.press("Order")
    await john.wait_for("How many pieces?")
    await john.send("21")
    refusal = await john.wait_for("Sorry, only")
    assert "Sorry, only 20 pieces are in stock." in refusal.content
    async with bot.services.session_factory.begin() as session:  # a one-off painting: one left
        await session.execute(update(Product).where(Product.sku == "LKS-KNV-01").values(stock_on_hand=1))
    await _open(john, "Paintings", "Lukisan Kanvas")
    card = john.last_message
    assert card is not None and card.content.endswith("In stock: 1 piece")
    await john.press("Order")
    await john.wait_for("How many pieces?")
    await john.send("2")
    refusal = await john.wait_for("Sorry, only 1")
    assert "Sorry, only 1 piece is in stock." in refusal.content
