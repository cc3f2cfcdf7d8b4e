"""deploy/caddy/Caddyfile run for real: rendered for loopback (plain HTTP on a free port instead of the domain with
automatic HTTPS, the test bot's port, no admin endpoint) and served by `caddy run` in the foreground."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.deploy.tools import free_port, listening, require_tool
from tests.support.eventually import eventually

CADDYFILE = Path(__file__).resolve().parents[2] / "deploy" / "caddy" / "Caddyfile"
SITE = "bot.example.org {"
UPSTREAM = "reverse_proxy 127.0.0.1:8080 {"
GLOBAL = "{\n\temail admin@example.org\n"


def render_caddyfile(listen_port: int, upstream_port: int) -> str:
    """The Caddyfile with the three documented substitutions and nothing else changed."""
    text = CADDYFILE.read_text(encoding="utf-8")
    assert text.count(SITE) == 1 and text.count(UPSTREAM) == 1 and text.count(GLOBAL) == 1, "the Caddyfile moved"
    return (text.replace(SITE, f"http://127.0.0.1:{listen_port} {{")
            .replace(UPSTREAM, f"reverse_proxy 127.0.0.1:{upstream_port} {{")
            .replace(GLOBAL, GLOBAL + "\tadmin off\n"))


class Caddy:
    """A running Caddy: its port and its log."""

    def __init__(self, prefix: Path, port: int) -> None:
        self.prefix = prefix
        self.port = port

    @property
    def url(self) -> str:
        """The base URL the proxy serves on."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def server(self) -> str:
        """The Server header of Caddy's own answers."""
        return "Caddy"

    @property
    def too_large(self) -> frozenset[int]:
        """Caddy stops forwarding at request_body's max_size: 502 from 2.6 (Debian 12), 413 from later versions."""
        return frozenset({413, 502})

    def log(self) -> str:
        """What Caddy printed so far."""
        path = self.prefix / "caddy.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


@asynccontextmanager
async def running_caddy(prefix: Path, upstream_port: int) -> AsyncIterator[Caddy]:
    """Caddy serving the rendered Caddyfile until the block ends (then SIGTERM, its graceful stop)."""
    binary = require_tool("caddy", "the Caddy reverse-proxy snippet")
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = prefix / "Caddyfile"
    config.write_text(render_caddyfile(port, upstream_port), encoding="utf-8")
    env = {**os.environ, "HOME": str(prefix), "XDG_DATA_HOME": str(prefix / "data"),
           "XDG_CONFIG_HOME": str(prefix / "config")}
    args = ["--config", str(config), "--adapter", "caddyfile"]
    check = await asyncio.create_subprocess_exec(binary, "validate", *args, env=env, stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.STDOUT)
    output, _ = await check.communicate()
    assert check.returncode == 0, f"caddy validate refused the Caddyfile:\n{output.decode()}"
    with open(prefix / "caddy.log", "wb") as log:
        proc = await asyncio.create_subprocess_exec(binary, "run", *args, env=env, stdout=log,
                                                    stderr=asyncio.subprocess.STDOUT)
    proxy = Caddy(prefix, port)
    try:
        def up() -> bool:
            if proc.returncode is not None:
                raise AssertionError(f"caddy exited with {proc.returncode}:\n{proxy.log()}")
            return listening(port)

        await eventually(up, timeout=20, what=lambda: f"caddy to listen on {port}:\n{proxy.log()}")
        yield proxy
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
