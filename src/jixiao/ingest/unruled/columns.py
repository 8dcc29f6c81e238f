"""The columns of a run of lines, from where their texts are printed.

Texts of different lines that overlap horizontally are in one column. A text that
overlaps two texts of one line spans their columns and does not join them (a group
header, a title, a long value in a form). A column of words just left of a column of
figures, never on a line with them, is their header (a header left-aligned over
right-aligned figures) unless the figures have a header of their own: the two are one
column. So left-aligned labels, right-aligned
figures and centred values all give their columns, whatever the header does.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from jixiao.ingest.unruled.lines import Line, Segment, is_figure

Columns = list[tuple[float, float]]


@dataclass
class _Column:
    left: float
    right: float
    segments: list[Segment]

    @property
    def figures(self) -> bool:
        return sum(1 for s in self.segments if is_figure(s.words)) >= 0.5 * len(self.segments)


def find_columns(lines: list[Line]) -> Columns:
    """(left, right) of each column's texts, left to right; [] when they overlap."""
    segments = [s for ln in lines for s in ln.segments]
    line_of = {id(s): k for k, ln in enumerate(lines) for s in ln.segments}
    slack = 0.25 * statistics.median(ln.height for ln in lines)

    def overlap(a: Segment, b: Segment) -> bool:
        return a.x1 - slack > b.x0 and b.x1 - slack > a.x0

    spanning: set[int] = set()
    while True:
        groups = _components([s for s in segments if id(s) not in spanning], overlap)
        crowded = [g for g in groups if len({line_of[id(s)] for s in g}) < len(g)]
        if not crowded:
            break
        for group in crowded:
            culprits = [s for s in group if _over_two_of_a_line(s, group, line_of, overlap)]
            culprits = culprits or [max(group, key=lambda s: s.x1 - s.x0)]
            spanning.update(id(s) for s in culprits)
    columns = [
        _Column(min(s.x0 for s in g), max(s.x1 for s in g), g)
        for g in sorted(groups, key=lambda g: min(s.x0 for s in g))
    ]
    columns = _headers_over_figures(columns, line_of)
    if any(b.left <= a.right - slack for a, b in itertools.pairwise(columns)):
        return []
    return [(c.left, c.right) for c in columns]


def _components(
    segments: list[Segment], overlap: Callable[[Segment, Segment], bool]
) -> list[list[Segment]]:
    """Groups of segments connected by horizontal overlap."""
    groups: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: s.x0):
        joined = [g for g in groups if any(overlap(seg, other) for other in g)]
        if not joined:
            groups.append([seg])
            continue
        first = joined[0]
        first.append(seg)
        for other in joined[1:]:
            first += other
            groups.remove(other)
    return groups


def _over_two_of_a_line(
    seg: Segment,
    group: list[Segment],
    line_of: dict[int, int],
    overlap: Callable[[Segment, Segment], bool],
) -> bool:
    seen: set[int] = set()
    for other in group:
        if other is not seg and overlap(seg, other):
            k = line_of[id(other)]
            if k in seen:
                return True
            seen.add(k)
    return False


def _headers_over_figures(columns: list[_Column], line_of: dict[int, int]) -> list[_Column]:
    """A column of words just left of a column of figures, never on a line with them,
    is their header: one column (each column of figures takes one header)."""
    out: list[_Column] = []
    headed: set[int] = set()
    for column in reversed(columns):
        if (
            out
            and not column.figures
            and out[-1].figures
            and len(out) - 1 not in headed
            and not _own_header(out[-1], line_of)
        ):
            head = out[-1]
            mine = {line_of[id(s)] for s in column.segments}
            if not mine & {line_of[id(s)] for s in head.segments}:
                out[-1] = _Column(column.left, head.right, head.segments + column.segments)
                headed.add(len(out) - 1)
                continue
        out.append(column)
    return list(reversed(out))


def _own_header(column: _Column, line_of: dict[int, int]) -> bool:
    """Whether a column of figures has words above its first figure: its own header
    (其他收入 over its amounts), so the words just left of it are another column's
    (附属单位上缴收入 over a column left empty), not a second header of this one."""
    figures = [line_of[id(s)] for s in column.segments if is_figure(s.words)]
    if not figures:
        return False
    first = min(figures)
    return any(line_of[id(s)] < first for s in column.segments if not is_figure(s.words))


def span_of(seg: Segment, columns: Columns) -> tuple[int, int] | None:
    """The columns a segment lies over (first, last); a short text in a gap belongs to
    the nearest column; None when it is far from every column."""
    slack = 0.25 * seg.height
    hit = [
        k
        for k, (left, right) in enumerate(columns)
        if seg.x1 > left + slack and seg.x0 < right - slack
    ]
    if hit:
        return hit[0], hit[-1]
    middle = (seg.x0 + seg.x1) / 2
    near = min(range(len(columns)), key=lambda k: _distance(middle, columns[k]))
    if _distance(middle, columns[near]) > 2 * seg.height:
        return None
    return near, near


def columns_of(seg: Segment, columns: Columns) -> range:
    span = span_of(seg, columns)
    return range(0) if span is None else range(span[0], span[1] + 1)


def _distance(x: float, column: tuple[float, float]) -> float:
    left, right = column
    return 0.0 if left <= x <= right else min(abs(x - left), abs(x - right))
