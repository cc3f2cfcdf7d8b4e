"""Seeds a database with a year of realistic orders, incrementally (10k, then up to 100k, then 1M...).

Run alone: `python -m bench.seed --url sqlite+aiosqlite:///var/bench.sqlite3 --orders 100000`.

The world ends at ANCHOR (a Wednesday morning, WIB). Orders are placed over the 365 days before it, fewer on
Sundays and in the small hours, more in December and around Lebaran; about 78 % bread (1-3 lines, picked up the
next day, snack boxes later), 17 % goods from stock (same day), 5 % paving (weeks ahead, 50 % deposit). Past
orders ended DONE, EXPIRED, CANCELLED or NO_SHOW; orders for today and the coming days are PAID, READY, awaiting
payment (only those placed within the last hour) and so on. Each order gets its lines, its status history (the
creation and the final change), a payment row, and one in 200 attempts leaves a "demand.refused" audit entry.
Rows go in batches of 20,000 orders as plain INSERT executemany calls through the driver (values converted as
the ORM's column types would store them), with explicit ids so lines can refer to their orders without RETURNING;
when seeding SQLite and PostgreSQL together, both take each batch at the same time.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.settings import DEFAULT_CATALOGUE
from models import qris
from models.catalog import Family, Product
from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.order import ActorKind, Fulfilment, Order, OrderLine, OrderSource, OrderStatus, StatusChange
from models.payment import PaymentKind, PaymentMethod, PaymentState
from models.people import Customer
from models.rules.calendar import WIB
from models.rules.codes import ORDER_ALPHABET, ORDER_PREFIX
from models.rules.lifecycle import CONFIRMED
from models.services import catalogue_io

ANCHOR = datetime(2026, 11, 25, 10, 0, tzinfo=WIB).astimezone(UTC)
ANCHOR_DAY = datetime(2026, 11, 25).date()
DAYS = 365
BATCH = 20_000
TABLES = (("orders", "orders"), ("order_lines", "lines"), ("order_status_history", "history"),
          ("payments", "payments"), ("audit_log", "audit"))
ORDERS_PER_CUSTOMER = 15
S = OrderStatus

_BREAD_WEIGHTS = {"RTI-MNS-CKL": 35, "RTI-MNS-KJU": 30, "RTI-SBK-10": 15, "RTI-TWR-400": 15, "RTI-BOX-ACR": 5}
_FAMILY_WEIGHTS = {Family.BREAD: 78, Family.GOODS: 17, Family.PAVING: 5}
_PAST = {
    Family.BREAD: {S.DONE: 84, S.EXPIRED: 8, S.CANCELLED: 5, S.NO_SHOW: 3},
    Family.GOODS: {S.DONE: 90, S.EXPIRED: 6, S.CANCELLED: 4},
    Family.PAVING: {S.DONE: 85, S.CANCELLED: 10, S.EXPIRED: 5},
}
_TODAY = {S.READY: 55, S.PAID: 20, S.DONE: 15, S.EXPIRED: 5, S.CANCELLED: 5}
_FUTURE = {
    Family.BREAD: {S.PAID: 85, S.EXPIRED: 10, S.CANCELLED: 5},
    Family.GOODS: {S.PAID: 85, S.EXPIRED: 10, S.CANCELLED: 5},
    Family.PAVING: {S.PARTIALLY_PAID: 45, S.IN_PRODUCTION: 35, S.EXPIRED: 10, S.CANCELLED: 10},
}


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, total: int, start: int = 0) -> None:
        self.label, self.total, self.done = label, total, start
        self._base = self._drawn = start
        self._started = self._shown = time.monotonic()

    def advance(self, n: int) -> None:
        """Adds n finished items and redraws at most five times a second."""
        self.done += n
        now = time.monotonic()
        if now - self._shown >= 0.2:
            self._shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        width = 30
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(width * share) + "." * (width - int(width * share))
        self._drawn = self.done
        elapsed = now - self._started
        rate = (self.done - self._base) / elapsed if elapsed > 0 else 0.0
        sys.stderr.write(
            f"\r  {self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,} orders {rate:,.0f}/s {elapsed:5.1f}s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        """Ends the line."""
        if self.done != self._drawn:
            self._draw(time.monotonic())
        sys.stderr.write("\n")
        sys.stderr.flush()


@dataclass(frozen=True)
class ProductInfo:
    """What the generator needs to know about a product."""

    id: int
    sku: str
    family: Family
    price: int


@dataclass
class SeedStats:
    """What a seeding step did."""

    orders: int
    lines: int
    seconds: float


def order_code(n: int) -> str:
    """A unique, well-formed order code for sequence number n ("KB-" + 6 characters of the code alphabet)."""
    base = len(ORDER_ALPHABET)
    chars = []
    for _ in range(6):
        n, digit = divmod(n, base)
        chars.append(ORDER_ALPHABET[digit])
    return ORDER_PREFIX + "".join(reversed(chars))


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    """A key drawn with the given weights."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_weights() -> list[float]:
    """Relative order volume of each of the DAYS days before the anchor (index 0 = anchor day)."""
    weights = []
    for back in range(DAYS):
        day = ANCHOR_DAY - timedelta(days=back)
        weight = 0.4 if day.weekday() == 6 else 1.0
        if day.month == 12:
            weight *= 1.3  # year-end orders
        if datetime(2026, 3, 10).date() <= day <= datetime(2026, 3, 25).date():
            weight *= 1.6  # the run-up to Lebaran (Idul Fitri 2026 falls on 20 March)
        weights.append(weight)
    return weights


