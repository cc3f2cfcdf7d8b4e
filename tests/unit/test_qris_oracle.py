"""Differential test: our static-to-dynamic conversion against qriskit, an independent implementation.

qriskit's `to_dynamic(amount)` removes 54-57, sets 01 in place, inserts 54 before the first greater
root tag (before 63) and reseals, which is the same rule as ours, so full strings are compared.
Its `reference=` argument writes 62.05 (reference label), not the bill number 62.01; the documented
way to set 62.01 is `with_tag("62.01", ...)`, which replaces 62 in place, inserts the sub-object in
tag order and creates a missing 62 before 63, as we do. So that route is compared too.
"""

from __future__ import annotations

import random
import string

import pytest
import qriskit

from models.qris import SAMPLE_MERCHANT_PAYLOAD, QrisError, to_dynamic
from tests.unit.qris_helpers import STATIC_VECTORS, static_payload

BASES = (*STATIC_VECTORS, SAMPLE_MERCHANT_PAYLOAD, static_payload(t62=None))
BASE_IDS = ["vector", "without-51-61", "non-ascii", "sample", "no-62"]
AMOUNTS_PER_BASE = 10_000
BILL_ALPHABET = string.ascii_letters + string.digits + "-"


def random_amount(rng: random.Random) -> int:
    """Draws an amount whose number of digits is uniform, so short and long amounts are both common."""
    digits = rng.randint(1, 13)
    return rng.randint(10 ** (digits - 1), 10**digits - 1)


@pytest.mark.parametrize("base", STATIC_VECTORS, ids=BASE_IDS[:3])
def test_matches_qriskit_for_ten_thousand_random_amounts(base: str) -> None:
    rng = random.Random(f"qris-oracle-{base[-4:]}")
    oracle = qriskit.parse(base)
    for _ in range(AMOUNTS_PER_BASE):
        amount = random_amount(rng) if rng.random() < 0.5 else rng.randint(1, 9_999_999_999_999)
        assert to_dynamic(base, amount) == oracle.to_dynamic(amount).dumps(), amount


@pytest.mark.parametrize("base", BASES, ids=BASE_IDS)
def test_matches_qriskit_when_setting_a_bill_number(base: str) -> None:
    rng = random.Random(f"qris-oracle-bill-{base[-4:]}")
    oracle = qriskit.parse(base)
    for _ in range(1_000):
        amount = random_amount(rng)
        bill = "".join(rng.choices(BILL_ALPHABET, k=rng.randint(1, 25)))
        expected = oracle.to_dynamic(amount).with_tag("62.01", bill).dumps()
        assert to_dynamic(base, amount, bill_number=bill) == expected, (amount, bill)


def test_our_conversion_validates_under_qriskit() -> None:
    result = to_dynamic(SAMPLE_MERCHANT_PAYLOAD, 28500, bill_number="RB-7K3QX")
    assert [issue for issue in qriskit.validate(result) if issue.severity == "error"] == []


def test_refuses_sources_that_qriskit_would_convert() -> None:
    # qriskit's to_dynamic only insists on an intact CRC; as a QRIS source we refuse more.
    dynamic = to_dynamic(STATIC_VECTORS[0], 7000)
    assert qriskit.parse(dynamic).to_dynamic(8000).is_dynamic
    with pytest.raises(QrisError, match="already a dynamic"):
        to_dynamic(dynamic, 8000)
    foreign = static_payload(t53="702", t58="SG")
    assert qriskit.parse(foreign).to_dynamic(8000).is_dynamic
    with pytest.raises(QrisError, match="not an Indonesian QRIS"):
        to_dynamic(foreign, 8000)
