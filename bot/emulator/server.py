"""BotApiEmulator: an aiohttp server on loopback that speaks the Telegram Bot API wire protocol."""

from __future__ import annotations

import time
from collections import Counter
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.emulator import methods_bot, methods_edit, methods_send, methods_updates
from bot.emulator.chats import Chat, UserProfile
from bot.emulator.commands import resolve, scope_key
from bot.emulator.errors import ApiError, not_found, unauthorized
from bot.emulator.faults import Faults
from bot.emulator.state import BotState, Call, CallRecord, Handler
from bot.emulator.user import EmulatedUser
from bot.emulator.wire import read_params

_HANDLERS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for module in (methods_send, methods_edit, methods_bot, methods_updates)
    for name, handler in module.HANDLERS.items()
}
_NGINX_PAGE = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>"
    "\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)


def _error_response(error: ApiError) -> web.Response:
    """Renders an error: JSON like the Bot API, or nginx's HTML page for gateway errors."""
    if error.code in (502, 503, 504):
        page = _NGINX_PAGE.format(code=error.code, reason=error.description)
        return web.Response(status=error.code, text=page, content_type="text/html")
    return web.json_response(error.to_payload(), status=error.code)


class BotApiEmulator:
    """A local Telegram: point ApplicationBuilder().base_url/base_file_url at it."""

    def __init__(self, token: str = "123456:TEST", bot_username: str = "KaryaBinaanBot", *,
                 host: str = "127.0.0.1", port: int = 0, bot_name: str = "Karya Binaan") -> None:
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456
        self.state = BotState(token, UserProfile(bot_id, bot_name, username=bot_username, is_bot=True))
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._users: dict[int, EmulatedUser] = {}

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Starts listening; port 0 picks a free port."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{tail:.*}", self._api)
        app.router.add_route("GET", "/file/bot{tail:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Ends long polls and webhook delivery, then stops the server."""
        self.state.updates.closing = True
        self.state.updates.wake()
        await self.state.webhook.delete()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    # -- addresses and views -----------------------------------------------------------------------

    @property
    def token(self) -> str:
        """The one token this emulator accepts."""
        return self.state.token

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(): PTB appends the token."""
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(): PTB appends the token."""
        return f"http://{self._host}:{self._port}/file/bot"

    @property
    def faults(self) -> Faults:
        """Fault switches: block, flood, server_errors, latency, rate_limit."""
        return self.state.faults

    @property
    def calls(self) -> list[CallRecord]:
        """Every call the bot made, in arrival order."""
        return self.state.calls

    def calls_to(self, method: str) -> list[CallRecord]:
        """The calls of one method (case-insensitive)."""
        return [c for c in self.state.calls if c.method.lower() == method.lower()]

    def error_counts(self) -> Counter[int]:
        """How many calls ended with each error code."""
        return Counter(c.error.code for c in self.state.calls if c.error is not None)

    # -- test-side world ---------------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Budi", *, last_name: str | None = None,
             username: str | None = None, language_code: str | None = "id",
             phone_number: str = "+6281234567890") -> EmulatedUser:
        """A user in a private chat with the bot (chat id = user id); the same id gives the same user."""
        if user_id not in self._users:
            profile = UserProfile(user_id, first_name, last_name, username, language_code)
            chat = self.state.chats.setdefault(user_id, Chat(user_id, "private", owner=profile))
            self._users[user_id] = EmulatedUser(self.state, profile, chat, phone_number=phone_number)
        return self._users[user_id]

    def group(self, chat_id: int, title: str, *, type: str = "supergroup", username: str | None = None) -> Chat:
        """A group the bot is a member of; members talk in it through user.in_group(group)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative on Telegram")
        return self.state.chats.setdefault(chat_id, Chat(chat_id, type, title=title, username=username))

    def push_update(self, update: dict[str, Any]) -> int:
        """Validates and queues an update without update_id; returns the assigned id."""
        return self.state.push_update({k: v for k, v in update.items() if k != "update_id"})

    def push_raw_update(self, update: dict[str, Any]) -> int:
        """Queues an update as given, update_id included (duplicate delivery); still validated."""
        return self.state.push_update(update)

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, Any]]:
        """The command list set for exactly this scope and language."""
        return self.state.commands.get((scope_key(scope), language_code), [])

    def visible_commands(self, scopes: list[tuple[str, int | None, int | None]],
                         language_code: str | None) -> list[dict[str, Any]]:
        """The command menu Telegram would show for these scopes, most specific first."""
        return resolve(self.state.commands, scopes, language_code)

    # -- HTTP --------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        """Handles /bot<token>/<method>: auth, lookup, faults, handler, call log."""
        token, _, method = request.match_info["tail"].partition("/")
        record = CallRecord(method=method, params={}, time=time.time())
        self.state.calls.append(record)
        started = time.monotonic()
        try:
            if token != self.state.token:
                raise unauthorized()
            params = await read_params(request)
            record.params = params.logged()
            name, handler = _HANDLERS.get(method.lower(), (method, None))
            record.method = name
            if handler is None:
                raise not_found()
            await self.state.faults.before_call(method.lower())
            transport = request.transport

            def gone() -> bool:
                """Tells whether the client closed the connection (an abandoned long poll)."""
                return transport is None or transport.is_closing()

            result = await handler(Call(self.state, params, method.lower(), gone))
            record.result = result
            return web.json_response({"ok": True, "result": result})
        except ApiError as error:
            record.error = error
            return _error_response(error)
        finally:
            record.duration = time.monotonic() - started
            chat_id = record.params.get("chat_id")
            chat = self.state.chats.get(chat_id) if isinstance(chat_id, int) else None
            if chat is not None:
                chat.touch()

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """Handles /file/bot<token>/<file_path>: the stored bytes, byte for byte."""
        token, _, path = request.match_info["tail"].partition("/")
        if token != self.state.token:
            return _error_response(unauthorized())
        stored = self.state.files.by_path(path)
        if stored is None:
            return _error_response(not_found())
        return web.Response(body=stored.data, content_type="application/octet-stream")
