"""Reading statement files: CSV (any usual delimiter and encoding, a title block above the header) and XLSX, both
header styles; what is no statement, empty or too large is refused before anything is matched."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from models.errors import DomainError, EmptyStatement, NotAStatement, StatementTooLarge
from models.rules.calendar import WIB
from models.services.statement_files import MAX_BYTES, MAX_ROWS, read_table
from tests.support.statements import EN_HEADERS, ID_HEADERS, Txn, export

TXNS = [Txn(35_137, datetime(2026, 11, 27, 10, 5, tzinfo=WIB), "RRN1", "QRIS KB7K3QXM"),
        Txn(42_000, datetime(2026, 11, 27, 11, 0, tzinfo=WIB), "RRN2")]  # fmt: skip


@pytest.mark.parametrize(("kind", "style"), [("csv", "id"), ("csv", "en"), ("xlsx", "id"), ("xlsx", "en")])
def test_both_styles_as_csv_and_xlsx_read_to_the_same_rows(kind: str, style: str) -> None:
    table = read_table(export(TXNS, kind, style))
    assert table.headers == (ID_HEADERS if style == "id" else EN_HEADERS)
    amounts = [row[2] for row in table.rows if row[0]]
    assert amounts in (["Rp 35.137", "Rp 42.000"], ["35137", "42000"], ["35,137.00", "42,000.00"])
    first_line = {("csv", "id"): 6, ("xlsx", "id"): 4}.get((kind, style), 2)  # under the title block, if any
    assert table.lines[0] == first_line


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_in_any_usual_encoding_and_delimiter(encoding: str, delimiter: str) -> None:
    text = delimiter.join(["Tanggal", "Nominal", "Keterangan"]) + "\r\n" + delimiter.join(
        ["27/11/2026 10:05", "35.137", "Pembayaran café"]
    ) + "\r\n"
    table = read_table(text.encode(encoding))
    assert table.rows == [["27/11/2026 10:05", "35.137", "Pembayaran café"]]


@pytest.mark.parametrize(("data", "kind"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(40), "image"),
    (b"\xff\xd8\xff\xe0" + bytes(40), "image"),
    (b"%PDF-1.7\n", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "xls"),
    (b"Halo, ini bukan mutasi.\nTerima kasih.\n", "text"),
    (bytes(range(256)) * 4, "binary"),
])  # fmt: skip
def test_files_that_are_no_statement_are_refused(data: bytes, kind: str) -> None:
    with pytest.raises(NotAStatement) as refused:
        read_table(data)
    assert refused.value.details["kind"] == kind


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8\xff" + bytes(10))
    with pytest.raises(NotAStatement):
        read_table(buffer.getvalue())


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"Tanggal;Nominal;RRN\r\n"])
def test_an_empty_export_is_refused_as_empty(data: bytes) -> None:
    with pytest.raises(EmptyStatement):
        read_table(data)


def test_a_file_above_the_limit_is_refused_unread() -> None:
    with pytest.raises(StatementTooLarge):
        read_table(b"x" * (MAX_BYTES + 1))


def test_a_small_xlsx_that_unpacks_to_a_huge_sheet_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<c/>" * (20 * 1024 * 1024))
    assert len(buffer.getvalue()) < MAX_BYTES
    with pytest.raises(StatementTooLarge):
        read_table(buffer.getvalue())


def test_rows_beyond_the_bound_are_not_read() -> None:
    lines = ["Tanggal,Nominal"] + [f"27/11/2026 10:05,{35_000 + n}" for n in range(MAX_ROWS + 500)]
    table = read_table("\n".join(lines).encode())
    assert len(table.rows) == MAX_ROWS


def test_a_workbook_whose_first_sheet_is_empty_is_read_from_the_next() -> None:
    book = Workbook()
    book.active.title = "Kosong"  # type: ignore[union-attr]
    sheet = book.create_sheet("Mutasi")
    sheet.append(["Tanggal", "Nominal"])
    sheet.append([datetime(2026, 11, 27, 10, 5), 35137])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue()).rows == [["2026-11-27 10:05:00", "35137"]]


def test_every_refusal_is_a_domain_error_the_bot_can_word() -> None:
    for data in (b"", b"%PDF", b"x" * (MAX_BYTES + 1)):
        with pytest.raises(DomainError):
            read_table(data)
