"""Benchmark 6: milliseconds per payment code, and what re-sending a photo by file_id saves."""

from __future__ import annotations

import io
import itertools
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import qrcode
from telegram import Bot

from bench.proxy import CountingProxy
from bench.report import Row, verdict
from bench.timing import fmt_ms, per_call
from bot.emulator.server import BotApiEmulator
from bot.render.qr import render_payment_qr
from bot.texts.format import rupiah
from models import qris

NAME = "qr"
BENCH = "6 QR"
TARGET_MS = 5.0
# 5 amounts x 4 codes: 20 different payloads in turn, each printed with its own amount and code.
_PAYMENTS = itertools.cycle(
    zip(
        [3_500, 28_500, 126_000, 1_250_000, 9_999_000] * 4,
        ["KB7GQ2XM", "KB3BCDFG", "KBHJKMNP", "KBQRSTVW"] * 5,
        strict=True,
    )
)


def _payload() -> str:
    """A fresh dynamic QRIS for the next amount and order code."""
    amount, code = next(_PAYMENTS)
    return qris.to_dynamic(qris.SAMPLE_MERCHANT_PAYLOAD, amount, bill_number=code)


def _ours() -> bytes:
    """What the bot does per payment: the dynamic payload, then the PNG with merchant, amount, code and deadline."""
    amount, code = next(_PAYMENTS)
    payload = qris.to_dynamic(qris.SAMPLE_MERCHANT_PAYLOAD, amount, bill_number=code)
    return render_payment_qr(
        payload, amount_text=rupiah(amount), caption_lines=[f"{code[:2]}-{code[2:]}", "Bayar sebelum 14.00 WIB"]
    )


def _bare() -> bytes:
    """The floor: the same payload through qrcode's one-liner with its defaults, saved as PNG."""
    buffer = io.BytesIO()
    qrcode.make(_payload()).save(buffer)
    return buffer.getvalue()


def _cpu_per_call(fn: Callable[[], object], calls: int) -> float:
    """Mean CPU seconds per call: the cost without the time other processes held the CPU (a shared machine)."""
    started = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - started) / calls


async def _send_photos(quick: bool) -> tuple[float, float, float, float]:
    """Seconds and request bytes per sendPhoto: uploading the PNG, then re-sending it by file_id."""
    rounds = 20 if quick else 60
    png = _ours()
    async with BotApiEmulator() as emulator:
        proxy = CountingProxy("127.0.0.1", urlsplit(emulator.base_url).port or 80)
        await proxy.start()
        try:
            chat = emulator.user(700_001, "Sari").chat.id
            base = f"http://127.0.0.1:{proxy.port}"
            async with Bot(emulator.token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot") as bot:
                first = await bot.send_photo(chat, photo=png)
                file_id = first.photo[-1].file_id
                results = []
                for photo in (png, file_id):
                    proxy.reset()
                    started = time.perf_counter()
                    for _ in range(rounds):
                        await bot.send_photo(chat, photo=photo, caption="Rp28.500 - KB-7GQ2XM")
                    results.append(((time.perf_counter() - started) / rounds, proxy.sent / rounds))
        finally:
            await proxy.stop()
    (upload_s, upload_b), (reuse_s, reuse_b) = results
    return upload_s, upload_b, reuse_s, reuse_b


async def run(quick: bool) -> list[Row]:
    """Times payment codes against bare qrcode, and sendPhoto by file_id against uploading."""
    budget = 0.5 if quick else 3.0
    payload_s = per_call(_payload, min_time=budget / 3)
    ours_s = per_call(_ours, min_time=budget)
    bare_s = per_call(_bare, min_time=budget)
    ours_cpu = _cpu_per_call(_ours, 100 if quick else 500)
    png_size = len(_ours())
    upload_s, upload_b, reuse_s, reuse_b = await _send_photos(quick)
    return [
        Row(
            BENCH, "payment code: QRIS payload + captioned PNG", fmt_ms(ours_s),
            f"bare `qrcode.make(payload)` PNG: {fmt_ms(bare_s)}", ours_s / bare_s,
            f"< {TARGET_MS:g} ms", verdict(ours_s * 1000 < TARGET_MS),
            f"payload alone {fmt_ms(payload_s)}; CPU time {fmt_ms(ours_cpu)} a code (the median is wall-clock, "
            f"so it grows with the machine's load); PNG {png_size / 1024:.1f} KiB, 2-bit grey, with merchant name, "
            "NMID, amount, code and deadline (the bare one has no text)",
        ),
        Row(
            BENCH, "sendPhoto by file_id: bytes sent per call", f"{reuse_b / 1024:.2f} KiB",
            f"upload: {upload_b / 1024:.1f} KiB", reuse_b / upload_b, "-", "-",
            "HTTP request bytes counted on the wire (headers included)",
        ),
        Row(
            BENCH, "sendPhoto by file_id: time per call", fmt_ms(reuse_s), f"upload: {fmt_ms(upload_s)}",
            reuse_s / upload_s, "-", "-", "against the emulator on loopback (it also makes a thumbnail per upload)",
        ),
    ]
