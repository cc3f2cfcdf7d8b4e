"""Product photos: add, replace, remove and reorder a product's pictures, and remember Telegram's file ids per bot.

The picture itself is prepared (`models.images.prepare_image`) and written to disk (`models.media.MediaStore.save`)
by the caller before it calls in here: these functions only keep the rows. Positions stay dense (0, 1, 2...) after
every change, so "photo 2 of 3" always means the second row in (position, id) order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Product
from models.errors import NotFound, PhotoAlreadyAdded, TooManyPhotos
from models.images import PreparedImage
from models.photo import PhotoFileId, ProductPhoto
from models.upsert import insert_for

MAX_PHOTOS = 6

_PHOTOS_OF = (
    select(ProductPhoto)
    .where(ProductPhoto.product_id == bindparam("product_id"))
    .order_by(ProductPhoto.position, ProductPhoto.id)
)
@dataclass(frozen=True)
class GalleryPhoto:
    """A product photo as a screen shows it: its row, and Telegram's file id for this bot when known (read with the
    product itself: `catalogue.product_card`)."""

    photo: ProductPhoto
    file_id: str | None


async def photos_of(session: AsyncSession, product_id: int) -> list[ProductPhoto]:
    """A product's photos in the order buyers page through them."""
    return list(await session.scalars(_PHOTOS_OF, {"product_id": product_id}))


async def first_photos(session: AsyncSession) -> dict[int, ProductPhoto]:
    """The first photo of every product that has one, by product id (the catalogue grid's thumbnails)."""
    return {p.product_id: p for p in await session.scalars(select(ProductPhoto).where(ProductPhoto.position == 0))}


async def _locked_product(session: AsyncSession, product_id: int) -> Product:
    """The product, locked for this transaction on PostgreSQL so two managers' changes to its photos take turns."""
    product = await session.scalar(select(Product).where(Product.id == product_id).with_for_update())
    if product is None:
        raise NotFound(what="product", id=product_id)
    return product


def _renumber(photos: list[ProductPhoto]) -> list[ProductPhoto]:
    """Gives the photos positions 0, 1, 2... in list order."""
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
    return photos


def _find(photos: list[ProductPhoto], photo_id: int, product_id: int) -> ProductPhoto:
    """The product's photo with this id; NotFound for another product's photo (a forged id) or a removed one."""
    for photo in photos:
        if photo.id == photo_id:
            return photo
    raise NotFound(what="photo", id=photo_id, product_id=product_id)


def _refuse_duplicate(photos: list[ProductPhoto], image: PreparedImage, *, besides: int | None = None) -> None:
    """PhotoAlreadyAdded when the same picture is already one of these photos (other than `besides`)."""
    for photo in photos:
        if photo.content_hash == image.content_hash and photo.id != besides:
            raise PhotoAlreadyAdded(position=photo.position + 1, product_id=photo.product_id)


async def add_photo(
    session: AsyncSession, product_id: int, image: PreparedImage, file_name: str, *, now: datetime
) -> ProductPhoto:
    """Adds a stored picture as the product's last photo; TooManyPhotos beyond six, PhotoAlreadyAdded for a twin."""
    await _locked_product(session, product_id)
    photos = _renumber(await photos_of(session, product_id))
    if len(photos) >= MAX_PHOTOS:
        raise TooManyPhotos(limit=MAX_PHOTOS, product_id=product_id)
    _refuse_duplicate(photos, image)
    photo = ProductPhoto(
        product_id=product_id,
        position=len(photos),
        file_name=file_name,
        content_hash=image.content_hash,
        size_bytes=image.size_bytes,
        width=image.width,
        height=image.height,
        created_at=now,
    )
    session.add(photo)
    await session.flush()
    return photo


async def replace_photo(
    session: AsyncSession, product_id: int, photo_id: int, image: PreparedImage, file_name: str, *, now: datetime
) -> ProductPhoto:
    """Puts another picture in a photo's place (same position); the old picture's file ids are forgotten."""
    await _locked_product(session, product_id)
    photos = _renumber(await photos_of(session, product_id))
    photo = _find(photos, photo_id, product_id)
    _refuse_duplicate(photos, image, besides=photo.id)
    if photo.content_hash == image.content_hash:
        return photo
    await session.execute(delete(PhotoFileId).where(PhotoFileId.photo_id == photo.id))
    photo.file_name = file_name
    photo.content_hash = image.content_hash
    photo.size_bytes = image.size_bytes
    photo.width = image.width
    photo.height = image.height
    photo.created_at = now
    await session.flush()
    return photo


async def remove_photo(session: AsyncSession, product_id: int, photo_id: int) -> list[ProductPhoto]:
    """Removes one of the product's photos (its file stays on disk) and returns the rest, renumbered."""
    await _locked_product(session, product_id)
    photos = await photos_of(session, product_id)
    photo = _find(photos, photo_id, product_id)
    await session.delete(photo)
    remaining = _renumber([p for p in photos if p.id != photo.id])
    await session.flush()
    return remaining


async def move_photo(session: AsyncSession, product_id: int, photo_id: int, position: int) -> list[ProductPhoto]:
    """Moves a photo to `position` (0 = the first, shown on the product card; clamped) and returns the new order."""
    await _locked_product(session, product_id)
    photos = await photos_of(session, product_id)
    photo = _find(photos, photo_id, product_id)
    others = [p for p in photos if p.id != photo.id]
    target = min(max(position, 0), len(others))
    ordered = _renumber([*others[:target], photo, *others[target:]])
    await session.flush()
    return ordered


async def cached_file_id(session: AsyncSession, photo_id: int, bot_id: int) -> str | None:
    """Telegram's file id of a photo for this bot, or None when the bot has not sent it yet."""
    cached = await session.get(PhotoFileId, (photo_id, bot_id))
    return cached.file_id if cached is not None else None


async def remember_file_id(session: AsyncSession, photo_id: int, bot_id: int, file_id: str) -> None:
    """Keeps the file id Telegram gave the photo's upload to this bot (two first views at once: the last wins)."""
    if await session.get(ProductPhoto, photo_id) is None:
        return  # removed or replaced while it was being sent: nothing to remember it for
    values = {"photo_id": photo_id, "bot_id": bot_id, "file_id": file_id}
    keys = ["photo_id", "bot_id"]
    upsert = insert_for(session.get_bind().dialect.name, PhotoFileId).values(**values)
    await session.execute(upsert.on_conflict_do_update(index_elements=keys, set_={"file_id": file_id}))
