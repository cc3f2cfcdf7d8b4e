"""A local stand-in for the Telegram Bot API: the real PTB Application runs against it unchanged."""

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
