"""The control surface over HTTP (/_sandbox/), and the command line a person starts the sandbox with."""

from __future__ import annotations

import asyncio
import sys

import aiohttp
import pytest

from bot.midtrans_sandbox import MidtransSandbox
from tests.conftest import ROOT
from tests.sandbox.support import Api, Receiver, basic_auth
from tests.sandbox.test_notifications import verifies
from tests.support.eventually import eventually


async def test_pay_over_http_settles_and_notifies(api: Api, sandbox: MidtransSandbox, receiver: Receiver) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    status, view = await api.control("pay/KB7K3QXM")
    assert status == 200
    assert view["transaction_status"] == "settlement" and view["history"] == ["pending", "settlement"]
    assert (await api.control("idle"))[0] == 200
    assert receiver.statuses() == ["pending", "settlement"] and verifies(receiver.bodies[-1])


async def test_pay_over_http_with_another_amount_reports_it(api: Api) -> None:
    await api.charge("KB7K3QXM", 42000)
    _, view = await api.control("pay/KB7K3QXM", {"gross_amount": 40000})
    assert (view["charged_amount"], view["gross_amount"]) == (42000, "40000.00")
    assert (await api.status("KB7K3QXM"))[1]["gross_amount"] == "40000.00"


async def test_expire_and_deny_over_http_and_their_refusals(api: Api) -> None:
    await api.charge("KB-A", 42000)
    await api.charge("KB-B", 42000)
    assert (await api.control("expire/KB-A"))[1]["transaction_status"] == "expire"
    assert (await api.control("deny/KB-B"))[1]["transaction_status"] == "deny"
    status, body = await api.control("pay/KB-A")
    assert status == 409 and "cannot be paid" in body["error"]
    status, body = await api.control("pay/KB-NOBODY")
    assert status == 404 and "KB-NOBODY" in body["error"]


async def test_advance_over_http_moves_time_and_expires_what_is_due(api: Api) -> None:
    await api.charge("KB7K3QXM", 42000, custom_expiry={"expiry_duration": 1, "unit": "hour"})
    assert (await api.control("advance", {"seconds": 3599}))[1] == {"expired": []}
    assert (await api.control("advance", {"seconds": 1}))[1] == {"expired": ["KB7K3QXM"]}
    assert (await api.status("KB7K3QXM"))[1]["transaction_status"] == "expire"


async def test_fault_switches_over_http(api: Api, sandbox: MidtransSandbox, receiver: Receiver) -> None:
    assert (await api.control("faults/server_errors", {"n": 1, "status": 502}))[0] == 200
    assert (await api.charge("KB7K3QXM", 42000, notify=receiver.url))[0] == 502
    await api.control("faults/delay", {"n": 1})
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    await api.control("faults/forge", {"kind": "amount"})
    await api.control("pay/KB7K3QXM")
    await api.control("idle")
    assert receiver.statuses() == ["settlement"] and not verifies(receiver.bodies[0])
    assert (await api.control("release"))[1] == {"released": 1}
    await api.control("idle")
    assert receiver.statuses() == ["settlement", "pending"]
    _, logged = await api.control("notifications", method="GET")
    assert [n["state"] for n in logged["notifications"]] == ["delivered", "delivered"]
    assert [(d["number"], d["status"]) for d in logged["deliveries"]] == [(2, 200), (1, 200)]


async def test_a_slow_answer_over_http_waits_for_release_slow(api: Api, sandbox: MidtransSandbox) -> None:
    await api.control("faults/slow", {"n": 1, "calls": ["status"]})
    await api.charge("KB7K3QXM", 42000)
    answer = asyncio.create_task(api.status("KB7K3QXM"))
    await eventually(lambda: sandbox.faults.stats.slow_calls == 1, what="the status call to reach the gate")
    assert not answer.done()
    assert (await api.control("faults/release_slow"))[0] == 200
    assert (await answer)[1]["transaction_status"] == "pending"


async def test_a_replayed_or_forged_notification_on_demand_over_http(api: Api, receiver: Receiver) -> None:
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    status, view = await api.control("notify/KB7K3QXM", {"forge": "order_id", "other_order_id": "KB-OTHER"})
    assert status == 200 and view["forged"] == "order_id"
    await api.control("idle")
    assert [b["order_id"] for b in receiver.bodies] == ["KB7K3QXM", "KB-OTHER"]
    assert not verifies(receiver.bodies[-1])


async def test_redeliver_over_http_resends_what_failed(api: Api, receiver: Receiver) -> None:
    receiver.answers = [500]
    await api.charge("KB7K3QXM", 42000, notify=receiver.url)
    await api.control("idle")
    assert (await api.control("redeliver"))[1] == {"redelivered": 1}
    await api.control("idle")
    assert receiver.statuses() == ["pending", "pending"]


async def test_the_transactions_view_lists_every_charge(api: Api) -> None:
    await api.charge("KB-A", 42000)
    await api.charge("KB-B", 15000)
    _, views = await api.control("transactions", method="GET")
    assert [(v["order_id"], v["transaction_status"], v["charged_amount"]) for v in views] == [
        ("KB-A", "pending", 42000), ("KB-B", "pending", 15000),
    ]


async def test_bad_control_requests_get_4xx_with_the_reason(api: Api) -> None:
    status, body = await api.control("faults/meteor")
    assert status == 404 and "duplicate" in body["error"]
    status, body = await api.control("faults/forge", {"kind": "ink"})
    assert status == 400 and "unknown forgery" in body["error"]
    status, body = await api.control("faults/duplicate", {"times": 3})
    assert status == 400
    async with api.session.post(api.sandbox.base_url + "/_sandbox/pay/KB", data=b"[1") as response:
        assert response.status == 400


async def test_the_command_line_prints_the_base_url_and_serves_until_stopped() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.midtrans_sandbox", "--port", "0", "--server-key", "SB-Mid-server-CLI",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        assert line.startswith("MIDTRANS_API_BASE_URL=http://127.0.0.1:")
        base_url = line.split("=", 1)[1]
        auth = {"Authorization": basic_auth("SB-Mid-server-CLI")}
        async with aiohttp.ClientSession() as session:
            body = {"payment_type": "qris", "transaction_details": {"order_id": "KB-CLI", "gross_amount": 1000}}
            async with session.post(f"{base_url}/v2/charge", json=body, headers=auth) as response:
                assert (await response.json())["status_code"] == "201"
            async with session.post(f"{base_url}/_sandbox/pay/KB-CLI") as response:
                assert (await response.json())["transaction_status"] == "settlement"
    finally:
        process.terminate()
        assert await process.wait() == 0


async def test_a_second_sandbox_on_a_taken_port_fails_to_start_and_leaves_nothing_behind(
    sandbox: MidtransSandbox,
) -> None:
    second = MidtransSandbox(port=sandbox.port)
    with pytest.raises(OSError):
        await second.start()
    await second.stop()  # stopping what never started is harmless
