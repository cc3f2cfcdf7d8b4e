"""A refused picture is explained to the manager who sent it, in their language, with the numbers that matter."""

from __future__ import annotations

import pytest

from bot.render.errors import error_text
from bot.routing.actions import Audience
from models import errors as e
from models.images import MAX_BYTES, MAX_PIXELS, MIN_SIDE

CASES = [
    (e.ImageTooBig(size=31_457_280, limit=MAX_BYTES), "itu 30,0 MB; paling besar 10 MB", "30.0 MB; the most is 10"),
    (e.ImageTooSmall(width=50, height=50, minimum=MIN_SIDE), "(50 × 50 piksel)", "at least 320 pixels"),
    (e.ImageTooNarrow(width=4000, height=400, minimum=MIN_SIDE), "paling banyak 4 kali", "at most 4 times"),
    (e.ImageTooManyPixels(limit=MAX_PIXELS), "lebih dari 50 megapiksel", "more than 50 megapixels"),
    (e.NotAnImage(reason="unknown_format"), "JPEG, PNG atau WebP", "JPEG, PNG or WebP"),
    (e.NotAnImage(reason="corrupt"), "rusak atau terpotong", "damaged or cut off"),
    (e.TooManyPhotos(limit=6), "sudah punya 6 foto", "already has 6 photos"),
    (e.PhotoAlreadyAdded(position=2), "sebagai foto ke-2", "is already photo 2"),
]


@pytest.mark.parametrize(("error", "indonesian", "english"), CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_each_refused_picture_has_its_own_sentence(error: e.DomainError, indonesian: str, english: str) -> None:
    assert indonesian in error_text("id", error, Audience.MANAGER)
    assert english in error_text("en", error, Audience.MANAGER)
