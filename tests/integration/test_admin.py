"""Manager changes and staff actions check the role in the service and are recorded with who and when."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEntry
from models.calendar import DayCapacity, Holiday
from models.catalog import Product
from models.db import SessionFactory
from models.errors import AlreadyDone, CapacityFull, InvalidInput, InviteError, NotAllowed, NotFound
from models.order import ActorKind, OrderSource, OrderStatus
from models.payment import PaymentKind, PaymentMethod
from models.people import Line, Role
from models.services import admin, desk, invites, payments
from models.services import staff as staff_service
from models.services.admin import TrailKind
from tests.conftest import wib
from tests.integration.helpers import PlainWords
from tests.jobs.helpers import BAKER, MANAGER, PAYMENT_POLICY, place, team

NOW = wib(2026, 11, 27, 9, 0)
SATURDAY = date(2026, 11, 28)
BUYER = 1001
ADMIN = 901


async def _audit(shop: SessionFactory, action: str) -> list[AuditEntry]:
    async with shop() as s:
        return list(await s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def test_a_manager_changes_a_price_and_the_change_is_audited(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        product = await admin.set_price(s, MANAGER, "rti-mns-ckl", 3_800, now=NOW)
    assert product.price == 3_800
    [entry] = await _audit(shop, "product.price")
    assert (entry.actor_telegram_id, entry.subject, entry.detail, entry.at) == (
        MANAGER, "product:RTI-MNS-CKL", {"old": 3_500, "new": 3_800}, NOW
    )


@pytest.mark.parametrize("actor", [BAKER, BUYER])
async def test_staff_and_buyers_cannot_change_the_catalogue(shop: SessionFactory, actor: int) -> None:
    async with shop.begin() as s:
        await team(s)
    for change in (
        lambda s: admin.set_price(s, actor, "RTI-MNS-CKL", 1, now=NOW),
        lambda s: admin.set_active(s, actor, "RTI-MNS-CKL", False, now=NOW),
        lambda s: admin.set_stock(s, actor, "KRP-UBI-200", 99, now=NOW),
        lambda s: admin.set_day_capacity(s, actor, "RTI-MNS-CKL", SATURDAY, 1, now=NOW),
        lambda s: admin.add_holiday(s, actor, SATURDAY, "x", now=NOW),
        lambda s: admin.order_trail(s, actor, "KB-BCDFGH"),
        lambda s: admin.remove_staff(s, actor, BAKER, now=NOW),
    ):
        async with shop.begin() as s:
            with pytest.raises(NotAllowed):
                await change(s)
    async with shop() as s:
        product = await s.scalar(select(Product).where(Product.sku == "RTI-MNS-CKL"))
        assert product is not None and product.price == 3_500 and product.active
        assert await s.scalar(select(AuditEntry.id).where(AuditEntry.action.like("product.%"))) is None


async def test_switching_off_stock_capacity_and_holiday(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        await place(s, "RTI-MNS-CKL", 30, now=NOW, day=SATURDAY, paid=True)
    async with shop.begin() as s:
        off = await admin.set_active(s, MANAGER, "TAS-HB-01", False, now=NOW)
        assert not off.active
        with pytest.raises(AlreadyDone):
            await admin.set_active(s, MANAGER, "TAS-HB-01", False, now=NOW)
        assert (await admin.set_stock(s, MANAGER, "KRP-UBI-200", 25, now=NOW)).stock_on_hand == 25
        assert (await admin.set_stock(s, MANAGER, "PVB-BTA-6", 4_000, now=NOW)).stock_ready == 4_000
        with pytest.raises(InvalidInput):
            await admin.set_stock(s, MANAGER, "RTI-MNS-CKL", 5, now=NOW)
        with pytest.raises(InvalidInput):
            await admin.set_day_capacity(s, MANAGER, "RTI-MNS-CKL", SATURDAY, 29, now=NOW)
        row = await admin.set_day_capacity(s, MANAGER, "RTI-MNS-CKL", SATURDAY, 40, now=NOW)
        assert (row.capacity, row.committed, row.capacity_override) == (40, 30, True)
    async with shop.begin() as s:
        with pytest.raises(CapacityFull):
            await place(s, "RTI-MNS-CKL", 11, now=NOW, day=SATURDAY, buyer=1002)
    async with shop.begin() as s:
        assert await admin.add_holiday(s, MANAGER, SATURDAY, "Hari Bakti", now=NOW) == 1
        with pytest.raises(AlreadyDone):
            await admin.add_holiday(s, MANAGER, SATURDAY, "lagi", now=NOW)
    async with shop() as s:
        assert await s.scalar(select(Holiday.name).where(Holiday.day == SATURDAY)) == "Hari Bakti"
        assert await s.scalar(select(DayCapacity.capacity).where(DayCapacity.day == SATURDAY)) == 40
    actions = {e.action for e in await _audit(shop, "holiday.add")} | {
        e.action for e in await _audit(shop, "capacity.set")
    }
    assert actions == {"holiday.add", "capacity.set"}


async def test_the_audit_trail_of_an_order_tells_who_did_what_and_when(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        order = await place(s, "RTI-MNS-CKL", 10, now=NOW, day=SATURDAY)
        payment = await payments.issue_payment(s, order, PAYMENT_POLICY, now=NOW)
    async with shop.begin() as s:
        await desk.confirm_payment(s, payment.id, staff_telegram_id=BAKER, now=NOW + timedelta(minutes=5),
                                   wording=PlainWords(), policy=PAYMENT_POLICY)
        await desk.mark_ready(s, order.id, staff_telegram_id=BAKER, now=NOW + timedelta(hours=1), wording=PlainWords())
    async with shop() as s:
        found, trail = await admin.order_trail(s, MANAGER, order.code.lower())
    assert found.status is OrderStatus.READY
    moves = [(e.from_status, e.to_status) for e in trail if e.kind is TrailKind.STATUS]
    assert moves == [(None, OrderStatus.AWAITING_PAYMENT), (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID),
                     (OrderStatus.PAID, OrderStatus.READY)]
    placed, paid_move = (e for e in trail if e.kind is TrailKind.STATUS and e.to_status is not OrderStatus.READY)
    assert placed.source is OrderSource.BOT and placed.actor_kind is ActorKind.CUSTOMER and placed.actor is None
    # The reason the payment service wrote ("payment full Rp...") is read back into fields, with who confirmed it.
    assert (paid_move.payment_kind, paid_move.amount, paid_move.reason) == (PaymentKind.FULL, payment.amount, None)
    assert (paid_move.actor_kind, paid_move.actor) == (ActorKind.STAFF, "Rina")
    [code] = [e for e in trail if e.kind is TrailKind.CODE]
    assert (code.payment_id, code.amount, code.actor_kind) == (payment.id, payment.amount, ActorKind.SYSTEM)
    [received] = [e for e in trail if e.kind is TrailKind.PAID]
    assert (received.actor, received.method) == ("Rina", PaymentMethod.QRIS)
    assert [e.action for e in trail if e.kind is TrailKind.ACTION] == ["payment.confirm"]
    assert [e.at for e in trail] == sorted(e.at for e in trail)


async def test_desk_actions_refuse_a_buyer_even_when_the_handler_is_bypassed(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        order = await place(s, "RTI-MNS-CKL", 10, now=NOW, day=SATURDAY, paid=True)
    async with shop.begin() as s:
        with pytest.raises(NotAllowed):
            await desk.mark_ready(s, order.id, staff_telegram_id=BUYER, now=NOW, wording=PlainWords())
        with pytest.raises(NotAllowed):
            await desk.cancel(s, order.id, "x", staff_telegram_id=BUYER, now=NOW, wording=PlainWords())
        with pytest.raises(NotAllowed):
            await desk.find_order(s, BUYER, order.code)


async def test_managers_remove_staff_but_not_themselves_and_only_admins_remove_managers(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        await staff_service.add_staff(s, ADMIN, "Admin", Role.ADMIN)
        await staff_service.add_staff(s, 702, "Dedi", Role.MANAGER)
    async with shop.begin() as s:
        with pytest.raises(NotAllowed):
            await admin.remove_staff(s, MANAGER, MANAGER, now=NOW)
        with pytest.raises(NotAllowed):
            await admin.remove_staff(s, MANAGER, 702, now=NOW)
        with pytest.raises(NotFound):
            await admin.remove_staff(s, MANAGER, 999, now=NOW)
        await admin.remove_staff(s, MANAGER, BAKER, now=NOW)
        await admin.remove_staff(s, ADMIN, 702, now=NOW)
    async with shop() as s:
        assert await staff_service.role_of(s, BAKER) is None
        assert await staff_service.role_of(s, 702) is None


async def test_invites_are_single_use_expire_and_need_approval(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        await team(s)
        invite = await invites.create_invite(s, MANAGER, Role.STAFF, Line.PAVING, now=NOW)
        with pytest.raises(NotAllowed):
            await invites.create_invite(s, MANAGER, Role.MANAGER, None, now=NOW)
        with pytest.raises(NotAllowed):
            await invites.create_invite(s, BAKER, Role.STAFF, Line.BAKERY, now=NOW)
        token = invite.token
    assert len(invites.deep_link_payload(invite)) <= 64
    async with shop.begin() as s:
        claimed, first = await invites.claim_invite(s, token, 4242, "Andi", now=NOW + timedelta(hours=1))
        assert first and await staff_service.role_of(s, 4242) is None
        again, first = await invites.claim_invite(s, token, 4242, "Andi", now=NOW + timedelta(hours=2))
        assert not first and again.id == claimed.id
        with pytest.raises(InviteError, match="invite_used"):
            await invites.claim_invite(s, token, 4343, "Orang lain", now=NOW + timedelta(hours=2))
        with pytest.raises(InviteError, match="invite_unknown"):
            await invites.claim_invite(s, token + "x", 4343, "Pemalsu", now=NOW)
        with pytest.raises(NotAllowed):
            await invites.approve_invite(s, claimed.id, BAKER, now=NOW)
        _, member = await invites.approve_invite(s, claimed.id, MANAGER, now=NOW + timedelta(hours=3))
        assert (member.role, member.line) == (Role.STAFF, Line.PAVING)
        with pytest.raises(AlreadyDone):
            await invites.approve_invite(s, claimed.id, MANAGER, now=NOW)
    async with shop.begin() as s:
        late = await invites.create_invite(s, MANAGER, Role.STAFF, Line.BAKERY, now=NOW)
    async with shop.begin() as s:
        with pytest.raises(InviteError, match="invite_expired"):
            await invites.claim_invite(s, late.token, 5151, "Telat", now=NOW + timedelta(hours=25))
