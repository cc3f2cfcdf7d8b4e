"""What emulated buyers do in the HTTP benchmarks: scripted steps, each one update, each waiting for its answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.emulator.messages import BotMessage
from bot.emulator.user import EmulatedUser

Kind = Literal["send", "press", "nth", "key"]
PHOTO = "<photo>"
TIMEOUT = 60.0


@dataclass(frozen=True)
class Step:
    """One user action (one update) and a fragment of the answer that shows it was handled.

    kind: "send" a text, "press" an inline button by label, "nth" press the n-th inline button whose
    callback data starts with `arg` (n is the user's variant), "key" tap a reply-keyboard key.
    """

    kind: Kind
    arg: str
    expect: str
    choices: int = 0  # for "nth": pick among the first `choices` matching buttons only (0: all)


def _nth_label(user: EmulatedUser, prefix: str, n: int, choices: int) -> str:
    """The label of the n-th (modulo) button of the latest keyboard whose callback data starts with prefix."""
    for message in reversed(user.inbox):
        buttons = [b for row in message.inline_rows for b in row]
        found = [b["text"] for b in buttons if str(b.get("callback_data", "")).startswith(prefix)]
        found = found[:choices] if choices else found
        if found:
            return str(found[n % len(found)])
    raise AssertionError(f"no button with data {prefix!r}\n{user.transcript()}")


def _has_photo(message: BotMessage) -> bool:
    return message.photo is not None


async def act(user: EmulatedUser, step: Step, variant: int = 0) -> None:
    """Performs one step and waits for the bot's answer to it."""
    if step.kind == "send":
        await user.send(step.arg)
    elif step.kind == "press":
        await user.press(step.arg)
    elif step.kind == "nth":
        await user.press(_nth_label(user, step.arg, variant, step.choices))
    else:
        await user.press_key(step.arg)
    if step.expect == PHOTO:
        await user.wait_for(_has_photo, timeout=TIMEOUT)
    else:
        await user.wait_for(step.expect, timeout=TIMEOUT)


async def play(user: EmulatedUser, steps: list[Step], variant: int = 0) -> int:
    """Plays a script step by step (a person waits for each answer); returns the updates sent."""
    for step in steps:
        await act(user, step, variant)
    return len(steps)


# Browsing: the menu, the catalogue, two breads, back to the categories, a pair of sandals, the menu again.
BROWSE = [
    Step("send", "/start", "Selamat datang"),
    Step("press", "Katalog", "pilih kategori"),
    Step("press", "Roti", "pilih produk"),
    Step("press", "Roti Manis Isi Cokelat", "Harga"),
    Step("press", "Kembali", "pilih produk"),
    Step("press", "Roti Tawar", "Harga"),
    Step("press", "Kembali", "pilih produk"),
    Step("press", "Kembali", "pilih kategori"),
    Step("press", "Sandal", "pilih produk"),
    Step("press", "Sandal Kulit", "Harga"),
    Step("press", "Menu", "Menu utama"),
]

# A complete bread order: product, pickup date and slot (spread by variant so no day runs out), two pieces,
# the phone by the contact key, confirmation, until the QRIS payment photo arrives.
ORDER = [
    Step("send", "/start", "Selamat datang"),
    Step("press", "Katalog", "pilih kategori"),
    Step("press", "Roti", "pilih produk"),
    Step("nth", "bp:", "Harga", choices=2),  # the two filled breads: 240 a day each
    Step("press", "Pilih tanggal ambil", "Pilih tanggal ambil:"),
    Step("nth", "bs:", "Pilih jam ambil"),
    Step("nth", "bq:", "Berapa"),
    Step("send", "2", "Masuk keranjang"),
    Step("press", "Pesan sekarang", "nomor HP"),
    Step("key", "📱 Kirim nomor HP", "Ringkasan pesanan"),
    Step("press", "Konfirmasi", PHOTO),
]


def press_script(length: int) -> list[Step]:
    """The second floor's script: ask for the buttons, then press them (answer + edit, as browsing does)."""
    presses = [Step("press", f"Tombol {i % 10 + 1}", f"Layar {i % 10 + 1}") for i in range(length - 1)]
    return [Step("send", "tombol", "Pilih tombol"), *presses]


def echo_script(length: int) -> list[Step]:
    """The baseline's script: as many texts as the scenario has steps, each answered by its echo."""
    return [Step("send", f"pesan {i} dari pembeli", f"pesan {i} dari pembeli") for i in range(1, length + 1)]
