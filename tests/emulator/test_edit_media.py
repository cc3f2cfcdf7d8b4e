"""editMessageMedia as the Bot API answers it: uploads through attach://, file ids, media types, "not modified"."""

from __future__ import annotations

import io

import aiohttp
import pytest
import qrcode
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaDocument, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator
from tests.support.pictures import jpeg

KEYS = InlineKeyboardMarkup([[InlineKeyboardButton("▶️", callback_data="bph:1:1")]])


def _png(payload: str) -> bytes:
    """A small PNG (a QR code)."""
    buffer = io.BytesIO()
    qrcode.make(payload).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_a_text_message_becomes_a_photo_uploaded_through_attach(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    sent = await bot.send_message(1001, "Katalog: pilih produk", reply_markup=KEYS)
    photo = jpeg(640, 480)
    edited = await bot.edit_message_media(
        InputMediaPhoto(photo, caption="<b>Tas Tangan</b>\nHarga: Rp125.000", parse_mode=ParseMode.HTML),
        chat_id=1001, message_id=sent.message_id, reply_markup=KEYS,
    )
    assert not isinstance(edited, bool) and edited.photo and edited.text is None
    [call] = emu.calls_to("editMessageMedia")
    assert call.params["media"]["media"].startswith("attach://"), "PTB uploads the bytes as a multipart part"
    shown = user.last_message
    assert shown is not None and shown.message_id == sent.message_id and shown.edited
    assert shown.photo == photo and shown.text is None and shown.caption == "Tas Tangan\nHarga: Rp125.000"
    assert shown.has_entity("bold", "Tas Tangan") and shown.buttons == ["▶️"]
    assert len(user.inbox) == 1


async def test_a_photo_changes_to_another_by_file_id_and_the_same_again_is_not_modified(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.user(1001)
    first = await bot.send_photo(1001, jpeg(640, 480, seed=1), caption="1/2", reply_markup=KEYS)
    second = jpeg(640, 480, seed=2)
    other = await bot.send_photo(1001, second)
    file_id = other.photo[-1].file_id
    await bot.edit_message_media(InputMediaPhoto(file_id, caption="2/2"), 1001, first.message_id, reply_markup=KEYS)
    shown = next(m for m in user.inbox if m.message_id == first.message_id)
    assert shown.photo == second and shown.caption == "2/2" and shown.buttons == ["▶️"]
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_media(InputMediaPhoto(file_id, caption="2/2"), 1001, first.message_id,
                                     reply_markup=KEYS)
    # The same picture with another caption (or without the keyboard) is a change.
    await bot.edit_message_media(InputMediaPhoto(file_id, caption="lagi"), 1001, first.message_id)
    again = next(m for m in user.inbox if m.message_id == first.message_id)
    assert again.caption == "lagi" and again.buttons == []


async def test_a_photo_never_turns_back_into_text(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    sent = await bot.send_photo(1001, _png("a"), caption="foto")
    with pytest.raises(BadRequest, match=r"(?i)no text in the message"):
        await bot.edit_message_text("teks", 1001, sent.message_id)


async def test_media_types_and_missing_media_are_checked(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    sent = await bot.send_message(1001, "layar")
    bad = [
        ({"type": "sticker", "media": "x"}, "unsupported media type"),
        ({"media": "x"}, "unsupported media type"),
        ({"type": "video", "media": "x"}, "photo or document media only"),
        ({"type": "photo"}, "media not specified"),
        ({"type": "photo", "media": "attach://nothing"}, "can't find attached file"),
        ({"type": "photo", "media": "AgACAgIAAxkBAAIBe2ZZZZ"}, "wrong file identifier"),
        ("not an object", "can't parse media JSON object"),
    ]
    async with aiohttp.ClientSession() as session:
        for media, reason in bad:
            # Straight onto the wire (PTB would not even send most of these): a JSON body as any client may post.
            body = {"chat_id": 1001, "message_id": sent.message_id, "media": media}
            async with session.post(f"{emu.base_url}{emu.token}/editMessageMedia", json=body) as response:
                answer = await response.json()
            assert response.status == 400 and answer["ok"] is False, answer
            assert reason.lower() in answer["description"].lower(), (media, answer)
    long_caption = "x" * 1025
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.edit_message_media(InputMediaPhoto(_png("b"), caption=long_caption), 1001, sent.message_id)


async def test_a_location_has_no_media_to_edit_and_an_album_keeps_its_media_type(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.user(1001)
    place = await bot.send_location(1001, 3.59, 98.67)
    with pytest.raises(BadRequest, match=r"(?i)no media in the message"):
        await bot.edit_message_media(InputMediaPhoto(_png("c")), 1001, place.message_id)
    album = await bot.send_media_group(1001, [InputMediaPhoto(_png("d")), InputMediaPhoto(_png("e"))])
    with pytest.raises(BadRequest, match=r"(?i)same type"):
        await bot.edit_message_media(InputMediaDocument(b"x", filename="x.txt"), 1001, album[0].message_id)
    swapped = await bot.edit_message_media(InputMediaPhoto(_png("f")), 1001, album[0].message_id)
    assert not isinstance(swapped, bool) and swapped.media_group_id == album[0].media_group_id


async def test_a_photo_can_become_a_document(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    sent = await bot.send_photo(1001, _png("g"))
    await bot.edit_message_media(InputMediaDocument(b"a,b\n1,2\n", filename="data.csv", caption="CSV"),
                                 1001, sent.message_id)
    shown = user.last_message
    assert shown is not None and shown.photo is None and shown.document == b"a,b\n1,2\n"
    assert shown.document_name == "data.csv" and shown.caption == "CSV"
