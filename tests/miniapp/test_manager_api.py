"""The managers' weekly dashboard API against the real bot: the figures of the chat's weekly summary, for managers
only, with the week read as /laporan reads it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.emulator.server import BotApiEmulator
from models.people import Customer, Line, Role
from tests.miniapp.manager_support import BUN, MANAGER, STAFF, two_weeks_of_orders
from tests.miniapp.support import MiniApp, init_data
from tests.reliability.conftest import RunningClock
from tests.web.support import WebBot, web_bot

BUYER = 1001


def assert_week_48(found: dict[str, Any]) -> None:
    """The figures of the week of Friday 27 November with the orders of `two_weeks_of_orders`."""
    assert (found["week"], found["monday"], found["sunday"]) == ("2026-W48", "2026-11-23", "2026-11-29")
    assert (found["revenue"], found["revenue_text"]) == (35_000, "Rp35.000")
    assert (found["prev_revenue"], found["change_pct"], found["change_text"]) == (14_000, 150, "+150% dari minggu lalu")
    assert found["units_text"] == "10 unit"
    assert (found["orders"]["paid"]["orders"], found["orders"]["paid"]["amount_text"]) == (1, "Rp35.000")
    assert (found["orders"]["unpaid"]["orders"], found["orders"]["unpaid"]["amount_text"]) == (1, "Rp17.500")
    assert found["received_text"] == "Rp35.000"
    assert found["top_products"][0]["sku"] == BUN and found["top_products"][0]["units"] == 10
    assert [(c["name"], c["revenue"], c["prev_revenue"]) for c in found["categories"]] == [("Roti", 35_000, 14_000)]
    friday = next(d for d in found["days"] if d["date"] == "2026-11-27")
    assert friday["revenue_text"] == "Rp35.000" and sum(d["revenue"] for d in found["days"]) == found["revenue"]
    split, sections = found["split"]["total"], {section["key"]: section["lines"] for section in found["sections"]}
    assert split["pnbp"] > 0 and split["capital"] > 0
    words = f"PNBP {split['pnbp_text']} · premi {split['premi_text']} · modal {split['capital_text']}"
    assert words in sections["split"]  # the figures are the chat summary's
    assert (found["complete"], found["prev_week"], found["next_week"]) == (False, "2026-W47", None)


@pytest.fixture
async def budi(shop_bot: WebBot) -> MiniApp:
    """A manager who opens the dashboard."""
    await shop_bot.harness.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    return MiniApp(shop_bot, MANAGER, "Budi")


@pytest.fixture
async def two_weeks(shop_bot: WebBot) -> None:
    """This week: 10 buns paid (Rp35.000), 5 unpaid; the week before: 4 buns paid (Rp14.000)."""
    await two_weeks_of_orders(shop_bot)


@pytest.mark.usefixtures("two_weeks")
async def test_a_manager_reads_the_figures_the_chat_summary_gives_for_the_same_week(
    shop_bot: WebBot, budi: MiniApp
) -> None:
    found = await budi.ok("GET", "/app/api/manager/weekly?week=2026-W48")
    assert_week_48(found)

    chat = shop_bot.harness.emulator.user(MANAGER, "Pak Budi")
    await chat.send("/laporan 2026-W48")
    summary = await chat.wait_for("Ringkasan mingguan")
    cards = "\n\n".join("\n".join(section["lines"]) for section in found["sections"])
    assert summary.content.endswith(cards), (summary.content, cards)
    assert "Rp35.000" in cards and "estimasi" in cards


@pytest.mark.usefixtures("two_weeks")
async def test_without_a_week_the_last_complete_week_is_shown(budi: MiniApp) -> None:
    found = await budi.ok("GET", "/app/api/manager/weekly")
    assert (found["week"], found["complete"], found["next_week"]) == ("2026-W47", True, "2026-W48")
    assert (found["revenue_text"], found["change_text"]) == ("Rp14.000", "baru: minggu lalu belum ada penjualan")
    same = await budi.ok("GET", "/app/api/manager/weekly?week=2026-11-18")  # a day of the week means its week
    assert same["week"] == "2026-W47" and same["revenue"] == 14_000


@pytest.mark.usefixtures("two_weeks")
async def test_an_english_manager_reads_english(shop_bot: WebBot) -> None:
    await shop_bot.harness.add_staff(602, "Mr John", Role.MANAGER)
    found = await MiniApp(shop_bot, 602, "John", "en").ok("GET", "/app/api/manager/weekly?week=2026-W48")
    assert found["change_text"] == "+150% vs the week before" and found["units_text"] == "10 units"
    assert found["title_text"] == "Monday, 23 November 2026 – Sunday, 29 November 2026"


@pytest.mark.usefixtures("two_weeks")
async def test_buyers_and_staff_get_403_and_no_figure(shop_bot: WebBot, siti: MiniApp) -> None:
    await shop_bot.harness.add_staff(STAFF, "Mas Andi", Role.STAFF, Line.BAKERY)
    for who in (siti, MiniApp(shop_bot, STAFF, "Andi")):
        for week in ("", "?week=2026-W48", "?week=rusak"):
            status, answer = await who.get(f"/app/api/manager/weekly{week}")
            assert status == 403, (who.user_id, answer)
            assert answer == {"error": {"code": "not_allowed",
                                        "message": "Mohon maaf, halaman ini hanya untuk pimpinan."}}


@pytest.mark.parametrize("week", ["2026-W60", "minggu lalu", "9999-W52", "2026-W", "x" * 300])
async def test_a_week_that_cannot_be_read_gets_400_with_an_example(budi: MiniApp, week: str) -> None:
    status, answer = await budi.get(f"/app/api/manager/weekly?week={week}")
    assert status == 400 and answer["error"]["code"] == "bad_week"
    assert "Contoh: 2026-W48" in answer["error"]["message"]


async def test_a_tampered_or_foreign_initdata_gets_401_and_no_figure(shop_bot: WebBot, budi: MiniApp) -> None:
    clock, token = shop_bot.harness.clock, shop_bot.harness.emulator.token
    signed_for_buyer = init_data(token, BUYER, clock())
    as_manager = signed_for_buyer.replace("%22id%22%3A1001", "%22id%22%3A601")  # the user id swapped
    assert as_manager != signed_for_buyer
    for forged in (as_manager, init_data("42:other-bot", MANAGER, clock()), init_data(token, MANAGER, clock())[:-4]):
        status, answer = await budi.call("GET", "/app/api/manager/weekly?week=2026-W48",
                                         headers={"Authorization": f"tma {forged}"})
        assert status == 401 and set(answer) == {"error"} and answer["error"]["code"] == "unauthorized"
    async with shop_bot.harness.services.session_factory() as session:  # the refusals registered nobody
        assert await session.scalar(select(func.count()).select_from(Customer)) == 0


async def test_the_page_is_served_without_data_and_revalidated(shop_bot: WebBot) -> None:
    async with shop_bot.http.get(shop_bot.url("/app/manager")) as response:
        page = await response.text()
        assert response.status == 200 and response.headers["Cache-Control"] == "no-cache"
    assert "manager.js" in page and "Rp" not in page


async def test_the_chat_summary_and_the_manager_menu_open_the_dashboard_when_the_mini_app_is_on(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str
) -> None:
    async with web_bot(emulator, sqlite_url, clock, miniapp_url="https://toko.example/app") as bot:
        await bot.harness.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
        chat = emulator.user(MANAGER, "Pak Budi")
        await chat.send("/laporan 2026-W47")
        summary = await chat.wait_for("Ringkasan mingguan")
        dashboard = {"text": "📊 Dashboard", "web_app": {"url": "https://toko.example/app/manager?week=2026-W47"}}
        assert summary.inline_rows == [[dashboard]]
        await chat.send("/pimpinan")
        menu = await chat.wait_for("Menu pimpinan")
        assert menu.inline_rows == [[{**dashboard, "web_app": {"url": "https://toko.example/app/manager"}}]]
        assert "[📊 Dashboard ↗]" in chat.transcript()


async def test_without_the_mini_app_the_chat_summary_has_no_dashboard_button(shop_bot: WebBot) -> None:
    assert shop_bot.harness.services.settings.storefront_url is None
    await shop_bot.harness.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    chat = shop_bot.harness.emulator.user(MANAGER, "Pak Budi")
    await chat.send("/laporan")
    assert (await chat.wait_for("Ringkasan mingguan")).inline_rows == []


async def test_the_same_figures_and_refusal_on_postgresql(pg_shop_bot: WebBot) -> None:
    await pg_shop_bot.harness.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    await two_weeks_of_orders(pg_shop_bot)
    assert_week_48(await MiniApp(pg_shop_bot, MANAGER, "Budi").ok("GET", "/app/api/manager/weekly?week=2026-W48"))
    status, answer = await MiniApp(pg_shop_bot, BUYER).get("/app/api/manager/weekly?week=2026-W48")
    assert status == 403 and set(answer) == {"error"}
