"""`python -m bot payments match FILE` through the real entry point (a subprocess on an SQLite file): it prints the
proposal, confirms it only when asked and by a staff member, counts nothing twice, takes the columns the headers
do not name as options, and refuses a file that is no statement in one line."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import qris
from models.db import create_engine, create_session_factory
from models.outbox import OutboxMessage
from models.payment import ConfirmedVia, Payment, PaymentState
from models.services import payments
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import order
from tests.integration.test_cli import CATALOGUE, ok, run
from tests.support.statements import Txn, csv_export

OPENED = wib(2026, 11, 27, 10, 0)
STAFF_ID = "777001"
CODED = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, unique_codes=True)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A migrated SQLite file with the catalogue and a staff member."""
    path = tmp_path / "karya.sqlite3"
    ok("migrate", db=path)
    ok("catalogue", "import", str(CATALOGUE), db=path)
    ok("staff", "add", STAFF_ID, "Rina", "--role", "staff", db=path)
    return path


async def _open_code(path: Path) -> Payment:
    """A bread order of Rp35.000 placed at 10.00 WIB with its open code (and its unique code)."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with create_session_factory(engine).begin() as s:
            placed = await order(s, "RTI-MNS-CKL", 10, now=OPENED, day=date(2026, 11, 28))
            return await payments.issue_payment(s, placed, CODED, now=OPENED)
    finally:
        await engine.dispose()


async def _stored(path: Path, payment_id: int) -> tuple[PaymentState, ConfirmedVia | None, int]:
    """The payment's state and how it was confirmed, and how many notices are queued."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with create_session_factory(engine)() as s:
            state, via = (await s.execute(select(Payment.state, Payment.confirmed_via)
                                          .where(Payment.id == payment_id))).one()
            notices = await s.scalar(select(func.count()).select_from(OutboxMessage))
            return state, via, int(notices or 0)
    finally:
        await engine.dispose()


async def test_the_proposal_is_printed_and_confirmed_only_when_asked(db: Path, tmp_path: Path) -> None:
    code = await _open_code(db)
    export = tmp_path / "mutasi.csv"
    export.write_bytes(csv_export([Txn(code.payable_amount, OPENED + timedelta(minutes=4), "RRN42")], "id"))

    shown = ok("payments", "match", str(export), db=db)
    assert "Cocok: 1" in shown and code.order.code in shown and "RRN42" in shown
    assert await _stored(db, code.id) == (PaymentState.PENDING, None, 0)

    refused = run("payments", "match", str(export), "--confirm", db=db)
    assert refused.code == 2 and "--by" in refused.err

    done = ok("payments", "match", str(export), "--confirm", "--by", STAFF_ID, db=db)
    assert "1 pembayaran dikonfirmasi" in done
    assert await _stored(db, code.id) == (PaymentState.PAID, ConfirmedVia.STATEMENT, 1)

    again = ok("payments", "match", str(export), "--confirm", "--by", STAFF_ID, db=db)
    assert "sudah dibayar sebelumnya" in again and "dikonfirmasi;" not in again
    assert await _stored(db, code.id) == (PaymentState.PAID, ConfirmedVia.STATEMENT, 1)


async def test_columns_the_headers_do_not_name_are_given_as_options(db: Path, tmp_path: Path) -> None:
    code = await _open_code(db)
    export = tmp_path / "export.csv"
    export.write_text(f"Kol1,Kol2,Kol3\nA,27/11/2026 10:05,{code.payable_amount}\n", encoding="utf-8")
    asked = run("payments", "match", str(export), db=db)
    assert asked.code == 2
    assert "Cannot tell which column holds the amount" in asked.err and "3 Kol3" in asked.err
    shown = ok("payments", "match", str(export), "--amount-column", "Kol3", "--time-column", "2", db=db)
    assert "Cocok: 1" in shown


def test_a_file_that_is_no_statement_is_refused_in_one_line(db: Path, tmp_path: Path) -> None:
    photo = tmp_path / "bukti.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = run("payments", "match", str(photo), db=db)
    assert result.code == 1
    assert result.err.strip() == "bukti.png: not a transaction export (send the CSV or XLSX file of the merchant " \
        "app or portal)."
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    assert run("payments", "match", str(empty), db=db).err.strip() == "kosong.csv: no transaction in this file."
