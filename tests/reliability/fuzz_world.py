"""A shop driven by random sequences of buyer, staff and manager actions, through the same service calls the
handlers make (one unit of work each), with process crashes and restarts; and the invariants that must hold
after any sequence."""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import joinedload, selectinload

from bot.render.staff_notices import BuyerWording
from jobs import builders
from jobs.dispatcher import LEASE, Dispatcher, Limits, Pacer
from models import qris
from models.calendar import DayCapacity, PickupSlot, SlotUsage
from models.catalog import Family, Product
from models.db import SessionFactory, create_engine, create_session_factory
from models.errors import DomainError
from models.order import Order, OrderSource
from models.outbox import OutboxMessage, OutboxState
from models.payment import Payment, PaymentMethod, PaymentState
from models.people import Customer, Line, Role
from models.qris import SAMPLE_MERCHANT_PAYLOAD
from models.rules.lifecycle import HOLDS_CAPACITY, is_legal_path
from models.services import admin, buyer_orders, cart, checkout, customers, desk, notify_staff, walkin
from models.services import staff as staff_service
from models.services.ordering import OrderPolicy
from models.services.payments import PaymentPolicy
from tests.support.clock import FakeClock

FRIDAY = date(2026, 11, 27)
BUYERS = (1001, 1002, 1003)
STAFF, YARD, GALERI, MANAGER = 501, 502, 503, 601
SKUS = ("RTI-MNS-CKL", "RTI-SBK-10", "TAS-HB-01", "KRP-UBI-200", "PVB-BTA-6", "SDL-HTL-01")
FAST = Limits(per_second=10_000, private_interval=0.0, group_per_minute=10_000)
ORDER_POLICY = OrderPolicy()
PAYMENT_POLICY = PaymentPolicy(merchant_payload=SAMPLE_MERCHANT_PAYLOAD)
WORDING = BuyerWording("Galeri Karya Binaan, Tanjung Gusta")


class Crash(BaseException):
    """The bot process dies at this point (nothing after it runs)."""


class FakeTelegram:
    """Counts what reaches each chat; can die before a send reaches it, or right after (a send in flight)."""

    def __init__(self) -> None:
        self.received: Counter[tuple[int, str]] = Counter()
        self.calls = 0
        self.crash_at: int | None = None
        self.after_send = False
        self.dead = False
        self.in_flight_crashes = 0

    def _deliver(self, chat_id: int, text: str) -> None:
        if self.dead:
            raise Crash
        self.calls += 1
        crash = self.crash_at is not None and self.calls >= self.crash_at
        if crash and not self.after_send:
            self.dead = True
            raise Crash
        self.received[(chat_id, text)] += 1
        if crash:
            self.dead, self.in_flight_crashes = True, self.in_flight_crashes + 1
            raise Crash

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self._deliver(chat_id, text)

    async def send_photo(self, chat_id: int, photo: Any, caption: str | None = None, **_: Any) -> None:
        self._deliver(chat_id, caption or "<photo>")

    async def send_document(self, chat_id: int, document: Any, caption: str | None = None, **_: Any) -> None:
        self._deliver(chat_id, caption or "<document>")


