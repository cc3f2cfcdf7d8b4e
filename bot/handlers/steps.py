"""One router for free input (text, contact, location, photo): it asks the chat's stored step who answers.

Buyer and staff modules register their step handlers by name ("buyer.quantity", "staff.cancel_reason");
a step's handler receives the update, the context and the data stored with the step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.handlers.common import services
from models.services import conversation

StepHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, dict[str, Any]], Awaitable[None]]
IdleHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]

_STEPS: dict[str, StepHandler] = {}
_IDLE: list[IdleHandler] = []


def step(name: str) -> Callable[[StepHandler], StepHandler]:
    """Registers the handler of a named step (decorator)."""

    def _register(func: StepHandler) -> StepHandler:
        if name in _STEPS and _STEPS[name] is not func:
            raise RuntimeError(f"step {name!r} registered twice")
        _STEPS[name] = func
        return func

    return _register


def on_idle(func: IdleHandler) -> IdleHandler:
    """Registers what answers free input when no step is waiting (the last one registered wins)."""
    _IDLE.append(func)
    return func


async def route(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends free input to the handler of the chat's current step, or to the idle handler."""
    chat = update.effective_chat
    if chat is None:
        return
    async with services(context).session_factory() as session:
        state = await conversation.get_state(session, chat.id)
        name, data = state.step, dict(state.data or {})
    handler = _STEPS.get(name)
    if handler is not None:
        await handler(update, context, data)
    elif _IDLE:
        await _IDLE[-1](update, context)


FREE_INPUT = (
    (filters.TEXT & ~filters.COMMAND)
    | filters.CONTACT
    | filters.LOCATION
    | filters.PHOTO
    | filters.Sticker.ALL
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.Document.ALL
    | filters.VIDEO_NOTE
)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the router after the command handlers (group 0, registered last)."""
    application.add_handler(MessageHandler(FREE_INPUT & filters.ChatType.PRIVATE, route))
