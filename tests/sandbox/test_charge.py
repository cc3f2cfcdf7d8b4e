"""Charging a QRIS payment: a real dynamic QRIS for the amount, one transaction per order id, Midtrans' refusals."""

from __future__ import annotations

import asyncio
import base64
import io
import uuid
from typing import Any

import pytest

from bot.midtrans_sandbox import MERCHANT_NAME, STATIC_QRIS, MidtransSandbox
from models import qris
from tests.sandbox.support import Api, basic_auth


def _tag(objects: list[qris.DataObject], tag: str) -> str | None:
    """The value of a root tag of a parsed QRIS."""
    return next((obj.value for obj in objects if obj.tag == tag), None)


async def test_a_charge_answers_pending_with_a_dynamic_qris_for_exactly_that_amount(api: Api) -> None:
    status, body = await api.charge("KB7K3QXM", 42000)
    assert status == 200
    assert body["status_code"] == "201" and body["transaction_status"] == "pending"
    assert body["order_id"] == "KB7K3QXM" and body["gross_amount"] == "42000.00"
    assert body["payment_type"] == "qris" and body["acquirer"] == "gopay"
    uuid.UUID(body["transaction_id"])
    objects = qris.validate(body["qr_string"])
    assert _tag(objects, "01") == "12" and _tag(objects, "54") == "42000"
    assert _tag(objects, "59") == MERCHANT_NAME
    assert qris.describe(body["qr_string"]).amount == 42000
    assert body["transaction_time"] == "2026-12-04 09:00:00"
    assert body["expiry_time"] == "2026-12-04 09:15:00"
    assert [a["name"] for a in body["actions"]] == ["generate-qr-code"]


async def test_the_order_id_is_the_bill_number_of_the_qris(api: Api) -> None:
    _, body = await api.charge("KB7K3QXM-DP", 5_000_000)
    additional = next(obj for obj in qris.validate(body["qr_string"]) if obj.tag == "62")
    assert ("01", "KB7K3QXM-DP") in [(child.tag, child.value) for child in additional.children or ()]


async def test_the_generate_qr_code_action_serves_an_image_of_the_qr_string(api: Api) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    _, body = await api.charge("KB7K3QXM", 42000)
    async with api.session.get(body["actions"][0]["url"]) as response:
        assert response.status == 200 and response.content_type == "image/png"
        image = Image.open(io.BytesIO(await response.read()))
    decoded = zxingcpp.read_barcodes(image.convert("L"))
    assert [result.text for result in decoded] == [body["qr_string"]]


async def test_a_custom_expiry_sets_the_expiry_time(api: Api) -> None:
    expiry = {"order_time": "2026-12-04 09:00:00 +0700", "expiry_duration": 60, "unit": "minute"}
    _, body = await api.charge("KB7K3QXM", 42000, custom_expiry=expiry)
    assert body["expiry_time"] == "2026-12-04 10:00:00"


async def test_the_same_order_id_charged_again_is_refused_and_stays_one_transaction(
    api: Api, sandbox: MidtransSandbox
) -> None:
    _, first = await api.charge("KB7K3QXM", 42000)
    status, body = await api.charge("KB7K3QXM", 42000)
    assert status == 406 and body["status_code"] == "406"
    assert "order_id has been paid and utilized" in body["status_message"]
    assert [t.transaction_id for t in sandbox.transactions] == [first["transaction_id"]]
    sandbox.pay("KB7K3QXM")
    status, body = await api.charge("KB7K3QXM", 42000)
    assert status == 406 and len(sandbox.transactions) == 1


