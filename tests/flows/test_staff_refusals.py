"""A buyer who tries every staff and manager command, and forges staff and manager buttons, gets a polite
refusal to each and changes nothing; every press is answered once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.audit import StaffInvite
from models.calendar import Holiday
from models.catalog import Product
from models.order import Order
from models.payment import Payment
from models.people import Line, Role, StaffMember
from tests.flows.staff_helpers import ensure_jobs, place
from tests.support.harness import Harness

BUYER = 1001
STAFF = 501
MANAGER = 601

STAFF_ONLY = ["/hariini", "/produksi", "/produksi besok", "/catat", "/petugas"]
MANAGER_ONLY = [
    "/pimpinan", "/laporan", "/ekspor 01-11-2026 30-11-2026", "/undang roti", "/undang pimpinan", "/staf",
    "/harga RTI-MNS-CKL 1", "/produk RTI-MNS-CKL off", "/stok KRP-UBI-200 0", "/kapasitas RTI-MNS-CKL 28-11-2026 0",
    "/libur 28-11-2026 Tutup", "/audit {code}",
]
SHARED_NAMES = ["/pesanan {code}", "/bayar {code}", "/katalog"]  # a buyer's handler may answer these


@pytest.fixture(autouse=True)
def _jobs(bot: Harness) -> None:
    """The dispatcher runs, so a change that slipped through would also show as a message."""
    ensure_jobs(bot)


async def _state(bot: Harness) -> tuple[object, ...]:
    """Everything a staff or manager action could change."""
    async with bot.services.session_factory() as s:
        orders = [(o.code, o.status, o.paid_amount, o.pickup_code) for o in await s.scalars(select(Order))]
        pays = [(p.id, p.state, p.proof_file_id, p.note) for p in await s.scalars(select(Payment))]
        products = [(p.sku, p.price, p.active, p.stock_on_hand) for p in await s.scalars(select(Product))]
        staff = [(m.telegram_id, m.role, m.active) for m in await s.scalars(select(StaffMember))]
        holidays = list(await s.scalars(select(Holiday.day)))
        invites = list(await s.scalars(select(StaffInvite.id)))
    return orders, pays, products, staff, holidays, invites


async def test_a_buyer_gets_a_polite_refusal_for_every_staff_and_manager_command(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    order, _ = await place(bot, 4242, "RTI-MNS-CKL", 10)
    buyer = bot.emulator.user(BUYER, "Siti")
    await buyer.send("/start")
    await buyer.wait_idle()
    before = await _state(bot)
    for command in STAFF_ONLY:
        await buyer.send(command)
        assert "Mohon maaf, menu ini khusus petugas." in (await buyer.wait_for("Mohon maaf")).content
    for command in MANAGER_ONLY:
        await buyer.send(command.format(code=order.code))
        assert "Mohon maaf, menu ini khusus pimpinan." in (await buyer.wait_for("Mohon maaf")).content
    for command in SHARED_NAMES:
        await buyer.send(command.format(code=order.code))
        await buyer.wait_idle()
    assert order.code not in "\n".join(m.content for m in buyer.inbox)
    assert await _state(bot) == before


async def test_forged_staff_and_manager_buttons_are_refused_and_answered_once(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    order, payment = await place(bot, 4242, "RTI-MNS-CKL", 10)
    buyer = bot.emulator.user(BUYER, "Siti")
    await buyer.send("/start")
    await buyer.wait_idle()
    before = await _state(bot)
    forged = [
        f"so:{order.id}", f"sp:{payment.id}", f"sc:{order.id}", f"spr:{order.id}", f"sr:{order.id}",
        f"sd:{order.id}", f"sx:{order.id}", f"spok:{payment.id}", f"spno:{payment.id}", "sxq",
        "sws:walk_in", "swok", "swx", "szzz:1", "sp:notanumber",
        "minv:bakery", "mia:1", "mid:1", f"mrm:{STAFF}",
    ]
    for data in forged:
        query = await buyer.press_data(data)
        await buyer.wait_response(0, query_id=query, timeout=10)  # every press is answered once
        answer = buyer.callback_answer(query)
        assert answer is not None, data
        assert answer["show_alert"] and "Mohon maaf" in (answer["text"] or ""), data
    assert await _state(bot) == before
    assert all(order.code not in m.content for m in buyer.inbox)


async def test_staff_pressing_a_manager_button_is_refused(bot: Harness) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    staff = bot.emulator.user(STAFF, "Rina")
    await staff.send("/petugas")
    await staff.wait_for("Menu petugas")
    before = await _state(bot)
    query = await staff.press_data(f"mrm:{MANAGER}")
    await staff.wait_response(0, query_id=query, timeout=10)
    answer = staff.callback_answer(query)
    assert answer is not None and "khusus pimpinan" in (answer["text"] or "")
    assert await _state(bot) == before
