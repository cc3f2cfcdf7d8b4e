"""The real entry point, `python -m bot ...`, run as a subprocess against a temporary SQLite file."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
import pytest
import yaml

from bot.cli import cli
from bot.settings import Settings, load_settings
from models import qris
from models.db import create_engine, create_session_factory
from models.order import ActorKind, Order, OrderStatus
from models.services import payments
from models.services.ordering import transition
from tests.conftest import wib
from tests.integration.helpers import order

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "catalogue.yaml"
SKUS = [
    "RTI-MNS-CKL", "RTI-MNS-KJU", "RTI-SBK-10", "RTI-TWR-400", "RTI-BOX-ACR", "PVB-BTA-6", "PVB-BTA-8",
    "PVB-HEX-6", "PVB-CCG-6", "PVB-GRS-8", "TAS-HB-01", "SDL-HTL-01", "SDL-KLT-01", "KRJ-BNG-01",
    "KVK-KAOS-01", "LKS-KNV-01", "MBL-KRS-01", "TRI-KCG-100", "KRP-UBI-200",
]
# Every setting the bot reads from the environment: the tests start from none of them.
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


@dataclass(frozen=True)
class Result:
    """What one run of the CLI printed and returned."""

    code: int
    out: str
    err: str


def sqlite_url(path: Path) -> str:
    """The DATABASE_URL of an SQLite file."""
    return f"sqlite:///{path}"


def run(*args: str, db: Path | None = None, **settings: str) -> Result:
    """Runs `python -m bot ARGS` from the project root with only the given settings (no bot token)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    if db is not None:
        env["DATABASE_URL"] = sqlite_url(db)
    env.update(settings)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def ok(*args: str, db: Path | None = None, **settings: str) -> str:
    """Runs the CLI expecting success; returns its standard output."""
    result = run(*args, db=db, **settings)
    assert result.code == 0, (args, result)
    assert "Traceback" not in result.err, result.err
    return result.out


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One migrated SQLite file with the default catalogue, shared by the tests that only add to it."""
    path = tmp_path_factory.mktemp("cli") / "karya.sqlite3"
    assert "Database is up to date." in ok("migrate", db=path)
    assert ok("catalogue", "import", str(CATALOGUE), db=path).strip() == (
        "Catalogue imported: 19 new, 0 updated, 10 categories."
    )
    yield path


def catalogue_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables a catalogue import writes, read straight from the file."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("categories", "products", "closed_weekdays", "pickup_slots")
        }


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every group and command of the CLI as argument paths."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))


def test_help_works_for_every_command_and_subcommand(tmp_path: Path) -> None:
    paths = [(), *_command_paths(cli)]
    assert {("migrate",), ("catalogue", "import"), ("staff", "remove"), ("report", "production"),
            ("qris", "check")} <= set(paths)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda p: run(*p, "--help", db=tmp_path / "unused.sqlite3"), paths))
    for path, result in zip(paths, results, strict=True):
        assert result.code == 0, (path, result)
        assert result.out.startswith(f"Usage: python -m bot {' '.join(path)}".rstrip()), (path, result.out)
        assert result.err == "", (path, result.err)
    assert not (tmp_path / "unused.sqlite3").exists()  # --help touches no database


def test_importing_the_catalogue_again_adds_nothing(shared_db: Path) -> None:
    assert ok("migrate", db=shared_db).strip() == "Database is up to date."
    assert ok("catalogue", "import", "data/catalogue.yaml", db=shared_db).strip() == (
        "Catalogue imported: 0 new, 19 updated, 10 categories."
    )
    assert ok("catalogue", "import", "--if-empty", "data/catalogue.yaml", db=shared_db).startswith(
        "Catalogue already loaded"
    )


def test_catalogue_list_shows_every_sku(shared_db: Path) -> None:
    rows = ok("catalogue", "list", db=shared_db).splitlines()
    assert [row.split()[0] for row in rows] == SKUS
    [roti] = [row for row in rows if row.startswith("RTI-MNS-CKL")]
    assert "bread" in roti and "Rp3.500/pcs" in roti


def test_catalogue_export_round_trips(shared_db: Path, tmp_path: Path) -> None:
    first = tmp_path / "export-1.yaml"
    assert ok("catalogue", "export", "-o", str(first), db=shared_db).strip() == f"Wrote {first}"
    stdout_copy = ok("catalogue", "export", db=shared_db)
    assert stdout_copy == first.read_text(encoding="utf-8")
    doc = yaml.safe_load(stdout_copy)
    assert [p["sku"] for p in doc["products"]] == SKUS

    fresh = tmp_path / "fresh.sqlite3"
    ok("migrate", db=fresh)
    assert "19 new, 0 updated" in ok("catalogue", "import", str(first), db=fresh)
    assert ok("catalogue", "export", db=fresh) == stdout_copy


BAD_CATALOGUES = {
    "yaml_error": (
        "categories: [keripik]\nproducts:\n  - {sku: KRP-A-1, category: keripik, name: x\n  - [\n",
        ["line 4: not valid YAML"],
    ),
    "unknown_category": (
        "categories: [keripik]\nproducts:\n"
        "  - {sku: RTI-MNS-CKL, category: roti, name: Roti, unit: pcs, price_rp: 1, batch_yield: 48}\n",
        ["line 3 (SKU RTI-MNS-CKL): unknown category 'roti'"],
    ),
    "negative_price": (
        "categories: [keripik]\nproducts:\n"
        "  - {sku: KRP-UBI-200, category: keripik, name: Keripik, unit: bungkus, price_rp: 9999}\n"
        "  - {sku: KRP-NEG-1, category: keripik, name: Murah, unit: pcs, price_rp: -1}\n",
        ["line 4 (SKU KRP-NEG-1): price_rp must be a whole number >= 0 (got -1)"],
    ),
    "missing_field": (
        "categories: [keripik]\nproducts:\n"
        "  - {sku: KRP-MIS-1, category: keripik, unit: pcs, price_rp: 100}\n"
        "  - {category: keripik, name: Tanpa SKU, unit: pcs}\n",
        [
            "line 3 (SKU KRP-MIS-1): missing field 'name'",
            "line 4: missing field 'sku'",
            "line 4: missing field 'price_rp'",
        ],
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_CATALOGUES))
def test_a_bad_catalogue_is_refused_whole(shared_db: Path, tmp_path: Path, kind: str) -> None:
    text, problems = BAD_CATALOGUES[kind]
    bad = tmp_path / f"{kind}.yaml"
    bad.write_text(text, encoding="utf-8")
    before = catalogue_rows(shared_db)
    result = run("catalogue", "import", str(bad), db=shared_db)
    assert result.code == 1, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == "Katalog ditolak, tidak ada yang diubah. Masalah:"
    assert len(lines) == 1 + len(problems), lines
    for line, problem in zip(lines[1:], problems, strict=True):
        assert line.startswith(f"  - {problem}"), (line, problem)
    assert catalogue_rows(shared_db) == before


def test_a_missing_catalogue_file_is_one_clear_line(shared_db: Path, tmp_path: Path) -> None:
    result = run("catalogue", "import", str(tmp_path / "nope.yaml"), db=shared_db)
    assert result.code == 1
    assert "cannot read" in result.err and "nope.yaml" in result.err and "Traceback" not in result.err


def test_staff_add_list_remove(shared_db: Path) -> None:
    assert ok("staff", "add", "91001", "Budi Santoso", "--role", "manager", "--line", "bakery",
              db=shared_db).strip() == "Budi Santoso (91001) is now manager."
    assert ok("staff", "add", "91002", "Sari", db=shared_db).strip() == "Sari (91002) is now staff."
    listed = ok("staff", "list", db=shared_db).splitlines()
    assert [row.split()[:3] for row in listed if "9100" in row] == [
        ["91001", "manager", "bakery"], ["91002", "staff", "-"],
    ]
    assert ok("staff", "remove", "91001", db=shared_db).strip() == "91001 no longer has a staff role."
    assert [row.split()[0] for row in ok("staff", "list", db=shared_db).splitlines() if "9100" in row] == [
        "91002"
    ]
    again = run("staff", "remove", "91001", db=shared_db)
    assert again.code == 1 and "Traceback" not in again.err
    assert again.err.strip() == "Error: staff (telegram_id=91001)"  # says what was not found
    assert ok("staff", "remove", "91002", db=shared_db)
    bad_role = run("staff", "add", "91003", "X", "--role", "boss", db=shared_db)
    assert bad_role.code == 2 and "Invalid value for '--role'" in bad_role.err


SATURDAY = date(2026, 11, 28)


async def _seed_orders(path: Path) -> dict[str, str]:
    """Bread orders for Saturday through the services, paid where the sheet must count them."""
    engine = create_engine(sqlite_url(path).replace("sqlite://", "sqlite+aiosqlite://"))
    pay = payments.PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD)
    now = wib(2026, 11, 27, 10, 0)
    try:
        factory = create_session_factory(engine)
        async with factory.begin() as s:
            placed: dict[str, Order] = {
                "paid_100": await order(s, "RTI-MNS-CKL", 100, now=now, day=SATURDAY, telegram_id=5001),
                "paid_30": await order(s, "RTI-MNS-CKL", 30, now=now, day=SATURDAY, telegram_id=5002),
                "paid_keju": await order(s, "RTI-MNS-KJU", 48, now=now, day=SATURDAY, telegram_id=5003),
                "unpaid": await order(s, "RTI-MNS-CKL", 20, now=now, day=SATURDAY, telegram_id=5004),
                "unpaid_sobek": await order(s, "RTI-SBK-10", 3, now=now, day=SATURDAY, telegram_id=5005),
                "cancelled": await order(s, "RTI-MNS-CKL", 7, now=now, day=SATURDAY, telegram_id=5006),
                "monday": await order(s, "RTI-MNS-CKL", 9, now=now, day=date(2026, 11, 30), telegram_id=5007),
            }
            for key in ("paid_100", "paid_30", "paid_keju", "monday"):
                code = await payments.issue_payment(s, placed[key], pay, now=now)
                await payments.confirm_payment(s, code, staff_telegram_id=91009, now=now)
            await transition(s, placed["cancelled"], OrderStatus.CANCELLED, actor_kind=ActorKind.CUSTOMER,
                             actor_id=5006, now=now, reason="batal")
            codes = {key: o.code for key, o in placed.items()}
    finally:
        await engine.dispose()
    return codes


async def test_production_report_counts_paid_orders_in_whole_batches(shared_db: Path) -> None:
    codes = await _seed_orders(shared_db)
    sheet = ok("report", "production", "--date", "2026-11-28", db=shared_db)
    blocks = sheet.split("\n\n")
    assert blocks[0] == "Lembar Produksi Roti · Sabtu, 28 November 2026"
    [coklat] = [b for b in blocks if "(RTI-MNS-CKL)" in b]
    assert coklat.splitlines() == [
        "Roti Manis Isi Cokelat (±60 g) (RTI-MNS-CKL)",
        "Dipesan 130 · adonan 3 x 48 = 144 · 12 loyang · lebih 14",
    ]
    [keju] = [b for b in blocks if "(RTI-MNS-KJU)" in b]
    assert keju.splitlines()[1] == "Dipesan 48 · adonan 1 x 48 = 48 · 4 loyang · lebih 0"
    [unpaid] = [b.splitlines() for b in blocks if b.startswith("Belum dibayar (tidak dihitung):")]
    assert unpaid[0] == "Belum dibayar (tidak dihitung):"
    assert sorted(unpaid[1:]) == sorted([  # product names, as bakers read them
        f"• {codes['unpaid']}: Roti Manis Isi Cokelat (±60 g) x 20", f"• {codes['unpaid_sobek']}: Roti Sobek isi 10 x 3"
    ])
    assert codes["cancelled"] not in sheet and codes["monday"] not in sheet
    total = re.search(r"Total dibuat: ([\d.]+)", sheet)
    assert total is not None and total.group(1) == "192"  # 144 + 48; the unpaid Roti Sobek bakes nothing

    empty = ok("report", "production", "--date", "2026-12-25", db=shared_db)
    assert "Belum ada pesanan roti lunas untuk tanggal ini." in empty


def test_qris_check_explains_the_sample_merchant() -> None:
    result = run("qris", "check")
    assert result.code == 0, result
    assert result.out.splitlines() == [
        "Merchant (SAMPLE merchant for the demo): CONTOH KOPERASI KHM",
        "City: MEDAN 20241",
        "NMID: ID1020000000001",
        "Account issuers: COM.GO-JEK.WWW, ID.CO.QRIS.WWW",
        "Type: static",
    ]
    explicit = run("qris", "check", qris.SAMPLE_MERCHANT_PAYLOAD)
    assert explicit.code == 0 and "CONTOH KOPERASI KHM" in explicit.out and "SAMPLE" not in explicit.out
    dynamic = run("qris", "check", qris.to_dynamic(qris.SAMPLE_MERCHANT_PAYLOAD, 35_000, bill_number="KB1234"))
    assert dynamic.code == 0 and "Type: dynamic, amount 35000" in dynamic.out


BAD_CRC = qris.SAMPLE_MERCHANT_PAYLOAD[:-4] + "0000"
EMVCO_CHINA = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
    "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
    "0708A60086670902ME91320016A0112233449988770708123456786304A13A"
)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (BAD_CRC, "CRC mismatch: payload says 0000, computed 8648"),
        ("hello", "invalid tag 'he' at character 0"),
        (qris.SAMPLE_MERCHANT_PAYLOAD[:-20], "truncated"),
        (EMVCO_CHINA, "53"),
    ],
)
def test_qris_check_says_what_is_wrong(payload: str, reason: str) -> None:
    result = run("qris", "check", payload)
    assert result.code == 1, result
    assert result.out.startswith("Not a valid QRIS: ") and reason in result.out, result.out
    assert len(result.out.splitlines()) == 1 and "Traceback" not in result.err


def test_qris_check_warns_when_the_nmid_is_not_the_pinned_one() -> None:
    result = run("qris", "check", QRIS_MERCHANT_NMID="ID1020000000002")
    assert result.code == 1
    assert "WARNING: NMID differs from QRIS_MERCHANT_NMID (ID1020000000002)" in result.out


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PAYMENT_TIMEOUT_MINUTES", "abc"),
        ("DATABASE_URL", "mysql://x"),
        ("DEPOSIT_PCT_PAVING", "150"),
        ("TIMEZONE", "Mars/Olympus"),
    ],
)
def test_an_invalid_setting_stops_with_one_line(tmp_path: Path, variable: str, value: str) -> None:
    result = run("migrate", db=tmp_path / "never.sqlite3", **{variable: value})
    assert result.code == 2, result
    assert result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith(f"Invalid setting {variable}: ") and value in line
    assert "Traceback" not in result.err
    assert not (tmp_path / "never.sqlite3").exists()


def check_startup(settings: Settings) -> str | None:
    """`bot.app.check_startup`, imported here so that the subprocess tests never depend on the handlers."""
    from bot.app import check_startup as check

    return check(settings)


def _settings(**values: str) -> Settings:
    """Settings from the given values only (no .env file), with a harmless database URL."""
    return load_settings(_env_file=None, database_url="sqlite:///unused.sqlite3", **values)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("junk", "invalid tag"),
        (BAD_CRC, "CRC mismatch"),
        (qris.SAMPLE_MERCHANT_PAYLOAD[:40] + "\n" + qris.SAMPLE_MERCHANT_PAYLOAD[40:], "control character"),
        (qris.to_dynamic(qris.SAMPLE_MERCHANT_PAYLOAD, 5_000), "already a dynamic QRIS"),
        (EMVCO_CHINA, "53"),
    ],
)
def test_an_invalid_merchant_qris_stops_start_up_with_one_line(payload: str, reason: str) -> None:
    message = check_startup(_settings(qris_merchant_payload=payload))
    assert message is not None
    assert message.startswith("Invalid setting QRIS_MERCHANT_PAYLOAD: ") and reason in message
    assert "\n" not in message


def test_start_up_accepts_the_sample_and_refuses_a_swapped_nmid() -> None:
    assert check_startup(_settings()) is None
    assert check_startup(_settings(qris_merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD,
                                   qris_merchant_nmid="ID1020000000001")) is None
    swapped = check_startup(_settings(qris_merchant_nmid="ID1020000000002"))
    assert swapped is not None and "\n" not in swapped
    assert swapped.startswith("Invalid setting QRIS_MERCHANT_PAYLOAD: its NMID ID1020000000001")
