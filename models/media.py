"""The photo files on disk (MEDIA_DIR): one file per picture, named by the sha256 of its bytes.

Naming by content makes saving idempotent (the same picture twice is one file), lets two products share a file,
and makes a file name impossible to forge into a path: only 64 hex digits and a known extension are accepted.
Files are written to a temporary name and renamed, so a crash never leaves half a picture under a real name.
The bot never deletes a file: a restored database backup may still point at it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from models.images import PreparedImage

_NAME = re.compile(r"^[0-9a-f]{64}\.(jpg|png)$")


class MediaStore:
    """Photo files under one folder, by content hash."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def name_of(prepared: PreparedImage) -> str:
        """The file name a prepared picture is kept under: its hash and extension."""
        return prepared.content_hash + prepared.extension

    def save(self, prepared: PreparedImage) -> str:
        """Writes the picture (once; again is a no-op) and returns its file name."""
        name = self.name_of(prepared)
        target = self.path(name)
        if target.exists() and target.stat().st_size == prepared.size_bytes:
            return name
        self.root.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=self.root)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(prepared.data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    def path(self, name: str) -> Path:
        """Where a stored picture lives; ValueError for a name that is not a content hash (a forged or broken row)."""
        if not _NAME.match(name):
            raise ValueError(f"not a media file name: {name!r}")
        return self.root / name

    def read(self, name: str) -> bytes:
        """The bytes of a stored picture (FileNotFoundError when the file is gone)."""
        return self.path(name).read_bytes()

    def has(self, name: str) -> bool:
        """True when the picture's file is on disk."""
        return self.path(name).is_file()
