"""Captions of photo cards: cut at a word to Telegram's 1024 characters, counted as Telegram counts them."""

from __future__ import annotations

from bot.render.buyer_photos import CAPTION_LIMIT, trim_words, visible_length


def test_a_text_that_fits_is_left_alone() -> None:
    assert trim_words("Tas anyaman pandan", 18) == "Tas anyaman pandan"


def test_a_longer_text_is_cut_at_the_last_space_with_an_ellipsis() -> None:
    assert trim_words("Tas anyaman pandan asli Medan", 20) == "Tas anyaman pandan…"
    assert trim_words("Tas anyaman pandan asli Medan", 19) == "Tas anyaman pandan…"
    assert trim_words("Tas anyaman pandan asli Medan", 18) == "Tas anyaman…"


def test_one_word_longer_than_the_room_is_the_only_thing_cut_inside() -> None:
    assert trim_words("Supercalifragilistik", 8) == "Superca…"


def test_emoji_count_twice_as_telegram_counts_utf16() -> None:
    text = "🍞" * 10
    assert visible_length(text) == 20
    cut = trim_words(text, 9)
    assert visible_length(cut) <= 9 and cut.endswith("…")


def test_html_is_measured_after_parsing() -> None:
    assert visible_length("<b>Roti</b> &amp; kopi") == len("Roti & kopi")
    assert CAPTION_LIMIT == 1024
