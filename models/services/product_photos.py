"""A product's photos as a draft holds them: read when a change begins, written back when it is saved.

A draft keeps each photo as a small JSON entry: the stored file (named by content hash, `models.media`), its size
in pixels and bytes, Telegram's file id of the manager's upload (to show the review without uploading again) and,
for a photo the product already has, its row id. Saving makes the product's photo rows match the list: photos
left out are removed, new ones added, and all put in the list's order (`models.services.photos`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.images import PreparedImage
from models.media import MediaStore
from models.photo import ProductPhoto
from models.services import photos as photo_service


def entry_of(photo: ProductPhoto, file_id: str | None = None) -> dict[str, Any]:
    """A stored photo as a draft entry."""
    return {"id": photo.id, "file": photo.file_name, "hash": photo.content_hash, "size": photo.size_bytes,
            "width": photo.width, "height": photo.height, "file_id": file_id}


def new_entry(prepared: PreparedImage, file_name: str, file_id: str | None) -> dict[str, Any]:
    """A photo just sent (prepared and stored) as a draft entry."""
    return {"file": file_name, "hash": prepared.content_hash, "size": prepared.size_bytes, "width": prepared.width,
            "height": prepared.height, "format": prepared.format, "file_id": file_id}


def transient_photo(entry: dict[str, Any], product_id: int, position: int) -> ProductPhoto:
    """A draft entry as a photo row that is not stored (what the buyer's renderer draws in the review)."""
    return ProductPhoto(id=entry.get("id"), product_id=product_id, position=position, file_name=entry["file"],
                        content_hash=entry["hash"], size_bytes=entry["size"], width=entry["width"],
                        height=entry["height"])


async def current_photos(session: AsyncSession, product_id: int) -> list[dict[str, Any]]:
    """The product's photos in order, as draft entries."""
    return [entry_of(p) for p in await photo_service.photos_of(session, product_id)]


def _prepared(entry: dict[str, Any], media: MediaStore) -> PreparedImage:
    """The stored picture of a new entry, as the photo service takes it."""
    return PreparedImage(media.read(entry["file"]), entry["hash"], entry["width"], entry["height"],
                         str(entry.get("format") or ("png" if entry["file"].endswith(".png") else "jpeg")))


async def sync(
    session: AsyncSession, product_id: int, entries: list[dict[str, Any]], media: MediaStore, *, now: datetime
) -> list[str]:
    """Makes the product's photos the draft's list (removed, added, put in order); says what changed."""
    before = await photo_service.photos_of(session, product_id)
    kept = {e["id"] for e in entries if e.get("id") is not None}
    done: list[str] = []
    for photo in before:
        if photo.id not in kept:
            await photo_service.remove_photo(session, product_id, photo.id)
            done.append("removed")
    ids: list[int] = []
    for entry in entries:
        if entry.get("id") is None:
            added = await photo_service.add_photo(session, product_id, _prepared(entry, media), entry["file"], now=now)
            entry["id"] = added.id
            done.append("added")
        ids.append(int(entry["id"]))
    order = [p.id for p in await photo_service.photos_of(session, product_id)]
    if order != ids:
        for position, photo_id in enumerate(ids):
            await photo_service.move_photo(session, product_id, photo_id, position)
        if "added" not in done or order[: len(before)] != ids[: len(before)]:
            done.append("moved")
    return done
