"""Uploads kept byte for byte: sendPhoto multipart, getFile, the file URL, reuse by file_id, albums."""

from __future__ import annotations

import io

import aiohttp
import pytest
import qrcode
from PIL import Image
from telegram import Bot, InputMediaDocument, InputMediaPhoto
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator


def _qr_png(payload: str = "00020101021126570011ID.CO.QRIS.WWW") -> bytes:
    """A real QR code PNG, like the payment QR the bot sends."""
    buffer = io.BytesIO()
    qrcode.make(payload).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_a_photo_round_trips_byte_for_byte_through_get_file_and_the_file_url(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.user(1001)
    png = _qr_png()
    message = await bot.send_photo(1001, png, caption="Bayar dengan QRIS")
    largest = message.photo[-1]
    assert (largest.width, largest.height) == Image.open(io.BytesIO(png)).size
    assert len(message.photo) == 2 and message.photo[0].width == 90
    file = await bot.get_file(largest.file_id)
    assert file.file_path is not None and file.file_path.startswith(emu.base_file_url)
    assert bytes(await file.download_as_bytearray()) == png
    async with aiohttp.ClientSession() as session:
        async with session.get(file.file_path) as response:
            assert await response.read() == png
        async with session.get(f"{emu.base_file_url}{emu.token}/photos/nothing.png") as response:
            assert response.status == 404
    seen = await user.wait_for_photo()
    assert seen.photo == png and seen.caption == "Bayar dengan QRIS"


async def test_a_file_id_can_be_sent_again_and_an_unknown_one_is_rejected(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    first = await bot.send_photo(1001, _qr_png())
    again = await bot.send_photo(1001, first.photo[-1].file_id)
    assert [p.file_id for p in again.photo] == [p.file_id for p in first.photo]
    upload = emu.calls_to("sendPhoto")[0].params["photo"]
    assert upload.data.startswith(b"\x89PNG")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier/http url specified"):
        await bot.send_photo(1001, "AgACAgIAAxkBAAIBe2ZZZZ")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.get_file("does-not-exist")


async def test_bytes_that_are_not_an_image_fail_like_telegram(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(1001, b"not an image at all")


async def test_a_truncated_png_fails_like_telegram_not_as_a_server_error(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    png = _qr_png()
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(1001, png[: len(png) // 2])  # the header (and so the size) is intact, the pixels not


async def test_documents_keep_their_name_and_bytes(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    sheet = b"tanggal,produk,jumlah\n2024-05-01,roti,40\n"
    message = await bot.send_document(1001, sheet, filename="produksi.csv", caption="Lembar produksi")
    assert message.document is not None and message.document.file_name == "produksi.csv"
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == sheet
    assert user.last_message is not None and user.last_message.document == sheet


async def test_an_album_arrives_as_one_media_group_without_a_keyboard(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    photos = [_qr_png("a"), _qr_png("b")]
    messages = await bot.send_media_group(1001, [InputMediaPhoto(p, caption=f"#{i}") for i, p in enumerate(photos)])
    assert len({m.media_group_id for m in messages}) == 1
    assert [m.photo for m in user.inbox] != [None, None]
    assert [m.photo for m in user.inbox] == photos
    with pytest.raises(BadRequest, match=r"(?i)photos only or documents only"):
        await bot.send_media_group(1001, [InputMediaPhoto(photos[0]), InputMediaDocument(b"x", filename="x.txt")])


async def test_the_bot_downloads_a_photo_the_user_sent(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    receipt = _qr_png("bukti transfer")
    await user.send_photo(receipt, caption="bukti bayar")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.caption == "bukti bayar"
    assert len(update.message.photo) == 2
    file = await update.message.photo[-1].get_file()
    assert bytes(await file.download_as_bytearray()) == receipt


async def test_a_photo_caption_and_keyboard_can_be_edited(emu: BotApiEmulator, bot: Bot) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    user = emu.user(1001)
    sent = await bot.send_photo(1001, _qr_png(), caption="Menunggu pembayaran")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Sudah bayar", callback_data="paid")]])
    await bot.edit_message_caption(1001, sent.message_id, caption="<b>Lunas</b>", parse_mode="HTML",
                                   reply_markup=keyboard)
    shown = user.last_message
    assert shown is not None and shown.caption == "Lunas" and shown.has_entity("bold", "Lunas")
    assert shown.buttons == ["Sudah bayar"] and shown.photo is not None
    with pytest.raises(BadRequest, match=r"(?i)no text in the message"):
        await bot.edit_message_text("x", 1001, sent.message_id)
