"""Result rows, the markdown table, the machine description and the README's "Performance" section."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
SECTION = "## Performance"


@dataclass(frozen=True)
class Row:
    """One line of the table: a measured figure, its same-run baseline, the ratio and the target."""

    bench: str
    case: str
    value: str
    baseline: str
    ratio: float | None
    target: str
    verdict: str
    note: str = ""

    def cells(self) -> list[str]:
        """The row as table cells."""
        ratio = "-" if self.ratio is None else _ratio(self.ratio)
        return [self.bench, self.case, self.value, self.baseline, ratio, self.target, self.verdict, self.note]


HEADER = ["#", "Case", "Measured", "Baseline (same run)", "Ratio", "Target", "Result", "Notes"]


def _ratio(value: float) -> str:
    """A ratio with sensible precision."""
    if value >= 100:
        return f"{value:.0f}x"
    if value >= 10:
        return f"{value:.1f}x"
    return f"{value:.2f}x"


def verdict(ok: bool) -> str:
    """The result cell for a target."""
    return "hit" if ok else "**missed**"


def not_measured(bench: str, case: str, reason: str, target: str = "") -> Row:
    """A row for something that could not be measured, with the first line of the reason instead of a number."""
    return Row(bench, case, f"not measured: {reason.strip().splitlines()[0] if reason.strip() else reason}", "-",
               None, target, "not measured")


def table(rows: list[Row]) -> str:
    """The rows as a markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    # A cell never spans lines (a line break would end the table row) nor closes a cell early.
    lines += ["| " + " | ".join(" ".join(c.split()).replace("|", "\\|") for c in row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> str:
    """Total RAM from /proc/meminfo."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    """The 1/5/15-minute load averages."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _version(dist: str) -> str:
    """An installed distribution's version."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def machine(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The machine and software the run used."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
    libs = ", ".join(
        f"{name} {_version(name)}"
        for name in ("python-telegram-bot", "SQLAlchemy", "aiosqlite", "asyncpg", "aiohttp", "httpx", "qrcode")
    )
    info = {
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Machine": f"{cores} cores (nproc), {_cpu_model()}, {_ram_gib()} RAM, {platform.system()} {platform.release()}",
        "Python": f"{platform.python_version()} ({platform.python_implementation()}), SQLite {sqlite3.sqlite_version}",
        "Libraries": libs,
    }
    info.update(extra or {})
    return info


def render(rows: list[Row], info: dict[str, str], notes: list[str]) -> str:
    """The markdown block written between the README markers."""
    parts = [f"- **{key}:** {value}" for key, value in info.items()]
    body = "\n".join(parts) + "\n\n" + table(rows)
    if notes:
        body += "\n\n" + "\n".join(f"- {note}" for note in notes)
    return body


def read_block(readme: Path = README) -> str:
    """The text between the README markers (empty when there is none)."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return ""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def _label(line: str) -> str:
    """The "#" cell of a table line (empty for a line that is not one)."""
    cells = line.split("|")
    return cells[1].strip() if len(cells) > 2 else ""


def _number(line: str) -> int:
    """The benchmark number a table line starts with (rows sort by it)."""
    found = re.match(r"\d+", _label(line))
    return int(found.group()) if found else 0


def merge(block: str, rows: list[Row], ran: list[str], info: dict[str, str], notes: list[str]) -> str:
    """The block with the rows of the benchmarks in `ran` (their "#" labels) replaced, everything else kept, and a
    note saying when and how those rows were measured (their own run, not the one the block's header describes)."""
    lines = block.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("| ")), None)
    if first is None:  # nothing to merge into: the partial run becomes the block
        return render(rows, info, notes)
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    header, body = lines[first:first + 2], [line for line in lines[first + 2:end] if _label(line) not in ran]
    new = table(rows).splitlines()[2:]
    merged = sorted(body + new, key=_number)  # stable: each benchmark's rows keep their order
    later = "; ".join(f"{key.lower()} {value}" for key, value in info.items() if key in ("Date", "Run", "Code"))
    note = f"- {_ROWS}{', '.join(ran)}{_LATER}{later}. " + " ".join(notes)
    kept = [kept for line in lines[end:] if (kept := _without_rows(line, ran)) is not None]
    return "\n".join([*lines[:first], *header, *merged, *kept, note.rstrip()])


_ROWS = "Rows "
_LATER = " come from a later run than the header above: "


def _without_rows(line: str, ran: list[str]) -> str | None:
    """An earlier merge's note without the rows measured again now; None when it describes none of the table."""
    if not line.startswith(f"- {_ROWS}") or _LATER not in line:
        return line
    labels, rest = line.removeprefix(f"- {_ROWS}").split(_LATER, 1)
    left = [label for label in labels.split(", ") if label not in ran]
    return f"- {_ROWS}{', '.join(left)}{_LATER}{rest}" if left else None


_INTRO = (
    "`make bench` measures speed, scale and memory (`python -m bench --quick` for a short run). Every figure is a\n"
    "ratio against a baseline measured in the same run on the same machine; `bench/README.md` says how to read it."
)


def write_readme(block: str, readme: Path = README) -> None:
    """Replaces the text between the markers in the Performance section (adding the section at the end if absent)."""
    text = readme.read_text(encoding="utf-8")
    marked = f"{START}\n{block}\n{END}"
    if START in text and END in text:
        pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
        text = pattern.sub(lambda _m: marked, text, count=1)
    elif SECTION in text:
        head, _, tail = text.partition(SECTION)
        body, heading, rest = tail.partition("\n## ")
        text = f"{head}{SECTION}{body.rstrip()}\n\n{marked}\n" + (f"{heading.lstrip()}{rest}" if heading else "")
        text = text.replace(f"{END}\n## ", f"{END}\n\n## ")
    else:
        text = f"{text.rstrip()}\n\n{SECTION}\n\n{_INTRO}\n\n{marked}\n"
    readme.write_text(text, encoding="utf-8")
