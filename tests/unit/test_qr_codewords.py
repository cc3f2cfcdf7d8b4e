"""The payment code's version and codewords are exactly what qrcode computes on its own.

bot/render/qr_codewords.py reimplements qrcode's `best_fit` and `util.create_data` (bits in one integer, Reed-Solomon
with log tables): these tests are the contract, on the payment codes and on texts of every version and mode.
"""

from __future__ import annotations

import pytest
import qrcode
from qrcode import util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from bot.render.qr_codewords import codewords, fit_version
from tests.unit.test_qr_matrix import other_payloads, payment_payloads

LEVELS = [ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H]


def _segments(payload: str) -> list[util.QRData]:
    """qrcode's own split of a text into numeric, alphanumeric and byte segments."""
    code = qrcode.QRCode()
    code.add_data(payload)
    return list(code.data_list)


def _qrcode_version(payload: str, level: int) -> int:
    """The version qrcode's best_fit chooses."""
    code = qrcode.QRCode(error_correction=level)
    code.add_data(payload)
    return int(code.best_fit())


@pytest.mark.parametrize("payload", payment_payloads())
def test_a_payment_code_gets_qrcodes_version_and_codewords(payload: str) -> None:
    """What the bot prints every day: same version, same bytes in the same order."""
    segments = _segments(payload)
    version = fit_version(segments, ERROR_CORRECT_M)
    assert version == _qrcode_version(payload, ERROR_CORRECT_M)
    assert codewords(segments, version, ERROR_CORRECT_M) == util.create_data(version, ERROR_CORRECT_M, segments)


def test_texts_of_every_version_and_error_correction_level_get_qrcodes_version_and_codewords() -> None:
    """Numeric, alphanumeric and byte segments, versions 1 to 40, levels L, M, Q and H."""
    versions = set()
    for payload in other_payloads():
        segments = _segments(payload)
        for level in LEVELS:
            try:
                expected = _qrcode_version(payload, level)
            except (qrcode.exceptions.DataOverflowError, ValueError):  # qrcode 8 says "Invalid version (was 41)"
                with pytest.raises(qrcode.exceptions.DataOverflowError):
                    fit_version(segments, level)
                continue
            version = fit_version(segments, level)
            assert version == expected, (payload, level)
            assert codewords(segments, version, level) == util.create_data(version, level, segments), (payload, level)
            versions.add(version)
    assert min(versions) == 1 and max(versions) == 40


def test_data_too_long_for_the_version_is_refused_as_qrcode_refuses_it() -> None:
    """A version chosen by hand that cannot hold the data: qrcode's DataOverflowError, not a silent cut."""
    segments = _segments("x" * 100)
    with pytest.raises(qrcode.exceptions.DataOverflowError):
        codewords(segments, 1, ERROR_CORRECT_M)
