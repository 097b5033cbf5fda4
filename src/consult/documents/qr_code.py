"""QR codes, module for module as ReportLab encodes them, in a fraction of its time.

The consent form prints its document number and SHA-256 as a QR code, a new one on every
form. ReportLab's encoder (:mod:`reportlab.graphics.barcode.qrencoder`) is pure Python
written for clarity: it builds the Reed-Solomon generator polynomial afresh for every
block, divides polynomial objects term by term, and lays the whole symbol out again for
each of the eight masks, scoring it module by module. That was about a tenth of a form's
rendering. :class:`QrEncoder` is ReportLab's encoder with those steps done once or on
whole rows: the generator polynomials are remembered per length, the error correction
bytes come from a table-driven division, the data modules are placed row by row as bit
masks, and each mask's penalty is worked out on whole rows (:func:`lost_points`). The
symbol, its version, its mask and every module are ReportLab's
(tests/test_consent_pdf_speed.py compares both for a hundred values).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from reportlab.graphics.barcode import qrencoder

__all__ = ["QrEncoder", "lost_points", "qr_modules"]

_EXP: Final[Sequence[int]] = qrencoder.EXP_TABLE
_LOG: Final[Sequence[int]] = qrencoder.LOG_TABLE
_PAD_BYTES: Final = (qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)

_FIVE_OR_MORE: Final = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE: Final = "10111010000"
_FINDER_PATTERN: Final = re.compile(_FINDER_LIKE)


def qr_modules(value: str) -> list[list[bool]]:
    """The modules of ``value``'s QR code (error correction level M), row by row, dark
    ones True: ReportLab's symbol for the same value."""
    qr = QrEncoder(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    return [[bool(module) for module in row] for row in qr.modules]


def lost_points(rows: Sequence[int], n: int) -> int:
    """ReportLab's penalty score of a QR symbol (``QRUtil.getLostPoint``) of ``n`` x ``n``
    modules, each row an integer whose highest of ``n`` bits is the first column (1 is
    dark). The same number as ReportLab's module-by-module count, its quirks included:
    its finder-like rule looks at rows only, and at patterns that start before the last
    eleven columns."""
    text = [format(row, f"0{n}b") for row in rows]
    # Runs of five or more modules of one colour, across and down: length - 2 each (the
    # lines joined by a newline, which no run crosses).
    lines = "\n".join(text)
    columns = "\n".join(map("".join, zip(*text, strict=True)))
    runs = _FIVE_OR_MORE.findall(lines) + _FIVE_OR_MORE.findall(columns)
    lost = sum(map(len, runs)) - 2 * len(runs)
    # Blocks of 2 x 2 modules of one colour: 3 each.
    full = (1 << n) - 1
    for upper, lower in itertools.pairwise(rows):
        alike = ~(upper ^ lower) & full
        across = ~(upper ^ (upper >> 1)) & (full >> 1)
        lost += 3 * (alike & (alike >> 1) & across).bit_count()
    # Finder-like patterns in a row: 40 each, found left to right without overlapping,
    # as ReportLab's search stops at the first one in the last eleven columns.
    last = n - len(_FINDER_LIKE)
    for found in _FINDER_PATTERN.finditer(lines):
        lost += 40 * (found.start() % (n + 1) < last)
    # The share of dark modules away from half.
    dark = sum(row.bit_count() for row in rows)
    return lost + 10 * (abs(100 * dark // (n * n) - 50) // 5)


@functools.cache
def _generator_logs(length: int) -> tuple[int, ...]:
    """The logarithms of the Reed-Solomon generator polynomial's coefficients after the
    leading 1, for ``length`` error correction bytes: the product of (x + a^i), i below
    ``length``, as ReportLab builds it (its coefficients are never 0)."""
    coefficients = [1]
    for i in range(length):
        root = _EXP[i]
        product = [*coefficients, 0]
        for j, coefficient in enumerate(coefficients):
            if coefficient:
                product[j + 1] ^= _EXP[(_LOG[coefficient] + _LOG[root]) % 255]
        coefficients = product
    return tuple(_LOG[coefficient] for coefficient in coefficients[1:])


def _error_correction(data: Sequence[int], length: int) -> list[int]:
    """The ``length`` error correction bytes of a block of ``data`` bytes: the remainder
    of data x^length divided by the generator polynomial, as ReportLab's polynomial
    ``mod`` gives it (a remainder is unique), with its leading zeros kept."""
    logs = _generator_logs(length)
    remainder = [*data, *([0] * length)]
    for i in range(len(data)):
        coefficient = remainder[i]
        if coefficient:
            scale = _LOG[coefficient]
            for j, log in enumerate(logs, start=i + 1):
                remainder[j] ^= _EXP[(scale + log) % 255]
    return remainder[len(data) :]


def _create_data(version: int, level: int, parts: Sequence[Any]) -> list[int]:
    """The symbol's codewords (data and error correction, interleaved by block), as
    ``QRCode.createData`` makes them."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = qrencoder.QRBitBuffer()
    for part in parts:
        part.write(buffer, version)
    capacity = 8 * sum(block.dataCount for block in blocks)
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"code length overflow. ({buffer.getLengthInBits()} > {capacity})")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)  # the terminator
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    codewords: list[int] = list(buffer.buffer)
    pads = itertools.cycle(_PAD_BYTES)
    while 8 * len(codewords) < capacity:
        codewords.append(next(pads))
    data_blocks: list[list[int]] = []
    correction: list[list[int]] = []
    offset = 0
    for block in blocks:
        data = codewords[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(data)
        correction.append(_error_correction(data, block.totalCount - block.dataCount))
    return [
        byte
        for column in itertools.chain(
            itertools.zip_longest(*data_blocks), itertools.zip_longest(*correction)
        )
        for byte in column
        if byte is not None
    ]


@dataclass(frozen=True)
class _Layout:
    """Where the data modules of a symbol version go, as bit masks by row."""

    positions: tuple[tuple[int, int], ...]
    """The data modules' (column, row), in the order the data bits fill them."""
    places: list[int]
    """Each row's data modules as bits (the highest of ``n`` bits is the first column)."""
    turned: list[list[int]]
    """For each of the eight masks, each row's data modules it turns."""
    columns: list[tuple[int, ...]]
    """Each row's data columns."""


@functools.lru_cache(maxsize=40)
def _data_layout(version: int) -> _Layout:
    """The data modules' layout of a symbol of ``version`` (ReportLab's order)."""
    probe = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    probe.moduleCount = n = 4 * version + 17
    positions = tuple(probe.dataPosIterator())
    places = [0] * n
    turned = [[0] * n for _ in range(8)]
    columns: list[list[int]] = [[] for _ in range(n)]
    for col, row in positions:
        bit = 1 << (n - 1 - col)
        places[row] |= bit
        columns[row].append(col)
        for pattern in range(8):
            if qrencoder.QRUtil.getMask(pattern)(row, col):
                turned[pattern][row] |= bit
    return _Layout(positions, places, turned, [tuple(sorted(cols)) for cols in columns])


class QrEncoder(qrencoder.QRCode):  # type: ignore[misc]  # reportlab is untyped
    """ReportLab's QR encoder, making the same symbol faster (see the module's text)."""

    version: int | None
    dataCache: list[int] | None
    moduleCount: int
    modules: list[list[bool]]
    _data_rows: list[int] | None = None

    def make(self) -> None:
        if self.version is None:
            self.version = self.calculate_version()
        if self.dataCache is None:
            self.dataCache = _create_data(self.version, self.errorCorrectLevel, self.dataList)
        self.makeImpl(False, self.getBestMaskPattern())

    def _layout(self) -> tuple[_Layout, list[int]]:
        """The data modules' layout (:func:`_data_layout`) and the data bits by row."""
        layout = _data_layout(self.version)
        if self._data_rows is None:
            n = self.moduleCount
            data = [0] * n
            bits = (
                byte >> shift & 1 for byte in self.dataCache or () for shift in range(7, -1, -1)
            )
            # Positions left over once the bits run out stay light, as in mapData.
            for (col, row), dark in zip(layout.positions, bits, strict=False):
                if dark:
                    data[row] |= 1 << (n - 1 - col)
            self._data_rows = data
        return layout, self._data_rows

    def mapData(self, data: Sequence[int], maskPattern: int) -> None:
        """Place the data modules, masked, as ReportLab's ``mapData`` does, a row at a
        time."""
        n = self.moduleCount
        layout, rows = self._layout()
        for row, (cols, bits, flips) in enumerate(
            zip(layout.columns, rows, layout.turned[maskPattern], strict=True)
        ):
            modules = self.modules[row]
            masked = bits ^ flips
            for col in cols:
                modules[col] = bool(masked >> (n - 1 - col) & 1)

    def getBestMaskPattern(self) -> int:
        """The mask ReportLab chooses: the lowest penalty, the first of equals."""
        self.makeImpl(True, 0)  # the function patterns (and the data, masked: left out)
        n = self.moduleCount
        layout, data = self._layout()
        places, turned = layout.places, layout.turned
        fixed = [
            int("".join("1" if dark else "0" for dark in modules), 2) & ~place
            for modules, place in zip(self.modules, places, strict=True)
        ]
        best, best_lost = 0, 0
        for pattern in range(8):
            rows = [
                base | ((bits ^ flips) & place)
                for base, bits, flips, place in zip(
                    fixed, data, turned[pattern], places, strict=True
                )
            ]
            lost = lost_points(rows, n)
            if pattern == 0 or best_lost > lost:
                best, best_lost = pattern, lost
        return best
