"""Tables rebuilt from a page image: ruling lines → grid → merged regions → cells.

Ruling lines are what a morphological opening with a long thin kernel keeps of the
binarised page (text strokes are shorter than the kernel). A table is a connected
group of lines; its row boundaries are the ys of its horizontal lines, its column
boundaries the xs of its vertical lines (each line counts however short: a sub-row
split under one column is a row boundary, as it is in the text PDF). Two neighbouring
grid cells belong to one merged region when the line between them is missing.

Rows come out the way pdfplumber's text-layer tables do (`pdf._table`): a region's
text in its first grid cell with ``colspan``, a region continued from a row above as
an empty ``merged_from_above`` cell, rows without text dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: a line is at least this long: 0.4 in horizontally, 0.15 in vertically (a row of
#: 8-pt text with its padding is ~0.2 in high; the strokes of 10.5-pt characters are
#: shorter than 0.15 in)
H_LINE_INCHES = 0.4
V_LINE_INCHES = 0.15
#: share of a border that must be inked for two grid cells to be separated
BORDER_INKED = 0.5


@dataclass
class GridTable:
    """A table's grid in upright page pixels: boundaries and the merged regions."""

    ys: list[int]
    xs: list[int]
    #: region id per grid cell (row band, column band)
    region: list[list[int]]
    #: recognised pieces placed into each region
    pieces: dict[int, list[Piece]] = field(default_factory=dict)

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> int | None:
        """The region holding point (x, y), or None outside the grid."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        i = _band(self.ys, y)
        j = _band(self.xs, x)
        return self.region[i][j]

    def region_bounds(self, rid: int) -> tuple[int, int, int, int]:
        """(first row band, last row band, first column band, last column band)."""
        cells = [(i, j) for i, row in enumerate(self.region) for j, r in enumerate(row) if r == rid]
        rows = [i for i, _ in cells]
        cols = [j for _, j in cells]
        return min(rows), max(rows), min(cols), max(cols)


def _band(bounds: list[int], v: float) -> int:
    for k in range(len(bounds) - 1):
        if v < bounds[k + 1]:
            return k
    return len(bounds) - 2


def find_tables(binary: Any, dpi: float) -> list[GridTable]:
    """Ruled tables on a binarised upright page (ink = 255)."""
    import cv2
    import numpy as np

    h_len = max(int(H_LINE_INCHES * dpi), 15)
    v_len = max(int(V_LINE_INCHES * dpi), 10)
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    # re-join lines a noisy scan broke, and thicken them so they meet at the joints
    horizontal = cv2.dilate(horizontal, np.ones((3, 5), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((5, 3), np.uint8))
    lines = cv2.bitwise_or(horizontal, vertical)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    tables: list[GridTable] = []
    for k in range(1, n):
        x, y, w, h, _area = stats[k]
        if w < 2 * h_len or h < v_len:
            continue
        table = _grid(horizontal[y : y + h, x : x + w], vertical[y : y + h, x : x + w], x, y)
        if table is not None:
            tables.append(table)
    tables.sort(key=lambda t: t.ys[0])
    return tables


def _positions(profile: Any, minimum: int) -> list[int]:
    """Centres of the runs of `profile` at or above `minimum` (a line is a few px thick)."""
    hits = [k for k, v in enumerate(profile) if v >= minimum]
    centres: list[int] = []
    run: list[int] = []
    for k in hits:
        if run and k - run[-1] > 2:
            centres.append(round(sum(run) / len(run)))
            run = []
        run.append(k)
    if run:
        centres.append(round(sum(run) / len(run)))
    return centres


def _grid(horizontal: Any, vertical: Any, x0: int, y0: int) -> GridTable | None:
    h_ink = (horizontal > 0).sum(axis=1)
    v_ink = (vertical > 0).sum(axis=0)
    height, width = horizontal.shape
    ys = _positions(h_ink, max(int(0.05 * width), 10))
    xs = _positions(v_ink, max(int(0.02 * height), 8))
    if len(ys) < 2 or len(xs) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i in range(n_rows):
        top, bottom = ys[i], ys[i + 1]
        inner_y = slice(top + (bottom - top) // 5, bottom - (bottom - top) // 5 + 1)
        for j in range(n_cols):
            left, right = xs[j], xs[j + 1]
            inner_x = slice(left + (right - left) // 5, right - (right - left) // 5 + 1)
            if j + 1 < n_cols and not _inked(
                vertical[inner_y, max(xs[j + 1] - 4, 0) : xs[j + 1] + 5], axis=0
            ):
                join(i * n_cols + j, i * n_cols + j + 1)
            if i + 1 < n_rows and not _inked(
                horizontal[max(ys[i + 1] - 4, 0) : ys[i + 1] + 5, inner_x], axis=1
            ):
                join(i * n_cols + j, (i + 1) * n_cols + j)
    region = [[find(i * n_cols + j) for j in range(n_cols)] for i in range(n_rows)]
    return GridTable(ys=[y + y0 for y in ys], xs=[x + x0 for x in xs], region=region)


def _inked(strip: Any, *, axis: int) -> bool:
    """Whether a border strip is drawn along at least `BORDER_INKED` of its length."""
    if strip.size == 0:
        return False
    along = (strip > 0).any(axis=1 - axis)
    return bool(along.mean() >= BORDER_INKED)


#: a piece placed into a cell: (centre y, left x, height, text, box index)
Piece = tuple[float, float, float, str, int]


def table_rows(table: GridTable) -> list[list[tuple[str, int, list[tuple[int, int, int]]]]]:
    """Rows of cells (text, colspan, spans) where spans are (start, end, box index) of
    each recognised piece in the text; a continuation of a region from a row above is
    ("", -colspan, []) (negative: ``merged_from_above``). Rows without text are left out."""
    n_rows, n_cols = len(table.region), len(table.region[0])
    bounds = {rid: table.region_bounds(rid) for row in table.region for rid in row}
    rows = []
    for i in range(n_rows):
        out: list[tuple[str, int, list[tuple[int, int, int]]]] = []
        j = 0
        while j < n_cols:
            rid = table.region[i][j]
            first_row, _, first_col, last_col = bounds[rid]
            span = last_col - first_col + 1
            if first_col != j:  # a region that is not rectangular: count it once
                j += 1
                continue
            if first_row == i:
                text, spans = ordered_text(table.pieces.get(rid, []))
                out.append((text, span, spans))
            else:
                out.append(("", -span, []))
            j += span
        if any(text.strip() for text, _, _ in out):
            rows.append(out)
    return rows


def ordered_text(
    pieces: list[Piece], *, line_break: str = "\n"
) -> tuple[str, list[tuple[int, int, int]]]:
    """Pieces in reading order — lines top to bottom, pieces left to right — as one text
    (lines joined by `line_break`) and each piece's (start, end, box index) in it."""
    lines: list[list[Piece]] = []
    for piece in sorted(pieces):
        # detected boxes are padded: two lines of a cell overlap, their centres do not
        if lines and abs(piece[0] - _centre(lines[-1])) < 0.4 * min(piece[2], _height(lines[-1])):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    text = ""
    spans: list[tuple[int, int, int]] = []
    for n, line in enumerate(lines):
        if n:
            text += line_break
        line.sort(key=lambda p: p[1])
        for piece in line:
            spans.append((len(text), len(text) + len(piece[3]), piece[4]))
            text += piece[3]
    return text, spans


def _centre(line: list[Piece]) -> float:
    return sum(p[0] for p in line) / len(line)


def _height(line: list[Piece]) -> float:
    return min(p[2] for p in line)
