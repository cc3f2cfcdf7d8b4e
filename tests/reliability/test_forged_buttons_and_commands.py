"""Forged callback data for every button kind of the bot (action names read from the code), and every staff
and manager command, sent by a buyer (and manager ones by staff): each is answered once, politely, and
changes nothing that is not the sender's own, and shows nobody else's data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.emulator import EmulatedUser
from bot.handlers import build_router
from bot.routing.actions import Action, Audience
from models.audit import StaffInvite
from models.calendar import DayCapacity, Holiday, SlotUsage
from models.catalog import Product
from models.conversation import CartItem, ChatState
from models.order import Order
from models.outbox import OutboxMessage
from models.payment import Payment
from models.people import Customer, Line, Role, StaffMember
from models.services import cart, invites
from tests.flows.buyer_dialogues import start
from tests.flows.staff_helpers import SATURDAY, place
from tests.reliability.support import after_start_up, unhandled
from tests.support.eventually import eventually
from tests.support.harness import Harness

VICTIM, ATTACKER, STAFF, MANAGER, NEWCOMER = 1001, 6666, 501, 601, 7007
MANAGER_ACTIONS = {a.value for a in Action if a.value.startswith("m")}


@dataclass(frozen=True)
class Victim:
    """Another buyer's order, payment code and cart item, and a claimed invite: what forged data aims at."""

    code: str
    order_id: int
    payment_id: int
    item_id: int
    product_id: int
    slot_id: int
    invite_id: int


async def _victim(bot: Harness) -> Victim:
    """A buyer with an order and a cart item, a newcomer's claimed invite, a baker and a manager."""
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    bot.emulator.user(STAFF, "Rina")
    bot.emulator.user(MANAGER, "Pak Budi")
    await after_start_up(bot)
    async with bot.services.session_factory() as session:
        product = await session.scalar(select(Product).where(Product.sku == "RTI-MNS-CKL"))
        assert product is not None
    order, payment = await place(bot, VICTIM, "RTI-MNS-CKL", 10, slot=1)
    async with bot.services.session_factory.begin() as session:
        customer = await session.scalar(select(Customer).where(Customer.telegram_id == VICTIM))
        assert customer is not None
        customer.phone = "+6281377712345"
        item = (await cart.add(session, customer.id, product.id, 4, now=bot.services.now(), fulfil_date=SATURDAY,
                               slot_id=1)).item
        invite = await invites.create_invite(session, MANAGER, Role.STAFF, Line.BAKERY, now=bot.services.now())
        await invites.claim_invite(session, invite.token, NEWCOMER, "Calon Petugas", now=bot.services.now())
    return Victim(order.code, order.id, payment.id, item.id, product.id, 1, invite.id)


async def _snapshot(bot: Harness) -> tuple[Any, ...]:
    """Everything a forged press could change that does not belong to the attacker."""
    async with bot.services.session_factory() as s:
        attacker = await s.scalar(select(Customer.id).where(Customer.telegram_id == ATTACKER))
        orders = [(o.code, o.status, o.paid_amount, o.pickup_code, o.cancel_reason, o.total)
                  for o in await s.scalars(select(Order).order_by(Order.id))]
        pays = [(p.id, p.state, p.proof_file_id, p.note, p.amount) for p in await s.scalars(select(Payment))]
        products = [(p.sku, p.price, p.active, p.stock_on_hand, p.stock_ready)
                    for p in await s.scalars(select(Product))]
        staff = [(m.telegram_id, m.role, m.line, m.active) for m in await s.scalars(select(StaffMember))]
        invites_ = [(i.id, i.claimed_by, i.approved, i.expires_at) for i in await s.scalars(select(StaffInvite))]
        carts = [(c.id, c.quantity, c.fulfil_date) for c in await s.scalars(
            select(CartItem).where(CartItem.customer_id != attacker))]
        states = [(c.chat_id, c.step, c.data) for c in await s.scalars(
            select(ChatState).where(ChatState.chat_id != ATTACKER))]
        ledgers = [(d.product_id, d.day, d.committed, d.capacity) for d in await s.scalars(select(DayCapacity))]
        slots = [(u.slot_id, u.day, u.used) for u in await s.scalars(select(SlotUsage))]
        holidays = list(await s.scalars(select(Holiday.day)))
        outbox = list(await s.scalars(select(OutboxMessage.id)))
        customers = [(c.telegram_id, c.name, c.phone) for c in await s.scalars(
            select(Customer).where(Customer.telegram_id != ATTACKER))]
    return orders, pays, products, staff, invites_, carts, states, ledgers, slots, holidays, outbox, customers


def _action_names() -> set[str]:
    """Every button action the bot knows, read from the typed action names."""
    return {a.value for a in Action}


def _garbage(count: int, seed: int = 7) -> list[str]:
    """Strings of exactly 64 bytes: punctuation, quotes, SQL, HTML, emoji, right-to-left text, control-ish."""
    pieces = ["'", '"', ";", "--", "<b>", "</a>", "&amp;", "%", "_", "\\", "/", ":", "::", " ", "😀", "سيتي", "ศรี",
              "DROP TABLE", "OR 1=1", "\u200f", "\t", "{", "}", "$(", "`", "bor", "spok", "mrm", "0", "-1", "NaN"]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        text = ""
        while len(text.encode()) < 64:
            text += rng.choice(pieces)
        while len(text.encode()) > 64:
            text = text[:-1]
        if len(text.encode()) == 64:
            out.append(text)
    return out


