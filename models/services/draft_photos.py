"""The photos of a product draft: added as the manager sends them (prepared and stored on disk at once), put in
order, taken out; saved with the product (`product_changes.save`)."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import FormOutOfStep, PhotoAlreadyAdded, TooManyPhotos
from models.images import prepare_image_off_loop
from models.media import MediaStore
from models.services import drafts, product_photos
from models.services.photos import MAX_PHOTOS

ARRANGEMENTS = ("remove", "first", "up", "replace")


async def photos_done(session: AsyncSession, actor: int) -> drafts.Prompt:
    """Ends the photos step ("Selesai") and goes on to the review (or back to the list of fields)."""
    draft, data = await drafts.open_draft(session, actor)
    if draft.step != drafts.PHOTOS:
        raise FormOutOfStep()
    data["photos_done"] = True
    drafts.store(draft, data)
    await session.flush()
    return await drafts.prompt_of(session, draft)


async def arrange_photo(session: AsyncSession, actor: int, index: int, how: str) -> drafts.Prompt:
    """Removes a photo of the draft, moves it first or one place earlier, or marks it to be replaced by the next
    photo sent."""
    draft, data = await drafts.open_draft(session, actor)
    photos = data.setdefault("photos", [])
    if draft.step != drafts.PHOTOS or not 0 <= index < len(photos) or how not in ARRANGEMENTS:
        raise FormOutOfStep()
    data.pop("replace", None)
    if how == "replace":
        data["replace"] = index
    else:
        photo = photos.pop(index)
        if how == "first":
            photos.insert(0, photo)
        elif how == "up":
            photos.insert(max(index - 1, 0), photo)
    drafts.store(draft, data, step=drafts.PHOTOS)
    await session.flush()
    return await drafts.prompt_of(session, draft)


async def receive(
    session: AsyncSession, actor: int, data: bytes, file_id: str | None, media: MediaStore
) -> drafts.Prompt:
    """Prepares a photo the manager sent (checked, upright, without metadata), stores its file and adds it to the
    draft, or puts it in place of the photo chosen to be replaced; a second copy of one photo is refused.

    The picture is prepared and written in worker threads before the draft is read, so neither decoding nor the
    disk holds the event loop or the chat's database lock (a refused picture's file stays: files are never deleted).
    """
    prepared = await prepare_image_off_loop(data)
    name = await asyncio.to_thread(media.save, prepared)
    draft, state = await drafts.open_draft(session, actor)
    if draft.step != drafts.PHOTOS:
        raise FormOutOfStep()
    photos = state.setdefault("photos", [])
    replace = state.pop("replace", None)
    replacing = isinstance(replace, int) and 0 <= replace < len(photos)
    if not replacing and len(photos) >= MAX_PHOTOS:
        raise TooManyPhotos(limit=MAX_PHOTOS)
    twin = next((i for i, p in enumerate(photos) if p["hash"] == prepared.content_hash), None)
    if twin is not None and not (replacing and twin == replace):
        raise PhotoAlreadyAdded(position=twin + 1)
    entry = product_photos.new_entry(prepared, name, file_id)
    if replacing:
        photos[int(replace)] = entry
    else:
        photos.append(entry)
    drafts.store(draft, state, step=drafts.PHOTOS)
    await session.flush()
    return await drafts.prompt_of(session, draft)
