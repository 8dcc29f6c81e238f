"""Where the tables are: runs of lines that may hold one, split into tables.

A run is a stretch of consecutive lines with no prose line (one text across most of
the page's text width), no table of contents line (dot leaders) and no blank line
between them. A run is cut at form captions (编制部门：… 单位：万元), at table titles
(附表2：… 表, printed just under the table before it when tables run on) and wherever a
line does not fit the columns of the lines around it (a title, a note over the
columns); what is left is a table when its lines show columns: two lines of two texts
or more, or one header of three over its rows. Two columns of list markers and names
(a numbered list) or of titles and ascending page numbers (a table of contents) are no
table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from jixiao.ingest.unruled.columns import Columns, find_columns, span_of
from jixiao.ingest.unruled.lines import (
    Line,
    is_caption,
    is_contents,
    is_leader_line,
    is_list,
    is_title,
)

#: a single text wider than this share of the page's text width is prose
PROSE_WIDTH = 0.55
#: a gap between lines larger than this many line heights ends a run (a blank line)
RUN_GAP = 2.2


def runs(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines that may hold a table: no prose, no contents line, no blank."""
    if not lines:
        return []
    width = max(max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines), 1e-6)
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        prose = not line.multi and line.x1 - line.x0 > PROSE_WIDTH * width
        if current and line.top - current[-1].bottom > RUN_GAP * line.height:
            out.append(current)
            current = []
        if prose or is_leader_line(line):
            out.append(current)
            current = []
            continue
        current.append(line)
    out.append(current)
    return [run for run in out if _enough(run)]


def tables_in(run: list[Line]) -> list[tuple[list[Line], Columns]]:
    """The tables of a run: its lines and columns."""
    found = []
    for piece in _split(run, _starts_or_heads):
        columns = find_columns(piece)
        if len(columns) < 2:
            continue
        parts = _split(piece, partial(_crosses, columns=columns))
        if len(parts) > 1:
            found += [t for part in parts for t in tables_in(part)]
            continue
        if len(piece) < 2 or not _enough(piece):
            continue
        multi = [ln for ln in piece if ln.multi]
        if len(columns) == 2 and (is_contents(multi) or is_list(multi)):
            continue
        found.append((piece, columns))
    return found


def _starts_or_heads(line: Line) -> bool:
    """A line no table holds: a form caption (编制部门：… 单位：万元) or a table's title."""
    return is_caption(line) or is_title(line)


def _enough(lines: list[Line]) -> bool:
    """Lines enough to show columns: two of several texts, or a header of three or more
    over rows of one text (an empty table: its header and 合计)."""
    multi = [ln for ln in lines if ln.multi]
    return len(multi) >= 2 or (len(multi) == 1 and len(multi[0].segments) >= 3)


def _split(lines: list[Line], breaks: Callable[[Line], bool]) -> list[list[Line]]:
    parts: list[list[Line]] = [[]]
    for line in lines:
        if breaks(line):
            parts.append([])
        else:
            parts[-1].append(line)
    return [p for p in parts if _enough(p)]


def _crosses(line: Line, columns: Columns) -> bool:
    """A line outside the columns, or a single text over more than one column."""
    spans = [span_of(s, columns) for s in line.segments]
    if any(sp is None for sp in spans):
        return True
    first = spans[0]
    return len(spans) == 1 and first is not None and first[0] != first[1]
