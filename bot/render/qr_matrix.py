"""The QR module matrix: qrcode's own encoding, with its mask chosen from one trial matrix instead of eight.

qrcode picks the data mask by drawing the symbol eight times (once per mask) and scoring each with ISO 18004's
four penalty rules in pure Python: about 7 of the 8 ms a payment code used to take. The score of mask k differs
from mask 0's only where the two masks differ on data modules, and that set depends on the version alone. So one
trial matrix, the per-version flip sets (learnt once, from qrcode itself) and the same four rules evaluated over
whole-matrix bit sets choose the same mask, with the same tie-break; qrcode then draws the final symbol as usual.
"""

from __future__ import annotations

from collections.abc import Sequence

import qrcode
from qrcode.constants import ERROR_CORRECT_M

__all__ = ["qr_modules"]

_MASKS = range(8)
# The finder-like 1:1:3:1:1 run with four light modules on one side, as qrcode's rule 3 spells it.
_FINDER_LIKE = ("10111010000", "00001011101")
_TO_BIT_CHARS = bytes.maketrans(b"\x00\x01", b"01")


class _Packed:
    """A square matrix as two integers (row-major and column-major), one bit per module.

    Each line is followed by one always-zero guard bit, so runs and windows never wrap into the next line.
    """

    __slots__ = ("cols", "rows")

    def __init__(self, modules: Sequence[Sequence[bool | None]]) -> None:
        """Packs `modules` (True = dark) row by row and column by column."""
        self.rows = _pack(modules)
        self.cols = _pack(list(zip(*modules, strict=True)))


# version -> the modules that mask k flips relative to mask 0, packed; learnt from qrcode on first use.
_flips_by_version: dict[int, list[_Packed]] = {}


class _QRCode(qrcode.QRCode):
    """qrcode.QRCode whose mask choice scores one trial matrix instead of eight."""

    def best_mask_pattern(self) -> int:
        """Returns the mask qrcode's own best_mask_pattern would return, at a fraction of its cost."""
        self.makeImpl(True, 0)
        base = _Packed(self.modules)
        flips = _flips_by_version.get(self.version)
        if flips is None:
            flips = _learn_flips(self, base)
        size = self.modules_count
        scores = [_penalty(base.rows ^ f.rows, base.cols ^ f.cols, size) for f in flips]
        return min(_MASKS, key=scores.__getitem__)


def qr_modules(payload: str) -> list[list[bool]]:
    """The module matrix (True = dark, no quiet zone) qrcode makes for `payload` at error correction M."""
    code = _QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    # Without a version, fit=False still fits once; fit=True would fit a second time to the same version.
    code.make(fit=False)
    return code.modules


def _learn_flips(code: _QRCode, base: _Packed) -> list[_Packed]:
    """Draws the trial matrix under all eight masks once for this version and keeps what each mask flips.

    The differences lie on data modules only (function patterns are fixed and trial format bits are all light),
    so they are the same for every payload of the version.
    """
    flips = []
    for mask in _MASKS:
        code.makeImpl(True, mask)
        trial = _Packed(code.modules)
        flips.append(_from_ints(trial.rows ^ base.rows, trial.cols ^ base.cols))
    _flips_by_version[code.version] = flips
    return flips


def _from_ints(rows: int, cols: int) -> _Packed:
    """A _Packed from already packed integers."""
    packed = _Packed.__new__(_Packed)
    packed.rows, packed.cols = rows, cols
    return packed


def _pack(lines: Sequence[Sequence[bool | None]]) -> int:
    """Packs lines of modules into one integer: module j of line i is bit i * (size + 1) + j."""
    text = b"".join(bytes(map(bool, line)) + b"\x00" for line in lines).translate(_TO_BIT_CHARS)
    return int(text[::-1], 2)


def _penalty(rows: int, cols: int, size: int) -> int:
    """qrcode's lost_point (ISO 18004 rules N1 to N4) of a packed matrix, computed on bit sets."""
    stride = size + 1
    on_board = int(("0" + "1" * size) * size, 2)
    light_rows, light_cols = rows ^ on_board, cols ^ on_board
    score = _runs_and_finders(rows, light_rows) + _runs_and_finders(cols, light_cols)
    score += 3 * (_squares(rows, stride) + _squares(light_rows, stride))
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
