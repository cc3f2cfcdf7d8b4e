"""The photos of a product draft: added as the manager sends them (prepared and stored on disk at once), put in
order, taken out; saved with the product (`product_changes.save`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import FieldInvalid, FormOutOfStep
from models.services import drafts

ARRANGEMENTS = ("remove", "first", "up", "replace")

async def add_photo(session: AsyncSession, actor: int, photo: dict[str, Any]) -> drafts.Prompt:
    """Adds a prepared, stored photo to the draft (at most six)."""
    draft, data = await drafts.open_draft(session, actor)
    if draft.step != drafts.PHOTOS:
        raise FormOutOfStep()
    photos = data.setdefault("photos", [])
    if len(photos) >= drafts.MAX_PHOTOS:
        raise FieldInvalid(field="photos", reason="too_many", text="", high=drafts.MAX_PHOTOS)
    photos.append(photo)
    drafts.store(draft, data, step=drafts.PHOTOS)
    await session.flush()
    return await drafts.prompt_of(session, draft)


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
        drafts.store(draft, data, step=drafts.PHOTOS)
        await session.flush()
        return await drafts.prompt_of(session, draft)
    photo = photos.pop(index)
    if how == "first":
        photos.insert(0, photo)
    elif how == "up":
        photos.insert(max(index - 1, 0), photo)
    drafts.store(draft, data, step=drafts.PHOTOS)
    await session.flush()
    return await drafts.prompt_of(session, draft)
