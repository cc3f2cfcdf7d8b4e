"""Files people send, downloaded from the Bot API within a size bound.

The size Telegram states for the file is checked before anything is fetched (twice: as sent, and as getFile
answers); the download itself is read in chunks and stopped as soon as it passes the bound, so a file whose size
was not stated, or stated wrongly, never fills memory either. The download URL holds the bot token: it is never
put in an error message.
"""

from __future__ import annotations

import aiohttp
from telegram import Bot
from telegram.error import NetworkError

CHUNK = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=120, sock_connect=10, sock_read=30)


class FileTooLarge(Exception):
    """The file is larger than the caller reads."""


async def download(bot: Bot, file_id: str, stated_size: int | None, limit: int) -> bytes:
    """The bytes of a file sent to the bot, at most `limit` of them; FileTooLarge beyond."""
    if stated_size is not None and stated_size > limit:
        raise FileTooLarge()
    file = await bot.get_file(file_id)
    if file.file_size is not None and file.file_size > limit:
        raise FileTooLarge()
    if not file.file_path:
        raise NetworkError("Telegram gave no download path for the file")
    data = bytearray()
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT, trust_env=True) as http, http.get(file.file_path) as got:
            if got.status != 200:
                raise NetworkError(f"file download failed with HTTP {got.status}")
            async for chunk in got.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise FileTooLarge()
    except (aiohttp.ClientError, TimeoutError):
        raise NetworkError("file download failed") from None  # aiohttp's message would quote the URL (the token)
    return bytes(data)
