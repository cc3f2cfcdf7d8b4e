"""The web server in long-polling mode: liveness, readiness with every check named, metrics, unknown paths."""

from __future__ import annotations

import json

from tests.web.support import WebBot


async def test_healthz_says_ok_while_the_loop_turns(polling_bot: WebBot) -> None:
    status, body = await polling_bot.get("/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})


async def test_readyz_is_200_with_each_check_named_when_everything_holds(polling_bot: WebBot) -> None:
    status, body = await polling_bot.readiness()
    assert status == 200, body
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"serving", "database", "bot_api", "scheduler", "outbox", "backup"}
    for name in ("serving", "database", "bot_api", "scheduler", "outbox"):
        assert checks[name]["ok"] is True and checks[name]["state"] == "ok", (name, checks[name])
    assert checks["outbox"]["pending"] == 0 and checks["outbox"]["limit_seconds"] == 300
    # No BACKUP_DIR here: the backup check does not apply and does not fail.
    assert checks["backup"]["state"] == "off" and checks["backup"]["ok"] is True


async def test_metrics_are_prometheus_text_with_the_process_collectors(polling_bot: WebBot) -> None:
    metrics = await polling_bot.metrics()
    names = {name for name, _ in metrics}
    for expected in ("karya_updates_total", "karya_update_seconds_count", "karya_update_errors_total",
                     "karya_outbox_pending", "karya_outbox_oldest_pending_seconds", "karya_outbox_sent_total",
                     "karya_outbox_failed_total", "karya_orders_placed_total", "karya_payments_confirmed_total",
                     "karya_db_seconds_count", "process_resident_memory_bytes", "python_info"):
        assert expected in names, expected
    status, body = await polling_bot.get("/metrics")
    assert status == 200 and body.startswith("# HELP")


async def test_an_unknown_path_is_404_and_the_webhook_path_is_not_served_in_polling_mode(polling_bot: WebBot) -> None:
    assert (await polling_bot.get("/nope"))[0] == 404
    assert await polling_bot.post_update(b'{"update_id": 1}', {}) == 404
