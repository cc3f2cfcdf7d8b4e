"""Faults on demand: each switch does what it says to the next calls or notifications, then turns itself off."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.midtrans_sandbox import MidtransSandbox, running_sandbox
from tests.sandbox.support import Api, Receiver
from tests.sandbox.test_notifications import verifies
from tests.support.eventually import eventually


async def _charged(api: Api, sandbox: MidtransSandbox, receiver: Receiver, order_id: str = "KB7K3QXM") -> None:
    """A charge whose pending notification has arrived."""
    await api.charge(order_id, 42000, notify=receiver.url)
    await sandbox.idle()


async def test_a_duplicated_notification_arrives_twice_alike(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await _charged(api, sandbox, receiver)
    sandbox.faults.notifications.duplicate()
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert receiver.statuses() == ["pending", "settlement", "settlement"]
    assert receiver.bodies[1] == receiver.bodies[2] and verifies(receiver.bodies[2])
    assert sandbox.faults.stats.duplicated == 1


async def test_a_delayed_notification_waits_for_release(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await _charged(api, sandbox, receiver)
    sandbox.faults.notifications.delay()
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert receiver.statuses() == ["pending"] and sandbox.notifications[-1].state == "held"
    assert (await api.status("KB7K3QXM"))[1]["transaction_status"] == "settlement"
    assert sandbox.release() == 1
    await sandbox.idle()
    assert receiver.statuses() == ["pending", "settlement"]
    assert sandbox.release() == 0


async def test_reordered_notifications_arrive_newest_first(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    sandbox.faults.notifications.reorder(2)
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    await sandbox.idle()
    assert receiver.received == []
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert receiver.statuses() == ["settlement", "pending"]
    assert all(verifies(body) for body in receiver.bodies)


async def test_release_lets_an_unfinished_reorder_go_newest_first(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    sandbox.faults.notifications.reorder(3)
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert receiver.received == []
    assert sandbox.release() == 2
    await sandbox.idle()
    assert receiver.statuses() == ["settlement", "pending"]


async def test_a_lost_notification_never_arrives_but_the_status_api_knows(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await _charged(api, sandbox, receiver)
    sandbox.faults.notifications.lose()
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert receiver.statuses() == ["pending"]
    assert sandbox.notifications[-1].state == "lost" and sandbox.release() == 0
    assert (await api.status("KB7K3QXM"))[1]["transaction_status"] == "settlement"
    sandbox.notify("KB7K3QXM")
    await sandbox.idle()
    assert receiver.statuses() == ["pending", "settlement"]


@pytest.mark.parametrize(
    ("kind", "changed"),
    [
        ("signature", {}),
        ("amount", {"gross_amount": "43000.00"}),
        ("status", {"transaction_status": "settlement", "status_code": "200"}),
        ("order_id", {"order_id": "KB-OTHER"}),
    ],
)
async def test_a_forged_notification_replaces_the_genuine_one_and_does_not_verify(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver, kind: str, changed: dict[str, str]
) -> None:
    sandbox.faults.notifications.forge(kind, other_order_id="KB-OTHER")
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    await sandbox.idle()
    (forged,) = receiver.bodies
    assert not verifies(forged)
    genuine = {"order_id": "KB7K3QXM", "gross_amount": "42000.00", "transaction_status": "pending",
               "status_code": "201"}
    assert {key: forged[key] for key in genuine} == genuine | changed
    assert sandbox.notifications[0].forged == kind and sandbox.faults.stats.forged == 1


async def test_a_truncated_notification_is_half_of_the_json(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await _charged(api, sandbox, receiver)
    sandbox.notify("KB7K3QXM", forge="truncated")
    await sandbox.idle()
    whole, cut = receiver.received[0].raw, receiver.received[1].raw
    assert 0 < len(cut) < len(whole) and whole.startswith(cut) and receiver.received[1].body == {}
    assert sandbox.deliveries[-1].status == 400


async def test_an_oversized_notification_is_refused_by_a_receiver_with_a_limit(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await _charged(api, sandbox, receiver)
    sandbox.faults.notifications.forge("oversized")
    sandbox.pay("KB7K3QXM")
    await sandbox.idle()
    assert sandbox.deliveries[-1].status == 413 and len(receiver.received) == 1
    assert len(sandbox.notifications[-1].body["padding"]) == 2 * 1024 * 1024


async def test_a_status_only_forgery_still_verifies_which_is_why_the_status_api_decides(
    api: Api, sandbox: MidtransSandbox, receiver: Receiver
) -> None:
    await _charged(api, sandbox, receiver)
    sandbox.notify("KB7K3QXM", forge="status_only")
    await sandbox.idle()
    forged = receiver.bodies[-1]
    assert forged["transaction_status"] == "settlement" and verifies(forged)
    assert (await api.status("KB7K3QXM"))[1]["transaction_status"] == "pending"


async def test_server_errors_answer_5xx_for_the_next_calls_and_do_nothing(
    api: Api, sandbox: MidtransSandbox
) -> None:
    sandbox.faults.api.server_errors(2, status=503)
    for _ in range(2):
        status, body = await api.charge("KB7K3QXM", 42000)
        assert status == 503 and body["status_code"] == "503"
    assert sandbox.transactions == []
    status, _ = await api.charge("KB7K3QXM", 42000)
    assert status == 200 and len(sandbox.transactions) == 1
    assert [call.status for call in sandbox.calls] == [503, 503, 200]


async def test_server_errors_can_hit_only_the_status_api(api: Api, sandbox: MidtransSandbox) -> None:
    sandbox.faults.api.server_errors(1, calls=["status"])
    assert (await api.charge("KB7K3QXM", 42000))[0] == 200
    assert (await api.status("KB7K3QXM"))[0] == 500
    assert (await api.status("KB7K3QXM"))[0] == 200


async def test_a_slow_charge_is_made_at_once_and_answered_when_the_gate_opens(
    api: Api, sandbox: MidtransSandbox
) -> None:
    gate = sandbox.faults.api.slow(1, calls=["charge"])
    answer = asyncio.create_task(api.charge("KB7K3QXM", 42000))
    await eventually(lambda: sandbox.transactions, what="the slow charge to be recorded")
    assert not answer.done()
    assert (await api.status("KB7K3QXM"))[0] == 200
    gate.set()
    status, body = await answer
    assert status == 200 and body["status_code"] == "201"


async def test_a_client_that_gives_up_on_a_slow_charge_finds_it_by_status_and_cannot_charge_twice(
    sandbox: MidtransSandbox, api: Api
) -> None:
    sandbox.faults.api.slow(1, calls=["charge"])
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.2)) as impatient:
        with pytest.raises(TimeoutError):
            await Api(impatient, sandbox).charge("KB7K3QXM", 42000)
    assert (await api.status("KB7K3QXM"))[1]["transaction_status"] == "pending"
    assert (await api.charge("KB7K3QXM", 42000))[0] == 406
    assert len(sandbox.transactions) == 1 and sandbox.faults.stats.slow_calls == 1


async def test_a_slow_start_does_nothing_until_released(api: Api, sandbox: MidtransSandbox) -> None:
    sandbox.faults.api.slow(1, calls=["charge"], after=False)
    answer = asyncio.create_task(api.charge("KB7K3QXM", 42000))
    await eventually(lambda: sandbox.faults.stats.slow_calls == 1, what="the charge to reach the gate")
    assert sandbox.transactions == []
    sandbox.faults.api.release_slow()
    assert (await answer)[0] == 200 and len(sandbox.transactions) == 1


async def test_clear_switches_every_fault_off(api: Api, sandbox: MidtransSandbox, receiver: Receiver) -> None:
    sandbox.faults.api.server_errors(5)
    sandbox.faults.notifications.lose(5)
    sandbox.faults.clear()
    assert (await api.charge("KB7K3QXM", 42000, notify=receiver.url))[0] == 200
    await sandbox.idle()
    assert receiver.statuses() == ["pending"]


async def test_stopping_the_sandbox_lets_a_held_answer_go() -> None:
    async with running_sandbox(server_key="SB-Mid-server-STOP") as stopping, aiohttp.ClientSession() as session:
        stopping.faults.api.slow(1, calls=["charge"])
        answer = asyncio.create_task(Api(session, stopping).charge("KB7K3QXM", 42000))
        await eventually(lambda: stopping.faults.stats.slow_calls == 1, what="the charge to reach the gate")
        await stopping.stop()
        status, body = await answer
    assert status == 200 and body["status_code"] == "201"
