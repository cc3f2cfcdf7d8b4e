"""Reading a merchant's transaction export (CSV or XLSX) into a table of text cells, within fixed bounds.

Bounds: the file itself (`MAX_BYTES`, checked again here whatever the caller did), the rows read
(`MAX_ROWS`), the columns (`MAX_COLUMNS`), each cell (`MAX_CELL` characters) and, for XLSX, the unpacked size of
the archive (a small zip can unpack to gigabytes). Anything that is not a CSV or XLSX export (an image, a PDF, an
old .xls, a document, text without amounts and dates) is refused as `NotAStatement`; a file with a header but
no transaction as `EmptyStatement`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from models.errors import EmptyStatement, NotAStatement, StatementTooLarge
from models.rules.statement_columns import WORDS, Role, looks_like_statement, normalize

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 60 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 40
MAX_CELL = 200
HEADER_SEARCH = 30  # exports often start with a title, the merchant's name and the period

_MAGIC = {
    b"\x89PNG": "image", b"\xff\xd8\xff": "image", b"GIF8": "image", b"RIFF": "image", b"%PDF": "pdf",
    b"\xd0\xcf\x11\xe0": "xls",
}  # fmt: skip


@dataclass(frozen=True)
class Table:
    """An export as text cells: its header row, the rows under it, and each row's number in the file."""

    headers: list[str]
    rows: list[list[str]]
    lines: list[int]


def _text(value: object) -> str:
    """A cell as text: dates ISO, whole floats without ".0", bounded in length."""
    if value is None:
        text = ""
    elif isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, date | time):
        text = value.isoformat()
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    return " ".join(text.split())[:MAX_CELL]


def _decode(data: bytes) -> str:
    """The text of a CSV export (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise NotAStatement(kind="binary")
    return text


def _csv_rows(text: str) -> Iterator[list[str]]:
    """The rows of a CSV text, with the delimiter that splits its first lines most consistently."""
    sample = text.splitlines()[:HEADER_SEARCH + 20]

    def score(delimiter: str) -> tuple[int, int]:
        """(how many sample lines share the most common width above one column, that width)."""
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        common = max(set(widths), key=widths.count) if widths else 0
        return (widths.count(common) if common > 1 else 0, common)

    delimiter = max((",", ";", "\t", "|"), key=score)
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [_text(cell) for cell in row[:MAX_COLUMNS]]


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of the first sheet with data of an XLSX workbook, read in streaming mode."""
    # openpyxl is imported on first use: it weighs on every start-up and statements are rare.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise StatementTooLarge(limit=MAX_BYTES)
            if "xl/workbook.xml" not in archive.namelist():
                raise NotAStatement(kind="zip")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise NotAStatement(kind="xlsx") from exc
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            found = False
            for row in rows:
                found = True
                yield [_text(cell) for cell in row]
            if found:
                return
    finally:
        book.close()


def _grid(data: bytes) -> Iterable[list[str]]:
    """The rows of the file as text cells, whatever its format (refusing what is not an export)."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise NotAStatement(kind=kind)
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    return _csv_rows(_decode(data))


def _header_score(row: list[str]) -> int:
    """How many cells of a row read as the header of a role."""
    words = [f" {normalize(c)} " for c in row if c.strip()]
    return sum(1 for w in words if any(f" {p} " in w for role in (Role.AMOUNT, Role.TIME) for p in WORDS[role]))


def _used_width(row: list[str]) -> int:
    """How many columns a row uses, up to its last non-empty cell (sheets pad rows with empty cells)."""
    return max((i + 1 for i, cell in enumerate(row) if cell), default=0)


def read_table(data: bytes) -> Table:
    """The export's header row and transaction rows (blank rows skipped), within the bounds of this module."""
    if len(data) > MAX_BYTES:
        raise StatementTooLarge(limit=MAX_BYTES)
    if not data.strip():
        raise EmptyStatement()
    grid: list[tuple[int, list[str]]] = []
    for number, row in enumerate(_grid(data), start=1):
        if any(cell for cell in row):
            grid.append((number, row))
        if len(grid) > MAX_ROWS + HEADER_SEARCH:
            break
    if not grid:
        raise EmptyStatement()
    head = grid[:HEADER_SEARCH]
    scores = [_header_score(row) for _, row in head]
    at = scores.index(max(scores)) if max(scores) > 0 else 0
    rows = grid[at + 1 :][:MAX_ROWS]
    if not rows:  # a header row alone: an export of a quiet day, or a file of one line of anything
        raise EmptyStatement() if scores[at] > 0 else NotAStatement(kind="text")
    width = max(_used_width(row) for row in [grid[at][1], *(row for _, row in rows)])
    headers = (grid[at][1] + [""] * width)[:width]
    body = [(n, (row + [""] * width)[:width]) for n, row in rows]
    if not looks_like_statement([row for _, row in body]):
        raise NotAStatement(kind="text")
    return Table(headers, [row for _, row in body], [n for n, _ in body])
