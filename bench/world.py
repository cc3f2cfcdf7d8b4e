"""The world the HTTP benchmarks run in: the emulator here, the bot in a subprocess, a fresh SQLite file each."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bot.emulator.server import BotApiEmulator
from bot.emulator.user import EmulatedUser
from bot.settings import DEFAULT_CATALOGUE
from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.services import catalogue_io

ROOT = Path(__file__).resolve().parent.parent


async def prepare_database(url: str, *, catalogue: bool = True) -> str:
    """Migrates an empty database (SQLite or PostgreSQL) and loads the default catalogue; returns the URL."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        if catalogue:
            async with create_session_factory(engine).begin() as session:
                await catalogue_io.import_catalogue(session, DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    finally:
        await engine.dispose()
    return url


async def make_database(path: Path, *, catalogue: bool = True) -> str:
    """A migrated SQLite file with the default catalogue; returns its URL."""
    return await prepare_database(f"sqlite+aiosqlite:///{path}", catalogue=catalogue)


async def count_rows(url: str, entity: type[Any]) -> int:
    """How many rows of an ORM entity a benchmark database holds."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(entity)) or 0)
    finally:
        await engine.dispose()


def copy_database(template: Path, target: Path) -> str:
    """A copy of a prepared SQLite file (each run starts from the same state); returns its URL."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return f"sqlite+aiosqlite:///{target}"


def rss_kib(pid: int) -> int:
    """Resident set size of a process in KiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BotProcess:
    """A bot in a subprocess, started against the emulator; ready once it long-polls."""

    def __init__(self, emulator: BotApiEmulator, argv: list[str], log: Path, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> None:
        self.emulator = emulator
        self.argv = argv
        self.log = log
        self.env = env
        self.cwd = cwd
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        """The process id."""
        assert self.process is not None
        return self.process.pid

    async def spawn(self) -> asyncio.subprocess.Process:
        """Starts the process without waiting for anything."""
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv, stdout=log, stderr=log, cwd=self.cwd or ROOT,
                env={**os.environ, **(self.env or {})},
            )
        return self.process

    async def start(self, timeout: float = 60.0) -> float:
        """Starts the process and waits for its first getUpdates; returns the seconds that took."""
        seen = len(self.emulator.calls)
        started = time.monotonic()
        await self.spawn()
        assert self.process is not None
        while time.monotonic() - started < timeout:
            calls = self.emulator.calls
            if any(c.method == "getUpdates" for c in calls[seen:]):
                return time.monotonic() - started
            seen = max(0, len(calls) - 1)
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        await self.stop()
        raise RuntimeError(f"the bot did not start polling; its log:\n{self.tail()}")

    def send(self, signum: int) -> None:
        """Sends a signal to the running process."""
        assert self.process is not None
        self.process.send_signal(signum)

    async def wait(self, timeout: float) -> int | None:
        """Waits for the process to exit on its own; its exit code, or None on timeout."""
        assert self.process is not None
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(self.process.wait(), timeout)
        return None

    async def stop(self) -> None:
        """SIGINT (PTB stops cleanly), then SIGKILL after 15 s."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGINT)
        if await self.wait(15.0) is None:
            self.process.kill()
            await self.process.wait()

    def result(self) -> dict[str, Any]:
        """The last JSON object the process printed (an empty dict when there is none)."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return {}
        for line in reversed(lines):
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    found = json.loads(line)
                    if isinstance(found, dict):
                        return found
        return {}

    def tail(self, lines: int = 30) -> str:
        """The end of the process log."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


async def wait_ready(process: BotProcess, port: int, timeout: float = 60.0) -> None:
    """Waits until the process's /readyz answers 200 (it serves, the database and the Bot API answer)."""
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
        while time.monotonic() - started < timeout:
            assert process.process is not None
            if process.process.returncode is not None:
                break
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(f"http://127.0.0.1:{port}/readyz") as answer:
                    if answer.status == 200:
                        return
            await asyncio.sleep(0.1)
    await process.stop()
    raise RuntimeError(f"the bot did not become ready; its log:\n{process.tail()}")


def botproc(mode: str, emulator: BotApiEmulator, *extra: str) -> list[str]:
    """The command line of bench.echobot ("echo") or of bench.botproc in one of its modes, against this emulator."""
    module = ["bench.echobot"] if mode == "echo" else ["bench.botproc", mode]
    return [sys.executable, "-m", *module, "--api", emulator.base_url, "--files", emulator.base_file_url,
            "--token", emulator.token, *extra]


@contextlib.contextmanager
def profiled(processes: list[BotProcess], env: dict[str, str] | None = None) -> Iterator[None]:
    """Under BENCH_PROFILE (here or in the bots' `env`), the bot processes profile only what runs inside the block
    (bench.botproc: SIGUSR1 before, SIGUSR2 after); without it, nothing."""
    on = "BENCH_PROFILE" in {**os.environ, **(env or {})}
    for process in processes if on else []:
        process.send(signal.SIGUSR1)
    yield
    for process in processes if on else []:
        process.send(signal.SIGUSR2)


async def gather_users(
    users: list[EmulatedUser], script: Callable[[EmulatedUser], Awaitable[int]]
) -> tuple[int, float]:
    """Runs one script per user concurrently; returns the updates they sent and the seconds it took."""
    started = time.monotonic()
    counts = await asyncio.gather(*(script(user) for user in users))
    return sum(counts), time.monotonic() - started
