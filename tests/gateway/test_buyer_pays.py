"""A buyer pays the Midtrans code and the bot knows by itself: through the Bot API emulator, the bot's web server
and the local sandbox, on SQLite and PostgreSQL; and a gateway that fails at Konfirmasi costs neither the order
nor a second charge."""

from __future__ import annotations

from datetime import timedelta

from models.order import OrderStatus
from models.payment import ConfirmedVia, PaymentState
from tests.flows.buyer_dialogues import confirm
from tests.flows.staff_helpers import walk_in_to_summary
from tests.gateway.support import GatewayShop, qr_text, to_summary
from tests.web.support import sample


async def test_the_buyer_scans_the_sandbox_code_pays_and_sees_lunas_with_no_staff_action(shop: GatewayShop) -> None:
    buyer, sandbox = shop.buyer, shop.sandbox
    await to_summary(buyer)
    [png] = await confirm(buyer)
    [transaction] = sandbox.transactions
    assert qr_text(png) == transaction.qr_string
    assert transaction.charged_amount == 42_000
    [issued] = await shop.payments()
    assert transaction.order_id == issued.provider_order_id == (await shop.orders())[0].code.replace("-", "")
    assert issued.expires_at is not None  # custom_expiry: the payment deadline (Midtrans counts whole minutes)
    assert abs(transaction.expiry_time - issued.expires_at) < timedelta(minutes=1)
    assert (transaction.acquirer, transaction.notification_url) == ("gopay", shop.bot.url("/payments/midtrans"))
    photo = next(m for m in reversed(buyer.inbox) if m.photo is not None)
    assert "Rp42.000" in photo.content and "Bayar sebelum" in photo.content
    assert "Lunas dengan sendirinya" in photo.content and "kirim foto buktinya" not in photo.content

    sandbox.pay(transaction.order_id)
    await buyer.wait_for("Lunas", timeout=15)
    alert = await shop.staff.wait_for("Midtrans", timeout=15)
    assert "Rp42.000" in alert.content and "tidak perlu konfirmasi" in alert.content
    [payment] = await shop.payments()
    assert (payment.state, payment.confirmed_via, payment.confirmed_by) == (PaymentState.PAID, ConfirmedVia.MIDTRANS,
                                                                            None)
    assert (payment.reference, payment.provider_status) == (transaction.transaction_id, "settlement")
    [order] = await shop.orders()
    assert (order.status, order.paid_amount) == (OrderStatus.PAID, 42_000)
    assert sample(await shop.bot.metrics(), "karya_payments_confirmed_total", method="qris") == 1


async def test_a_gateway_answering_5xx_at_konfirmasi_gets_an_apology_and_try_again_charges_once(
    shop: GatewayShop,
) -> None:
    buyer, sandbox = shop.buyer, shop.sandbox
    await to_summary(buyer)
    sandbox.faults.api.server_errors(shop.gateway.attempts, calls=["charge"])
    await buyer.press("Konfirmasi")
    apology = await buyer.wait_for("Mohon maaf", timeout=15)
    assert "belum ada tagihan" in apology.content and "🔄 Coba lagi" in apology.buttons
    [order] = await shop.orders()
    assert order.status is OrderStatus.AWAITING_PAYMENT and sandbox.transactions == []

    await buyer.press("🔄 Coba lagi", message_id=apology.message_id)
    photo = await buyer.wait_for_photo(timeout=15)
    assert photo.photo is not None
    [transaction] = sandbox.transactions
    assert qr_text(photo.photo) == transaction.qr_string
    [payment] = await shop.payments()
    assert payment.payload == transaction.qr_string and payment.provider_order_id == transaction.order_id


async def test_a_charge_whose_answer_times_out_is_never_payable_twice(shop: GatewayShop) -> None:
    buyer, sandbox = shop.buyer, shop.sandbox
    await to_summary(buyer)
    gate = sandbox.faults.api.slow(1, calls=["charge"])  # charged at Midtrans, but the answer comes too late
    try:
        await buyer.press("Konfirmasi")
        photo = await buyer.wait_for_photo(timeout=15)
    finally:
        gate.set()
    assert photo.photo is not None
    first, second = sandbox.transactions
    assert first.status == "cancel" and second.status == "pending"  # the unseen one went before the new one came
    assert qr_text(photo.photo) == second.qr_string
    [payment] = await shop.payments()
    assert payment.provider_order_id == second.order_id == f"{first.order_id}-2"

    sandbox.pay(second.order_id)
    await buyer.wait_for("Lunas", timeout=15)
    assert [t.status for t in sandbox.transactions] == ["cancel", "settlement"]


async def test_a_walk_in_paid_by_qris_gets_a_midtrans_code_that_turns_paid_by_itself(shop: GatewayShop) -> None:
    staff = shop.staff
    await walk_in_to_summary(staff, "12", pay="QRIS")
    await staff.press("Simpan")
    photo = await staff.wait_for_photo(timeout=15)
    assert photo.photo is not None
    [transaction] = shop.sandbox.transactions
    assert qr_text(photo.photo) == transaction.qr_string and transaction.charged_amount == 42_000

    shop.sandbox.pay(transaction.order_id)
    await staff.wait_for("lewat Midtrans", timeout=15)
    [order] = await shop.orders()
    assert (order.status, order.paid_amount) == (OrderStatus.PAID, 42_000)
