"""The QR module matrix: the data placed once, and the best of its eight masks applied, as qrcode would.

qrcode picks the data mask by drawing the symbol eight times (once per mask) and scoring each with ISO 18004's
four penalty rules in pure Python: most of what a payment code cost in bench 6. Here the symbol is drawn once,
under mask 0 with blank format bits (qrcode's own trial drawing), from qrcode's segments with the codewords of
bot/render/qr_codewords.py placed by bot/render/qr_placement.py. Every other trial differs from that one by a
fixed set of data modules, and every final symbol from its trial by its fixed format and version bits: both
depend on the version alone, so they are learnt once per version by letting qrcode draw all sixteen. The same four
rules, evaluated over whole-matrix bit sets, pick the same mask with the same tie-break, and the final symbol is
the trial with two known sets of modules flipped. tests/unit/test_qr_matrix.py checks the result against qrcode's
own, module for module, in every version and for every mask.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from bot.render.qr_codewords import codewords, fit_version
from bot.render.qr_placement import placement

__all__ = ["qr_rows"]

_MASKS = range(8)
# The finder-like 1:1:3:1:1 run with four light modules on one side, as qrcode's rule 3 spells it.
_FINDER_LIKE = ("10111010000", "00001011101")
_TO_BIT_CHARS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_BIT_CHARS = bytes.maketrans(b"01", b"\x00\x01")


@dataclass(frozen=True)
class _Packed:
    """A square matrix as two integers (row-major and column-major), one bit per module.

    Each line is followed by one always-zero guard bit, so runs and windows never wrap into the next line.
    """

    rows: int
    cols: int

    @classmethod
    def of(cls, modules: Sequence[Sequence[bool | None]]) -> _Packed:
        """Packs qrcode's `modules` (True = dark) row by row and column by column."""
        size = len(modules)
        # One 0/1 byte per module, row after row; column c is then every size-th byte from c.
        flat = bytes(map(bool, itertools.chain.from_iterable(modules)))
        rows = _pack([flat[start : start + size] for start in range(0, size * size, size)])
        return cls(rows, _pack([flat[column::size] for column in range(size)]))

    def __xor__(self, other: _Packed) -> _Packed:
        """The modules that differ between the two matrices."""
        return _Packed(self.rows ^ other.rows, self.cols ^ other.cols)


@dataclass(frozen=True)
class _Masks:
    """For one version: what mask k flips in the mask-0 trial, and what its format bits add to its trial."""

    flips: list[_Packed]
    format_bits: list[int]
    on_board: int  # every module bit set, guard bits clear: XOR with it swaps dark and light


# (version, error correction) -> its masks, learnt from qrcode on first use.
_masks_by_version: dict[tuple[int, int], _Masks] = {}


def qr_rows(payload: str) -> list[bytes]:
    """The module matrix qrcode makes for `payload` at error correction M: rows of 0/1 bytes, 1 = dark, no border."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(payload)  # split into numeric, alphanumeric and byte chunks, as qrcode.make does
    # What best_fit and util.create_data would compute, computed faster (bot/render/qr_codewords.py); makeImpl
    # places the codewords it is given instead of computing its own.
    code.version = fit_version(code.data_list, code.error_correction)
    code.data_cache = codewords(code.data_list, code.version, code.error_correction)
    # qrcode's own trial drawing (what its best_mask_pattern scores): mask 0, format and version bits light,
    # placed by a walk learnt once per version (bot/render/qr_placement.py) instead of makeImpl's.
    layout = placement(code.version)
    trial = _Packed(*layout.trial(code.data_cache))
    masks = _masks_by_version.get((code.version, code.error_correction)) or _learn_masks(code, trial)
    size = layout.size
    scores = [_penalty(trial ^ flip, size, masks.on_board) for flip in masks.flips]
    best = min(_MASKS, key=scores.__getitem__)
    return _unpack(trial.rows ^ masks.flips[best].rows ^ masks.format_bits[best], size)


def _learn_masks(code: qrcode.QRCode, trial: _Packed) -> _Masks:
    """Lets qrcode draw this version under all eight masks, as trials and as finals, and keeps the differences.

    Trials differ from each other on data modules only (function patterns are fixed and trial format bits are
    all light), and a final from its trial only in format and version bits, so neither depends on the payload.
    """
    flips, format_bits = [], []
    for mask in _MASKS:
        code.makeImpl(True, mask)
        masked = _Packed.of(code.modules)
        code.makeImpl(False, mask)
        flips.append(masked ^ trial)
        format_bits.append((_Packed.of(code.modules) ^ masked).rows)
    size = code.modules_count
    masks = _Masks(flips, format_bits, int(("0" + "1" * size) * size, 2))
    _masks_by_version[(code.version, code.error_correction)] = masks
    return masks


def _pack(lines: Sequence[bytes]) -> int:
    """Packs lines of 0/1 bytes into one integer: module j of line i is bit i * (size + 1) + j."""
    text = b"\x00".join(lines).translate(_TO_BIT_CHARS)
    # The joins leave a zero guard bit after each line but the last, where the integer simply ends.
    return int(text[::-1], 2)


def _unpack(rows: int, size: int) -> list[bytes]:
    """The packed matrix back as rows of 0/1 bytes."""
    stride = size + 1
    bits = format(rows, f"0{stride * size}b")[::-1].encode().translate(_FROM_BIT_CHARS)
    return [bits[start : start + size] for start in range(0, stride * size, stride)]


def _penalty(matrix: _Packed, size: int, on_board: int) -> int:
    """qrcode's lost_point (ISO 18004 rules N1 to N4) of a packed matrix, computed on bit sets."""
    rows, cols = matrix.rows, matrix.cols
    light_rows, light_cols = rows ^ on_board, cols ^ on_board
    score = _runs_and_finders(rows, light_rows) + _runs_and_finders(cols, light_cols)
    score += 3 * (_squares(rows, size + 1) + _squares(light_rows, size + 1))
    percent = float(rows.bit_count()) / (size**2)
    # Same float arithmetic as qrcode, so a borderline ratio rounds the same way.
    return score + int(abs(percent * 100 - 50) / 5) * 10


def _runs_and_finders(dark: int, light: int) -> int:
    """Rules N1 (runs of five or more, length - 2 each) and N3 (finder-like patterns, 40 each) along lines."""
    dark_at = [dark >> i for i in range(11)]
    light_at = [light >> i for i in range(11)]
    score = 0
    for shifted in (dark_at, light_at):
        # Bit p: modules p..p+4 all of this colour; a run of length L >= 5 sets L - 4 such bits.
        five = shifted[0] & shifted[1] & shifted[2] & shifted[3] & shifted[4]
        run_starts = five & ~(five << 1)
        score += five.bit_count() + 2 * run_starts.bit_count()
    for pattern in _FINDER_LIKE:
        found = -1
        for i, char in enumerate(pattern):
            found &= dark_at[i] if char == "1" else light_at[i]
        score += 40 * found.bit_count()
    return score


def _squares(colour: int, stride: int) -> int:
    """Rule N2: the number of 2x2 blocks of this colour."""
    pairs = colour & (colour >> 1)
    return (pairs & (pairs >> stride)).bit_count()
