"""Builders shared by the staff and manager flow tests: orders placed straight through the services."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from bot.app import schedule_jobs
from bot.emulator.user import EmulatedUser
from models.catalog import Product
from models.order import Order
from models.payment import Payment
from models.services import customers, payments
from models.services.ordering import LineRequest, OrderRequest, place_order
from tests.support.harness import Harness

SATURDAY = date(2026, 11, 28)


async def place(bot: Harness, buyer_id: int, sku: str, qty: int, day: date | None = SATURDAY,
                slot: int | None = None) -> tuple[Order, Payment]:
    """A buyer's order with its payment code, as the buyer side would create it."""
    svc = bot.services
    async with svc.session_factory.begin() as s:
        customer = await customers.get_or_register(s, buyer_id, f"Buyer {buyer_id}", "id")
        product = await s.scalar(select(Product).where(Product.sku == sku))
        assert product is not None
        order = await place_order(
            s, OrderRequest(customer_id=customer.id, lines=[LineRequest(product.id, qty)], fulfil_date=day,
                            slot_id=slot),
            now=svc.now(), policy=svc.order_policy,
        )
        payment = await payments.issue_payment(s, order, svc.payment_policy, now=svc.now())
    return order, payment


async def reload(bot: Harness, code: str) -> Order:
    """The order as stored now."""
    async with bot.services.session_factory() as s:
        found = await s.scalar(select(Order).where(Order.code == code))
        assert found is not None
        return found


def ensure_jobs(bot: Harness) -> None:
    """Registers the schedules when the harness started the app without post_init (as `async with app` does)."""
    queue = bot.app.job_queue
    assert queue is not None
    if not queue.get_jobs_by_name("outbox-dispatcher"):
        schedule_jobs(bot.app)


async def invite_link(bot: Harness, manager_id: int, line: str = "roti") -> str:
    """The deep-link payload a manager gets from /undang."""
    manager = bot.emulator.user(manager_id, "Pak Budi")
    await manager.send(f"/undang {line}")
    message = await manager.wait_for("Tautan undangan")
    found = re.search(r"\?start=(inv_[A-Za-z0-9_-]+)", message.content)
    assert found, message.content
    return found.group(1)


async def walk_in_to_summary(staff: EmulatedUser, qty: str, *, pay: str = "Tunai") -> None:
    """A staff member records a walk-in buyer's bread (Ibu Sari, Saturday 10.00-12.00) up to the summary."""
    await staff.send("/catat")
    await staff.wait_for("Catat pesanan dari")
    await staff.press("Datang langsung")
    await staff.wait_for("Pilih produk")
    await staff.press("Roti Manis Isi Cokelat")
    await staff.wait_for("Berapa pcs")
    await staff.send(qty)
    await staff.wait_for("Tanggal ambil")
    await staff.press("Sab 28/11")
    await staff.wait_for("Slot ambil")
    await staff.press("10.00–12.00 WIB")
    await staff.wait_for("Nama pembeli")
    await staff.send("Ibu Sari")
    await staff.wait_for("Nomor HP")
    await staff.send("0812 3456 7890")
    await staff.wait_for("Cara bayar")
    await staff.press(pay)
    await staff.wait_for("Cek lagi")
