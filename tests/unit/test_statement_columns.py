"""Telling the columns of a merchant export apart from their headers (Indonesian and English), checked against the
cells under them; what the headers do not settle is left for staff to answer."""

from __future__ import annotations

from models.rules.statement_columns import Role, detect, header_key, looks_like_statement

ID_ROWS = [["1", "27/11/2026 10:05", "Rp 35.137", "Rp 246", "Rp 34.891", "123456789012", "QRIS KB7K3QXM", "Sukses"]]
ID_HEADERS = ["No.", "Tanggal Transaksi", "Nominal", "MDR", "Nominal Bersih", "No. Ref (RRN)", "Keterangan",
              "Status"]  # fmt: skip


def test_an_indonesian_portal_export_is_read_without_asking() -> None:
    found = detect(ID_HEADERS, ID_ROWS)
    assert found.missing == ()
    assert found.found == {Role.AMOUNT: 2, Role.TIME: 1, Role.REFERENCE: 5, Role.STATUS: 7}


def test_an_english_app_export_with_date_and_time_apart_is_read_without_asking() -> None:
    headers = ["Date", "Time", "Amount", "Fee", "Net Amount", "Reference", "Description"]
    rows = [["2026-11-27", "10:05:11", "42,000.00", "294.00", "41,706.00", "998877", "QRIS payment"]]
    found = detect(headers, rows)
    assert found.found == {Role.TIME: 0, Role.CLOCK: 1, Role.AMOUNT: 2, Role.REFERENCE: 5}
    assert found.missing == ()


def test_settlement_dates_and_fees_are_never_taken_for_the_payment() -> None:
    headers = ["Settlement Date", "Transaction Time", "MDR Amount", "Gross Amount"]
    rows = [["28/11/2026", "27/11/2026 10:05", "246", "35.137"]]
    assert detect(headers, rows).found == {Role.TIME: 1, Role.AMOUNT: 3}


def test_two_columns_named_alike_are_asked_not_guessed() -> None:
    headers = ["Tanggal", "Nominal", "Nominal"]
    rows = [["27/11/2026 10:05", "35.137", "35.000"]]
    found = detect(headers, rows)
    assert found.missing == (Role.AMOUNT,)
    assert found.found == {Role.TIME: 0}


def test_headers_that_name_nothing_leave_both_required_columns_to_ask() -> None:
    found = detect(["Kolom A", "Kolom B"], [["27/11/2026 10:05", "35.137"]])
    assert found.missing == (Role.AMOUNT, Role.TIME)


def test_a_header_whose_cells_are_not_amounts_is_not_the_amount() -> None:
    headers = ["Tanggal", "Jumlah Item", "Total"]
    rows = [["27/11/2026 10:05", "lima", "35.000"], ["27/11/2026 10:06", "dua", "42.000"]]
    assert detect(headers, rows).found[Role.AMOUNT] == 2


def test_the_same_headers_written_differently_share_one_key() -> None:
    assert header_key(["Tanggal Transaksi", "Nominal"]) == header_key(["  TANGGAL  transaksi", "Nominal:"])
    assert header_key(["Tanggal", "Nominal"]) != header_key(["Nominal", "Tanggal"])


def test_only_a_table_with_amounts_and_dates_looks_like_a_statement() -> None:
    assert looks_like_statement(ID_ROWS)
    assert not looks_like_statement([["Roti dua"], ["Susu satu"]])
    assert not looks_like_statement([["27/11/2026", "catatan"]])
    assert not looks_like_statement([["35.000", "42.000"]])
