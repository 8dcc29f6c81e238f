"""A table's lines → rows of cells, with the merged cells its ruled printing would have.

Rows: a line overlapping the row above vertically joins it unless it writes into a
column the row holds already (a wrapped cell whose neighbours are centred on it joins;
a label centred between two rows does not pull them together); a line closer than half
the usual gap that writes only into the row's text columns continues its cells (a
wrapped cell, top-aligned).

Merged cells, as the ruled readers give them (text in the first cell of a region,
``colspan``, ``merged_from_above`` for a continuation):

* a text printed across columns spans them; last in a body row, it fills the row;
* header band (the rows before the first figure, heading every column): a text followed
  by empty cells heads them, within the span of the header above it, over columns
  headed below; a group's columns with no text in a lower header row are one empty cell;
* leading label columns (left of the first column of figures): a label printed between
  two rows, or centred on a run of rows whose cells in its column are empty, is a cell
  merged over that run: its text goes to the first row, the others continue it;
* body rows: a label followed by empty cells of text columns that the rows around
  leave empty too, then by another text, reaches over them (a form's label and value).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from jixiao.ingest.unruled.columns import Columns, columns_of, span_of
from jixiao.ingest.unruled.lines import (
    ITEM_START,
    Line,
    Word,
    is_figure,
    is_label,
    reading_order,
)


@dataclass
class Cell:
    """One cell of a found table: its first column, span and words (in reading order)."""

    col: int
    colspan: int = 1
    merged_from_above: bool = False
    words: list[Word] = field(default_factory=list)


@dataclass
class Table:
    """A table found without ruling lines: rows of cells covering every column."""

    rows: list[list[Cell]]
    #: (left, right) of each column's text
    columns: Columns
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.columns[0][0]

    @property
    def x1(self) -> float:
        return self.columns[-1][1]


@dataclass
class _Slot:
    """A text placed in a row: its columns, words and vertical extent."""

    first: int
    last: int
    words: list[Word]
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


Row = dict[int, _Slot]


def build_table(lines: list[Line], columns: Columns) -> Table | None:
    """The table these lines print in these columns; None when under two rows remain."""
    rows = _rows(lines, columns)
    # a lone text above the table outside its first column is a title, not a row
    while rows and len(rows[0]) == 1 and not rows[0][0].multi:
        if span_of(rows[0][0].segments[0], columns) == (0, 0):
            break
        rows = rows[1:]
    n = len(columns)
    slots = [_place(row, columns) for row in rows]
    bands = [(min(ln.top for ln in row), max(ln.bottom for ln in row)) for row in rows]
    figures = _figure_columns(slots, n)
    leading = next((k for k in range(n) if figures[k]), n)
    floating = _floating(slots, bands, leading)
    real = [p for r, p in enumerate(slots) if r not in floating]
    band = next((k for k, p in enumerate(real) if any(is_figure(s.words) for s in p.values())), 0)
    if band and not all(any(c in p or _covered(p, c) for p in real[:band]) for c in range(n)):
        band = 0  # a form's first rows leave columns empty: no header
    _header_spans(real[:band], n)
    continued: dict[tuple[int, int], int] = {}
    for col in range(leading):
        _merge_down(col, slots, bands, floating, continued)
    body = real[band:]
    for k, placed in enumerate(body):
        _long_value_fills_the_row(placed, n)
        _label_over_blank_text_columns(placed, figures, body[max(k - 1, 0) : k + 2])
    keep = [r for r in range(len(slots)) if r not in floating or slots[r]]
    new_index = {r: k for k, r in enumerate(keep)}
    continued = {(new_index[r], c): v for (r, c), v in continued.items() if r in new_index}
    out = [_cells(slots[r], new_index[r], n, continued) for r in keep]
    out = [row for row in out if any(c.words for c in row)]
    if len(out) < 2:
        return None
    kept = [bands[r] for r in keep]
    return Table(out, columns, min(b[0] for b in kept), max(b[1] for b in kept))


def _cells(placed: Row, r: int, n: int, continued: dict[tuple[int, int], int]) -> list[Cell]:
    cells: list[Cell] = []
    col = 0
    while col < n:
        slot = placed.get(col)
        if slot is not None:
            cells.append(Cell(col, slot.last - col + 1, False, reading_order(slot.words)))
            col = slot.last + 1
        elif (r, col) in continued:
            cells.append(Cell(col, continued[(r, col)], True))
            col += continued[(r, col)]
        else:
            cells.append(Cell(col))
            col += 1
    return cells


# ---------------------------------------------------------------------------- rows
def _rows(lines: list[Line], columns: Columns) -> list[list[Line]]:
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(lines)]
    gaps = [g for g in gaps if g > 0]
    usual = statistics.median(gaps) if gaps else 0.0
    rows: list[list[Line]] = []
    for line in lines:
        if rows:
            row = rows[-1]
            bottom = max(ln.bottom for ln in row)
            mine = _line_columns(line, columns)
            if bottom - line.top > 0.25 * min(line.height, row[-1].height):
                clash = [ln for ln in row if mine & _line_columns(ln, columns)]
                if all(line.top - ln.bottom < 0.5 * usual for ln in clash):
                    row.append(line)
                    continue
            elif (
                usual > 0
                and line.top - bottom < 0.5 * usual
                and _continues_cells(line, row, columns)
            ):
                row.append(line)
                continue
        rows.append([line])
    return rows


def _line_columns(line: Line, columns: Columns) -> set[int]:
    return {k for s in line.segments for k in columns_of(s, columns)}


def _continues_cells(line: Line, row: list[Line], columns: Columns) -> bool:
    """A wrapped line: it writes only into columns the row already has text in, holds
    no figure and does not start a new item (一、 1. （一） a code)."""
    used = {k for ln in row for k in _line_columns(ln, columns)}
    mine = _line_columns(line, columns)
    return (
        bool(mine)
        and mine <= used
        and not ITEM_START.match(line.segments[0].text)
        and not any(is_figure(s.words) for s in line.segments)
    )


def _place(row: list[Line], columns: Columns) -> Row:
    placed: Row = {}
    for line in row:
        for seg in line.segments:
            span = span_of(seg, columns)
            if span is None:
                continue
            first, last = span
            slot = placed.get(first)
            if slot is None:
                placed[first] = _Slot(first, last, list(seg.words), seg.top, seg.bottom)
            else:
                slot.words += seg.words
                slot.last = max(slot.last, last)
                slot.top = min(slot.top, seg.top)
                slot.bottom = max(slot.bottom, seg.bottom)
    return placed


def _figure_columns(slots: list[Row], n: int) -> list[bool]:
    """Columns whose own texts are mostly figures (amounts, rates, counts, codes)."""
    out = []
    for col in range(n):
        texts = [s for placed in slots if (s := placed.get(col)) is not None and s.last == col]
        figures = sum(1 for s in texts if is_figure(s.words))
        out.append(figures >= 1 and figures >= 0.5 * len(texts))
    return out


def _covered(placed: Row, col: int) -> bool:
    return any(s.first < col <= s.last for s in placed.values())


# ---------------------------------------------------------------------------- merges
def _floating(slots: list[Row], bands: list[tuple[float, float]], leading: int) -> set[int]:
    """Rows that are a merged label printed between two rows: only leading columns, in
    columns empty in both neighbours, its middle about half a row from each."""
    middles = [(top + bottom) / 2 for top, bottom in bands]
    if len(middles) < 2:
        return set()
    pitch = statistics.median(b - a for a, b in itertools.pairwise(middles))
    out = set()
    for r in range(1, len(slots) - 1):
        cols = set(slots[r])
        if not cols or max(cols) >= leading:
            continue
        if any(c in slots[r - 1] or c in slots[r + 1] for c in cols):
            continue
        up, down = middles[r] - middles[r - 1], middles[r + 1] - middles[r]
        if up < 0.75 * pitch and down < 0.75 * pitch:
            out.add(r)
    return out


def _merge_down(
    col: int,
    slots: list[Row],
    bands: list[tuple[float, float]],
    floating: set[int],
    continued: dict[tuple[int, int], int],
) -> None:
    """Merged cells of a leading column: a label centred on a run of rows whose cells in
    this column are empty moves to the first of them; the others continue it. A label
    printed between two rows (`floating`) is always such a merged cell."""
    real = [r for r in range(len(slots)) if r not in floating]

    def empty(i: int) -> bool:
        r = real[i]
        return col not in slots[r] and (r, col) not in continued and not _covered(slots[r], col)

    for r in range(len(slots)):
        slot = slots[r].get(col)
        if slot is None or slot.first != col or not is_label(slot.words):
            continue  # a merged cell holds a label, not a figure or a sign
        if r in floating:
            hi = sum(1 for x in real if x < r)  # the first real row below it
            lo = hi - 1
            if lo < 0 or hi == len(real) or not (empty(lo) and empty(hi)):
                continue
        else:
            lo = hi = real.index(r)
        up, down = lo, hi
        while up > 0 and empty(up - 1):
            up -= 1
        while down + 1 < len(real) and empty(down + 1):
            down += 1
        best: tuple[int, int] | None = None
        for a in range(up, lo + 1):
            for b in range(hi, down + 1):
                error = abs((bands[real[a]][0] + bands[real[b]][1]) / 2 - slot.middle)
                if error <= 0.3 * (slot.bottom - slot.top) and (
                    best is None or b - a > best[1] - best[0]
                ):
                    best = (a, b)
        if best is None:
            if r not in floating:
                continue
            best = (hi, hi)  # centred on nothing: the row below it
        a, b = best
        if r not in floating and a == b:
            continue
        del slots[r][col]
        slots[real[a]][col] = slot
        for k in range(a + 1, b + 1):
            continued[(real[k], col)] = slot.last - slot.first + 1


def _long_value_fills_the_row(placed: Row, n: int) -> None:
    """A text printed across columns and last in its row fills the row (a form's long
    value: 年度总体目标 | …)."""
    if placed:
        last = placed[max(placed)]
        if last.last > last.first:
            last.last = n - 1


def _label_over_blank_text_columns(placed: Row, figures: list[bool], around: list[Row]) -> None:
    """A label followed by empty cells of text columns that the rows around it leave
    empty too, and then by another text, reaches over them: a form's label is followed
    by its value (项目资金 | 年度资金总额 | 70,700.00), as in its ruled printing. An
    empty cell under figures stays a blank figure, a cell its neighbours fill stays a
    blank (or a sign the recogniser missed), and the empty cells ending a row stay."""
    starts = sorted(placed)
    for col, following in itertools.pairwise(starts):
        slot = placed[col]
        if figures[col] or not slot.words or is_figure(slot.words):
            continue
        gap = range(slot.last + 1, following)
        if (
            gap
            and not any(figures[c] for c in gap)
            and not any(c in row for row in around for c in gap)
        ):
            slot.last = following - 1


def _header_spans(band: list[Row], n: int) -> None:
    """Header band: a text followed by empty cells heads them, its span running to the
    next text within the span of the header above it, over columns headed below; a
    group's columns with no text in a lower header row are one empty cell."""
    if len(band) < 2:
        return
    parents = [(0, n - 1)]
    for r, placed in enumerate(band[:-1]):
        headed = {
            c for lower in band[r + 1 :] for s in lower.values() for c in range(s.first, s.last + 1)
        }
        spans = []
        for first, last in parents:
            starts = sorted(c for c in placed if first <= c <= last)
            if not starts and r > 0 and last > first:
                placed[first] = _Slot(first, last, [], 0.0, 0.0)
                spans.append((first, last))
                continue
            for k, c in enumerate(starts):
                end = starts[k + 1] - 1 if k + 1 < len(starts) else last
                slot = placed[c]
                if end > slot.last and all(x in headed for x in range(slot.last + 1, end + 1)):
                    slot.last = end
                spans.append((c, slot.last))
        parents = spans or parents
