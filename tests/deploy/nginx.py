"""deploy/nginx/karya-bot.conf run for real: rendered for loopback (plain HTTP instead of TLS, the test bot's port)
and served by nginx in the foreground, as the current user, under a temporary prefix."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.deploy.tools import free_port, listening, require_tool
from tests.support.eventually import eventually

SNIPPET = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "karya-bot.conf"
TLS_MARK = "# tls"
UPSTREAM = "server 127.0.0.1:8080;"


def render_snippet(listen_port: int, upstream_port: int) -> str:
    """The snippet with its TLS lines replaced by a plain-HTTP loopback listen, and the bot's port; nothing else
    changes (the substitution README "Deploy" documents)."""
    text = SNIPPET.read_text(encoding="utf-8")
    assert text.count(UPSTREAM) == 1 and TLS_MARK in text, "the snippet's upstream or TLS lines moved"
    lines = [line for line in text.splitlines() if not line.rstrip().endswith(TLS_MARK)]
    first_tls = next(i for i, line in enumerate(text.splitlines()) if line.rstrip().endswith(TLS_MARK))
    lines.insert(first_tls, f"    listen 127.0.0.1:{listen_port};")
    return "\n".join(lines).replace(UPSTREAM, f"server 127.0.0.1:{upstream_port};") + "\n"


def main_config(prefix: Path, site: Path) -> str:
    """A whole nginx.conf around the site: logs, pid and temporary files under `prefix`."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                              "uwsgi", "scgi"))
    # As root, nginx would hand its workers to `nobody`, who cannot enter the test's private directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\nerror_log {prefix / 'error.log'} info;\npid {prefix / 'nginx.pid'};\n"
            f"events {{ worker_connections 64; }}\n"
            f"http {{\n    access_log {prefix / 'access.log'};\n{temp}\n    include {site};\n}}\n")


class Nginx:
    """A running nginx: its port and its logs."""

    def __init__(self, prefix: Path, port: int) -> None:
        self.prefix = prefix
        self.port = port

    @property
    def url(self) -> str:
        """The base URL the proxy serves on."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def server(self) -> str:
        """The Server header of nginx's own answers (the snippet hides the version)."""
        return "nginx"

    @property
    def too_large(self) -> frozenset[int]:
        """nginx refuses a body over client_max_body_size with 413 before reading it."""
        return frozenset({413})

    def access_log(self) -> list[str]:
        """The access log's lines so far."""
        path = self.prefix / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def error_log(self) -> str:
        """The error log so far."""
        path = self.prefix / "error.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""


@asynccontextmanager
async def running_nginx(prefix: Path, upstream_port: int) -> AsyncIterator[Nginx]:
    """nginx serving the rendered snippet in the foreground until the block ends (then a graceful quit)."""
    binary = require_tool("nginx", "the nginx reverse-proxy snippet")
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = prefix / "karya-bot.conf"
    site.write_text(render_snippet(port, upstream_port), encoding="utf-8")
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site), encoding="utf-8")
    args = [binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    check = await asyncio.create_subprocess_exec(*args, "-t", stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.STDOUT)
    output, _ = await check.communicate()
    assert check.returncode == 0, f"nginx -t refused the snippet:\n{output.decode()}"
    proc = await asyncio.create_subprocess_exec(*args, "-g", "daemon off;", stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    proxy = Nginx(prefix, port)
    try:
        def up() -> bool:
            if proc.returncode is not None:
                raise AssertionError(f"nginx exited with {proc.returncode}:\n{proxy.error_log()}")
            return listening(port)

        await eventually(up, timeout=20, what=lambda: f"nginx to listen on {port}:\n{proxy.error_log()}")
        yield proxy
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGQUIT)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
