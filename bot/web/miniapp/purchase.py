"""Checkout from the Mini App: the phone (Telegram's signed contact), the summary, and Konfirmasi.

The summary is kept in the buyer's chat state with its token, as the chat's own summary is (the latest summary
of either wins; an older one is stale unless it was placed), and Konfirmasi calls the chat's `checkout.confirm`:
the chat and the Mini App share one idempotency (a second Konfirmasi with the same token returns the same orders)
and the same capacity rules. The payment photos go to the buyer's chat through the outbox (one per payment
code, by its dedupe key), so they are sent once and only if the orders committed. When the gateway makes no code,
the chat gets the chat's own apology with "Coba lagi" instead (once per payment), and the page says so.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.keyboards import button, markup
from bot.payments.codes import with_code
from bot.render.buyer_checkout import address_problem_text, fulfilment_screen, payment_minutes, summary_text
from bot.render.buyer_payment import payment_caption, payment_image
from bot.render.errors import error_text
from bot.render.plain import plain
from bot.routing.actions import Action, Audience, Step
from bot.texts import t
from bot.web.miniapp import initdata, views
from bot.web.miniapp.calls import Call, Refused, endpoint, text_field
from models.order import Fulfilment, Order
from models.payment import Payment
from models.rules.address import address_problem, clean_address
from models.rules.phone import mask_phone
from models.services import checkout, conversation, customers, notices, outbox
from models.services.checkout import CheckoutFailed, CheckoutResult, Need


@endpoint
async def phone(call: Call) -> web.Response:
    """POST /app/api/phone: keeps the phone Telegram signed for this very user (with the consent time)."""
    raw = text_field(call, await call.body(), "contact", limit=initdata.MAX_LENGTH)
    try:
        shared = initdata.validate_contact(raw, call.application.bot.token, call.now())
    except initdata.InitDataError:
        raise Refused(401, "unauthorized", t(call.lang, "app_e_unauthorized")) from None
    if shared.user_id != call.user.id:
        raise Refused(400, "not_your_contact", t(call.lang, "b_e_contact_not_yours"))
    customer = await customers.set_phone_of(call.session, call.customer_id, shared.phone_number, now=call.now())
    return web.json_response({"phone": mask_phone(customer.phone or "")})


def _choices(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    """The checkout choices of the body as the chat keeps them in its step data (address checked as the chat does)."""
    data: dict[str, Any] = {}
    fulfilment = body.get("fulfilment")
    if fulfilment is not None:
        if fulfilment not in (Fulfilment.PICKUP.value, Fulfilment.DELIVERY.value):
            raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))
        data["fulfilment"] = fulfilment
    if fulfilment == Fulfilment.DELIVERY.value and body.get("address") is not None:
        address = clean_address(text_field(call, body, "address", limit=1000))
        problem = address_problem(address)
        if problem is not None:
            raise Refused(400, "invalid_address", plain(address_problem_text(call.lang, problem)))
        data["address"] = address
    return data


@endpoint
async def summary(call: Call) -> web.Response:
    """POST /app/api/checkout/summary: what checkout still needs, else the summary and its token."""
    data = _choices(call, await call.body())
    services = call.services
    found = await checkout.progress(call.session, call.customer_id, data, now=call.now(), policy=services.order_policy)
    minutes = payment_minutes(services.order_policy.payment_timeout)
    delivery = data.get("fulfilment") == Fulfilment.DELIVERY.value
    answer = {
        **views.groups_json(call.lang, found.planned, delivery=delivery), "need": found.need.value,
        "phone": mask_phone(found.phone) if found.phone else None, "token": None, "lines": [],
        "pay_minutes": minutes,
    }
    if found.need is Need.FULFILMENT:  # the chat's explanation: where to pick up, who pays the trips
        prompt = plain(fulfilment_screen(call.lang, services.settings.shop_address).text)
        answer["lines"] = [line for line in prompt.splitlines()[1:] if line.strip()]  # [0] asks the question
    if found.need is Need.SUMMARY:
        summary_lines = summary_text(
            call.lang, found.planned, phone=found.phone,
            fulfilment=Fulfilment(data.get("fulfilment", Fulfilment.PICKUP.value)), address=data.get("address"),
            has_location=False, payment_minutes=minutes,
        )
        await conversation.set_step(call.session, call.user.id, Step.MINIAPP_CONFIRM, **data, token=found.token,
                                    total=found.total)
        answer["token"] = found.token
        answer["lines"] = [line for note in summary_lines.notes for line in plain(note).splitlines() if line.strip()]
    return web.json_response(answer)


async def _send_codes(call: Call, result: CheckoutResult) -> tuple[list[Payment], list[Order]]:
    """Queues each payment's QR photo for the buyer's chat (once per code), or the apology with "Coba lagi" when the
    gateway made no code; returns the payments with their code and the orders still waiting for one."""
    orders = {o.id: o for o in result.orders}
    coded: list[Payment] = []
    waiting: list[Order] = []
    for payment in result.payments:
        order = orders[payment.order_id]
        found = await with_code(call, payment)  # a gateway's code is made now (the orders are committed first)
        if found is None:
            waiting.append(order)
            await _queue_retry(call, payment, order)
            continue
        coded.append(found)
        if found.qr_file_id:  # the chat sent this code already
            continue
        caption = payment_caption(call.lang, found, order)
        await outbox.enqueue(
            call.session, call.user.id, caption.text, due_at=call.now(), dedupe_key=f"payment-qr:{found.id}",
            reply_markup=caption.markup.to_dict() if caption.markup else None,
            attachment=notices.photo_attachment(payment_image(call.lang, found, order), f"qris-{order.code}.png"),
        )
    return coded, waiting


async def _queue_retry(call: Call, payment: Payment, order: Order) -> None:
    """The chat's apology for a code the gateway did not make, with "Coba lagi" (which asks it again, never twice)."""
    retry = markup([button(t(call.lang, "b_btn_retry_code"), Action.PAY, order.code)])
    await outbox.enqueue(
        call.session, call.user.id, t(call.lang, "b_gateway_down", code=order.code), due_at=call.now(),
        dedupe_key=f"payment-down:{payment.id}", reply_markup=retry.to_dict(),
    )


@endpoint
async def confirm(call: Call) -> web.Response:
    """POST /app/api/checkout/confirm: places the summary's orders exactly once; 409 when a rule refuses now."""
    token = text_field(call, await call.body(), "token", limit=80)
    services = call.services
    outcome = await checkout.confirm(
        call.session, customer_id=call.customer_id, chat_id=call.user.id, token=token,
        summary_step=Step.MINIAPP_CONFIRM, now=call.now(), order_policy=services.order_policy,
        payment_policy=services.payment_policy, alerts=services.staff_alerts,
    )
    if isinstance(outcome, CheckoutFailed):
        call.keep_refusal = True  # the refused demand is recorded for the weekly summary; nothing was placed
        message = plain(error_text(call.lang, outcome, Audience.BUYER))
        return web.json_response({"error": {"code": outcome.code, "message": message}}, status=409)
    coded, waiting = await _send_codes(call, outcome)
    answer = views.placed_json(call.lang, outcome.orders, coded, replayed=outcome.replayed, waiting=waiting)
    return web.json_response(answer)


def routes() -> list[web.RouteDef]:
    """The checkout routes."""
    return [
        web.post("/app/api/phone", phone),
        web.post("/app/api/checkout/summary", summary),
        web.post("/app/api/checkout/confirm", confirm),
    ]
