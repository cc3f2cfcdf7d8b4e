"""Status, cancel and expire with Midtrans' semantics: statuses only move forward, unknown ids get 404."""

from __future__ import annotations

import pytest

from bot.midtrans_sandbox import ControlError, MidtransSandbox
from tests.sandbox.support import Api, Receiver
from tests.support.clock import FakeClock


async def test_the_status_api_finds_a_transaction_by_order_id_and_by_transaction_id(api: Api) -> None:
    _, charged = await api.charge("KB7K3QXM", 42000)
    for key in ("KB7K3QXM", charged["transaction_id"]):
        status, body = await api.status(key)
        assert status == 200
        assert body["status_code"] == "201" and body["transaction_status"] == "pending"
        assert body["order_id"] == "KB7K3QXM" and body["transaction_id"] == charged["transaction_id"]
        assert body["gross_amount"] == "42000.00" and "settlement_time" not in body


async def test_a_paid_transaction_reads_settlement_with_its_time(
    api: Api, sandbox: MidtransSandbox, clock: FakeClock
) -> None:
    await api.charge("KB7K3QXM", 42000)
    clock.advance(minutes=3)
    sandbox.pay("KB7K3QXM")
    _, body = await api.status("KB7K3QXM")
    assert (body["status_code"], body["transaction_status"]) == ("200", "settlement")
    assert body["settlement_time"] == "2026-12-04 09:03:00" and body["fraud_status"] == "accept"


@pytest.mark.parametrize("call", ["status", "cancel", "expire"])
async def test_an_unknown_id_gets_404(api: Api, call: str) -> None:
    status, body = await getattr(api, call)("KB-NOBODY")
    assert status == 404 and body["status_code"] == "404"
    assert body["status_message"] == "Transaction doesn't exist."


async def test_cancel_of_a_pending_transaction_cancels_it_and_notifies(api: Api, receiver: Receiver,
                                                                       sandbox: MidtransSandbox) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    status, body = await api.cancel("KB7K3QXM")
    assert status == 200
    assert (body["status_code"], body["transaction_status"]) == ("200", "cancel")
    await sandbox.idle()
    assert receiver.statuses() == ["pending", "cancel"]


async def test_a_settled_transaction_cannot_be_cancelled_or_expired(api: Api, sandbox: MidtransSandbox) -> None:
    await api.charge("KB7K3QXM", 42000)
    sandbox.pay("KB7K3QXM")
    for call in (api.cancel, api.expire):
        status, body = await call("KB7K3QXM")
        assert status == 412 and body["status_code"] == "412"
    _, body = await api.status("KB7K3QXM")
    assert body["transaction_status"] == "settlement"


async def test_expire_of_a_pending_transaction_answers_407_and_it_stays_expired(
    api: Api, sandbox: MidtransSandbox
) -> None:
    await api.charge("KB7K3QXM", 42000)
    status, body = await api.expire("KB7K3QXM")
    assert status == 200
    assert (body["status_code"], body["transaction_status"]) == ("407", "expire")
    assert (await api.cancel("KB7K3QXM"))[0] == 412
    with pytest.raises(ControlError, match="is expire: it cannot be paid"):
        sandbox.pay("KB7K3QXM")
    assert sandbox.transaction("KB7K3QXM").history == ["pending", "expire"]


async def test_a_cancelled_transaction_can_be_neither_paid_nor_denied(api: Api, sandbox: MidtransSandbox) -> None:
    await api.charge("KB7K3QXM", 42000)
    await api.cancel("KB7K3QXM")
    for act in (sandbox.pay, sandbox.deny, sandbox.expire):
        with pytest.raises(ControlError) as refused:
            act("KB7K3QXM")
        assert refused.value.status == 409
    assert sandbox.transaction("KB7K3QXM").status == "cancel"


async def test_a_denied_payment_reads_202_deny(api: Api, sandbox: MidtransSandbox) -> None:
    await api.charge("KB7K3QXM", 42000)
    sandbox.deny("KB7K3QXM")
    _, body = await api.status("KB7K3QXM")
    assert (body["status_code"], body["transaction_status"]) == ("202", "deny")


async def test_a_pending_code_past_its_custom_expiry_reads_expire_and_is_notified(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver, clock: FakeClock
) -> None:
    expiry = {"expiry_duration": 30, "unit": "minute"}
    await api.charge("KB7K3QXM", 42000, notify=receiver.url, custom_expiry=expiry)
    clock.advance(minutes=29, seconds=59)
    assert (await api.status("KB7K3QXM"))[1]["transaction_status"] == "pending"
    clock.advance(seconds=1)
    _, body = await api.status("KB7K3QXM")
    assert (body["status_code"], body["transaction_status"]) == ("407", "expire")
    await sandbox.idle()
    assert receiver.statuses() == ["pending", "expire"]
    with pytest.raises(ControlError):
        sandbox.pay("KB7K3QXM")


async def test_expire_due_expires_only_the_codes_past_their_time_without_a_read(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver, clock: FakeClock
) -> None:
    await api.charge("KB-SHORT", 42000, notify=receiver.url, custom_expiry={"expiry_duration": 10, "unit": "minute"})
    await api.charge("KB-LONG", 42000, notify=receiver.url, custom_expiry={"expiry_duration": 2, "unit": "hour"})
    clock.advance(minutes=11)
    assert [t.order_id for t in sandbox.expire_due()] == ["KB-SHORT"]
    await sandbox.idle()
    assert [(b["order_id"], b["transaction_status"]) for b in receiver.bodies][-1] == ("KB-SHORT", "expire")
    assert [t.order_id for t in sandbox.advance(hours=2)] == ["KB-LONG"]
    assert sandbox.transaction("KB-LONG").status == "expire"


async def test_a_charge_without_custom_expiry_expires_after_the_default_fifteen_minutes(
    api: Api, sandbox: MidtransSandbox
) -> None:
    await api.charge("KB7K3QXM", 42000)
    assert sandbox.advance(minutes=14) == []
    assert [t.order_id for t in sandbox.advance(minutes=1)] == ["KB7K3QXM"]
