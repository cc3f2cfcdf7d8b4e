"""The version and the codewords of a QR symbol, as qrcode computes them, without its bit-by-bit buffer.

qrcode writes every data bit through `BitBuffer.put_bit` (twice: once to find the version, once for the data) and
computes Reed-Solomon error correction with its general polynomial class; together about half of what a payment
code cost in bench 6. Here the bits are accumulated in one integer and the error correction is the usual shift
register over GF(256) with log tables. The segments (numeric, alphanumeric, byte) are still qrcode's own
(`QRCode.add_data`), and so are its tables; tests/unit/test_qr_codewords.py checks the versions and codewords
against qrcode's `best_fit` and `util.create_data`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from qrcode import base, exceptions, util

__all__ = ["codewords", "fit_version"]

_PAD_BYTES = (util.PAD0, util.PAD1)
_TAIL_BITS = {3: 10, 2: 7, 1: 4, 0: 0}  # numeric mode: bits for the last group of 0-3 digits


def _exp_log() -> tuple[list[int], list[int]]:
    """GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1: antilogs (doubled, so sums need no modulo), logs."""
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = exp[power + 255] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return exp, log


_EXP, _LOG = _exp_log()


def _data_bits(segment: util.QRData) -> tuple[int, int]:
    """A segment's data as (value, bit count), encoded as qrcode's `QRData.write` does."""
    data: bytes = segment.data
    if segment.mode == util.MODE_NUMBER:
        value = bits = 0
        for start in range(0, len(data), 3):
            group = data[start : start + 3]
            width = _TAIL_BITS[len(group)]
            value, bits = (value << width) | int(group), bits + width
        return value, bits
    if segment.mode == util.MODE_ALPHA_NUM:
        value = bits = 0
        for start in range(0, len(data), 2):
            pair = data[start : start + 2]
            if len(pair) == 2:
                pair_value = util.ALPHA_NUM.find(pair[:1]) * 45 + util.ALPHA_NUM.find(pair[1:])
                value, bits = (value << 11) | pair_value, bits + 11
            else:
                value, bits = (value << 6) | util.ALPHA_NUM.find(pair), bits + 6
        return value, bits
    return int.from_bytes(data, "big"), 8 * len(data)


def _bits(segments: Sequence[util.QRData], version: int) -> tuple[int, int]:
    """Mode indicator, character count and data of every segment, as one (value, bit count)."""
    value = bits = 0
    for segment in segments:
        count_width = util.length_in_bits(segment.mode, version)
        data, data_width = _data_bits(segment)
        value = (((value << 4 | segment.mode) << count_width | len(segment)) << data_width) | data
        bits += 4 + count_width + data_width
    return value, bits


def fit_version(segments: Sequence[util.QRData], error_correction: int, start: int = 1) -> int:
    """The smallest version that holds the segments, found exactly as qrcode's `QRCode.best_fit` finds it."""
    sizes = util.mode_sizes_for_version(start)
    _, needed = _bits(segments, start)
    version = bisect_left(util.BIT_LIMIT_TABLE[error_correction], needed, start)
    if version == 41:
        raise exceptions.DataOverflowError()
    if sizes is not util.mode_sizes_for_version(version):  # longer count fields from here on: count again
        return fit_version(segments, error_correction, version)
    return version


@lru_cache(maxsize=64)
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """The Reed-Solomon generator polynomial of degree ec_count (monic, leading term left out), as logs."""
    poly = [1]
    for power in range(ec_count):  # times (x - a^power)
        root = _EXP[power]
        poly = [a ^ (_EXP[_LOG[b] + _LOG[root]] if b else 0) for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    return tuple(_LOG[c] for c in poly[1:])


@lru_cache(maxsize=64)
def _multiples(ec_count: int) -> tuple[int, ...]:
    """The generator times every byte value, each product's ec_count coefficients packed into one integer."""
    generator = _generator_logs(ec_count)
    products = [0]
    for factor in range(1, 256):
        shift = _LOG[factor]
        products.append(int.from_bytes(bytes(_EXP[shift + g] for g in generator), "big"))
    return tuple(products)


def _error_correction(data: Sequence[int], ec_count: int) -> list[int]:
    """The remainder of data(x) * x^ec_count divided by the generator: the block's error correction codewords.

    The remainder is one integer of ec_count bytes: a step shifts it a byte and adds (XOR) a table row, where a
    list would be rebuilt codeword by codeword.
    """
    multiples = _multiples(ec_count)
    top = 8 * (ec_count - 1)
    mask = (1 << 8 * ec_count) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & mask) ^ multiples[byte ^ (remainder >> top)]
    return list(remainder.to_bytes(ec_count, "big"))


def codewords(segments: Sequence[util.QRData], version: int, error_correction: int) -> list[int]:
    """The symbol's codewords in placement order (data blocks interleaved, then their error correction),
    what qrcode's `util.create_data` returns for the same arguments."""
    blocks = base.rs_blocks(version, error_correction)
    limit = sum(block.data_count for block in blocks) * 8
    value, bits = _bits(segments, version)
    if bits > limit:
        raise exceptions.DataOverflowError(f"Code length overflow. Data size ({bits}) > size available ({limit})")
    terminator = min(limit - bits, 4)
    value, bits = value << terminator, bits + terminator
    filler = -bits % 8
    value, bits = value << filler, bits + filler
    stream = list(value.to_bytes(bits // 8, "big")) if bits else []
    stream += [_PAD_BYTES[i % 2] for i in range((limit - bits) // 8)]
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data = stream[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(data)
        ec_blocks.append(_error_correction(data, block.total_count - block.data_count))
    return _interleave(data_blocks) + _interleave(ec_blocks)


def _interleave(blocks: list[list[int]]) -> list[int]:
    """The first codeword of every block, then the second of every block that has one, and so on."""
    longest = max(len(block) for block in blocks)
    return [block[i] for i in range(longest) for block in blocks if i < len(block)]
