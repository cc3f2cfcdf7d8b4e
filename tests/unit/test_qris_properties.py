"""Properties of the QRIS codec over random amounts, bill numbers, garbage and mutated payloads."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from models.qris import SAMPLE_MERCHANT_PAYLOAD, QrisError, describe, parse, to_dynamic, validate
from tests.unit.qris_helpers import STATIC_VECTORS, root_objects, seal, static_payload, tlv

SOURCES = (
    *STATIC_VECTORS,
    SAMPLE_MERCHANT_PAYLOAD,
    static_payload(t62=None),
    static_payload(t54="10000", t55="01", t64=tlv(("00", "ID"), ("01", "TOKO"))),
)
# Tags that a conversion is allowed to change; every other root object must come through untouched.
CHANGED_TAGS = {"01", "54", "55", "56", "57", "62", "63"}

amounts = st.integers(min_value=1, max_value=9_999_999_999_999)
bill_numbers = st.none() | st.from_regex(r"[A-Za-z0-9-]{1,25}", fullmatch=True)


def refuses_only_with_qris_error(call: Callable[[], object]) -> None:
    """Runs `call`; success is fine, and the only exception allowed is QrisError."""
    with contextlib.suppress(QrisError):
        call()


@settings(max_examples=300, deadline=None)
@given(source=st.sampled_from(SOURCES), amount=amounts, bill_number=bill_numbers)
def test_every_conversion_is_a_valid_dynamic_qris_for_the_amount(
    source: str, amount: int, bill_number: str | None
) -> None:
    result = to_dynamic(source, amount, bill_number=bill_number)
    assert [obj.tag for obj in parse(result)] == [obj.tag for obj in validate(result)]
    objects = root_objects(result)
    assert ("01", "12") in objects
    assert [value for tag, value in objects if tag == "54"] == [str(amount)]
    assert result[-4:] == result[-4:].upper() and len(result[-4:]) == 4
    source_objects = root_objects(source)
    assert [o for o in objects if 26 <= int(o[0]) <= 51] == [o for o in source_objects if 26 <= int(o[0]) <= 51]
    assert [o for o in objects if o[0] not in CHANGED_TAGS] == [o for o in source_objects if o[0] not in CHANGED_TAGS]
    info = describe(result)
    assert info.is_dynamic
    assert info.amount == amount
    additional = next(obj for obj in parse(result) if obj.tag == "62") if bill_number else None
    if additional is not None:
        assert additional.children is not None
        assert additional.children[0].tag == "01"
        assert additional.children[0].value == bill_number


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_garbage_is_only_ever_refused_with_qris_error(text: str) -> None:
    refuses_only_with_qris_error(lambda: parse(text))
    refuses_only_with_qris_error(lambda: validate(text))
    refuses_only_with_qris_error(lambda: describe(text))
    refuses_only_with_qris_error(lambda: to_dynamic(text, 25000, bill_number="RB-1"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789ABCDEF .-", max_size=300))
def test_tlv_like_garbage_is_only_ever_refused_with_qris_error(text: str) -> None:
    refuses_only_with_qris_error(lambda: validate(text))
    refuses_only_with_qris_error(lambda: to_dynamic(text, 25000))


@st.composite
def mutations(draw: st.DrawFn) -> str:
    """Draws a valid payload with one to three characters replaced, inserted or deleted."""
    payload = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(payload)))
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        char = draw(st.characters() | st.sampled_from("0123456789"))
        if kind == "replace":
            payload = payload[:position] + char + payload[position + 1 :]
        elif kind == "insert":
            payload = payload[:position] + char + payload[position:]
        else:
            payload = payload[:position] + payload[position + 1 :]
    return payload


@settings(max_examples=400, deadline=None)
@given(payload=mutations(), reseal=st.booleans())
def test_mutated_payloads_are_only_ever_refused_with_qris_error(payload: str, reseal: bool) -> None:
    # Resealing gives the mutation a correct CRC, so the checks behind the CRC get exercised too.
    if reseal and len(payload) > 8:
        payload = seal(payload[:-8])
    refuses_only_with_qris_error(lambda: validate(payload))
    refuses_only_with_qris_error(lambda: describe(payload))
    refuses_only_with_qris_error(lambda: to_dynamic(payload, 25000, bill_number="RB-7K3QX"))


@given(amount=st.floats() | st.text() | st.booleans() | st.decimals() | st.none() | st.integers(max_value=0))
def test_amounts_that_are_not_positive_ints_are_refused(amount: object) -> None:
    try:
        to_dynamic(STATIC_VECTORS[0], amount)  # type: ignore[arg-type]
    except QrisError as error:
        assert "amount must be" in str(error)
    else:
        raise AssertionError(f"accepted amount {amount!r}")
