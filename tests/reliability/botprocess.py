"""The real entry point, `python -m bot run`, in a subprocess against the in-test emulator: start, SIGKILL,
SIGTERM, restart, stop. Every run logs at DEBUG into its own file, which the tests read afterwards. Its web server
listens on a free port (HTTP_PORT=0, read back from its log) unless a `webhook_port` is given.

By default the bot polls, on an SQLite file; given a database URL and `webhook_port`, it runs in webhook mode
(WEBHOOK_URL, WEBHOOK_SECRET; its web server on that port, path /telegram), as several processes behind a load
balancer do."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bot.emulator.server import BotApiEmulator
from tests.support.calls import unanswered_calls
from tests.support.eventually import eventually

ROOT = Path(__file__).resolve().parents[2]
_CLOSE_WAIT = "08"  # the state column of /proc/net/tcp
_WEB_SERVER = re.compile(r"web server on http://[^:\s]+:(\d+)")


WEBHOOK_SECRET = "rahasia-proses-ganda"
_SETTINGS_PREFIXES = (
    "TELEGRAM_", "DATABASE_", "WEBHOOK_", "HTTP_", "LOG_", "MIGRATE_", "MORNING_", "PRODUCTION_", "CLOSING_",
)


class BotProcess:
    """One bot process (of an installation: a database) that the test starts and kills."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        database: Path | str,
        log_dir: Path,
        *,
        name: str = "bot",
        webhook_port: int | None = None,
        webhook_url: str | None = None,
        **settings: str,
    ) -> None:
        self.emulator = emulator
        self.log_dir = log_dir
        self.name = name
        self.webhook_port = webhook_port
        self.runs = 0
        self._taking = "getUpdates"  # the call that shows the bot takes updates: setWebhook in webhook mode
        self._polls = 0  # such calls seen before the latest launch
        self.proc: asyncio.subprocess.Process | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTINGS_PREFIXES)}
        self.env.update(
            TELEGRAM_BOT_TOKEN=emulator.token,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            TELEGRAM_FILE_BASE_URL=emulator.base_file_url,
            DATABASE_URL=database if isinstance(database, str) else f"sqlite:///{database}",
            LOG_LEVEL="DEBUG",
            PYTHONUNBUFFERED="1",
            HTTP_PORT="0",  # never a fixed port: tests and other bots run side by side
            **settings,
        )
        if webhook_port is not None:
            self.env.update(
                WEBHOOK_URL=webhook_url or f"http://127.0.0.1:{webhook_port}/telegram",
                WEBHOOK_SECRET=WEBHOOK_SECRET,
                HTTP_LISTEN="127.0.0.1",
                HTTP_PORT=str(webhook_port),
            )

    def _log_file(self, run: int) -> Path:
        """The log of one run."""
        return self.log_dir / f"{self.name}-run-{run}.log"

    async def launch(self) -> None:
        """Starts `python -m bot run` without waiting for it (see `ready`)."""
        self.runs += 1
        self._taking = "setWebhook" if self.env.get("WEBHOOK_URL") else "getUpdates"
        self._polls = len(self.emulator.calls_to(self._taking))
        with open(self._log_file(self.runs), "wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env, stdout=log, stderr=asyncio.subprocess.STDOUT
            )

    async def ready(self, timeout: float = 30.0) -> None:
        """Waits until the launched bot takes updates: it polls, or its webhook server accepts connections."""

        async def taking_updates() -> bool:
            assert self.proc is not None
            if self.proc.returncode is not None:
                raise AssertionError(f"the bot {self.name} exited with {self.proc.returncode}:\n{self.output()}")
            if len(self.emulator.calls_to(self._taking)) <= self._polls:
                return False
            # "bot running" is logged once this process takes updates: before it, its webhook answers 503 (another
            # process's setWebhook call may already have been counted above).
            return "bot running (" in self.log_text() and (
                self.webhook_port is None or await _accepts(self.webhook_port))

        await eventually(taking_updates, timeout=timeout,
                         what=lambda: f"the bot {self.name} to take updates ({self._taking}):\n{self.output()}")

    async def start(self, timeout: float = 30.0) -> None:
        """Starts `python -m bot run` and waits until it takes updates (polls, or has set its webhook)."""
        await self.launch()
        await self.ready(timeout)

    def web_port(self) -> int:
        """The port the current run's web server listens on (from its log)."""
        found = _WEB_SERVER.search(self.log_text())
        assert found is not None, f"no web server line in the log:\n{self.log_text()}"
        return int(found.group(1))

    def log_text(self) -> str:
        """What the current run printed and logged so far."""
        return self._log_file(self.runs).read_text(encoding="utf-8", errors="replace")

    async def terminate(self, timeout: float = 30.0) -> tuple[int, float]:
        """SIGTERM, as systemd, docker or a deploy sends it: (exit code, seconds until the process ended)."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        return await self.ended(started, timeout)

    async def ended(self, since: float, timeout: float = 30.0) -> tuple[int, float]:
        """Waits for the process to end: (exit code, seconds from `since`, a time.monotonic())."""
        assert self.proc is not None
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"the bot did not exit within {timeout} s:\n{self.log_text()}") from None
        return int(self.proc.returncode or 0), time.monotonic() - since

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, like a power cut or the OOM killer."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def drained(self) -> None:
        """After a kill: waits until the emulator has answered, or dropped, every request the dead process had
        already written (they sit in the emulator's sockets; Telegram too would still act on them)."""
        port = urlsplit(self.emulator.base_url).port
        assert port is not None

        def caught_up() -> bool:
            return _closing_connections(port) == 0 and not unanswered_calls(self.emulator)

        await eventually(caught_up, timeout=10, what="the emulator to take in what the killed bot had sent")

    def ran_after(self, job: str, earlier: str) -> bool:
        """True once a run of the scheduled `job` that began after `earlier` had run has finished, in the
        current process (APScheduler logs when each run begins and ends)."""
        lines = self._log_file(self.runs).read_text(encoding="utf-8", errors="replace").splitlines()

        def first(pattern: str, after: int) -> int | None:
            return next((i for i in range(after + 1, len(lines)) if re.search(pattern, lines[i])), None)

        finished = r'Job "{} \(.*\)" executed successfully'
        earlier_done = first(finished.format(re.escape(earlier)), -1)
        began = None if earlier_done is None else first(rf'Running job "{re.escape(job)} \(', earlier_done)
        return began is not None and first(finished.format(re.escape(job)), began) is not None

    async def stop(self) -> int:
        """SIGINT, as an operator's Ctrl-C or systemd's stop; returns the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return int(self.proc.returncode or 0)

    def output(self) -> str:
        """Everything every run printed and logged."""
        return "\n".join(
            self._log_file(n).read_text(encoding="utf-8", errors="replace") for n in range(1, self.runs + 1)
        )


async def _accepts(port: int) -> bool:
    """True when a server listens on the loopback port."""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


def _closing_connections(port: int) -> int:
    """Connections to a local server port that the client closed and the server has not closed yet (CLOSE_WAIT).

    Read from Linux's /proc/net/tcp: the server closes its side only after it has read everything the client
    sent before it went away, so none left means nothing more from a dead client is still to arrive.
    """
    count = 0
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == _CLOSE_WAIT:
                count += 1
    return count
