"""Reading the bot's CPU profiles: cProfile's own times and py-spy's samples, grouped by library.

cProfile (BENCH_PROFILE) counts calls and own time exactly, but SQLAlchemy's asyncio layer switches greenlets,
which cProfile does not see: its call stack drifts and its cumulative times become meaningless (they grow past
the run's length). py-spy samples the real stack from outside the process (no greenlet confusion, nearly no
overhead), so inclusive ("cumulative") time comes from py-spy when it is installed (`pip install py-spy`; it is
not a dependency of the project). Idle samples (the loop waiting in epoll) are left out by py-spy itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import pstats
import re
import shutil
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bench.world import ROOT, BotProcess

OUR_DIRS = tuple(f"{ROOT / d}/" for d in ("bot", "models", "jobs"))
WEB = ("aiohttp", "yarl", "multidict")
# (label, whether a file name belongs to it); the first match wins.
OURS_LABEL = "our code (bot/, models/, jobs/)"
GROUPS: list[tuple[str, Callable[[str], bool]]] = [
    (OURS_LABEL, lambda f: f.startswith(OUR_DIRS)),
    ("python-telegram-bot", lambda f: "/site-packages/telegram/" in f),
    ("SQLAlchemy", lambda f: "/site-packages/sqlalchemy/" in f),
    ("sqlite3 (C) and aiosqlite", lambda f: "sqlite3" in f or "/aiosqlite/" in f),
    ("asyncpg", lambda f: "asyncpg" in f),
    ("aiohttp, yarl, multidict", lambda f: any(f"/site-packages/{lib}/" in f for lib in WEB)),
    ("qrcode, PIL", lambda f: "/site-packages/qrcode/" in f or "/site-packages/PIL/" in f),
    ("json", lambda f: "/json/" in f or "_json" in f),
    ("asyncio, selectors, socket", lambda f: any(s in f for s in ("/asyncio/", "selectors", "socket", "_asyncio"))),
    ("greenlet", lambda f: "greenlet" in f),
]
OURS = {label for label, _ in GROUPS[:7]}  # ours and the libraries working for us
OTHER = "other (stdlib, pydantic, ...)"
NATIVE = "no Python frame (native code, GC)"
Key = tuple[str, str]  # (file, function)


def group(filename: str) -> str:
    """The library a file (or a built-in's description) belongs to."""
    return next((label for label, test in GROUPS if test(filename)), OTHER)


def short(key: Key) -> str:
    """A readable name: the path inside its package, then the function."""
    filename, name = key
    if filename == name:  # a built-in
        return name
    for marker in ("/site-packages/", f"{ROOT}/", "/lib/python3"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}({name})"


class CProfile:
    """A cProfile file: calls and own time per function."""

    def __init__(self, path: Path) -> None:
        stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
        # For a built-in (file "~") the name says what it is: "<method 'execute' of 'sqlite3.Cursor' objects>".
        self.own: dict[Key, float] = {}
        self.calls: dict[Key, int] = {}
        for (filename, _line, name), (_primitive, calls, own, _cumulative, _callers) in stats.items():
            key = (name if filename == "~" else filename, name)
            self.own[key] = self.own.get(key, 0.0) + own
            self.calls[key] = self.calls.get(key, 0) + calls
        self.total = sum(self.own.values())

    def by_group(self) -> dict[str, float]:
        """Own seconds per library."""
        out: dict[str, float] = {}
        for (filename, _name), own in self.own.items():
            out[group(filename)] = out.get(group(filename), 0.0) + own
        return out

    def top_own(self, top: int, updates: int) -> list[str]:
        """Markdown rows: our functions and our libraries' by own time."""
        ranked = sorted((k for k in self.own if group(k[0]) in OURS), key=self.own.__getitem__, reverse=True)
        return [f"| {self.own[k] * 1000 / updates:.3f} | {self.calls[k] / updates:.1f} | `{short(k)}` |"
                for k in ranked[:top]]


_FRAME = re.compile(r"^(?P<name>.*) \((?P<file>.*):\d+\)$")


class Samples:
    """A py-spy raw file (`--format raw`): stacks, root first, each with its sample count.

    py-spy counts a thread as busy when the OS says it is not sleeping, which on a loaded machine includes time
    spent waiting for a core: its shares are right, its absolute figures are not, so they are scaled to the CPU
    per update measured from /proc. A greenlet's stack reaches py-spy without the frames that started it: work
    inside SQLAlchemy's greenlets (the sync Session under AsyncSession) shows up rooted at a Session method,
    so a handler's inclusive time leaves its ORM work out; `in_greenlets` is that share.
    """

    def __init__(self, path: Path) -> None:
        self.inclusive: Counter[Key] = Counter()
        self.own: Counter[Key] = Counter()
        self.total = 0
        self.in_greenlets = 0
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            keys = [_key(frame) for frame in stack.split(";")]
            n = int(count)
            self.total += n
            self.own[keys[-1]] += n
            for key in set(keys):
                self.inclusive[key] += n
            if "/sqlalchemy/" in keys[0][0]:
                self.in_greenlets += n

    def share(self, samples: int) -> float:
        """The share of all busy samples."""
        return samples / self.total if self.total else 0.0

    def by_group(self) -> dict[str, float]:
        """Share of own samples per library."""
        out: dict[str, float] = {}
        for (filename, _name), n in self.own.items():
            label = group(filename) if filename else NATIVE
            out[label] = out.get(label, 0.0) + self.share(n)
        return out

    def top_inclusive(self, top: int, cpu_ms: float, keep: Callable[[str], bool]) -> list[str]:
        """Markdown rows: the functions of files `keep` accepts (among ours and our libraries') by inclusive time,
        in ms/update of `cpu_ms`."""
        ranked = [(k, n) for k, n in self.inclusive.most_common() if group(k[0]) in OURS and keep(k[0])][:top]
        return [f"| {self.share(n) * cpu_ms:.2f} | {self.share(n):.0%} | {self.share(self.own[k]) * cpu_ms:.2f} | "
                f"`{short(k)}` |" for k, n in ranked]


def _key(frame: str) -> Key:
    """(file, function) of a py-spy frame `function (file:line)`."""
    found = _FRAME.match(frame)
    return (found["file"], found["name"]) if found else ("", frame)


def py_spy_binary() -> str | None:
    """The py-spy executable beside this Python, or on PATH; None when it is not installed."""
    return shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")


def py_spy(path: Path, rate: int) -> Callable[[BotProcess], contextlib.AbstractAsyncContextManager[object]]:
    """A measuring window (throughput.crowd) that samples the bot process with py-spy into `path`."""
    binary = py_spy_binary()
    assert binary is not None

    @contextlib.asynccontextmanager
    async def window(process: BotProcess) -> AsyncIterator[object]:
        spy = await asyncio.create_subprocess_exec(
            binary, "record", "--pid", str(process.pid), "--rate", str(rate), "--format", "raw", "--full-filenames",
            "--nonblocking", "--output", str(path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        assert spy.stdout is not None
        said = b""
        while b"Sampling" not in said:  # py-spy says so once it is attached
            line = await asyncio.wait_for(spy.stdout.readline(), 30)
            if not line:
                raise RuntimeError(f"py-spy did not start: {said.decode(errors='replace')}")
            said += line
        try:
            yield spy
        finally:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
            await asyncio.wait_for(spy.communicate(), 30)

    return window
