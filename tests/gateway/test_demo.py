"""The offline demo with PAYMENT_PROVIDER=midtrans, through its --script mode: the buyer orders, pays with the
demo-only command at the in-process sandbox, sees "Lunas", and the bakery has the alert with no staff action."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_pays_an_order_at_the_sandbox_and_both_sides_see_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "HTTP_", "LOG_", "MIDTRANS_", "PAYMENT_",
                                "PUBLIC_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "PAYMENT_PROVIDER": "midtrans",
                "PYTHONUNBUFFERED": "1"})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--script", "data/demo/midtrans.txt", "--out", str(tmp_path / "out")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Perintah demo: /bayar_demo [KODE]" in out
    assert "Isi QR: 000201" in out  # the sandbox's code, drawn in the terminal
    paid_at = out.index("> Anda: /bayar_demo")
    assert "(Sandbox Midtrans: KB" in out[paid_at:] and "dibayar Rp" in out[paid_at:]
    staff_at = out.index("> Anda: /as staff")
    assert "Lunas" in out[paid_at:staff_at]
    assert "lewat Midtrans" in out[staff_at:] and "tidak perlu konfirmasi" in out[staff_at:]
    assert "Traceback" not in out + result.stderr
