"""The terminal demo sends a picture from a file (/foto PATH) and saves every photo a screen shows."""

from __future__ import annotations

from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.emulator import BotApiEmulator
from bot.emulator.terminal import run_terminal_chat
from tests.emulator.conftest import build_app, running
from tests.support.pictures import jpeg, webp

FIRST, SECOND = jpeg(640, 480, seed=1), jpeg(640, 480, seed=2)
KEYS = InlineKeyboardMarkup([[InlineKeyboardButton("▶️", callback_data="next"),
                              InlineKeyboardButton("Judul", callback_data="title")]])


async def _received(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Says what arrived: a photo with its size, or a file with its name."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        await message.reply_text(f"Foto diterima {message.photo[-1].width}x{message.photo[-1].height}")
    elif message.document is not None:
        await message.reply_text(f"Berkas diterima {message.document.file_name} {message.document.mime_type}")


async def _gallery(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the first photo."""
    assert update.effective_message is not None
    await update.effective_message.reply_photo(FIRST, caption="Tas 1/2", reply_markup=KEYS)


async def _press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """▶️ shows the second photo in the same message; Judul changes only the caption."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.data == "next":
        await query.edit_message_media(InputMediaPhoto(SECOND, caption="Tas 2/2"), reply_markup=KEYS)
    else:
        await query.edit_message_caption("Tas Tangan Wanita", reply_markup=KEYS)


async def test_foto_sends_a_picture_from_a_file_as_the_terminal_user(emu: BotApiEmulator, tmp_path: Path) -> None:
    (tmp_path / "tas.jpg").write_bytes(FIRST)
    (tmp_path / "tas.webp").write_bytes(webp(400, 400))
    app = build_app(emu)
    app.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, _received))
    lines: list[str] = []
    script = [f"/foto {tmp_path / 'tas.jpg'}", f"/foto {tmp_path / 'tas.webp'}", f"/foto {tmp_path / 'hilang.jpg'}"]
    async with running(app):
        await run_terminal_chat(emu, emu.user(1001), switch_identity=None, out_dir=tmp_path / "out",
                                input_lines=script, echo=lines.append, idle_quiet=0.3)
    text = "\n".join(lines)
    assert "Bot: Foto diterima 640x480" in text
    assert "Bot: Berkas diterima tas.webp" in text
    assert f"(Berkas tidak bisa dibaca: {tmp_path / 'hilang.jpg'}: No such file or directory)" in text


async def test_each_photo_a_screen_shows_is_saved_once_with_its_path(emu: BotApiEmulator, tmp_path: Path) -> None:
    app = build_app(emu)
    app.add_handler(CommandHandler("galeri", _gallery))
    app.add_handler(CallbackQueryHandler(_press))
    lines: list[str] = []
    async with running(app):
        await run_terminal_chat(emu, emu.user(1001), switch_identity=None, out_dir=tmp_path,
                                input_lines=["/galeri", "1", "2"], echo=lines.append, idle_quiet=0.3)
    text = "\n".join(lines)
    first, second = tmp_path / "foto_1001_2.jpg", tmp_path / "foto_1001_2_2.jpg"
    assert first.read_bytes() == FIRST and second.read_bytes() == SECOND
    assert text.count("Foto disimpan:") == 2, text
    assert f"Bot (diubah): [photo {len(SECOND)} bytes] Tas 2/2" in text and f"Foto disimpan: {second}" in text
    assert f"Bot (diubah): [photo {len(SECOND)} bytes] Tas Tangan Wanita" in text