@dataclass
class World:
    """The running shop: database, clock, Telegram, and what the buyers know."""

    url: str
    clock: FakeClock
    engine: AsyncEngine
    factory: SessionFactory
    telegram: FakeTelegram = field(default_factory=FakeTelegram)
    customers: dict[int, int] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    walk_ins: int = 0
    restarts: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    done: Counter[str] = field(default_factory=Counter)

    @classmethod
    async def open(cls, url: str) -> World:
        """A world on a migrated database holding the default catalogue."""
        clock = FakeClock.__new__(FakeClock)
        clock.set_wib(2026, 11, 26, 8, 0)  # Thursday: Saturday's and Monday's bread stay orderable for long
        engine = create_engine(url)
        world = cls(url, clock, engine, create_session_factory(engine))
        async with world.factory.begin() as s:
            for telegram_id, name, role, line in ((STAFF, "Rina", Role.STAFF, Line.BAKERY),
                                                  (YARD, "Yudi", Role.STAFF, Line.PAVING),
                                                  (GALERI, "Gita", Role.STAFF, Line.GALERI),
                                                  (MANAGER, "Pak Budi", Role.MANAGER, None)):
                await staff_service.add_staff(s, telegram_id, name, role, line)
            for buyer in BUYERS:
                customer = await customers.get_or_register(s, buyer, f"Pembeli {buyer}", "id")
                await customers.set_phone(s, customer, f"08123456{buyer}", now=clock())
                world.customers[buyer] = customer.id
            for sku in SKUS:
                product = await s.scalar(select(Product).where(Product.sku == sku))
                assert product is not None
                world.products[sku] = product
        return world

    async def restart(self) -> None:
        """The process is started again: new connections and dispatcher; leases of the dead one run out."""
        await self.engine.dispose()
        self.engine = create_engine(self.url)
        self.factory = create_session_factory(self.engine)
        self.telegram.dead, self.telegram.crash_at = False, None
        self.clock.advance(seconds=LEASE.total_seconds() + 1)
        self.restarts += 1

    async def close(self) -> None:
        """Releases the connections."""
        await self.engine.dispose()

    # -- the actions -----------------------------------------------------------------------------------

    async def run(self, action: tuple[Any, ...]) -> None:
        """Performs one action; a refusal by the rules is counted, anything else is a failure."""
        name, *args = action
        try:
            await getattr(self, f"_{name}")(*args)
            self.done[name] += 1
        except DomainError as exc:
            self.refusals[f"{name}:{exc.code}:{exc}"] += 1

    async def _orders(self) -> list[Order]:
        async with self.factory() as s:
            return list(await s.scalars(select(Order).order_by(Order.id)))

    async def _order(self, pick: int, buyer: int | None = None) -> Order | None:
        """One order by a drawn number: any order (staff), or one of the buyer's own."""
        orders = [o for o in await self._orders() if buyer is None or o.customer_id == self.customers[buyer]]
        return orders[pick % len(orders)] if orders else None

    def _quantity(self, product: Product, drawn: int) -> int:
        """A drawn number as a quantity that fits the product's scale (bread pieces, bags, sandal pairs, paving)."""
        if product.family is Family.PAVING:
            return 500 + 50 * drawn
        if product.family is Family.GOODS:
            return product.min_qty + drawn % 5
        return drawn

    async def _add(self, buyer: int, sku: str, qty: int, day: int, slot: int) -> None:
        product = self.products[sku]
        extra: dict[str, Any] = {}
        if product.family is Family.BREAD:
            extra = {"fulfil_date": FRIDAY + timedelta(days=day), "slot_id": slot}
        async with self.factory.begin() as s:
            await cart.add(s, self.customers[buyer], product.id, self._quantity(product, qty), now=self.clock(),
                           **extra)

    async def _checkout(self, buyer: int, taps: int, stale_total: bool) -> None:
        customer_id = self.customers[buyer]
        token = checkout.new_checkout_token(customer_id)
        async with self.factory() as s:
            planned = await checkout.plan(s, customer_id, now=self.clock(), policy=ORDER_POLICY)
        total = sum(p.total for p in planned) + (1 if stale_total else 0)
        for _ in range(taps):  # a double tap, or a press after a restart, replays the same summary
            async with self.factory.begin() as s:
                customer = await s.get(Customer, customer_id)
                assert customer is not None
                result = await checkout.checkout(
                    s, customer, token, checkout.CheckoutDetails(), now=self.clock(), order_policy=ORDER_POLICY,
                    payment_policy=PAYMENT_POLICY, expected_total=total,
                )
                for order in result.orders:
                    await notify_staff.alert_line(
                        s, order.family, partial(_alert, code=order.code), now=self.clock(),
                        dedupe_key=f"order-new:{order.code}", template="buyer.new_order",
                    )

    async def _cancel(self, buyer: int, pick: int) -> None:
        order = await self._order(pick, buyer)
        if order is None:
            return
        async with self.factory.begin() as s:
            await buyer_orders.cancel(s, self.customers[buyer], order.code, telegram_id=buyer, now=self.clock())

    async def _pay(self, buyer: int, pick: int) -> None:
        order = await self._order(pick, buyer)
        if order is None:
            return
        async with self.factory.begin() as s:
            await buyer_orders.next_payment(s, self.customers[buyer], order.code, PAYMENT_POLICY, now=self.clock())

    async def _confirm(self, pick: int) -> None:
        order = await self._order(pick)
        if order is None:
            return
        async with self.factory() as s:
            payment = await s.scalar(select(Payment.id).where(Payment.order_id == order.id).order_by(Payment.id.desc()))
        if payment is None:
            return
        async with self.factory.begin() as s:
            await desk.confirm_payment(s, payment, staff_telegram_id=STAFF, now=self.clock(), wording=WORDING,
                                       policy=PAYMENT_POLICY)

    async def _cash(self, pick: int) -> None:
        order = await self._order(pick)
        if order is not None:
            async with self.factory.begin() as s:
                await desk.receive_cash(s, order.id, staff_telegram_id=STAFF, now=self.clock(), wording=WORDING,
                                        policy=PAYMENT_POLICY)

    async def _staff(self, step: str, pick: int) -> None:
        order = await self._order(pick)
        if order is None:
            return
        async with self.factory.begin() as s:
            if step == "start":
                await desk.start_production(s, order.id, staff_telegram_id=STAFF, now=self.clock())
            elif step == "ready":
                await desk.mark_ready(s, order.id, staff_telegram_id=STAFF, now=self.clock(), wording=WORDING)
            elif step == "done":
                await desk.hand_over(s, order.id, staff_telegram_id=STAFF, now=self.clock())
            else:
                await desk.cancel(s, order.id, "stok habis", staff_telegram_id=STAFF, now=self.clock(),
                                  wording=WORDING)

    async def _expire(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)
        async with self.factory.begin() as s:
            await desk.expire_unpaid(s, now=self.clock(), wording=WORDING)

    async def _closing(self, pick: int) -> None:
        order = await self._order(pick)
        day = order.fulfil_date if order is not None else FRIDAY
        schedule = builders.Schedule.of(_settings())
        async with self.factory.begin() as s:
            await builders.build_closing(s, day=day, now=self.clock(), due=self.clock(), schedule=schedule)

    async def _capacity(self, sku: str, day: int, capacity: int) -> None:
        async with self.factory.begin() as s:
            await admin.set_day_capacity(s, MANAGER, sku, FRIDAY + timedelta(days=day), capacity, now=self.clock())

    async def _stock(self, sku: str, quantity: int) -> None:
        async with self.factory.begin() as s:
            await admin.set_stock(s, MANAGER, sku, quantity, now=self.clock())

    async def _reorder(self, buyer: int, pick: int, day: int, slot: int) -> None:
        order = await self._order(pick, buyer)
        if order is None:
            return
        async with self.factory.begin() as s:
            await cart.reorder(s, self.customers[buyer], order.code, now=self.clock(),
                               fulfil_date=FRIDAY + timedelta(days=day), slot_id=slot)

    async def _walkin(self, sku: str, qty: int, day: int, slot: int, cash: bool, taps: int) -> None:
        product = self.products[sku]
        bread = product.family is Family.BREAD
        self.walk_ins += 1
        request = walkin.WalkInOrder(
            source=OrderSource.WALK_IN, product_id=product.id, quantity=self._quantity(product, qty),
            fulfil_date=FRIDAY + timedelta(days=day) if bread else None, slot_id=slot if bread else None,
            name="Ibu Sari", phone="081298765432", cash=cash,
        )
        for _ in range(taps):
            async with self.factory.begin() as s:
                await walkin.record_order(s, request, staff_telegram_id=STAFF, now=self.clock(),
                                          order_policy=ORDER_POLICY, payment_policy=PAYMENT_POLICY,
                                          checkout_key=f"walkin:{STAFF}:{self.walk_ins}")

    async def _dispatch(self, crash_at: int, after_send: bool) -> None:
        """One dispatcher pass; crash_at > 0 kills the process at that many sends from now."""
        telegram = self.telegram
        if crash_at:
            telegram.crash_at, telegram.after_send = telegram.calls + crash_at, after_send
        dispatcher = Dispatcher(self.factory, telegram, self.clock, pacer=Pacer(FAST))  # type: ignore[arg-type]
        try:
            await dispatcher.run_once()
        except Crash:
            await self.restart()

    async def _restart(self) -> None:
        await self.restart()

    async def drain(self) -> None:
        """Sends everything still due, restarting once so rows a dead process claimed come back."""
        await self.restart()
        for _ in range(50):
            dispatcher = Dispatcher(self.factory, self.telegram, self.clock, pacer=Pacer(FAST))  # type: ignore[arg-type]
            report = await dispatcher.run_once()
            if not report.claimed:
                return
        raise AssertionError("the outbox does not drain")


