"""Order codes, pickup codes and invite tokens."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.codes import (
    ORDER_ALPHABET,
    new_order_code,
    new_pickup_code,
    new_token,
    normalize_order_code,
)

CODE_RE = re.compile(r"^KB-[23456789BCDFGHJKMNPQRSTVWXYZ]{6}$")


def test_an_order_code_is_kb_dash_and_six_unambiguous_characters() -> None:
    assert CODE_RE.match(new_order_code())


def test_the_alphabet_has_no_confusable_characters_or_vowels() -> None:
    assert not set("0O1IL") & set(ORDER_ALPHABET)
    assert not set("AEIOU") & set(ORDER_ALPHABET)
    assert len(set(ORDER_ALPHABET)) == len(ORDER_ALPHABET) == 28


def test_ten_thousand_codes_do_not_collide() -> None:
    # Seeded so the test is deterministic: with 28**6 codes a random 10k draw repeats one about 1 time in 10,
    # which is why the database keeps order codes unique and the service draws again on a clash.
    rng = random.Random(20261128)
    codes = {new_order_code(rng) for _ in range(10_000)}
    assert len(codes) == 10_000


def test_codes_drawn_with_secrets_are_spread_over_the_whole_alphabet() -> None:
    codes = [new_order_code() for _ in range(2_000)]
    assert set("".join(code[3:] for code in codes)) == set(ORDER_ALPHABET)
    assert len(set(codes)) >= 1_990


def test_a_seeded_rng_gives_reproducible_codes() -> None:
    assert new_order_code(random.Random(7)) == new_order_code(random.Random(7))
    assert CODE_RE.match(new_order_code(random.Random(7)))


@pytest.mark.parametrize(
    "text",
    [
        "KB-7GQ2XM",
        "kb-7gq2xm",
        "  KB-7GQ2XM ",
        "7GQ2XM",
        "7gq2xm",
        "KB 7GQ2XM",
        "kb7gq2xm",
        "#KB-7GQ2XM",
        "7GQ-2XM",
    ],
)
def test_typed_order_codes_are_normalised(text: str) -> None:
    assert normalize_order_code(text) == "KB-7GQ2XM"


def test_a_code_whose_body_starts_with_kb_keeps_it() -> None:
    assert normalize_order_code("KBKB2X") == "KB-KBKB2X"
    assert normalize_order_code("KB-KBKB2X") == "KB-KBKB2X"


@pytest.mark.parametrize(
    "text", ["", "KB-", "KB-7GQ2X", "KB-7GQ2XMM", "KB-7GQ2X0", "KB-7GQ2XO", "KB-IL1ABC", "halo!!"]
)
def test_impossible_codes_give_none_rather_than_a_guess(text: str) -> None:
    assert normalize_order_code(text) is None


@given(st.randoms(use_true_random=False))
def test_every_new_code_normalises_to_itself(rng: random.Random) -> None:
    code = new_order_code(rng)
    assert normalize_order_code(code) == code
    assert normalize_order_code(code.lower().removeprefix("kb-")) == code


def test_a_pickup_code_is_four_digits() -> None:
    for _ in range(200):
        code = new_pickup_code()
        assert len(code) == 4 and code.isdigit()


def test_pickup_codes_keep_leading_zeros() -> None:
    class Zero(random.Random):
        def randrange(self, *_: object, **__: object) -> int:
            return 42

    assert new_pickup_code(Zero()) == "0042"


def test_an_invite_token_is_url_safe_and_short_enough() -> None:
    token = new_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token)
    assert len(new_token(48)) <= 64
    assert new_token() != new_token()


def test_an_invite_token_size_outside_bounds_is_refused() -> None:
    with pytest.raises(ValueError):
        new_token(4)
    with pytest.raises(ValueError):
        new_token(49)
