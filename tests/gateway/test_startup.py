"""The real entry point refuses PAYMENT_PROVIDER=midtrans without what it needs, in one line naming the variable;
the signature is Midtrans' own formula over the strings as sent; and any code Midtrans makes can be drawn."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.payments.signature import signature, signature_ok
from bot.render.qr import payment_qr_text, render_payment_qr
from tests.gateway.support import qr_text

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot run` with a token, a fresh SQLite file and the given settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "HTTP_", "LOG_", "MIDTRANS_", "PAYMENT_",
                                "PUBLIC_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "HTTP_PORT": "0",
                "TELEGRAM_BOT_TOKEN": "123456:never-used", "PAYMENT_PROVIDER": "midtrans"}, **extra)
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_midtrans_without_a_server_key_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = _run(tmp_path, PUBLIC_BASE_URL="https://bot.example")
    assert result.returncode == 2
    assert result.stdout.strip() == "Invalid setting MIDTRANS_SERVER_KEY: required with PAYMENT_PROVIDER=midtrans"


def test_midtrans_without_a_public_base_url_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = _run(tmp_path, MIDTRANS_SERVER_KEY="SB-Mid-server-secret-value")
    assert result.returncode == 2
    [line] = result.stdout.splitlines()
    assert line.startswith("Invalid setting PUBLIC_BASE_URL: required with PAYMENT_PROVIDER=midtrans")
    assert "SB-Mid-server-secret-value" not in result.stdout + result.stderr


def test_the_signature_is_sha512_of_the_strings_exactly_as_sent() -> None:
    expected = hashlib.sha512(b"KB7K3QXM20042000.00SB-Mid-server-k").hexdigest()
    assert signature("KB7K3QXM", "200", "42000.00", "SB-Mid-server-k") == expected
    body = {"order_id": "KB7K3QXM", "status_code": "200", "gross_amount": "42000.00", "signature_key": expected}
    assert signature_ok(body, "SB-Mid-server-k")
    assert not signature_ok({**body, "gross_amount": "42000"}, "SB-Mid-server-k")  # re-formatted: not signed
    assert not signature_ok({**body, "signature_key": expected.upper()}, "SB-Mid-server-k")
    assert not signature_ok({**body, "status_code": 200}, "SB-Mid-server-k")


def test_a_gateway_code_the_strict_qris_codec_refuses_is_still_drawn_for_the_buyer() -> None:
    text = payment_qr_text("00020101021226NOT-A-QRIS-WE-KNOW", amount_text="Rp42.000", caption_lines=["KB-7K3QXM"])
    assert (text.merchant_name, text.nmid) == ("Midtrans", None)
    png = render_payment_qr("00020101021226NOT-A-QRIS-WE-KNOW", amount_text="Rp42.000", caption_lines=["KB-7K3QXM"])
    assert qr_text(png) == "00020101021226NOT-A-QRIS-WE-KNOW"
