"""Telegram's checks on what the bot sends: HTML, lengths, keyboards, edits, callback answers."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MenuButtonCommands,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>tebal", "Can't find end tag"),
        ("<marquee>x</marquee>", 'Unsupported start tag "marquee"'),
        ("harga < 10", "Unclosed start tag"),
        ("1 < 2 dan 3 > 2", 'Unsupported start tag ""'),
        ("roti & kue", 'Character "&"'),
        ("roti&nbsp;kue", "Unsupported HTML entity"),
        ("<b>x</i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ('<span class="merah">x</span>', 'must have class "tg-spoiler"'),
    ],
)
async def test_bad_html_is_rejected_with_cant_parse_entities(
    emu: BotApiEmulator, bot: Bot, html: str, reason: str
) -> None:
    emu.user(1001)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as caught:
        await bot.send_message(1001, html, parse_mode=ParseMode.HTML)
    assert reason.lower() in str(caught.value).lower()


async def test_good_html_becomes_plain_text_with_utf16_entities(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    html = (
        '🍞 <b>Roti</b> &lt;manis&gt; &amp; <i>kue</i> <a href="https://t.me/x?a=1&amp;b=2">tautan</a> '
        '<code>A1</code> <pre><code class="language-python">x = 1</code></pre> <tg-spoiler>rahasia</tg-spoiler> '
        '<span class="tg-spoiler">s</span> <blockquote expandable>kutipan</blockquote> &#128512; &quot;'
    )
    message = await bot.send_message(1001, html, parse_mode=ParseMode.HTML)
    assert message.text is not None and message.text.startswith("🍞 Roti <manis> & kue tautan A1 x = 1")
    assert message.text.endswith('😀 "')
    kinds = [(e.type, message.parse_entity(e)) for e in message.entities]
    assert ("bold", "Roti") in kinds and ("italic", "kue") in kinds and ("spoiler", "rahasia") in kinds
    link = next(e for e in message.entities if e.type == "text_link")
    assert link.url == "https://t.me/x?a=1&b=2"
    pre = next(e for e in message.entities if e.type == "pre")
    assert pre.language == "python"
    assert any(e.type == "expandable_blockquote" for e in message.entities)
    assert message.text_html.startswith("🍞 <b>Roti</b> &lt;manis&gt;")
    assert user.last_message is not None and user.last_message.has_entity("bold", "Roti")


async def test_text_is_limited_to_4096_characters_after_entity_parsing(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    await bot.send_message(1001, "x" * 4096)
    await bot.send_message(1001, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1001, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "   ")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "<b></b>", parse_mode=ParseMode.HTML)


async def test_captions_are_limited_to_1024_characters(emu: BotApiEmulator, bot: Bot) -> None:
    from tests.emulator.test_files import _qr_png

    emu.user(1001)
    png = _qr_png()
    await bot.send_photo(1001, png, caption="c" * 1024)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(1001, png, caption="c" * 1025)


async def test_callback_data_is_at_most_64_bytes(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Pilih", callback_data=data)]])

    await bot.send_message(1001, "ok", reply_markup=keyboard("d" * 64))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "terlalu panjang", reply_markup=keyboard("d" * 65))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "multibyte", reply_markup=keyboard("é" * 33))


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ({"inline_keyboard": [{"text": "a", "callback_data": "a"}]}, "Array of Arrays"),
        ({"inline_keyboard": [[{"text": "a"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[{"text": "a", "callback_data": "a", "url": "https://x.id"}]]}, "exactly one"),
        ({"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}, "non-empty"),
        ({"keyboard": "Ya"}, "Array of Arrays"),
        ({"something": True}, "reply keyboard markup"),
    ],
)
async def test_keyboard_shapes_are_checked(emu: BotApiEmulator, bot: Bot, markup: dict[str, object],
                                           reason: str) -> None:
    emu.user(1001)
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(1001, "x", api_kwargs={"reply_markup": markup})
    assert reason.lower() in str(caught.value).lower()


async def test_contact_and_location_keys_work_only_in_private_chats(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    group = emu.group(-100500, "Staf Dapur")
    keys = ReplyKeyboardMarkup([[KeyboardButton("Bagikan nomor", request_contact=True)], ["Batal"]])
    await bot.send_message(1001, "Nomor HP?", reply_markup=keys)
    assert user.keyboard() == ["Bagikan nomor", "Batal"]
    with pytest.raises(BadRequest, match=r"(?i)only in private chats"):
        await bot.send_message(group.id, "Nomor HP?", reply_markup=keys)
    await bot.send_message(1001, "Sekali saja", reply_markup=ReplyKeyboardMarkup([["Ya"]], one_time_keyboard=True))
    assert user.keyboard() == ["Ya"]
    await user.press_key("Ya")
    assert user.keyboard() == []
    await bot.send_message(1001, "Nomor HP?", reply_markup=keys)
    await user.press_key("Bagikan nomor")
    _, update = await bot.get_updates()
    assert update.message is not None and update.message.contact is not None
    assert update.message.contact.user_id == 1001


async def test_unknown_chats_are_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "halo")


async def test_editing_with_identical_content_is_not_modified(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Lagi", callback_data="again")]])
    message = await bot.send_message(1001, "Keranjang: 1 roti", reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified: specified new message content"):
        await bot.edit_message_text("Keranjang: 1 roti", 1001, message.message_id, reply_markup=keyboard)
    edited = await bot.edit_message_text("Keranjang: 1 roti", 1001, message.message_id)
    assert not isinstance(edited, bool) and edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(1001, message.message_id)


async def test_edits_and_deletes_need_an_existing_bot_message(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("baru", 1001, 999)
    own = await user.send("pesan pengguna")
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("baru", 1001, own)
    sent = await bot.send_message(1001, "teks")
    with pytest.raises(BadRequest, match=r"(?i)no caption"):
        await bot.edit_message_caption(1001, sent.message_id, caption="x")
    assert await bot.delete_message(1001, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1001, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("baru", 1001, sent.message_id)
    assert user.inbox == []


async def test_a_callback_query_can_be_answered_only_once(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tambah", callback_data="add:7")]])
    await bot.send_message(1001, "Roti tawar", reply_markup=keyboard)
    query_id = await user.press("Tambah")
    assert await bot.answer_callback_query(query_id, text="Ditambahkan")
    with pytest.raises(BadRequest, match=r"(?i)query is too old and response timeout expired or query id is invalid"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("123")
    assert user.callback_answer(query_id) == {"text": "Ditambahkan", "show_alert": False, "url": None}


async def test_command_menus_follow_scope_and_language(emu: BotApiEmulator, bot: Bot) -> None:
    buyer, staff = emu.user(1001), emu.user(2002, "Sari", language_code="en")
    await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("katalog", "Lihat katalog")],
                              language_code="id")
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("produksi", "Lembar produksi")], scope=BotCommandScopeChat(2002))
    assert [c["command"] for c in buyer.commands()] == ["start", "katalog"]
    assert [c["command"] for c in staff.commands()] == ["produksi"]
    assert [c.command for c in await bot.get_my_commands(language_code="id")] == ["start", "katalog"]
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == ()
    await bot.delete_my_commands(scope=BotCommandScopeChat(2002))
    assert staff.commands() == [{"command": "start", "description": "Start"}]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Mulai-Belanja", "x")])


async def test_profile_methods_answer_like_telegram(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user(1001, "Budi", username="budi")
    await bot.set_chat_menu_button(1001, MenuButtonCommands())
    assert (await bot.get_chat_menu_button(1001)).type == "commands"
    chat = await bot.get_chat(1001)
    assert chat.first_name == "Budi" and chat.username == "budi"
    assert await bot.set_my_description("Pesan roti karya warga binaan", language_code="id")
    assert (await bot.get_my_description("id")).description == "Pesan roti karya warga binaan"
    assert await bot.set_my_short_description("Roti & kue") and await bot.set_my_name("Karya Binaan")
    assert await bot.send_chat_action(1001, "typing")
    assert await bot.send_location(1001, 3.59, 98.67)
    assert await bot.log_out() and await bot.close()