def _alert(lang: str, *, code: str) -> str:
    """A staff alert's words (the real ones come from the bot layer)."""
    return f"Pesanan baru {code} ({lang})"


def _settings() -> Any:
    """Default settings (for the schedule of the closing builder)."""
    from bot.settings import Settings

    return Settings(_env_file=None)  # type: ignore[call-arg]


# -- the invariants -------------------------------------------------------------------------------------------


async def check_invariants(world: World) -> None:
    """Every invariant of issue 7 in the fuzzed world; raises AssertionError naming what broke."""
    await shop_invariants(world.factory, world.telegram.received, world.telegram.in_flight_crashes)


async def shop_invariants(factory: SessionFactory, received: Counter[tuple[int, str]], in_flight: int) -> None:
    """Every invariant of issue 7 on a database, given what reached each chat and how many crashes happened
    with a send in flight; raises AssertionError naming what broke."""
    async with factory() as s:
        with_rows = (selectinload(Order.lines), selectinload(Order.history))
        orders = list(await s.scalars(select(Order).order_by(Order.id).options(*with_rows)))
        payments = list(await s.scalars(select(Payment).options(joinedload(Payment.order))))
        ledgers = list(await s.scalars(select(DayCapacity)))
        slot_uses = list(await s.scalars(select(SlotUsage)))
        slots = {slot.id: slot for slot in await s.scalars(select(PickupSlot))}
        products = list(await s.scalars(select(Product)))
        outbox = list(await s.scalars(select(OutboxMessage)))
    for order in orders:
        assert order.total == sum(line.line_total for line in order.lines), f"{order.code}: total != sum of lines"
        assert all(line.line_total == line.unit_price * line.quantity for line in order.lines), order.code
        path = [change.to_status for change in order.history]
        assert is_legal_path(path), f"{order.code}: illegal status path {path}"
        assert path[-1] is order.status, f"{order.code}: history ends at {path[-1]}, order is {order.status}"
        assert all(c.from_status == p.to_status for p, c in zip(order.history, order.history[1:], strict=False))
        paid = sum(p.amount for p in payments if p.order_id == order.id and p.state is PaymentState.PAID)
        assert order.paid_amount == paid, f"{order.code}: paid {order.paid_amount} but payments say {paid}"
        assert 0 <= order.paid_amount <= order.total, order.code
    for payment in payments:
        if payment.method is PaymentMethod.QRIS and payment.payload:
            tags = {o.tag: o for o in qris.validate(payment.payload)}
            assert int(tags["54"].value) == payment.amount, f"payment {payment.id}: QR amount != amount"
            bill = {c.tag: c.value for c in tags["62"].children or ()}["01"]
            assert bill.startswith(payment.order.code.replace("-", "")), f"payment {payment.id}: bill {bill}"
    holding = [o for o in orders if o.status in HOLDS_CAPACITY]
    for ledger in ledgers:
        committed = sum(line.quantity for o in holding if o.family is Family.BREAD and o.fulfil_date == ledger.day
                        for line in o.lines if line.product_id == ledger.product_id)
        where = f"ledger of product {ledger.product_id} on {ledger.day}"
        assert ledger.committed == committed, f"{where}: {ledger.committed} != {committed}"
        assert ledger.committed <= ledger.capacity, f"{where} over capacity"
    for use in slot_uses:
        booked = sum(1 for o in holding if o.slot_id == use.slot_id and o.fulfil_date == use.day)
        assert use.used == booked, f"slot {use.slot_id}/{use.day}: used {use.used} != {booked}"
        assert use.used <= slots[use.slot_id].capacity
    for product in products:
        assert product.stock_on_hand is None or product.stock_on_hand >= 0, f"{product.sku} stock negative"
        assert product.stock_ready is None or product.stock_ready >= 0, f"{product.sku} ready stock negative"
    rows = Counter((row.chat_id, row.text) for row in outbox)
    doubled = sum(max(0, n - rows[key]) for key, n in received.items() if key in rows)
    assert doubled <= in_flight, f"{doubled} outbox messages sent twice, {in_flight} crashes with a send in flight"
    for row in outbox:
        if row.state is OutboxState.SENT:
            assert received[(row.chat_id, row.text)] >= 1, f"outbox #{row.id} SENT but never sent"


async def final_check(world: World) -> None:
    """After the sequence: the outbox drains completely and every invariant holds."""
    await world.drain()
    async with world.factory() as s:
        states = Counter(row.state for row in await s.scalars(select(OutboxMessage)))
    assert set(states) <= {OutboxState.SENT}, states
    await check_invariants(world)


def reset_sqlite(template: Path, target: Path) -> None:
    """A fresh copy of the template database file (its WAL and shared-memory files removed first)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
