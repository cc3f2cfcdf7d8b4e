"""Photos in the catalogue file: `photos: [paths]` per product, relative to the YAML file, both ways.

Import reads and checks every listed picture first (the same checks as a photo sent in chat,
`models.images.prepare_image`), so a catalogue with one bad picture is refused whole before anything changes. A
product that lists `photos` gets exactly those, in that order (`photos: []` removes them all); a product without
the key keeps the photos it has (added in chat). Export writes each stored file as it is, so exporting and importing
again gives the same pictures, byte for byte.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Product
from models.errors import CatalogueError, ImageError, ImageTooBig, ImageTooManyPixels, ImageTooSmall
from models.images import MAX_BYTES, PreparedImage, prepare_image
from models.media import MediaStore
from models.photo import ProductPhoto
from models.services import photos as photo_service

_SAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class CataloguePhotos:
    """The checked pictures of every product that lists `photos`, by SKU (upper-case), in order."""

    by_sku: dict[str, list[PreparedImage]]


def _why(exc: ImageError) -> str:
    """A refused picture's reason, in the CLI's English."""
    d = exc.details
    if isinstance(exc, ImageTooBig):
        return f"{d.get('size')} bytes, at most {d.get('limit')}"
    if isinstance(exc, ImageTooSmall):
        return f"{d.get('width')} x {d.get('height')} px: the short side needs {d.get('minimum')} px ({exc.code})"
    if isinstance(exc, ImageTooManyPixels):
        return f"more than {d.get('limit')} pixels (refused before decoding)"
    return "not a JPEG, PNG or WebP picture" if d.get("reason") != "corrupt" else "a damaged or cut-off picture"


def _read_one(base: Path, raw: object, where: str, problems: list[str]) -> PreparedImage | None:
    """One listed picture prepared, or None with the problem noted."""
    if not isinstance(raw, str) or not raw.strip():
        problems.append(f"{where}: each entry of 'photos' must be a file path")
        return None
    path = base / raw
    try:
        if path.stat().st_size > MAX_BYTES:
            problems.append(f"{where} '{raw}': {path.stat().st_size} bytes, at most {MAX_BYTES}")
            return None
        return prepare_image(path.read_bytes())
    except OSError as exc:
        problems.append(f"{where} '{raw}': cannot read ({exc.strerror or exc})")
    except ImageError as exc:
        problems.append(f"{where} '{raw}': {_why(exc)}")
    return None


def read_photos(data: dict[str, Any], base: Path) -> CataloguePhotos:
    """Reads and checks the pictures a validated catalogue lists; CatalogueError naming every bad one."""
    problems: list[str] = []
    by_sku: dict[str, list[PreparedImage]] = {}
    for raw in data.get("products") or []:
        if not isinstance(raw, dict) or "photos" not in raw:
            continue
        where = f"SKU {raw.get('sku')}"
        listed = raw["photos"] if raw["photos"] is not None else []
        if not isinstance(listed, list):
            problems.append(f"{where}: 'photos' must be a list of file paths")
            continue
        if len(listed) > photo_service.MAX_PHOTOS:
            problems.append(f"{where}: {len(listed)} photos, at most {photo_service.MAX_PHOTOS}")
            continue
        prepared = [_read_one(base, item, f"{where} photo {n}", problems) for n, item in enumerate(listed, 1)]
        hashes = [p.content_hash for p in prepared if p is not None]
        if len(set(hashes)) != len(hashes):
            problems.append(f"{where}: the same picture is listed twice")
        by_sku[str(raw.get("sku")).upper()] = [p for p in prepared if p is not None]
    if problems:
        raise CatalogueError(problems)
    return CataloguePhotos(by_sku)


async def apply_photos(session: AsyncSession, store: MediaStore, found: CataloguePhotos, *, now: datetime) -> int:
    """Gives each listed product exactly its pictures (stored under MEDIA_DIR); returns how many products changed."""
    changed = 0
    skus = list(found.by_sku)
    products = {p.sku: p for p in await session.scalars(select(Product).where(Product.sku.in_(skus)))}
    for sku, pictures in found.by_sku.items():
        product = products[sku]
        current = await photo_service.photos_of(session, product.id)
        if [p.content_hash for p in current] == [p.content_hash for p in pictures]:
            continue
        for photo in current:
            await photo_service.remove_photo(session, product.id, photo.id)
        for picture in pictures:
            await photo_service.add_photo(session, product.id, picture, store.save(picture), now=now)
        changed += 1
    return changed


async def export_photos(session: AsyncSession, store: MediaStore, folder: Path, yaml_dir: Path) -> dict[str, list[str]]:
    """Copies every product's stored pictures into `folder` as SKU-n.jpg; returns each SKU's paths relative to
    `yaml_dir` (where the YAML that lists them is written)."""
    rows = await session.execute(
        select(Product.sku, ProductPhoto.file_name)
        .join(ProductPhoto, ProductPhoto.product_id == Product.id)
        .order_by(Product.id, ProductPhoto.position, ProductPhoto.id)
    )
    found = list(rows)
    missing = [f"SKU {sku}: photo file {name} is not in MEDIA_DIR ({store.root})" for sku, name in found
               if not store.has(name)]
    if missing:
        raise CatalogueError(missing)
    listed: dict[str, list[str]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for sku, file_name in found:
        paths = listed.setdefault(sku, [])
        target = folder / f"{_SAFE.sub('_', sku)}-{len(paths) + 1}{Path(file_name).suffix}"
        target.write_bytes(store.read(file_name))
        paths.append(Path(os.path.relpath(target, yaml_dir)).as_posix())
    return listed
