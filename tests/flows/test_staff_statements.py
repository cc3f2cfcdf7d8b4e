"""Statement matching through the Bot API emulator: a buyer pays a code with its unique amount, a baker sends the
merchant app's export as a file, sees the proposal, presses the one confirm button, and the buyer reads "Lunas".
Also: the bot asks for columns it cannot tell (buttons), and refuses politely what is not a statement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.order import OrderStatus
from models.payment import ConfirmedVia, Payment
from models.services.statement_files import MAX_BYTES
from tests.flows import buyer_dialogues as dialogue
from tests.flows.buyer_dialogues import answer_text, read_qr
from tests.flows.conftest import STAFF
from tests.flows.staff_helpers import place, reload
from tests.support.harness import Harness
from tests.support.statements import Txn, csv_export, xlsx_export

BUYER = 1001


async def test_a_statement_confirms_the_payment_and_the_buyer_reads_lunas(coded: Harness) -> None:
    bot = coded
    buyer = bot.emulator.user(BUYER, "Siti")
    await dialogue.start(buyer)
    await dialogue.bread_to_cart(buyer, qty="10")
    await dialogue.checkout_to_summary(buyer)
    [photo] = await dialogue.confirm(buyer)
    [payment] = await dialogue.payments(bot)
    assert 1 <= payment.unique_code <= 999
    assert read_qr(photo).amount == payment.payable_amount == payment.amount + payment.unique_code
    caption = next(m for m in buyer.inbox if m.photo is not None).content
    assert "termasuk kode unik" in caption and f"{payment.payable_amount:,}".replace(",", ".") in caption

    baker = bot.emulator.user(STAFF, "Rina")
    paid_at = bot.clock() + timedelta(minutes=6)
    export = csv_export([Txn(payment.payable_amount, paid_at, "RRN778899"), Txn(12_345, paid_at)], "id")
    await baker.send_document(export, "mutasi-27-11.csv", "text/csv")
    proposal = await baker.wait_for("Cocok: 1")
    [order] = await dialogue.orders(bot)
    assert order.code in proposal.content and "RRN778899" in proposal.content
    assert "Tidak dicocokkan: 1" in proposal.content  # the stranger's Rp12.345
    assert proposal.buttons == ["✅ Konfirmasi 1 pembayaran"]
    confirm_data = str(proposal.inline_rows[0][0]["callback_data"])

    await baker.press("Konfirmasi 1 pembayaran")
    await baker.wait_for("1 pembayaran dikonfirmasi")
    notice = await buyer.wait_for("Lunas", timeout=8)
    assert order.code in notice.content
    stored = await reload(bot, order.code)
    assert (stored.status, stored.paid_amount) == (OrderStatus.PAID, order.total)
    async with bot.services.session_factory() as s:
        via, reference = (await s.execute(select(Payment.confirmed_via, Payment.reference))).one()
    assert (via, reference) == (ConfirmedVia.STATEMENT, "RRN778899")

    again = await baker.press_data(confirm_data, message_id=proposal.message_id)  # pressed once more
    assert "sudah dikonfirmasi sebelumnya" in await answer_text(baker, again)
    await bot.settled()
    assert (await reload(bot, order.code)).paid_amount == order.total


async def test_columns_the_headers_do_not_name_are_asked_with_buttons(coded: Harness) -> None:
    bot = coded
    _, payment = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    baker = bot.emulator.user(STAFF, "Rina")
    export = f"Kol1,Kol2,Kol3\r\nA,27/11/2026 10:05,{payment.payable_amount}\r\n".encode()
    await baker.send_document(export, "export.csv", "text/csv")
    await baker.wait_for("jumlah uang")
    await baker.press(f"Kol3 · {payment.payable_amount}")
    await baker.wait_for("tanggal")
    await baker.press("Kol2")
    await baker.wait_for("Cocok: 1")
    await baker.send_document(export, "export-again.csv", "text/csv")  # remembered: no question this time
    again = await baker.wait_for("export-again.csv")
    assert "Cocok: 1" in again.content


async def test_an_xlsx_from_the_english_app_is_read_too(coded: Harness) -> None:
    bot = coded
    order, payment = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    baker = bot.emulator.user(STAFF, "Rina")
    export = xlsx_export([Txn(payment.payable_amount, bot.clock() + timedelta(minutes=2), "REF1")], "en")
    await baker.send_document(export, "transactions.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    proposal = await baker.wait_for("Cocok: 1")
    assert order.code in proposal.content


@pytest.mark.parametrize(("data", "name", "mime", "expected"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "foto.png", "image/png", "bukan ekspor transaksi"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "mutasi.pdf", "application/pdf", "bukan ekspor transaksi"),
    (b"Selamat pagi, ini catatan belanja.\nRoti dua, susu satu.\n", "catatan.txt", "text/plain",
     "bukan ekspor transaksi"),
    (b"", "kosong.csv", "text/csv", "tidak berisi satu transaksi"),
    (b"Tanggal;Nominal;RRN\r\n", "sepi.csv", "text/csv", "tidak berisi satu transaksi"),
])  # fmt: skip
async def test_a_file_that_is_no_statement_gets_a_polite_answer_and_changes_nothing(
    coded: Harness, data: bytes, name: str, mime: str, expected: str
) -> None:
    bot = coded
    order, _ = await place(bot, BUYER, "RTI-MNS-CKL", 10)
    baker = bot.emulator.user(STAFF, "Rina")
    await baker.send_document(data, name, mime)
    await baker.wait_for(expected)
    assert (await reload(bot, order.code)).paid_amount == 0


async def test_a_20_mb_file_is_refused_before_it_is_downloaded(coded: Harness) -> None:
    bot = coded
    baker = bot.emulator.user(STAFF, "Rina")
    await baker.send_document(b"x" * (20 * 1024 * 1024), "besar.csv", "text/csv")
    await baker.wait_for("File terlalu besar (paling besar 5 MB)")
    assert bot.emulator.calls_to("getFile") == []


async def test_a_large_file_whose_size_telegram_did_not_state_is_cut_off_while_reading(coded: Harness) -> None:
    bot = coded
    baker = bot.emulator.user(STAFF, "Rina")
    await baker.send_document(b"Tanggal;Nominal\r\n" * (MAX_BYTES // 10), "besar.csv", "text/csv", file_size=None)
    await baker.wait_for("File terlalu besar")
    assert len(bot.emulator.calls_to("getFile")) == 1


async def test_a_buyer_sending_a_file_is_not_read_as_a_statement(coded: Harness) -> None:
    bot = coded
    buyer = bot.emulator.user(BUYER, "Siti")
    await buyer.send_document(csv_export([Txn(35_000, bot.clock())]), "mutasi.csv", "text/csv")
    await buyer.wait_for("belum bisa stiker, suara atau berkas")
    assert bot.emulator.calls_to("getFile") == []
