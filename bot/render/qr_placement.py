"""Where a version's data bits go, learnt once per version, so that a code's trial matrix is one string shuffle.

qrcode's `map_data` walks the symbol in its two-column zig-zag and calls the mask function once per module: a
quarter of what a payment code cost after bot/render/qr_codewords.py. The walk depends on the version alone
(function patterns, format and version areas), so it is made once here, on a blank symbol drawn by qrcode's own
setup methods; each code then picks its bits into row and column order with `operator.itemgetter` (a C loop) and
applies mask 0 with one XOR. The result is qrcode's trial drawing (`makeImpl(True, 0)`), which
tests/unit/test_qr_matrix.py checks module for module in every version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import qrcode

__all__ = ["Placement", "placement"]

Grid = list[list[bool | None]]


def _blank(version: int) -> Grid:
    """The symbol before its data: finders, alignment, timing, and light format and version areas (a trial)."""
    probe = qrcode.QRCode(version=version)
    size = probe.modules_count = version * 4 + 17
    probe.modules = [[None] * size for _ in range(size)]
    probe.setup_position_probe_pattern(0, 0)
    probe.setup_position_probe_pattern(size - 7, 0)
    probe.setup_position_probe_pattern(0, size - 7)
    probe.setup_position_adjust_pattern()
    probe.setup_timing_pattern()
    probe.setup_type_info(True, 0)
    if version >= 7:
        probe.setup_type_number(True)
    modules: Grid = probe.modules
    return modules


def _walk(blank: Grid) -> list[tuple[int, int]]:
    """The data modules in the order qrcode's `map_data` fills them: two columns at a time, right to left,
    upwards then downwards, skipping the vertical timing column."""
    size = len(blank)
    order: list[tuple[int, int]] = []
    upwards = True
    for right in range(size - 1, 0, -2):
        column = right - 1 if right <= 6 else right
        rows = range(size - 1, -1, -1) if upwards else range(size)
        for row in rows:
            order += [(row, c) for c in (column, column - 1) if blank[row][c] is None]
        upwards = not upwards
    return order


@dataclass(frozen=True)
class Placement:
    """One version's walk, as index lists that pick a code's bits into row-major and column-major order."""

    size: int
    data_modules: int
    _rows: Callable[[str], tuple[str, ...]]
    _cols: Callable[[str], tuple[str, ...]]
    mask0_rows: int
    mask0_cols: int

    def trial(self, codewords: Sequence[int]) -> tuple[int, int]:
        """The trial matrix (mask 0, light format bits) packed by rows and by columns, as qr_matrix packs them."""
        bits = format(int.from_bytes(bytes(codewords), "big"), f"0{8 * len(codewords)}b") if codewords else ""
        # Modules past the codewords (the remainder bits) are light before masking; the last two characters are
        # what the function modules and the guard bits pick.
        source = bits.ljust(self.data_modules, "0") + "01"
        rows = int("".join(self._rows(source))[::-1], 2) ^ self.mask0_rows
        cols = int("".join(self._cols(source))[::-1], 2) ^ self.mask0_cols
        return rows, cols


def _order(blank: Grid, index: dict[tuple[int, int], int], by_rows: bool) -> Callable[[str], tuple[str, ...]]:
    """An itemgetter over (data bits + "0" + "1") giving the packed bit string, guard bits included."""
    size = len(blank)
    light, dark = len(index), len(index) + 1
    picks: list[int] = []
    for line in range(size):
        if line:
            picks.append(light)  # the guard bit between two lines
        for along in range(size):
            row, col = (line, along) if by_rows else (along, line)
            found = index.get((row, col))
            picks.append(found if found is not None else dark if blank[row][col] else light)
    return itemgetter(*picks)


def _mask0(cells: list[tuple[int, int]], size: int, by_rows: bool) -> int:
    """The data modules mask 0 flips ((row + column) even), as a packed integer."""
    stride = size + 1
    return sum(1 << ((r * stride + c) if by_rows else (c * stride + r)) for r, c in cells if (r + c) % 2 == 0)


@lru_cache(maxsize=40)
def placement(version: int) -> Placement:
    """The placement of a version (made on first use, then kept: there are forty)."""
    blank = _blank(version)
    walk = _walk(blank)
    index = {cell: i for i, cell in enumerate(walk)}
    size = len(blank)
    return Placement(size, len(walk), _order(blank, index, True), _order(blank, index, False),
                     _mask0(walk, size, True), _mask0(walk, size, False))
