"""One unit of work per update: gates, the route, the handler, a polite refusal, the commit, in that order.

`Pipeline` is the bot's only PTB handler (a TypeHandler for every update). For each update it:
1. lets the gates decide (`gates.admit`: duplicate, flood, sender) inside the update's unit of work;
2. finds the route: a button by its typed action, a command (or `/start` deep link) by name and the sender's role,
   free input by the chat's stored step;
3. checks the role the route needs, runs the handler, and turns a domain error or a stale button into one polite
   answer (an alert on a button, a message after typed input) after rolling the handler's work back;
4. answers a pressed button exactly once, whatever happened, and commits what is left.
Anything else reaches `on_error`, which logs it and apologises.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Message, MessageEntity, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.keyboards import Callback, decode
from bot.render.errors import error_text, refused_text, stale_text
from bot.routing import gates, replies
from bot.routing.actions import Action, Audience, Step, lookup
from bot.routing.context import BotContext, Viewer
from bot.routing.press import Press, Stale
from bot.routing.router import Route, Router
from bot.texts import t
from models.errors import DomainError
from models.services import conversation

log = logging.getLogger(__name__)


def _qualifies(viewer: Viewer, audience: Audience) -> bool:
    """True when the viewer's role reaches the audience."""
    if audience is Audience.MANAGER:
        return viewer.is_manager
    if audience is Audience.STAFF:
        return viewer.is_staff
    return True


def _is_free_input(message: Message) -> bool:
    """Text, a contact, a location, a photo, a file, a sticker or a voice note: what a step may be waiting for."""
    if message.text is not None:
        return not message.text.startswith("/")
    return any(
        (message.contact, message.location, message.photo, message.sticker, message.voice, message.audio,
         message.video, message.document, message.video_note)
    )  # fmt: skip


def _command(message: Message, bot_username: str | None) -> tuple[str, list[str]] | None:
    """(name, arguments) of a command addressed to this bot ("/laporan lalu", "/start@KaryaBot p_X"), else None."""
    text = message.text
    entities = message.entities
    if not text or not entities or entities[0].type != MessageEntity.BOT_COMMAND or entities[0].offset != 0:
        return None
    name, _, addressee = text[1 : entities[0].length].partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None  # a command for another bot in a group
    return name.lower(), text.split()[1:]


class Pipeline:
    """The bot's one handler: runs every update through the gates and the router (see the module docstring)."""

    def __init__(self, router: Router) -> None:
        self.router = router

    async def __call__(self, update: object, context: BotContext) -> None:
        """Processes one update as one unit of work."""
        if not isinstance(update, Update):
            return
        try:
            if await gates.admit(update, context):
                await self._route(update, context)
        except BaseException:
            with contextlib.suppress(Exception):
                await context.rollback()
            raise
        finally:
            await context.close()

    async def _route(self, update: Update, context: BotContext) -> None:
        """Finds the route of the update and runs it (or says why nothing runs)."""
        query = update.callback_query
        if query is not None:
            callback = decode(query.data) or Callback("", ())
            context.current_press = Press(query, callback, before_answer=context.commit)
            await self._press(update, context, callback)
            return
        message = update.effective_message
        if message is None:
            return
        command = _command(message, context.bot.username)
        private = update.effective_chat is not None and update.effective_chat.type == "private"
        if command is not None:
            await self._command(update, context, *command)
        elif private and _is_free_input(message):
            await self._free_input(update, context)

    async def _press(self, update: Update, context: BotContext, callback: Callback) -> None:
        """A button: its action's route, or a polite "no longer valid"."""
        action = lookup(Action, callback.action)
        route = self.router.buttons.get(action) if action is not None else None
        if route is not None:
            await self._run(route, update, context)
            return
        audience = Audience.STAFF if callback.action.startswith("s") else Audience.BUYER
        text = stale_text if _qualifies(context.viewer, audience) else refused_text
        await self._finish_press(context, text(context.lang, audience))

    async def _command(self, update: Update, context: BotContext, name: str, args: list[str]) -> None:
        """A command: a deep link of /start, else the handler for the sender's role; refused or unknown otherwise."""
        context.args = args
        private = update.effective_chat is not None and update.effective_chat.type == "private"
        route: Route | None = None
        if name == "start" and args:
            route = next((r for p, r in self.router.deep_links.items() if args[0].startswith(p)), None)
        refused = None
        if route is None:
            route, refused = self.router.command_for(name, lambda audience: _qualifies(context.viewer, audience))
        if route is not None and (private or not route.private_only):
            await self._run(route, update, context)
        elif refused is not None:
            await replies.say(update, context, refused_text(context.lang, refused.audience))
        else:
            await replies.say(update, context, t(context.lang, "unknown_command"))

    async def _free_input(self, update: Update, context: BotContext) -> None:
        """Typed text, a contact, a photo...: the handler of the chat's step, else (a file from someone the file
        route is for) the file handler, else the idle one."""
        state = await conversation.get_state(context.session, replies.chat_id_of(update))
        step = lookup(Step, state.step)
        route = self.router.steps.get(step) if step is not None else None
        message = update.effective_message
        files = self.router.document
        if route is not None:
            context.step_data = dict(state.data or {})
        elif files is not None and message is not None and message.document is not None:
            route = files if _qualifies(context.viewer, files.audience) else None
        route = route or self.router.idle
        if route is not None:
            await self._run(route, update, context)

    async def _run(self, route: Route, update: Update, context: BotContext) -> None:
        """Runs a handler: role checked, domain errors and stale data refused politely, the press answered once."""
        try:
            if not _qualifies(context.viewer, route.audience):
                await replies.refuse(update, context, refused_text(context.lang, route.audience))
                return
            await route.handler(update, context)
        except Stale:
            await self._refuse(update, context, stale_text(context.lang, route.audience))
        except DomainError as exc:
            log.info("refused (%s): %s %s", route.name, type(exc).__name__, exc.code)
            await self._refuse(update, context, error_text(context.lang, exc, route.audience))
        except BaseException:
            with contextlib.suppress(Exception):  # nothing half done may be committed by the answer below
                await context.rollback()
            raise
        finally:
            if context.current_press is not None and not context.current_press.answered:
                await self._finish_press(context, None)

    async def _refuse(self, update: Update, context: BotContext, text: str) -> None:
        """Rolls the handler's work back and says why nothing happened (the delivery stays recorded)."""
        await context.rollback()
        await gates.record_delivery(update, context)
        await replies.refuse(update, context, text)

    @staticmethod
    async def _finish_press(context: BotContext, text: str | None) -> None:
        """Answers a press that nothing answered (an alert with `text`, or silently); too old a query is no error."""
        assert context.current_press is not None
        try:
            await context.press.answer(text, alert=text is not None)
        except (BadRequest, Forbidden):
            log.info("callback query could not be answered (too old)")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs the failure and tells the user, without leaking details."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("user blocked the bot: %s", error)
        return
    if isinstance(error, BadRequest) and "not modified" in str(error):
        return
    if isinstance(error, RetryAfter | TimedOut) or type(error) is NetworkError:
        # Telegram is flooding us, slow or down: an apology would meet the same fate (or arrive after the answer).
        update_id = update.update_id if isinstance(update, Update) else None
        log.warning("Telegram did not take the answer to update %s: %s: %s", update_id, type(error).__name__, error)
        return
    log.error("unhandled error while processing an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        lang = context.lang if isinstance(context, BotContext) else "id"
        try:
            await context.bot.send_message(update.effective_chat.id, t(lang, "error_generic"))
        except Exception:  # the apology itself failed: nothing more to do than log it
            log.warning("could not send the apology", exc_info=True)
