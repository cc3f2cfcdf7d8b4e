"""The real entry point, `python -m bot run`, in a subprocess against the in-test emulator: start, SIGKILL,
restart, stop. Every run logs at DEBUG into its own file, which the tests read afterwards."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from bot.emulator.server import BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """One bot installation (a database) whose process the test starts and kills."""

    def __init__(self, emulator: BotApiEmulator, database_file: Path, log_dir: Path) -> None:
        self.emulator = emulator
        self.log_dir = log_dir
        self.runs = 0
        self.proc: asyncio.subprocess.Process | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
        self.env.update(
            TELEGRAM_BOT_TOKEN=emulator.token,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            TELEGRAM_FILE_BASE_URL=emulator.base_file_url,
            DATABASE_URL=f"sqlite:///{database_file}",
            LOG_LEVEL="DEBUG",
            PYTHONUNBUFFERED="1",
        )

    async def start(self, timeout: float = 30.0) -> None:
        """Starts `python -m bot run` and waits until it polls for updates."""
        self.runs += 1
        polls = len(self.emulator.calls_to("getUpdates"))
        with open(self.log_dir / f"bot-run-{self.runs}.log", "wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env, stdout=log, stderr=asyncio.subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while len(self.emulator.calls_to("getUpdates")) <= polls:
            if self.proc.returncode is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not poll within {timeout} s:\n{self.output()}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, like a power cut or the OOM killer."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

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
            (self.log_dir / f"bot-run-{n}.log").read_text(encoding="utf-8", errors="replace")
            for n in range(1, self.runs + 1)
        )
