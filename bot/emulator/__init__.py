"""A local stand-in for the Telegram Bot API: the real PTB Application runs against it unchanged.

Typical pytest use (asyncio_mode=auto)::

    @pytest.fixture
    async def emu() -> AsyncIterator[BotApiEmulator]:
        async with BotApiEmulator() as emulator:
            yield emulator

    async def test_start_shows_the_menu(emu: BotApiEmulator) -> None:
        app = (ApplicationBuilder().token(emu.token).base_url(emu.base_url)
               .base_file_url(emu.base_file_url).build())
        app.add_handler(CommandHandler("start", start))
        user = emu.user(1001, "Budi")
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0, timeout=1)
            try:
                await user.send("/start")
                await user.wait_for("Selamat datang")
                await user.press("Katalog")
                await user.wait_idle()
            finally:
                await app.updater.stop()
                await app.stop()

Modules: server (HTTP, call log), wire (request decoding), methods_* (Bot API methods), updates and
webhook (delivery), entities and validation (Telegram's checks), faults and ratelimit, user (the
test-side person), transcript, terminal and qrview (the offline demo), balancer (a round-robin
load balancer in front of several webhook-mode bots, standing in for nginx).
"""

from bot.emulator.chats import Chat, ChatEvent, UserProfile
from bot.emulator.errors import ApiError
from bot.emulator.faults import Faults, FaultStats
from bot.emulator.messages import BotMessage
from bot.emulator.ratelimit import Limits
from bot.emulator.server import BotApiEmulator
from bot.emulator.state import CallRecord
from bot.emulator.update_check import MalformedUpdate
from bot.emulator.user import EmulatedUser

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "BotMessage",
    "CallRecord",
    "Chat",
    "ChatEvent",
    "EmulatedUser",
    "FaultStats",
    "Faults",
    "Limits",
    "MalformedUpdate",
    "UserProfile",
]
