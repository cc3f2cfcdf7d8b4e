"""Why a picture was refused, in the words of the manager who sent it (the catalogue conversation shows these)."""

from __future__ import annotations

from decimal import Decimal

from bot.texts import Lang, t
from bot.texts.format import decimal, number
from models import errors as e
from models.images import MAX_SIDE, MIN_SIDE

_MB = 1024 * 1024


def _int(value: object) -> int:
    """A detail as an int (0 when missing)."""
    return value if isinstance(value, int) else 0


def _megabytes(size: int, lang: Lang) -> str:
    """Bytes as megabytes with one decimal: "30,2" (id), "30.2" (en)."""
    return decimal(Decimal(size) / _MB, lang)


def photo_error_text(lang: Lang, exc: e.DomainError) -> str | None:
    """The sentence for a refused picture (or too many photos), None for any other error."""
    d = exc.details
    size = {"width": number(_int(d.get("width")), lang), "height": number(_int(d.get("height")), lang)}
    match exc:
        case e.ImageTooBig():
            return t(lang, "mg_err_photo_too_big", size=_megabytes(_int(d.get("size")), lang),
                     limit=number(_int(d.get("limit")) // _MB, lang))
        case e.ImageTooNarrow():
            return t(lang, "mg_err_photo_too_narrow", ratio=number(MAX_SIDE // MIN_SIDE, lang), **size)
        case e.ImageTooSmall():
            return t(lang, "mg_err_photo_too_small", minimum=number(_int(d.get("minimum")), lang), **size)
        case e.ImageTooManyPixels():
            return t(lang, "mg_err_photo_too_many_pixels", megapixels=number(_int(d.get("limit")) // 10**6, lang))
        case e.NotAnImage() if d.get("reason") == "corrupt":
            return t(lang, "mg_err_photo_corrupt")
        case e.NotAnImage() | e.ImageError():
            return t(lang, "mg_err_photo_not_image")
        case e.TooManyPhotos():
            return t(lang, "mg_err_too_many_photos", limit=number(_int(d.get("limit")), lang))
        case e.PhotoAlreadyAdded():
            return t(lang, "mg_err_photo_duplicate", position=number(_int(d.get("position")), lang))
        case _:
            return None
