"""/metrics, read with prometheus_client's own parser, moves with what really happens: a buyer's order through
the emulator, the staff alert sent by the outbox, the payment staff confirm, the jobs, the SQL; and it names no
one."""

from __future__ import annotations

import time

from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.emulator.server import BotApiEmulator
from models.people import Line, Role
from models.services import outbox
from tests.flows.buyer_dialogues import bread_to_cart, checkout_to_summary, confirm, orders, start
from tests.support.eventually import eventually
from tests.web.support import WebBot, sample

BAKER = 731_004_501
BUYER = 731_004_277


async def test_counters_move_after_a_real_order_and_payment_and_name_no_one(
    polling_bot: WebBot, emulator: BotApiEmulator
) -> None:
    bot = polling_bot.harness
    await bot.add_staff(BAKER, "Rina Baker", Role.STAFF, Line.BAKERY)
    before = await polling_bot.metrics()
    assert sample(before, "karya_orders_placed_total", family="bread") == 0
    siti = emulator.user(BUYER, "Kartini", last_name="Wulandari")
    rina = emulator.user(BAKER, "Rina Baker")

    await start(siti)
    await bread_to_cart(siti, qty="12")
    await checkout_to_summary(siti)
    await confirm(siti)
    [order] = await orders(bot)
    await rina.wait_for(f"Pesanan baru {order.code}", timeout=8)  # the staff alert, sent by the outbox
    await rina.press(f"📋 {order.code}")
    await rina.wait_for("Menunggu Pembayaran")
    await rina.press("Bayar masuk")
    await rina.wait_for("Rp42.000 dicatat")
    await siti.wait_for("sudah kami terima", timeout=8)
    await bot.settled()

    async def outbox_drained() -> bool:
        # The buyer reads the "received" notice before the dispatcher records it as sent, and the staff member
        # also gets the morning plan's late catch-up: wait for the outbox itself, not for a count of messages.
        async with bot.services.session_factory() as session:
            return (await outbox.backlog(await session.connection(), bot.services.now())).pending == 0

    await eventually(outbox_drained, what="every outbox message (the staff alert, the buyer's notice) recorded")
    after = await polling_bot.metrics()

    def moved(metric: str, /, **labels: str) -> float:
        return sample(after, metric, **labels) - sample(before, metric, **labels)

    assert moved("karya_orders_placed_total", family="bread") == 1
    assert moved("karya_orders_placed_total", family="paving") == 0
    assert moved("karya_payments_confirmed_total", method="qris") == 1
    assert moved("karya_outbox_sent_total") >= 2 and moved("karya_outbox_failed_total") == 0
    assert moved("karya_updates_total", kind="message") >= 3  # /start, the quantity, the shared contact
    assert moved("karya_updates_total", kind="callback") >= 8  # the buttons pressed by both
    handled = sum(moved("karya_updates_total", kind=k) for k in ("message", "callback", "edited", "other"))
    assert moved("karya_update_seconds_count") == handled and moved("karya_update_seconds_sum") > 0
    assert moved("karya_update_errors_total") == 0
    assert moved("karya_db_seconds_count") > handled  # several statements per update
    assert moved("karya_job_runs_total", name="outbox-dispatcher", outcome="ok") >= 1
    assert sample(after, "karya_outbox_pending") == 0

    status, text = await polling_bot.get("/metrics")
    assert status == 200
    for personal in (str(BUYER), str(BAKER), "Kartini", "Wulandari", "Rina", order.code, emulator.token):
        assert personal not in text, personal


async def test_a_failing_update_and_a_failing_job_are_counted_as_errors(
    polling_bot: WebBot, emulator: BotApiEmulator
) -> None:
    app = polling_bot.harness.app

    async def breaks_on_boom(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A handler with a bug (in a group of its own, beside the bot's pipeline)."""
        if update.effective_message is not None and update.effective_message.text == "boom":
            raise RuntimeError("a bug")

    async def broken_job(_: ContextTypes.DEFAULT_TYPE) -> None:
        """A scheduled job with a bug."""
        raise RuntimeError("a bug")

    async def fine_job(_: ContextTypes.DEFAULT_TYPE) -> None:
        """A scheduled job that works."""

    app.add_handler(TypeHandler(Update, breaks_on_boom), group=-50)
    before = await polling_bot.metrics()
    siti = emulator.user(1001, "Siti")
    await siti.send("boom")
    await siti.wait_for("terjadi kendala")  # the generic apology of the error handler
    assert app.job_queue is not None
    app.job_queue.run_once(broken_job, 0, name="broken-job")
    app.job_queue.run_once(fine_job, 0, name="fine-job")

    async def counted() -> bool:
        metrics = await polling_bot.metrics()
        return (sample(metrics, "karya_job_runs_total", name="broken-job", outcome="error") == 1
                and sample(metrics, "karya_job_runs_total", name="fine-job", outcome="ok") == 1)

    await eventually(counted, what="both job runs counted")
    after = await polling_bot.metrics()
    assert sample(after, "karya_update_errors_total") - sample(before, "karya_update_errors_total") == 1
    assert sample(after, "karya_job_runs_total", name="broken-job", outcome="ok") == 0
    assert sample(after, "karya_job_runs_total", name="fine-job", outcome="error") == 0


async def test_a_one_off_job_runs_even_when_the_loop_wakes_late(polling_bot: WebBot) -> None:
    app = polling_bot.harness.app
    ran: list[str] = []

    async def one_off(_: ContextTypes.DEFAULT_TYPE) -> None:
        """A one-off job like the start-up catch-up."""
        ran.append("late-job")

    assert app.job_queue is not None
    app.job_queue.run_once(one_off, 0, name="late-job")
    time.sleep(1.5)  # the fault: a busy loop wakes the scheduler past APScheduler's default 1 s of grace

    async def counted() -> bool:
        return sample(await polling_bot.metrics(), "karya_job_runs_total", name="late-job", outcome="ok") == 1

    await eventually(counted, what="the late one-off job run and counted as ok")
    assert ran == ["late-job"]
    assert sample(await polling_bot.metrics(), "karya_job_runs_total", name="late-job", outcome="missed") == 0
