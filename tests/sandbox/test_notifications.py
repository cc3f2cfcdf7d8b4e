"""Notifications: signed bodies to the charge's URL, each attempt logged with the status the receiver answered."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp

from bot.midtrans_sandbox import MidtransSandbox, running_sandbox
from tests.sandbox.conftest import SERVER_KEY
from tests.sandbox.support import Api, Receiver
from tests.support.clock import FakeClock


def verifies(body: dict[str, Any], key: str = SERVER_KEY) -> bool:
    """The merchant's check, written here independently of the sandbox."""
    text = body["order_id"] + body["status_code"] + body["gross_amount"] + key
    return hashlib.sha512(text.encode("utf-8")).hexdigest() == body["signature_key"]


async def test_a_payment_is_notified_with_a_signature_that_verifies(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    _, charged = await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    pending, paid = receiver.bodies
    assert (pending["transaction_status"], pending["status_code"]) == ("pending", "201")
    assert (paid["transaction_status"], paid["status_code"]) == ("settlement", "200")
    for body in (pending, paid):
        assert verifies(body)
        assert body["order_id"] == "KB7K3QXM" and body["gross_amount"] == "42000.00"
        assert body["transaction_id"] == charged["transaction_id"]
        assert (body["fraud_status"], body["payment_type"]) == ("accept", "qris")
        assert body["transaction_time"] == "2026-12-04 09:00:00"
    assert paid["settlement_time"] == "2026-12-04 09:00:00"
    assert not verifies(paid, key="SB-Mid-server-OTHER")
    assert [(d.notification.transaction_status, d.status) for d in sandbox.deliveries] == [
        ("pending", 200), ("settlement", 200),
    ]


async def test_a_payment_of_another_amount_is_reported_by_the_notification_and_the_status_api(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    sandbox.pay("KB7K3QXM", amount=41000)
    await sandbox.idle()
    paid = receiver.bodies[-1]
    assert paid["gross_amount"] == "41000.00" and verifies(paid)
    assert (await api.status("KB7K3QXM"))[1]["gross_amount"] == "41000.00"
    assert sandbox.transaction("KB7K3QXM").charged_amount == 42000


async def test_each_transaction_notifies_its_own_override_url(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    async with Receiver() as other:
        await api.charge("KB-ONE", 42000, notify=receiver.url)
        await api.charge("KB-TWO", 42000, notify=other.url)
        sandbox.pay("KB-TWO")
        await sandbox.idle()
        assert [(b["order_id"], b["transaction_status"]) for b in other.bodies] == [
            ("KB-TWO", "pending"), ("KB-TWO", "settlement"),
        ]
    assert [b["order_id"] for b in receiver.bodies] == ["KB-ONE"]


async def test_a_failing_receiver_is_logged_and_redeliver_sends_again(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    receiver.answers = [200, 503]
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert [d.status for d in sandbox.deliveries] == [200, 503]
    assert sandbox.notifications[-1].state == "failed"
    assert sandbox.redeliver() == 1
    await sandbox.idle()
    last = sandbox.deliveries[-1]
    assert (last.notification.number, last.attempt, last.status) == (2, 2, 200)
    assert receiver.statuses() == ["pending", "settlement", "settlement"]
    assert sandbox.redeliver() == 0


async def test_a_redirect_is_not_followed(api: Api, sandbox: MidtransSandbox, receiver: Receiver) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.moved_url)
    await sandbox.idle()
    assert [d.status for d in sandbox.deliveries] == [307]
    assert receiver.received == [] and sandbox.notifications[0].state == "failed"


async def test_a_receiver_that_is_down_is_logged_without_a_status(api: Api, sandbox: MidtransSandbox) -> None:
    async with Receiver() as gone:
        url = gone.url
    await api.charge("KB7K3QXM", 42000, notify=url)
    await sandbox.idle()
    (attempt,) = sandbox.deliveries
    assert attempt.status is None and attempt.error is not None and not attempt.ok


async def test_without_any_notification_url_the_attempt_is_logged_as_undeliverable(
    api: Api, sandbox: MidtransSandbox
) -> None:
    await api.charge("KB7K3QXM", 42000)
    await sandbox.idle()
    (attempt,) = sandbox.deliveries
    assert attempt.status is None and "no notification URL" in (attempt.error or "")


async def test_notify_replays_the_current_status(api: Api, sandbox: MidtransSandbox, receiver: Receiver) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    sandbox.pay("KB7K3QXM")
    sandbox.notify("KB7K3QXM")
    await sandbox.idle()
    assert receiver.statuses() == ["pending", "settlement", "settlement"]
    assert receiver.bodies[1] == receiver.bodies[2]


async def test_wait_deliveries_returns_once_the_attempts_are_logged_with_their_duration(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    sandbox.pay("KB7K3QXM")
    deliveries = await sandbox.wait_deliveries(2)
    assert [d.ok for d in deliveries] == [True, True]
    assert all(0 < d.duration < 5 for d in deliveries)


async def test_a_receiver_that_never_answers_times_out_and_the_next_notification_still_goes(
    receiver: Receiver, clock: FakeClock
) -> None:
    # The one real wait here is the thing tested: the delivery timeout (Midtrans' is 15 s; 0.2 s in this test).
    async with running_sandbox(server_key=SERVER_KEY, clock=clock, delivery_timeout=0.2) as sandbox, \
            aiohttp.ClientSession() as session:
        api = Api(session, sandbox)
        receiver.hang = True
        await api.charge("KB7K3QXM", 42000, notify=receiver.url)
        await sandbox.idle()
        receiver.hang = False
        sandbox.pay("KB7K3QXM")
        await sandbox.idle()
        timed_out, paid = sandbox.deliveries
        assert timed_out.status is None and "Timeout" in (timed_out.error or "")
        assert paid.status == 200 and receiver.statuses() == ["pending", "settlement"]
