"""Black-box tests: the real entry point in a subprocess, against the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image

from bot.emulator.server import BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the bot: a fresh SQLite file and no token unless given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "HTTP_", "LOG_", "MEDIA_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "MEDIA_DIR": str(tmp_path / "media"),
                "PYTHONUNBUFFERED": "1", "HTTP_PORT": "0"}, **extra)
    return env


def _bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


async def test_run_answers_start_and_exits_cleanly_on_sigint(emulator: BotApiEmulator, tmp_path: Path) -> None:
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN=emulator.token, TELEGRAM_API_BASE_URL=emulator.base_url,
               TELEGRAM_FILE_BASE_URL=emulator.base_file_url)
    assert (await asyncio.to_thread(_bot, "migrate", env=env)).returncode == 0
    assert (await asyncio.to_thread(_bot, "catalogue", "import", "data/catalogue.yaml", env=env)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        user = emulator.user(4242, "Sari")
        await user.send("/start")
        welcome = await user.wait_for("Selamat datang", timeout=20)
        assert "Sari" in welcome.text
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = await asyncio.to_thread(proc.wait, 10)
        assert code == 0
        assert time.monotonic() - started < 5
    finally:
        if proc.poll() is None:
            proc.kill()
    output = proc.stdout.read() if proc.stdout else ""
    assert emulator.token not in output


def test_run_without_migrate_on_start_refuses_an_unmigrated_database_in_one_line(tmp_path: Path) -> None:
    result = _bot("run", env=_env(tmp_path, MIGRATE_ON_START="false"))
    assert result.returncode == 2
    assert result.stdout.strip() == (
        "The database schema is not up to date: run `python -m bot migrate` (make run does it), "
        "or set MIGRATE_ON_START=true."
    )


def test_run_says_in_one_line_when_it_cannot_migrate_an_unreachable_database(tmp_path: Path) -> None:
    result = _bot("run", env=_env(tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1:1/karya"))
    assert result.returncode == 2
    [line] = result.stdout.splitlines()
    assert line.startswith("Could not migrate the database (DATABASE_URL): ")
    assert "Traceback" not in result.stdout + result.stderr


def test_demo_script_plays_a_conversation_and_prints_the_transcript(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("# a buyer looks around, then staff checks the sheet\n/start\n1\n/as staff\n/produksi\n",
                      encoding="utf-8")
    result = _bot("demo", "--script", str(script), "--out", str(tmp_path / "out"), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "> Anda: /start" in out
    assert "Selamat datang, Bapak/Ibu Budi" in out
    assert "Roti" in out and "Paving Block" in out  # the catalogue's categories after pressing button 1
    assert "(Sekarang sebagai Rina (Petugas Roti)" in out
    assert "Lembar Produksi Roti" in out
    assert "Traceback" not in out + result.stderr


def test_the_readme_demo_scripts_end_with_a_payment_code(tmp_path: Path) -> None:
    env = _env(tmp_path)
    bread = _bot("demo", "--script", "data/demo/bread.txt", "--out", str(tmp_path / "out"), env=env)
    assert bread.returncode == 0, bread.stderr
    assert "Pembayaran pesanan KB-" in bread.stdout and "Jumlah: Rp42.000" in bread.stdout
    paving = _bot("demo", "--script", "data/demo/paving.txt", "--out", str(tmp_path / "out"), env=env)
    assert paving.returncode == 0, paving.stderr
    assert "Jumlah: 2.310 biji" in paving.stdout and "Harga: 2.310 × Rp2.000 = Rp4.620.000" in paving.stdout
    assert "Uang muka (DP) pesanan KB-" in paving.stdout and "Jumlah: Rp2.310.000" in paving.stdout
    assert len(list((tmp_path / "out").glob("*.png"))) == 2


def test_a_demo_script_waits_for_slow_replies_and_alerts_and_saves_the_files(tmp_path: Path) -> None:
    """Each line waits until the bot is idle: the staff alert queued by Konfirmasi (outbox) is on screen when the
    script switches to staff, and /laporan's chart and spreadsheet (a second or two after its text) are shown and
    saved before the demo exits."""
    script, out_dir = tmp_path / "script.txt", tmp_path / "out"
    bread = (ROOT / "data" / "demo" / "bread.txt").read_text(encoding="utf-8")
    script.write_text(bread + "/as staff\n/as manager\n/laporan\n", encoding="utf-8")
    result = _bot("demo", "--script", str(script), "--out", str(out_dir), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    code = out.split("Pembayaran pesanan ", 1)[1].split()[0]
    as_staff = out.split("(Sekarang sebagai Rina (Petugas Roti)", 1)[1].split("> Anda: /as manager", 1)[0]
    assert f"Pesanan baru {code}" in as_staff
    report = out.split("> Anda: /laporan", 1)[1]
    assert "Ringkasan mingguan" in report
    [chart] = sorted(out_dir.glob("foto_900001_*.png"))
    assert f"Foto disimpan: {chart}" in report and Image.open(chart).format == "PNG"
    [sheet] = sorted(out_dir.glob("*.xlsx"))
    assert f"Dokumen disimpan: {sheet}" in report and sheet.name.endswith(".xlsx")
    rows = list(load_workbook(sheet)["Pesanan"].iter_rows(values_only=True))
    assert any(row[0] == code for row in rows[1:])


def test_the_demo_shows_a_product_with_its_example_photos_and_saves_each(tmp_path: Path) -> None:
    """A fresh demo database gives the handbag two drawn example cards: the buyer pages through them."""
    script, out_dir = tmp_path / "script.txt", tmp_path / "out"
    script.write_text("/start\n1\n3\n1\n3\n", encoding="utf-8")  # Katalog, Tas, the handbag, then ▶️
    result = _bot("demo", "--script", str(script), "--out", str(out_dir), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] ◀️  [2] 1/2  [3] ▶️" in out and "[2] 2/2" in out
    first, second = sorted(out_dir.glob("foto_700001_*.jpg"))
    assert f"Foto disimpan: {first}" in out and f"Foto disimpan: {second}" in out
    assert Image.open(first).size == Image.open(second).size == (960, 720)
    assert first.read_bytes() != second.read_bytes()
    assert len(list((tmp_path / "media").iterdir())) == 3  # the handbag's two cards and the painting's one
