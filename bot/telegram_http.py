"""Bot API calls over aiohttp: PTB's request interface at a fraction of the CPU httpx spends per call.

PTB's default HTTPXRequest costs about 1 ms of CPU per call (httpx, httpcore, anyio and h11 in pure Python).
`AiohttpRequest` keeps its behaviour: the same default timeouts and how DEFAULT_NONE resolves to them, a
form-encoded body (multipart only when files are uploaded), `TimedOut` for timeouts and an exhausted pool,
`NetworkError` for everything else the network does, and never the bot token (it is in the URL) in an error.
It uses PTB's public request interface only (`telegram.request`): nothing from `telegram._utils`.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import urllib.request
from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlencode

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.keyboards import keep_pressed_keyboard_raw

_FORM = "application/x-www-form-urlencoded"
# aiohttp labels a POST without a body application/octet-stream; httpx (and so Telegram so far) sends no type.
_NO_BODY_HEADERS = frozenset({"Content-Type"})
_POOL_EXHAUSTED = (
    "Pool timeout: all connections in the connection pool are occupied. The request was *not* sent to "
    "Telegram. Consider a larger connection pool or a longer pool timeout."
)
_URL_PATH = re.compile(r"(\w+://[^/\s]+)/\S*")
# Filenames escaped as HTML5 forms (and httpx) do it; aiohttp itself only escapes the backslash.
_FILENAME_ESCAPES = str.maketrans({'"': "%22", **{chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}})


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Certificate checks against httpx's CA bundle (certifi, a dependency of PTB): the same servers as before."""
    return ssl.create_default_context(cafile=certifi.where())


@lru_cache(maxsize=64)
def _client_timeout(connect: float | None, read: float | None, total: float | None) -> aiohttp.ClientTimeout:
    """One ClientTimeout per combination of values, so a call does not build its own."""
    return aiohttp.ClientTimeout(total=total, connect=connect, sock_read=read)


def _without_token(text: str, url: str) -> str:
    """The error text with every URL cut down to its host: the path holds the bot token."""
    path = url.partition("://")[2].partition("/")[2]
    if path:
        text = text.replace(path, "…")
    return _URL_PATH.sub(r"\1/…", text)


def _timeout(given: object, default: float | None) -> float | None:
    """The timeout a caller passed (seconds, or None for no limit), or `default` when it passed none.

    PTB documents `is BaseRequest.DEFAULT_NONE` as the test for "not passed", and every timeout parameter of Bot
    and ExtBot defaults to that one object. (HTTPXRequest tests isinstance of the private DefaultValue class
    instead, which lets the same values through.)
    """
    return default if given is BaseRequest.DEFAULT_NONE else cast("float | None", given)


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """The parameters as form fields and each upload as a file part, as HTTPXRequest sends them."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename.translate(_FILENAME_ESCAPES), content_type=mimetype)
    return form


class AiohttpRequest(BaseRequest):
    """PTB's BaseRequest on one aiohttp session; timeouts default and resolve as in HTTPXRequest."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_on_response",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_slots",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        *,
        on_response: Callable[[int], None] | None = None,
    ) -> None:
        self._on_response = on_response  # told the HTTP status of every answer (the health check's "reached")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(connection_pool_size)

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's parsing of an answer, without the keyboard Telegram echoes in a sent or edited message, and with
        the keyboard of a pressed message (in getUpdates) left unparsed (`keep_pressed_keyboard_raw`).

        The bot built the echoed keyboard and never reads it back from an answer (a pressed keyboard arrives with
        the update instead), and PTB turned it into about a third of the objects it made per update.
        """
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, dict) and "message_id" in result:
            result.pop("reply_markup", None)
        elif isinstance(result, list):  # getUpdates: a pressed message's keyboard is kept, unparsed
            for update in result:
                if isinstance(update, dict):
                    keep_pressed_keyboard_raw(update)
        return data

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call does not pass one."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Opens the session on the running loop (again after a shutdown); does nothing when it is open."""
        if self._session is not None and not self._session.closed:
            return
        # A fresh semaphore: an asyncio primitive stays bound to the loop it first waited on.
        self._slots = asyncio.Semaphore(self._pool_size)
        self._session = aiohttp.ClientSession(
            # The semaphore gives the pool its timeout and message; this limit only backs it up. Idle
            # connections close after 5 s, like httpx's keepalive_expiry.
            connector=aiohttp.TCPConnector(limit=self._pool_size, keepalive_timeout=5.0, ssl=_tls_context()),
            headers={"User-Agent": self.USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets no cookies; a real jar costs time per call
            # HTTPS_PROXY and friends work as with httpx; aiohttp reads them on every call, so only when one is set.
            trust_env=bool(urllib.request.getproxies()),
        )

    async def shutdown(self) -> None:
        """Closes the session and its connections; safe to call twice."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        # Each timeout: seconds, None for no limit, or BaseRequest.DEFAULT_NONE for "not passed". `object`
        # because PTB names that union only in a private module; mypy accepts a wider parameter in an override.
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Makes one call and returns its HTTP status and body; failures raise TimedOut or NetworkError."""
        session = self._session
        if session is None:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        read = _timeout(read_timeout, self._read_timeout)
        connect = _timeout(connect_timeout, self._connect_timeout)
        pool = _timeout(pool_timeout, self._pool_timeout)
        write = _timeout(write_timeout, self._media_write_timeout if files else self._write_timeout)

        body: aiohttp.FormData | aiohttp.BytesPayload | None = None
        total = None
        if request_data is not None and files:
            body = _multipart(request_data)
            # aiohttp has no write timeout and starts sock_read only once the body is sent, so an upload
            # is bounded as a whole. A form body fits the socket buffer: its write never waits.
            if connect is not None and write is not None and read is not None:
                total = connect + write + read
        elif request_data is not None and (params := request_data.json_parameters):
            body = aiohttp.BytesPayload(urlencode(params).encode(), content_type=_FORM)
        timeout = _client_timeout(connect, read, total)

        slots = self._slots
        if slots.locked():
            try:
                async with asyncio.timeout(pool):
                    await slots.acquire()
            except TimeoutError:
                raise TimedOut(_POOL_EXHAUSTED) from None
        else:
            await slots.acquire()  # a free slot: returns at once
        # The original exceptions are dropped (`from None`): their text may hold the URL, hence the token.
        try:
            async with session.request(
                method,
                url,
                data=body,
                timeout=timeout,
                allow_redirects=False,
                skip_auto_headers=None if body is not None else _NO_BODY_HEADERS,
            ) as response:
                content = await response.read()
                if self._on_response is not None:
                    self._on_response(response.status)
                return response.status, content
        except TimeoutError:  # aiohttp's connect and read timeouts are TimeoutErrors too
            raise TimedOut() from None
        except (aiohttp.ClientError, OSError) as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {_without_token(str(exc), url)}") from None
        finally:
            slots.release()
