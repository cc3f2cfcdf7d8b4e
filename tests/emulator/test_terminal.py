"""The offline demo's terminal chat, played as a script against a real Application."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import qrcode
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.emulator import BotApiEmulator, EmulatedUser
from bot.emulator.terminal import run_terminal_chat
from tests.emulator.conftest import build_app, running

QRIS = "00020101021126570011ID.CO.QRIS.WWW0215ID10200000000005204541153033605802ID5914KARYA BINAAN6005MEDAN"


async def _start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the main menu."""
    assert update.effective_message is not None
    menu = InlineKeyboardMarkup([[InlineKeyboardButton("Katalog", callback_data="cat"),
                                  InlineKeyboardButton("Bayar", callback_data="pay")]])
    await update.effective_message.reply_text("Halo! Pilih menu:", reply_markup=menu)


async def _menu(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Edits to the catalogue or sends the payment QR."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer("Sebentar...")
    if query.data == "pay":
        buffer = io.BytesIO()
        qrcode.make(QRIS).save(buffer, format="PNG")
        await query.message.reply_photo(buffer.getvalue(), caption="Scan QRIS ini")
    else:
        await query.edit_message_text("Roti tawar Rp18.000")


async def _staff(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks staff to share their number."""
    assert update.effective_message is not None
    keys = ReplyKeyboardMarkup([[KeyboardButton("Bagikan nomor", request_contact=True)]], one_time_keyboard=True)
    await update.effective_message.reply_text("Verifikasi staf", reply_markup=keys)


async def _contact(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirms a shared contact."""
    assert update.effective_message is not None and update.effective_message.contact is not None
    await update.effective_message.reply_text(f"Nomor {update.effective_message.contact.phone_number} diterima")


async def test_a_scripted_terminal_chat_prints_a_readable_transcript(emu: BotApiEmulator, tmp_path: Path) -> None:
    app = build_app(emu)
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CommandHandler("staf", _staff))
    app.add_handler(CallbackQueryHandler(_menu))
    app.add_handler(MessageHandler(filters.CONTACT, _contact))
    lines: list[str] = []

    async def switch(role: str) -> EmulatedUser:
        return emu.user(7001, "Sari (staf)")

    script = ["/start", "1", "/start", "2", "/as staff", "/staf", "1", "7", "/quit", "tidak dibaca"]
    async with running(app):
        await run_terminal_chat(emu, emu.user(1001), switch_identity=switch, out_dir=tmp_path,
                                input_lines=script, echo=lines.append, idle_quiet=0.4)
    text = "\n".join(lines)
    assert "> Anda: /start\nBot: Halo! Pilih menu:\n     [1] Katalog  [2] Bayar\n> Anda: 1" in text
    assert "Bot (notifikasi): Sebentar...\nBot (diubah): Roti tawar Rp18.000" in text
    assert "(Sekarang sebagai Sari (staf), id 7001)" in text
    assert "Bot: Verifikasi staf\n     [1] <Bagikan nomor>" in text
    assert "Bot: Nomor +6281234567890 diterima" in text
    # "7" has no button: it is typed as text (a quantity, say) rather than refused
    assert "> Anda: 7" in text and "Tidak ada tombol" not in text
    staff = emu.user(7001, "Sari (staf)")
    assert any(e.kind == "said" and e.text == "7" for e in staff.chat.events), staff.transcript()
    assert "tidak dibaca" not in text
    saved = sorted(tmp_path.glob("foto_1001_*.png"))
    assert len(saved) == 1 and f"Foto disimpan: {saved[0]}" in text
    if importlib.util.find_spec("zxingcpp") is not None:
        assert f"Isi QR: {QRIS[:80]}..." in text
        assert "▀" in text and "▄" in text


async def _sheet(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends a spreadsheet."""
    assert update.effective_message is not None
    await update.effective_message.reply_document(b"PK\x03\x04 sheet", filename="pesanan-2026-11-23.xlsx",
                                                  caption="Pesanan minggu ini")


async def test_a_script_saves_documents_and_goes_on_when_the_bot_stays_busy(emu: BotApiEmulator,
                                                                             tmp_path: Path) -> None:
    app = build_app(emu)
    app.add_handler(CommandHandler("ekspor", _sheet))
    lines: list[str] = []
    looks: list[float] = []

    async def never_idle(timeout: float) -> bool:
        """A bot that is still busy whenever the script asks (a reply that never comes)."""
        looks.append(timeout)
        return False

    async with running(app):
        await run_terminal_chat(emu, emu.user(1001), switch_identity=None, out_dir=tmp_path, input_lines=["/ekspor"],
                                echo=lines.append, settle=never_idle, settle_timeout=0.5)
    text = "\n".join(lines)
    [saved] = sorted(tmp_path.glob("dokumen_1001_*"))
    assert saved.name.endswith("_pesanan-2026-11-23.xlsx") and saved.read_bytes() == b"PK\x03\x04 sheet"
    assert "Bot: [document pesanan-2026-11-23.xlsx 10 bytes] Pesanan minggu ini" in text
    assert f"     Dokumen disimpan: {saved}" in text
    assert looks == [0.5, 0.5]  # after the line and before the end
    assert text.count("(Bot masih sibuk setelah 0.5 detik; skrip dilanjutkan.)") == 2
