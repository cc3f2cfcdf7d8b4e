"""The container recipe: the image's HEALTHCHECK command, run as the container would run it, passes on a healthy
/healthz and fails on an unhealthy or silent one; the compose file migrates once before the bot starts."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from tests.deploy.tools import free_port

CONTAINER = Path(__file__).resolve().parents[2] / "deploy" / "container"


def _healthcheck_command() -> list[str]:
    """The exec-form command of the Containerfile's HEALTHCHECK."""
    text = (CONTAINER / "Containerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])\s*$", text, flags=re.M)
    assert found, "no exec-form HEALTHCHECK in the Containerfile"
    command: list[str] = json.loads(found.group(1))
    assert command[0] == "python", command  # the image's venv python is first on PATH
    return [sys.executable, *command[1:]]


async def _health_exit_code(port: int) -> int:
    """Runs the HEALTHCHECK command against 127.0.0.1:port as the container does (HTTP_PORT from the environment)."""
    env = {**os.environ, "HTTP_PORT": str(port)}
    proc = await asyncio.create_subprocess_exec(*_healthcheck_command(), env=env, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    return await asyncio.wait_for(proc.wait(), 30)


async def test_the_healthcheck_passes_only_while_healthz_answers_200() -> None:
    status = {"code": 200}

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"}, status=status["code"])

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        assert await _health_exit_code(port) == 0
        status["code"] = 503
        assert await _health_exit_code(port) != 0
    finally:
        await runner.cleanup()
    assert await _health_exit_code(port) != 0  # nothing listens any more


def test_the_image_runs_as_its_own_user_on_all_interfaces_with_data_in_a_volume() -> None:
    text = (CONTAINER / "Containerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)", text, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^ARG BASE_IMAGE=python:3\.\d+-slim$", text, flags=re.M)
    assert "HTTP_LISTEN=0.0.0.0" in text and "sqlite:////data/" in text
    assert re.search(r'^VOLUME \["/data"\]$', text, flags=re.M) and re.search(r"^EXPOSE 8080$", text, flags=re.M)
    assert re.search(r'^CMD \["python", "-m", "bot", "run"\]$', text, flags=re.M)


def test_compose_migrates_once_after_the_database_is_healthy_and_only_then_starts_the_bot() -> None:
    compose: dict[str, Any] = yaml.safe_load((CONTAINER / "compose.yaml").read_text(encoding="utf-8"))
    db, migrate, bot = (compose["services"][name] for name in ("db", "migrate", "bot"))
    assert db["image"].endswith("postgres:15") and "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "python -m bot migrate" in " ".join(migrate["command"]) and migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert bot["restart"] == "unless-stopped" and bot["image"] == migrate["image"]
    # Both reach the database service by name, with the same URL; the bot listens where the port mapping points.
    assert migrate["environment"]["DATABASE_URL"] == bot["environment"]["DATABASE_URL"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://karya:")
    assert "@db:5432/karya" in bot["environment"]["DATABASE_URL"]
    assert bot["environment"]["HTTP_LISTEN"] == "0.0.0.0" and bot["ports"] == ["127.0.0.1:8080:8080"]
    assert {"db-data", "bot-data"} <= set(compose["volumes"])
