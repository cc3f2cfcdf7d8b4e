"""AiohttpRequest over real HTTP: calls arrive as Telegram reads them, failures surface as PTB's errors."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator

import pytest
import qrcode
from telegram import Bot, Message, Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.emulator import BotApiEmulator
from bot.telegram_http import AiohttpRequest
from tests.emulator.conftest import running
from tests.support.calls import unanswered_calls
from tests.support.eventually import eventually


def _bot(emu: BotApiEmulator, request: AiohttpRequest, base_url: str | None = None) -> Bot:
    """A plain PTB Bot that makes its calls through this request object."""
    return Bot(emu.token, base_url=base_url or emu.base_url, base_file_url=emu.base_file_url, request=request)


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A Bot on AiohttpRequest with short timeouts, so timeout tests stay fast."""
    async with _bot(emu, AiohttpRequest(read_timeout=0.5)) as tg_bot:
        yield tg_bot


def _closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _qr_png() -> bytes:
    """A real PNG, like the payment QR the bot sends."""
    buffer = io.BytesIO()
    qrcode.make("00020101021126570011ID.CO.QRIS.WWW").save(buffer, format="PNG")
    return buffer.getvalue()


async def test_a_message_reaches_the_user_with_its_formatting_and_buttons(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    sent = await bot.send_message(
        1001,
        "Total <b>Rp28.500</b> &amp; ongkir",
        parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "Bayar", "callback_data": "pay:1"}]]},
    )
    seen = await user.wait_for("Total Rp28.500 & ongkir")
    assert seen.has_entity("bold", "Rp28.500") and seen.buttons == ["Bayar"]
    assert sent.message_id == seen.message_id and sent.text == "Total Rp28.500 & ongkir"


async def test_answers_drop_the_echoed_keyboard_but_a_pressed_message_keeps_it(emu: BotApiEmulator, bot: Bot) -> None:
    """The bot never reads back the keyboard it sent; the keyboard of a pressed message arrives with the update."""
    user = emu.user(1001)
    keyboard = {"inline_keyboard": [[{"text": "Bayar", "callback_data": "pay:1"}]]}
    sent = await bot.send_message(1001, "Kode QRIS", reply_markup=keyboard)
    edited = await bot.edit_message_text("Kode QRIS baru", 1001, sent.message_id, reply_markup=keyboard)
    assert sent.reply_markup is None and isinstance(edited, Message) and edited.reply_markup is None
    assert (await user.wait_for("Kode QRIS baru")).buttons == ["Bayar"]  # the user still sees the buttons
    await user.press("Bayar")
    updates = await bot.get_updates(timeout=0)
    pressed = updates[-1].callback_query
    assert pressed is not None and isinstance(pressed.message, Message) and pressed.message.reply_markup is not None
    assert pressed.message.reply_markup.inline_keyboard[0][0].callback_data == "pay:1"


async def test_a_photo_upload_arrives_as_multipart_with_its_caption_and_bytes(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    png = _qr_png()
    sent = await bot.send_photo(1001, png, caption="Bayar dengan QRIS", filename="qris.png")
    seen = await user.wait_for_photo()
    assert seen.photo == png and seen.caption == "Bayar dengan QRIS"
    upload = emu.calls_to("sendPhoto")[0].params["photo"]
    assert (upload.filename, upload.content_type) == ("qris.png", "image/png")
    file = await bot.get_file(sent.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == png, "a file download (GET) returns the bytes too"


async def test_a_slow_answer_is_a_timeout_unless_the_call_waits_longer_or_without_limit(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.user(1001)
    emu.faults.latency(0.8, methods=["sendMessage"])
    with pytest.raises(TimedOut) as caught:
        await bot.send_message(1001, "Pesanan diterima")
    assert emu.token not in str(caught.value)
    assert (await bot.send_message(1001, "satu", read_timeout=3)).text == "satu"
    assert (await bot.send_message(1001, "dua", read_timeout=None)).text == "dua", "None means no timeout"


async def test_a_full_connection_pool_is_a_timeout_and_the_call_is_not_sent(emu: BotApiEmulator) -> None:
    emu.user(1001)
    emu.faults.latency(0.5, methods=["sendMessage"])
    async with _bot(emu, AiohttpRequest(connection_pool_size=1, pool_timeout=0.1)) as bot:
        first = asyncio.create_task(bot.send_message(1001, "pertama"))
        await eventually(lambda: unanswered_calls(emu, ["sendMessage"]), what="the first call holding the connection")
        with pytest.raises(TimedOut, match="connection pool"):
            await bot.send_message(1001, "kedua")
        assert (await first).text == "pertama"
    assert [call.params["text"] for call in emu.calls_to("sendMessage")] == ["pertama"]


async def test_a_call_that_passes_its_own_pool_timeout_waits_that_long_for_a_connection(emu: BotApiEmulator) -> None:
    emu.user(1001)
    emu.faults.latency(0.5, methods=["sendMessage"])
    async with _bot(emu, AiohttpRequest(connection_pool_size=1, pool_timeout=0.1)) as bot:
        first = asyncio.create_task(bot.send_message(1001, "pertama"))
        async with asyncio.timeout(5):
            while not emu.calls_to("sendMessage"):  # until the first call holds the one connection
                await asyncio.sleep(0.01)
        second = await bot.send_message(1001, "kedua", pool_timeout=5)  # the request's own 0.1 s would time out
        assert (await first).text == "pertama" and second.text == "kedua"
    assert [call.params["text"] for call in emu.calls_to("sendMessage")] == ["pertama", "kedua"]


async def test_a_refused_connection_is_a_network_error_without_the_token(emu: BotApiEmulator) -> None:
    with pytest.raises(NetworkError) as caught:
        async with _bot(emu, AiohttpRequest(), base_url=f"http://127.0.0.1:{_closed_port()}/bot"):
            pass  # starting a Bot calls getMe
    assert type(caught.value) is NetworkError, "a refused connection is retried by RetryingRateLimiter"
    assert "Cannot connect" in str(caught.value) and emu.token not in str(caught.value)
    assert caught.value.__cause__ is None, "the original error (whose text may hold the URL) is not chained"


async def test_an_error_text_that_quotes_the_url_has_the_token_cut_out(emu: BotApiEmulator) -> None:
    with pytest.raises(NetworkError) as caught:
        async with _bot(emu, AiohttpRequest(), base_url="http://127.0.0.1:99999/bot"):
            pass  # an impossible port: aiohttp's error text quotes the whole URL
    assert "127.0.0.1:99999" in str(caught.value) and emu.token not in str(caught.value)


async def test_a_request_object_works_again_after_shutdown(emu: BotApiEmulator) -> None:
    emu.user(1001)
    request = AiohttpRequest()
    for attempt in ("satu", "dua"):
        async with _bot(emu, request) as bot:
            assert (await bot.send_message(1001, attempt)).text == attempt
        await request.shutdown()  # a second shutdown is harmless
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{emu.base_url}{emu.token}/getMe", "POST")


async def _start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the buyer."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Selamat datang")


async def test_an_application_on_aiohttp_polls_answers_and_can_be_started_twice(emu: BotApiEmulator) -> None:
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    user = emu.user(1001)
    for _ in range(2):
        async with running(app):
            await user.send("/start")
            await user.wait_for("Selamat datang")
            await user.wait_idle()
    assert len(user.inbox) == 2
    assert emu.error_counts() == {}
