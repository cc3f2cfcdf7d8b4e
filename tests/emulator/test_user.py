"""The test-side user: what it sends looks like Telegram's updates, and waits read like a dialogue."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.emulator import BotApiEmulator


async def _updates(bot: Bot) -> tuple[Update, ...]:
    """Fetches and confirms everything pending."""
    updates = await bot.get_updates()
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1)
    return updates


async def test_commands_carry_a_bot_command_entity_of_the_right_length(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    await user.send("/start")
    await user.send("/pesan@KaryaBinaanBot 3 roti")
    await user.send("halo /bantuan")
    first, second, third = await _updates(bot)
    assert first.message is not None and first.message.parse_entities() == {
        first.message.entities[0]: "/start"
    }
    assert second.message is not None and second.message.entities[0].length == len("/pesan@KaryaBinaanBot")
    assert third.message is not None and third.message.entities[0].offset == 5
    assert first.update_id < second.update_id < third.update_id


async def test_a_deep_link_sends_start_with_the_payload(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    await user.open_deep_link("order-42_x")
    (update,) = await _updates(bot)
    assert update.message is not None and update.message.text == "/start order-42_x"
    with pytest.raises(ValueError, match="deep-link payload"):
        await user.open_deep_link("spasi tidak boleh")


async def test_shared_contact_location_sticker_and_voice_parse_in_ptb(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001, "Budi", last_name="Santoso", username="budis")
    await user.share_contact("+628111222333")
    await user.share_location(3.5952, 98.6722)
    await user.send_sticker()
    await user.send_voice(duration=4)
    contact, location, sticker, voice = (u.message for u in await _updates(bot))
    assert contact is not None and contact.contact is not None
    assert (contact.contact.phone_number, contact.contact.user_id) == ("+628111222333", 1001)
    assert location is not None and location.location is not None and location.location.latitude == 3.5952
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.emoji == "👍"
    assert voice is not None and voice.voice is not None and voice.voice.to_dict()["duration"] == 4
    assert contact.from_user is not None and contact.from_user.username == "budis"


async def test_pressing_builds_a_callback_query_with_the_message_attached(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton("🍞 Roti", callback_data="p:1"), InlineKeyboardButton("🍰 Kue", callback_data="p:2")],
        [InlineKeyboardButton("Situs", url="https://example.org")],
    ])
    sent = await bot.send_message(1001, "Pilih produk", reply_markup=keyboard)
    assert user.buttons() == ["🍞 Roti", "🍰 Kue", "Situs"]
    query_id = await user.press("Kue")
    (update,) = await _updates(bot)
    query = update.callback_query
    assert query is not None and query.id == query_id and query.data == "p:2"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.from_user.id == 1001


async def test_pressing_a_missing_button_lists_the_buttons_on_screen(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    with pytest.raises(AssertionError, match="no inline keyboard"):
        await user.press("Katalog")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Katalog", callback_data="c"),
                                      InlineKeyboardButton("Keranjang", callback_data="k"),
                                      InlineKeyboardButton("Situs", url="https://example.org")]])
    await bot.send_message(1001, "Menu", reply_markup=keyboard)
    with pytest.raises(AssertionError, match=r"No inline button 'Bayar'.*\[Katalog\]  \[Keranjang\]"):
        await user.press("Bayar")
    with pytest.raises(AssertionError, match="Ambiguous"):
        await user.press("K")
    with pytest.raises(AssertionError, match="not a callback button"):
        await user.press("Situs")


async def test_forged_callback_data_reaches_the_bot_as_is(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    sent = await bot.send_message(1001, "Pesanan #7")
    await user.press_data("admin:grant:1001")
    (update,) = await _updates(bot)
    assert update.callback_query is not None and update.callback_query.data == "admin:grant:1001"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id


async def test_wait_for_sees_only_messages_sent_or_edited_after_the_last_action(
    emu: BotApiEmulator, bot: Bot
) -> None:
    user = emu.user(1001)
    old = await bot.send_message(1001, "Status: menunggu")
    await user.send("cek status")
    with pytest.raises(AssertionError, match="No bot message matching 'Status'") as caught:
        await user.wait_for("Status", timeout=0.05)
    assert "Budi: cek status" in str(caught.value) and "Bot #1: Status: menunggu" in str(caught.value)
    await bot.edit_message_text("Status: siap diambil", 1001, old.message_id)
    seen = await user.wait_for("Status")
    assert seen.text == "Status: siap diambil" and seen.edited
    assert (await user.wait_for(lambda m: m.edited)).message_id == old.message_id


async def test_wait_idle_fails_readably_when_no_bot_fetches_updates(emu: BotApiEmulator) -> None:
    user = emu.user(1001)
    await user.send("/start")
    with pytest.raises(AssertionError, match="never fetched"):
        await user.wait_idle(quiet=0.05, timeout=0.2)


async def test_a_group_member_talks_in_the_group_chat(emu: BotApiEmulator, bot: Bot) -> None:
    group = emu.group(-100123, "Staf Dapur", username="stafdapur")
    member = emu.user(2002, "Sari")
    await member.send_in(group, "/produksi@KaryaBinaanBot")
    (update,) = await _updates(bot)
    message = update.message
    assert message is not None and message.chat.type == "supergroup" and message.chat.title == "Staf Dapur"
    assert message.from_user is not None and message.from_user.id == 2002
    await bot.send_message("@stafdapur", "Lembar produksi hari ini")
    in_group = member.in_group(group)
    assert [m.text for m in in_group.inbox] == ["Lembar produksi hari ini"]
    assert member.inbox == []
    with pytest.raises(ValueError, match="negative"):
        emu.group(5, "Salah")


async def test_the_transcript_tells_the_whole_story(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    await user.send("/start")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="y")]])
    sent = await bot.send_message(1001, "Lanjut?", reply_markup=keyboard)
    query_id = await user.press("Ya")
    await bot.answer_callback_query(query_id, "Oke")
    await bot.edit_message_text("Dilanjutkan", 1001, sent.message_id)
    await bot.delete_message(1001, sent.message_id)
    lines = user.transcript().splitlines()
    assert lines[1:] == [
        "  Budi: /start",
        "  Bot #2: Lanjut?",
        "        [Ya]",
        "  Budi pressed [Ya]",
        "  Bot answered the button press (toast: Oke)",
        "  Bot edited #2: Dilanjutkan",
        "  Bot deleted #2: Dilanjutkan",
    ]