def _forgeries(victim: Victim) -> list[str]:
    """Every action with every kind of argument: the victim's ids and code, nonexistent, malformed, too many."""
    ids = {victim.order_id, victim.payment_id, victim.item_id, victim.invite_id}  # some coincide
    args = [
        "", "0", "999999", "-1", "abc", "9" * 13, victim.code, victim.code.lower(), *map(str, sorted(ids)),
        str(STAFF), f"{victim.code}:20261128:{victim.slot_id}", f"{victim.product_id}:20261399:{victim.slot_id}:5",
        "1:2:3:4:5:6:7", "x" * 40, "admin",
    ]
    data = [name if not a else f"{name}:{a}" for name in sorted(_action_names()) for a in args]
    return [d for d in data if len(d.encode()) <= 64] + _garbage(30)




async def _press_all(bot: Harness, user: EmulatedUser, datas: list[str]) -> list[str]:
    """Presses every forged button without waiting in between, then waits for every answer."""
    queries = [await user.press_data(data) for data in datas]

    async def answered() -> bool:
        return all(user.callback_answer(q) is not None for q in queries)

    await eventually(answered, timeout=120, every=0.05, what=f"answers to all {len(queries)} forged presses")
    await user.wait_idle(quiet=0.5, timeout=30)
    return queries


async def test_the_forgeries_cover_every_button_handler_of_the_application(bot: Harness) -> None:
    victim = await _victim(bot)
    datas = _forgeries(victim)
    routed = build_router().buttons
    assert set(routed) == set(Action)  # every action has a handler, and only actions are routed
    for action in routed:
        assert any(d.startswith(f"{action.value}:") for d in datas), action


async def test_forged_buttons_of_every_kind_from_a_buyer_are_answered_once_and_change_nothing(
    bot: Harness, caplog: Any
) -> None:
    victim = await _victim(bot)
    attacker = bot.emulator.user(ATTACKER, "Penyusup")
    await start(attacker)
    before = await _snapshot(bot)
    datas = _forgeries(victim)
    await _press_all(bot, attacker, datas)
    assert await _snapshot(bot) == before
    answers = [c for c in bot.emulator.calls_to("answerCallbackQuery")]
    assert len(answers) == len(datas) and not [c for c in answers if c.error is not None]
    errors = [c for c in bot.emulator.calls if c.error is not None and "not modified" not in c.error.description]
    assert errors == []
    leaked = " ".join(m.content for m in attacker.inbox)
    assert victim.code not in leaked and "Buyer 1001" not in leaked and "81377712345" not in leaked
    assert "Calon Petugas" not in leaked
    assert unhandled(caplog.records) == []
    print(f"[reliability] forged buttons: {len(datas)} presses over {len(_action_names())} actions + 30 garbage, "
          "all answered once, 0 changes, 0 leaks")


async def test_staff_and_manager_buttons_pressed_by_staff_below_the_role_change_nothing(bot: Harness) -> None:
    victim = await _victim(bot)
    rina = bot.emulator.user(STAFF, "Rina")
    await rina.send("/petugas")
    await rina.wait_for("Menu petugas")
    before = await _snapshot(bot)
    datas = [f"{name}:{arg}" for name in sorted(MANAGER_ACTIONS)
             for arg in (str(victim.invite_id), str(MANAGER), "manager", "bakery")]
    queries = await _press_all(bot, rina, datas)
    assert await _snapshot(bot) == before
    for query in queries:
        answer = rina.callback_answer(query)
        assert answer is not None and "khusus pimpinan" in str(answer.get("text")), answer


def _privileged_commands(bot: Harness) -> list[str]:
    """Every command the application knows that is not a buyer's."""
    commands = build_router().commands
    return sorted(n for n, routes in commands.items() if all(r.audience is not Audience.BUYER for r in routes))


async def test_every_staff_and_manager_command_from_a_buyer_is_refused_and_changes_nothing(
    bot: Harness, caplog: Any
) -> None:
    victim = await _victim(bot)
    attacker = bot.emulator.user(ATTACKER, "Penyusup")
    await start(attacker)
    await attacker.wait_idle()
    before = await _snapshot(bot)
    commands = _privileged_commands(bot)
    assert {"hariini", "produksi", "pesanan", "bayar", "catat", "laporan", "undang", "harga", "staf"} <= set(commands)
    arguments = ["", victim.code, f"{victim.code} 1", "RTI-MNS-CKL 1", "RTI-MNS-CKL 28-11-2026 0", "28-11-2026 Tutup",
                 "pimpinan", "RTI-MNS-CKL off", "lalu"]
    sent = 0
    for command in commands:
        for args in arguments:
            await attacker.send(f"/{command} {args}".strip())
            sent += 1
    await attacker.wait_idle(quiet=1.0, timeout=60)
    assert await _snapshot(bot) == before
    texts = [m.content for m in attacker.inbox]
    refusals = sum("khusus petugas" in t or "khusus pimpinan" in t for t in texts)
    assert refusals >= sent - 3 * len(arguments)  # /pesanan, /bayar and /katalog may reach the buyer's handlers
    joined = " ".join(texts)
    assert victim.code not in joined and "Buyer 1001" not in joined and "Calon Petugas" not in joined
    assert unhandled(caplog.records) == []
    print(f"[reliability] {sent} staff/manager commands ({len(commands)} names) from a buyer: {refusals} refused, "
          "the rest answered as buyer commands, 0 changes, 0 leaks")