@pytest.mark.parametrize(
    "auth",
    [
        "",
        basic_auth("SB-Mid-server-WRONG"),
        "Basic " + base64.b64encode(b"SB-Mid-server-TEST-KEY:secret").decode(),
        "Bearer SB-Mid-server-TEST-KEY",
        "Basic not-base64!",
    ],
    ids=["missing", "wrong key", "non-empty password", "not basic", "garbled"],
)
async def test_a_wrong_or_missing_server_key_gets_401_and_charges_nothing(
    api: Api, sandbox: MidtransSandbox, auth: str
) -> None:
    status, body = await api.charge("KB7K3QXM", 42000, auth=auth)
    assert status == 401 and body["status_code"] == "401"
    assert "server key" in body["status_message"]
    assert sandbox.transactions == []
    status, _ = await api.status("KB7K3QXM")
    assert status == 404


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (42000.5, "must be an integer"),
        (42000.0, "must be an integer"),
        ("42000", "must be an integer"),
        (True, "must be an integer"),
        (None, "must be an integer"),
        (0, "greater than or equal to 1"),
        (-5, "greater than or equal to 1"),
        (10_000_001, "at most 10000000"),
    ],
)
async def test_an_amount_that_is_not_whole_positive_rupiah_is_refused_with_400(
    api: Api, sandbox: MidtransSandbox, amount: Any, message: str
) -> None:
    status, body = await api.charge("KB7K3QXM", amount)
    assert status == 400 and body["status_code"] == "400"
    assert any(message in m for m in body["validation_messages"]), body
    assert sandbox.transactions == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"payment_type": "gopay"}, "payment_type must be qris"),
        ({"qris": {"acquirer": "ovo"}}, "qris.acquirer"),
        ({"custom_expiry": {"expiry_duration": 0, "unit": "minute"}}, "expiry_duration"),
        ({"custom_expiry": {"expiry_duration": 5, "unit": "week"}}, "custom_expiry.unit"),
        ({"custom_expiry": {"order_time": "4/12/2026", "expiry_duration": 5, "unit": "minute"}}, "order_time"),
    ],
)
async def test_other_broken_rules_are_listed_in_the_400_answer(
    api: Api, sandbox: MidtransSandbox, extra: dict[str, Any], message: str
) -> None:
    status, body = await api.charge("KB7K3QXM", 42000, **extra)
    assert status == 400
    assert any(message in m for m in body["validation_messages"]), body
    assert sandbox.transactions == []


async def test_an_order_id_with_characters_midtrans_refuses_gets_400(api: Api) -> None:
    status, body = await api.charge("KB 7K3/QXM", 42000)
    assert status == 400 and "order_id" in body["validation_messages"][0]


async def test_a_body_that_is_not_json_gets_400(api: Api, sandbox: MidtransSandbox) -> None:
    headers = {"Authorization": basic_auth(sandbox.server_key), "Content-Type": "application/json"}
    async with api.session.post(sandbox.base_url + "/v2/charge", data=b"{not json", headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["status_code"] == "400"


def test_the_sandbox_merchant_has_a_valid_static_qris_of_its_own() -> None:
    info = qris.describe(STATIC_QRIS)
    assert (info.merchant_name, info.is_dynamic, info.amount) == (MERCHANT_NAME, False, None)
    assert info.nmid == "ID1020000000042" and info.account_issuers == ["COM.GO-JEK.WWW", "ID.CO.QRIS.WWW"]


@pytest.mark.parametrize("amount", [1, 1020, 2206, 137_999, 9_999_999, 10_000_000])
async def test_every_amount_gets_a_qris_that_validates_and_says_that_amount(api: Api, amount: int) -> None:
    _, body = await api.charge(f"KB-{amount}", amount)
    assert body["gross_amount"] == f"{amount}.00"
    assert qris.describe(body["qr_string"]).amount == amount


async def test_two_charges_of_one_order_id_at_once_make_one_transaction(api: Api, sandbox: MidtransSandbox) -> None:
    answers = await asyncio.gather(*(api.charge("KB7K3QXM", 42000) for _ in range(5)))
    assert sorted(status for status, _ in answers) == [200, 406, 406, 406, 406]
    assert len(sandbox.transactions) == 1


async def test_an_independent_qris_library_finds_no_error_in_the_merchant_code_or_a_charge(api: Api) -> None:
    qriskit = pytest.importorskip("qriskit")
    _, body = await api.charge("KB7K3QXM", 42000)
    for payload in (STATIC_QRIS, body["qr_string"]):
        assert [issue for issue in qriskit.validate(payload) if issue.severity == "error"] == []
    expected = qriskit.parse(STATIC_QRIS).to_dynamic(42000).with_tag("62.01", "KB7K3QXM").dumps()
    assert body["qr_string"] == expected
