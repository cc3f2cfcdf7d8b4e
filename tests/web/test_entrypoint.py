"""The real entry point, `python -m bot run`, with its web server: health on the port it logs, webhook mode end to
end, SIGTERM exits 0, a port in use stops start-up in one line, the old WEBHOOK_* names still work."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys

import aiohttp

from bot.emulator.server import BotApiEmulator
from bot.logs import JsonFormatter
from tests.reliability.botprocess import ROOT, BotProcess
from tests.support.eventually import eventually


def _free_port() -> int:
    """A TCP port nobody listens on right now (for a webhook URL, which must be known before start-up)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _get(port: int, path: str) -> tuple[int, str]:
    """GET a path of the bot's web server."""
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}{path}") as response:
        return response.status, await response.text()


async def test_polling_bot_serves_health_readiness_and_metrics_and_exits_0_on_sigterm(
    process: BotProcess, emulator: BotApiEmulator
) -> None:
    await process.start()
    port = process.web_port()
    siti = emulator.user(1001, "Siti")
    await siti.send("/start")
    await siti.wait_for("Selamat datang", timeout=20)
    assert await _get(port, "/healthz") == (200, '{"status": "ok"}')

    async def ready() -> bool:
        return (await _get(port, "/readyz"))[0] == 200

    await eventually(ready, what="/readyz 200")
    status, metrics = await _get(port, "/metrics")
    assert status == 200 and 'karya_updates_total{kind="message"}' in metrics
    code, seconds = await process.terminate()
    assert code == 0 and seconds < 12
    log = process.log_text()
    assert "INFO bot.lifecycle: stopped" in log and "Traceback" not in log
    assert "INFO bot.lifecycle: event loop: uvloop" in log  # EVENT_LOOP=auto, and uvloop is a dependency here
    assert re.search(r"INFO bot.lifecycle: garbage collector: \d{5,} start-up objects frozen", log)


async def test_webhook_mode_serves_a_buyer_through_the_real_entry_point(
    process: BotProcess, emulator: BotApiEmulator
) -> None:
    port = _free_port()
    # On asyncio's own loop: the entry point serves the same on both (the polling test above runs on uvloop).
    process.env.update(HTTP_PORT=str(port), WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
                       WEBHOOK_SECRET="rahasia-proses_123", EVENT_LOOP="asyncio")
    await process.start()
    [hook] = emulator.calls_to("setWebhook")
    assert hook.params["secret_token"] == "rahasia-proses_123"
    siti = emulator.user(1001, "Siti")
    await siti.send("/start")
    await siti.wait_for("Selamat datang", timeout=20)
    await siti.press("Katalog")
    await siti.wait_for("pilih kategori")
    assert emulator.calls_to("getUpdates") == []
    async with aiohttp.ClientSession() as http, http.post(f"http://127.0.0.1:{port}/telegram",
                                                          json={"update_id": 1}) as response:
        assert response.status == 403  # no secret
    code, seconds = await process.terminate()
    assert code == 0 and seconds < 12
    assert "INFO bot.lifecycle: event loop: asyncio" in process.log_text()


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m bot run` to its end."""
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


async def test_a_port_in_use_stops_start_up_with_one_line_and_exit_2(process: BotProcess) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = await asyncio.to_thread(_run, {**process.env, "HTTP_PORT": str(port), "LOG_LEVEL": "WARNING"})
    assert result.returncode == 2
    assert result.stdout.strip() == (f"Cannot listen on 127.0.0.1:{port}: the port is already in use (another bot "
                                     "process?). Set HTTP_PORT to a free port.")
    assert "Traceback" not in result.stderr


async def test_the_old_webhook_port_name_still_works_with_a_notice_and_http_port_wins(process: BotProcess) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in process.env.items() if k != "HTTP_PORT"}
        old_name = await asyncio.to_thread(_run, {**env, "WEBHOOK_PORT": str(port), "LOG_LEVEL": "WARNING"})
    # WEBHOOK_PORT was read as HTTP_PORT (the proof: the port it names is the one found in use), with a notice.
    assert old_name.returncode == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in old_name.stdout
    assert (f"WEBHOOK_PORT is an old name of HTTP_PORT: listening on 127.0.0.1:{port} (rename it; HTTP_* wins "
            "when both are set)") in old_name.stderr
    process.env["WEBHOOK_PORT"] = "1"  # a port nobody may take: only HTTP_PORT=0 lets the bot start
    await process.start()
    assert process.web_port() != 1
    assert "WEBHOOK_PORT is an old name of HTTP_PORT: listening on 127.0.0.1:0" in process.log_text()


async def test_json_logs_are_one_object_per_line_with_hashed_ids_and_no_personal_data(
    process: BotProcess, emulator: BotApiEmulator
) -> None:
    buyer = 731_004_277
    process.env.update(LOG_FORMAT="json", FLOOD_MAX_UPDATES="2")
    await process.start()
    kartini = emulator.user(buyer, "Kartini", last_name="Wulandari")
    first = await kartini.send("/start")
    await kartini.wait_for("Selamat datang", timeout=20)
    emulator.faults.server_errors(1, status=502, methods=["sendMessage"])  # Telegram's gateway fails once
    await kartini.send("/bantuan")
    await kartini.send("/bantuan")  # the third message within the window: politely throttled
    await kartini.wait_for("terlalu cepat", timeout=20)
    code, _ = await process.terminate()
    assert code == 0
    lines = process.log_text().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    assert all(e["time"].endswith("+00:00") and "T" in e["time"] for e in entries)
    hashed = JsonFormatter(emulator.token).chat_hash(buyer)
    [throttled] = [e for e in entries if e["message"].startswith("throttling user")]
    assert throttled["message"] == f"throttling user {hashed}"
    assert throttled["chat"] == throttled["user"] == hashed and isinstance(throttled["update_id"], int)
    assert throttled["update_id"] > first
    assert any("exception" in e and "Traceback" in e["exception"] for e in entries), "an exception's text"
    text = "\n".join(lines)
    for personal in (str(buyer), "Kartini", "Wulandari", emulator.token, emulator.token.split(":")[1]):
        assert personal not in text, personal
