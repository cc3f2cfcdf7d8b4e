"""The real entry point, `python -m bot run`, in webhook mode in a subprocess against the in-test emulator, the way
a deployment runs it (settings in the environment, the command line to prepare the database, SIGTERM to stop)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from bot.emulator.server import BotApiEmulator
from tests.deploy.tools import listening
from tests.support.eventually import eventually

ROOT = Path(__file__).resolve().parents[2]
# Settings of the developer's shell that would change what the subprocess does.
_SCRUBBED = ("TELEGRAM_", "DATABASE_", "WEBHOOK_", "HTTP_", "BACKUP_", "MIGRATE_", "LOG_")


class WebhookBot:
    """One installation: an SQLite file, its settings, and the `python -m bot` commands run against it."""

    def __init__(self, emulator: BotApiEmulator, workdir: Path, *, port: int, webhook_url: str, secret: str) -> None:
        self.emulator = emulator
        self.database = workdir / "karya.sqlite3"
        self.log = workdir / "bot.log"
        self.port = port
        self.exit_code: int | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
        self.env.update(
            TELEGRAM_BOT_TOKEN=emulator.token,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            TELEGRAM_FILE_BASE_URL=emulator.base_file_url,
            DATABASE_URL=f"sqlite:///{self.database}",
            WEBHOOK_URL=webhook_url,
            WEBHOOK_SECRET=secret,
            # HTTP_* is the bot's web server; WEBHOOK_LISTEN/PORT its old names, which today's webhook server reads.
            HTTP_LISTEN="127.0.0.1",
            HTTP_PORT=str(port),
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            PYTHONUNBUFFERED="1",
        )

    async def command(self, *args: str) -> str:
        """Runs one `python -m bot ...` command to its end; fails the test with its output if it fails."""
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, cwd=ROOT, env=self.env,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(proc.communicate(), 120)
        text = output.decode(errors="replace")
        assert proc.returncode == 0, f"python -m bot {' '.join(args)} exited with {proc.returncode}:\n{text}"
        return text

    async def prepare(self, managers: Sequence[tuple[int, str]] = ()) -> None:
        """What an operator does once: migrate, load the catalogue, add managers."""
        await self.command("migrate")
        await self.command("catalogue", "import", "data/catalogue.yaml")
        for telegram_id, name in managers:
            await self.command("staff", "add", str(telegram_id), name, "--role", "manager")

    def price(self, sku: str) -> int:
        """A product's price as the database holds it."""
        with sqlite3.connect(self.database) as conn:
            return int(conn.execute("SELECT price FROM products WHERE sku = ?", (sku,)).fetchone()[0])

    def output(self) -> str:
        """Everything the bot printed and logged."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    @asynccontextmanager
    async def running(self, wrapper: Sequence[str] = ()) -> AsyncIterator[None]:
        """`python -m bot run` (behind `wrapper`, a command that execs the rest) until the block ends, then
        SIGTERM as systemd stops it; the exit code lands in `exit_code`."""
        with open(self.log, "wb") as log:
            proc = await asyncio.create_subprocess_exec(*wrapper, sys.executable, "-m", "bot", "run", cwd=ROOT,
                                                        env=self.env, stdout=log, stderr=asyncio.subprocess.STDOUT)
        try:
            def up() -> bool:
                if proc.returncode is not None:
                    raise AssertionError(f"the bot exited with {proc.returncode}:\n{self.output()}")
                return bool(self.emulator.calls_to("setWebhook")) and listening(self.port)

            await eventually(up, timeout=30, what=lambda: f"the bot to set its webhook and listen:\n{self.output()}")
            yield
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(proc.wait(), 20)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()
            self.exit_code = proc.returncode