class Generator:
    """Builds rows for orders number `first`..`last` (1-based ids) deterministically from a seed."""

    def __init__(self, products: list[ProductInfo], customers: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.customers = customers
        self.by_family = {f: [p for p in products if p.family is f] for f in Family}
        self.bread = {p.sku: p for p in self.by_family[Family.BREAD]}
        self.days = list(range(DAYS))
        self.day_weights = _day_weights()
        self.payload = qris.to_dynamic(qris.SAMPLE_MERCHANT_PAYLOAD, 28_500, bill_number="KB7GQ2XM")

    def _lines(self, family: Family) -> list[tuple[ProductInfo, int]]:
        """Products and quantities of one order."""
        rng = self.rng
        if family is Family.BREAD:
            chosen: dict[str, int] = {}
            for _ in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
                sku = _pick(rng, _BREAD_WEIGHTS)
                qty = rng.randint(30, 100) if sku == "RTI-BOX-ACR" else min(40, 1 + int(rng.expovariate(1 / 4)))
                chosen[sku] = qty
            return [(self.bread[s], q) for s, q in chosen.items() if s in self.bread]
        if family is Family.PAVING:
            return [(rng.choice(self.by_family[family]), rng.randint(2, 60) * 50)]
        picks = rng.sample(self.by_family[family], k=rng.choices((1, 2), weights=(80, 20))[0])
        return [(p, rng.randint(1, 3)) for p in picks]

    def _status(self, family: Family, fulfil: date, created: datetime) -> OrderStatus:
        """A plausible status as of the anchor."""
        if fulfil < ANCHOR_DAY:
            return _pick(self.rng, _PAST[family])
        if ANCHOR - created < timedelta(hours=1) and self.rng.random() < 0.6:
            return S.AWAITING_PAYMENT
        if fulfil == ANCHOR_DAY and family is not Family.PAVING:
            return _pick(self.rng, _TODAY)
        return _pick(self.rng, _FUTURE[family])

    def rows(self, first: int, last: int, line_id: int, history_id: int) -> dict[str, list[dict[str, Any]]]:
        """Rows of every table for the orders first..last; ids of lines and history continue from the given."""
        rng = self.rng
        out: dict[str, list[dict[str, Any]]] = {"orders": [], "lines": [], "history": [], "payments": [], "audit": []}
        backs = rng.choices(self.days, weights=self.day_weights, k=last - first + 1)
        for order_id, back in zip(range(first, last + 1), backs, strict=True):
            family = _pick(rng, _FAMILY_WEIGHTS)
            wib_day = ANCHOR_DAY - timedelta(days=back)
            minute = rng.randint(6 * 60, 21 * 60) if rng.random() < 0.95 else rng.randint(0, 24 * 60 - 1)
            created = min(ANCHOR, datetime.combine(wib_day, datetime.min.time(), WIB).astimezone(UTC)
                          + timedelta(minutes=minute, seconds=rng.randint(0, 59)))
            lines = self._lines(family)
            if family is Family.BREAD:
                lead = 3 if any(p.sku == "RTI-BOX-ACR" for p, _ in lines) else rng.choices((1, 2), (85, 15))[0]
            else:
                lead = rng.randint(14, 30) if family is Family.PAVING else 0
            fulfil = wib_day + timedelta(days=lead)
            status = self._status(family, fulfil, created)
            total = sum(p.price * q for p, q in lines)
            deposit = (total + 1) // 2 if family is Family.PAVING else 0
            paid = deposit if status is S.PARTIALLY_PAID else (total if status in CONFIRMED else 0)
            source = OrderSource.BOT if rng.random() < 0.8 else OrderSource.WALK_IN
            delivered = family is Family.PAVING and rng.random() < 0.5
            fulfilment = Fulfilment.DELIVERY if delivered else Fulfilment.PICKUP
            customer = 1 + int(self.customers * rng.random() ** 2)  # regulars order more often
            out["orders"].append({
                "id": order_id, "code": order_code(order_id), "customer_id": customer,
                "family": family, "status": status, "source": source, "fulfilment": fulfilment,
                "fulfil_date": fulfil, "total": total, "deposit_amount": deposit, "paid_amount": paid,
                "expires_at": created + timedelta(hours=1), "created_at": created,
            })
            for product, qty in lines:
                out["lines"].append({
                    "id": line_id, "order_id": order_id, "product_id": product.id, "quantity": qty,
                    "unit_price": product.price, "line_total": product.price * qty,
                })
                line_id += 1
            changes: list[tuple[OrderStatus | None, OrderStatus, datetime]] = [(None, S.AWAITING_PAYMENT, created)]
            if status is not S.AWAITING_PAYMENT:
                when = created + timedelta(minutes=rng.randint(2, 50)) if status not in (S.DONE, S.NO_SHOW) else (
                    datetime.combine(fulfil, datetime.min.time(), WIB).astimezone(UTC) + timedelta(hours=15))
                changes.append((S.AWAITING_PAYMENT, status, max(when, created)))
            for before, after, at in changes:
                out["history"].append({
                    "id": history_id, "order_id": order_id, "from_status": before, "to_status": after,
                    "actor_kind": ActorKind.CUSTOMER if before is None else ActorKind.STAFF, "at": at,
                })
                history_id += 1
            out["payments"].append(self._payment(order_id, status, paid or deposit or total, created))
            if rng.random() < 0.005:
                out["audit"].append({
                    "action": "demand.refused", "subject": f"product:{lines[0][0].sku}", "at": created,
                    "detail": {"reason": rng.choice(["capacity_full", "past_cutoff"]), "quantity": lines[0][1]},
                })
        return out

    def _payment(self, order_id: int, status: OrderStatus, amount: int, created: datetime) -> dict[str, Any]:
        """The order's QRIS payment row in the state its status implies."""
        if status in CONFIRMED:
            state, paid_at = PaymentState.PAID, created + timedelta(minutes=self.rng.randint(2, 50))
        elif status is S.AWAITING_PAYMENT:
            state, paid_at = PaymentState.PENDING, None
        else:
            state, paid_at = PaymentState.EXPIRED, None
        kind = PaymentKind.DEPOSIT if status is S.PARTIALLY_PAID else PaymentKind.FULL
        return {
            "order_id": order_id, "kind": kind, "method": PaymentMethod.QRIS, "amount": amount,
            "payable_amount": amount, "payload": self.payload, "state": state,
            "expires_at": created + timedelta(hours=1), "paid_at": paid_at, "created_at": created,
        }


async def prepare(engine: AsyncEngine) -> None:
    """Migrates and loads the default catalogue when the database is empty."""
    await upgrade(engine)
    factory = create_session_factory(engine)
    async with factory.begin() as session:
        if await catalogue_io.catalogue_is_empty(session):
            await catalogue_io.import_catalogue(session, DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


async def _count(conn: AsyncConnection, column: Any) -> int:
    """max(column) or 0."""
    return int((await conn.scalar(select(func.coalesce(func.max(column), 0)))) or 0)


async def _add_customers(conn: AsyncConnection, have: int, want: int) -> None:
    """Adds customers have+1..want."""
    rows = [
        {"id": i, "telegram_id": 5_000_000_000 + i, "name": f"Pembeli {i}", "language": "id",
         "pseudonymised": False, "blocked_bot": False, "created_at": ANCHOR - timedelta(days=DAYS)}
        for i in range(have + 1, want + 1)
    ]
    for start in range(0, len(rows), BATCH):
        await _executemany(conn, "customers", rows[start : start + BATCH])


async def _state(engine: AsyncEngine) -> tuple[int, int, int, int, list[ProductInfo]]:
    """Orders, last line id, last history id and customers already there, and the products."""
    async with engine.connect() as conn:
        products = [
            ProductInfo(r.id, r.sku, r.family, r.price)
            for r in await conn.execute(select(Product.id, Product.sku, Product.family, Product.price))
        ]
        return (
            await _count(conn, Order.id), await _count(conn, OrderLine.id), await _count(conn, StatusChange.id),
            await _count(conn, Customer.id), products,
        )


def _driver_value(value: Any, sqlite: bool) -> Any:
    """A value as the driver stores it for our column types (what the ORM's type processing would produce)."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dict):
        return json.dumps(value)
    if sqlite and isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if sqlite and isinstance(value, date):
        return value.isoformat()
    return value


async def _executemany(conn: AsyncConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """One executemany of plain INSERTs straight through the driver (no per-row ORM work)."""
    if not rows:
        return
    columns = list(rows[0])
    sqlite = conn.dialect.name == "sqlite"
    marks = ", ".join("?" if sqlite else f"${i}" for i in range(1, len(columns) + 1))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    await conn.exec_driver_sql(sql, [tuple(_driver_value(row[c], sqlite) for c in columns) for row in rows])


async def _insert(engine: AsyncEngine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Inserts one batch in one transaction."""
    async with engine.begin() as conn:
        for table, key in TABLES:
            await _executemany(conn, table, rows[key])


async def _finish(engine: AsyncEngine) -> None:
    """Moves PostgreSQL's id sequences past the explicit ids and refreshes its statistics (autovacuum would)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as conn:
        for table in ("customers", "orders", "order_lines", "order_status_history", "payments", "audit_log"):
            await conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        await conn.execute(text("ANALYZE"))


async def seed_to(engines: list[AsyncEngine], total: int, *, label: str = "seeding", seed: int = 8) -> SeedStats:
    """Adds the same orders to every engine until each holds `total` (ids 1..total); they must start equal."""
    started = time.monotonic()
    states = [await _state(engine) for engine in engines]
    have, last_line, last_history, customers, products = states[0]
    if any(state != states[0] for state in states):
        raise RuntimeError("the databases to seed do not hold the same rows")
    if have >= total:
        return SeedStats(0, 0, 0.0)
    want_customers = max(100, total // ORDERS_PER_CUSTOMER)
    generator = Generator(products, want_customers, seed + have)
    for engine in engines:
        async with engine.begin() as conn:
            await _add_customers(conn, customers, want_customers)
    progress = Progress(label, total, have)
    line_id, history_id, lines = last_line + 1, last_history + 1, 0
    for first in range(have + 1, total + 1, BATCH):
        last = min(total, first + BATCH - 1)
        rows = generator.rows(first, last, line_id, history_id)
        await asyncio.gather(*(_insert(engine, rows) for engine in engines))  # PostgreSQL works while SQLite does
        line_id += len(rows["lines"])
        history_id += len(rows["history"])
        lines += len(rows["lines"])
        progress.advance(last - first + 1)
    progress.close()
    for engine in engines:
        await _finish(engine)
    return SeedStats(total - have, lines, time.monotonic() - started)


async def _main(url: str, total: int) -> None:
    engine = create_engine(url)
    try:
        await prepare(engine)
        stats = await seed_to([engine], total)
        print(f"added {stats.orders:,} orders ({stats.lines:,} lines) in {stats.seconds:.1f} s")
    finally:
        await engine.dispose()


def main() -> None:
    """Command line: seed one database up to N orders."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="database URL (sqlite+aiosqlite:///... or postgresql+asyncpg://...)")
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(_main(args.url, args.orders))


if __name__ == "__main__":
    main()
