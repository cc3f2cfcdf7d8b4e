"""Stored files: uploads kept byte for byte, with file ids, paths and photo sizes."""

from __future__ import annotations

import io
import itertools
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import WRONG_FILE, bad_request

_THUMB_SIDE = 90


@dataclass(frozen=True)
class StoredFile:
    """One file the emulator holds, reachable by file_id and by file_path."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def info(self) -> dict[str, Any]:
        """Returns the File object getFile answers."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def photo_size(self) -> dict[str, Any]:
        """Returns the PhotoSize object describing this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "width": self.width,
            "height": self.height,
        }


def image_size(data: bytes) -> tuple[int, int] | None:
    """Reads width and height from a PNG, JPEG or GIF header; None when it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walks JPEG segments up to the first start-of-frame marker."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return None


def _thumbnail(data: bytes) -> tuple[bytes, int, int] | None:
    """Makes a small JPEG preview like Telegram's "s" size; None without Pillow."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow ships with qrcode[pil]
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((_THUMB_SIDE, _THUMB_SIDE))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG")
            return buffer.getvalue(), image.width, image.height
    except (OSError, SyntaxError, ValueError) as exc:  # a valid header over truncated or corrupt pixels
        raise bad_request("IMAGE_PROCESS_FAILED") from exc


class FileStore:
    """Every file uploaded by the bot or by emulated users."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[StoredFile]] = {}
        self._counter = itertools.count(1)

    def add(self, data: bytes, kind: str, *, file_name: str | None = None, mime_type: str | None = None,
            size: tuple[int, int] = (0, 0)) -> StoredFile:
        """Stores bytes under a fresh file_id and file_path."""
        n = next(self._counter)
        suffix = f".{file_name.rsplit('.', 1)[-1]}" if file_name and "." in file_name else ""
        stored = StoredFile(
            file_id=f"{kind[:2].upper()}AC{n:05d}{secrets.token_urlsafe(18)}",
            file_unique_id=f"AQAD{n:05d}{secrets.token_urlsafe(6)}",
            file_path=f"{kind}s/file_{n}{suffix or _extension(data)}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            width=size[0],
            height=size[1],
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def add_photo(self, data: bytes) -> list[StoredFile]:
        """Stores a photo; answers 400 IMAGE_PROCESS_FAILED for bytes that are not an image."""
        size = image_size(data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        sizes = []
        thumb = _thumbnail(data) if max(size) > _THUMB_SIDE else None
        if thumb is not None:
            sizes.append(self.add(thumb[0], "photo", size=(thumb[1], thumb[2])))
        sizes.append(self.add(data, "photo", size=size))
        for stored in sizes:
            self._photo_sets[stored.file_id] = sizes
        return sizes

    def get(self, file_id: str) -> StoredFile:
        """Looks a file up by id or answers 400 "wrong file identifier"."""
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request(WRONG_FILE)
        return stored

    def photo_set(self, file_id: str) -> list[StoredFile]:
        """Returns all sizes of the photo a file_id belongs to (reuse by file_id resends them all)."""
        stored = self.get(file_id)
        return self._photo_sets.get(file_id, [stored])

    def by_path(self, file_path: str) -> StoredFile | None:
        """Looks a file up by the file_path getFile handed out."""
        return self._by_path.get(file_path)


def _extension(data: bytes) -> str:
    """Guesses a file extension from magic bytes."""
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    if data[:4] == b"GIF8":
        return ".gif"
    return ""
