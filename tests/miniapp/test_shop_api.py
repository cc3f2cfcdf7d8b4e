"""The storefront's reading API against the real bot: who the buyer is, the catalogue, a product, dates, slots."""

from __future__ import annotations

from sqlalchemy import func, select, update

from models.catalog import Product
from models.people import Customer
from tests.miniapp.support import MiniApp, init_data
from tests.web.support import WebBot


async def test_the_session_registers_the_buyer_and_sends_every_word_of_the_page(siti: MiniApp) -> None:
    found = await siti.ok("GET", "/app/api/session")
    assert found["user"] == {"id": 1001, "first_name": "Siti"}
    assert (found["lang"], found["role"], found["phone"], found["cart_count"]) == ("id", "buyer", None, 0)
    assert found["texts"]["app_add_to_cart"] == "Tambah ke keranjang"
    assert len(found["texts"]) >= 40 and all(k.startswith("app_") for k in found["texts"])
    async with siti.bot.harness.services.session_factory() as session:
        assert await session.scalar(select(Customer.name).where(Customer.telegram_id == 1001)) == "Siti"


async def test_an_english_buyer_reads_english(shop_bot: WebBot) -> None:
    found = await MiniApp(shop_bot, 1002, "John", "en").ok("GET", "/app/api/session")
    assert found["lang"] == "en" and found["texts"]["app_add_to_cart"] == "Add to cart"


async def test_the_catalogue_lists_categories_with_priced_products(siti: MiniApp) -> None:
    found = await siti.ok("GET", "/app/api/catalogue")
    names = [c["name"] for c in found["categories"]]
    assert "Roti" in names
    bread = next(c for c in found["categories"] if c["name"] == "Roti")
    first = bread["products"][0]
    assert first["family"] == "bread" and first["price_text"].startswith("Rp") and "/" in first["price_text"]
    assert set(first) >= {"sku", "name", "price", "unit", "thumb"}


async def test_a_bread_product_shows_its_dates_with_the_reason_a_date_is_closed(siti: MiniApp) -> None:
    found = await siti.ok("GET", "/app/api/products/RTI-MNS-CKL")
    assert found["family"] == "bread" and found["price"] == 3500
    assert "Tanpa pengawet, tahan 3 hari." in found["facts"]  # the chat card's lines, as plain text
    dates = {d["date"]: d for d in found["dates"]}
    assert dates["2026-11-28"]["available"] is True and dates["2026-11-28"]["label"] == "Sab 28/11"
    assert dates["2026-11-28"]["label_long"] == "Sabtu, 28 November 2026"
    closed = [d for d in found["dates"] if not d["available"]]
    assert closed and all(d["reason"] for d in closed)
    slots = await siti.ok("GET", "/app/api/products/RTI-MNS-CKL/slots?date=2026-11-28")
    assert slots["slots"][0]["label"] == "07.00–09.00 WIB" or "WIB" in slots["slots"][0]["label"]
    assert all(s["remaining"] > 0 for s in slots["slots"])


async def test_paving_is_quoted_as_the_chat_echoes_it(siti: MiniApp) -> None:
    paving = await _first_of(siti, "paving")
    found = await siti.ok("POST", "/app/api/paving/quote", {"sku": paving, "input": "50 m2"})
    assert found["pieces"] > 0 and found["total_text"].startswith("Rp")
    assert any("50 m²" in line for line in found["lines"])
    assert found["ready_text"] and not any("<" in line for line in found["lines"])


async def test_unknown_products_and_bad_dates_are_refused_politely(siti: MiniApp) -> None:
    status, answer = await siti.get("/app/api/products/NOPE-1")
    assert status == 404 and "Mohon maaf" in answer["error"]["message"]
    status, answer = await siti.get("/app/api/products/RTI-MNS-CKL/slots?date=kemarin")
    assert status == 400 and answer["error"]["code"] == "bad_request"
    status, answer = await siti.get("/app/api/products/RTI-MNS-CKL/slots?date=2026-11-20")
    assert status in (400, 409) and answer["error"]["message"]
    paving = await _first_of(siti, "paving")
    status, answer = await siti.post("/app/api/paving/quote", {"sku": paving, "input": "banyak"})
    assert status == 400 and answer["error"]["message"]


async def test_no_header_or_a_forged_one_gets_401_and_registers_nobody(shop_bot: WebBot) -> None:
    clock, token = shop_bot.harness.clock, shop_bot.harness.emulator.token
    tampered = init_data(token, 1001, clock()).replace("Siti", "Sita")
    cases = {
        "no header": {},
        "wrong scheme": {"Authorization": "Bearer x"},
        "tampered": {"Authorization": f"tma {tampered}"},
        "other bot": {"Authorization": f"tma {init_data('42:other-bot', 1001, clock())}"},
        "expired": {"Authorization": f"tma {init_data(token, 1001, clock().replace(year=2025))}"},
        "no hash": {"Authorization": "tma " + init_data(token, 1001, clock()).split("&hash=")[0]},
    }
    app = MiniApp(shop_bot, 1001)
    for name, headers in cases.items():
        status, answer = await app.call("GET", "/app/api/session", headers=headers)
        assert (status, answer["error"]["code"]) == (401, "unauthorized"), name
    async with shop_bot.harness.services.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Customer)) == 0


async def _first_of(app: MiniApp, family: str) -> str:
    """The SKU of the first product of a family in the catalogue."""
    found = await app.ok("GET", "/app/api/catalogue")
    return next(p["sku"] for c in found["categories"] for p in c["products"] if p["family"] == family)


async def test_goods_show_their_stock_and_a_painting_is_one_of_a_kind(siti: MiniApp) -> None:
    async with siti.bot.harness.services.session_factory.begin() as session:  # as a manager sets a painting
        await session.execute(update(Product).where(Product.sku == "LKS-KNV-01").values(stock_on_hand=1, max_qty=1))
    painting = await siti.ok("GET", "/app/api/products/LKS-KNV-01")
    assert painting["stock"] == {"on_hand": 1, "one_of_a_kind": True} and painting["dates"] is None
    bags = await siti.ok("GET", "/app/api/products/TAS-HB-01")
    assert bags["stock"]["on_hand"] > 1 and bags["stock"]["one_of_a_kind"] is False
    sandals = await siti.ok("GET", "/app/api/products/SDL-HTL-01")
    assert sandals["stock"] is None and sandals["ready_text"].startswith("Siap paling cepat")
