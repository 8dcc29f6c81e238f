"""Recovering the tables a converter flattened into plain text.

Converters that flatten a DOCX to text write a table one cell per line behind a TAB,
a cell's own line breaks as bare continuation lines, and a blank line between rows:

    <TAB>主管部门及代码
    <TAB>攀枝花市西区信访局
    <blank>
    <TAB>项目预算
    执行情况            ← continuation of the cell above
    <TAB>8

Everything else is prose, one paragraph per line (hard-wrapped lines are joined by
`wrapping.join_wrapped_paragraphs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.document import RawCell, RawParagraph, RawTable, RawText
from jixiao.ingest.wrapping import join_wrapped_paragraphs


# ---------------------------------------------------------------------------- lines
class _Line:
    """One input line; what it is (blank, a cell) is worked out once, as the table reader
    asks it of every line several times."""

    __slots__ = ("is_blank", "is_cell", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start  # offset of text[0] in the decoded input
        # a TAB alone is an empty cell, not a blank line
        self.is_blank = not text.strip(" \r\u3000")
        self.is_cell = text.lstrip(" ").startswith("\t")


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(_Line(body, pos))
        pos += len(raw)
    return lines


@dataclass
class _CellBuf:
    parts: list[tuple[str, int]] = field(default_factory=list)

    def raw(self) -> RawText:
        if len(self.parts) == 1:  # one line: contiguous in the source, no offset list
            part, start = self.parts[0]
            return RawText(part, source_start=start)
        text = "\n".join(p for p, _ in self.parts)
        offsets: list[int] = []
        for i, (part, start) in enumerate(self.parts):
            if i:
                offsets.append(-1)  # the "\n" joining two lines of one cell
            offsets.extend(range(start, start + len(part)))
        return RawText(text, source_offsets=offsets)


def _cell_start(line: _Line) -> _CellBuf:
    tab = line.text.index("\t")
    return _CellBuf([(line.text[tab + 1 :], line.start + tab + 1)])


def _blank_run(lines: list[_Line], i: int) -> int:
    """Index of the first non-blank line at or after i."""
    while i < len(lines) and lines[i].is_blank:
        i += 1
    return i


#: a document or table title: short, ends in 表/报告/说明…, maybe a bracketed qualifier
_TITLE = re.compile(
    r"^\s*\S.{0,48}(?:表|报告|说明|目录|附件\s*\d*|附表\s*\d*)"
    r"(?:\s*[（(][^）)]{0,40}[）)])?\s*$"
)
#: at most this many bare paragraphs, separated by single blank lines, are taken as the
#: further paragraphs of a cell; more is prose between two tables
_MAX_CELL_PARAGRAPHS = 3


def looks_like_title(text: str) -> bool:
    return bool(_TITLE.match(text)) and len(text.strip()) <= 50


def _group_width(lines: list[_Line], i: int) -> int:
    """Cells in the row that starts at line i, up to its first blank line."""
    n = 0
    while i < len(lines) and not lines[i].is_blank:
        n += lines[i].is_cell
        i += 1
    return n


def _bare_run_reaches_cell(lines: list[_Line], i: int) -> int | None:
    """Bare lines at i that are further paragraphs of the last cell: where the next cell is.

    Converters write a cell's paragraphs separated by single blank lines, so after a
    blank line a bare line continues the cell when a cell line follows it after at most
    one more blank line. Two blank lines, a title or a long run is prose after the table.
    """
    paragraphs = 0
    while i < len(lines):
        line = lines[i]
        if line.is_cell:
            return i
        if line.is_blank:
            nxt = _blank_run(lines, i)
            if nxt - i >= 2:
                return None
            i = nxt
            continue
        if looks_like_title(line.text):
            return None
        paragraphs += 1
        if paragraphs > _MAX_CELL_PARAGRAPHS:
            return None
        i += 1
    return None


def parse_flattened(text: str) -> list[RawParagraph | RawTable]:
    """Split decoded text into paragraphs and recovered tables."""
    lines = _lines(text)
    blocks: list[RawParagraph | RawTable] = []
    #: blocks a blank line (or a table) separates from the one before: never joined to it
    hard_breaks: set[int] = set()
    after_blank = True
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.is_blank:
            after_blank = True
            i += 1
            continue
        if not line.is_cell:
            if after_blank:
                hard_breaks.add(len(blocks))
            blocks.append(RawParagraph(RawText(line.text, source_start=line.start)))
            after_blank = False
            i += 1
            continue
        after_blank = True
        if not line.text.strip():
            # an empty cell outside any table is layout residue, not the start of one
            i += 1
            continue
        rows, i, trailing = _read_table(lines, i)
        rows = [r for r in rows if any(c.text.text.strip() for c in r)]
        if rows:
            blocks.append(RawTable(rows))
        for t, start in trailing:
            hard_breaks.add(len(blocks))
            blocks.append(RawParagraph(RawText(t, source_start=start)))
    return join_wrapped_paragraphs(blocks, hard_breaks=hard_breaks)


def _read_table(
    lines: list[_Line], i: int
) -> tuple[list[list[RawCell]], int, list[tuple[str, int]]]:
    """Read one flattened table from line i; return its rows, where it ended and the
    lines that trailed the last cell but were a title after the table."""
    rows: list[list[_CellBuf]] = []
    row: list[_CellBuf] = []
    while i < len(lines):
        line = lines[i]
        if line.is_cell:
            row.append(_cell_start(line))
            i += 1
            continue
        if not line.is_blank:
            if row:
                row[-1].parts.append((line.text, line.start))
            i += 1
            continue
        nxt = _blank_run(lines, i)
        gap = nxt - i
        if nxt >= len(lines):
            break
        if lines[nxt].is_cell:
            width = _group_width(lines, nxt)
            if gap >= 3 and width != len(row):
                break  # a wide gap and a different shape: the next table
            # rows of a steady width, then one short by exactly the next group's width
            prev_width = len(rows[-1]) if len(rows) >= 2 and len(rows[-2]) == len(rows[-1]) else 0
            if gap == 1 and row and width == 1 and len(row) + 1 == prev_width:
                # a cell ending in an empty paragraph split this row in two: rejoin
                row[-1].parts.append(("", lines[i].start))
            else:
                if row:
                    rows.append(row)
                row = []
            i = nxt
            continue
        if gap == 1 and row and _bare_run_reaches_cell(lines, nxt) is not None:
            row[-1].parts.append(("", lines[i].start))
            i = nxt
            continue
        break
    if row:
        rows.append(row)
    trailing = _pop_trailing_title(rows)
    return [[RawCell(c.raw()) for c in r] for r in rows], i, trailing


def _pop_trailing_title(rows: list[list[_CellBuf]]) -> list[tuple[str, int]]:
    """A title written right under the last cell (no blank line) belongs after the table.

    Only the bare lines after the cell's own first line are candidates, and only when
    the last of them reads as a title (…表, …报告).
    """
    if not rows or not rows[-1]:
        return []
    cell = rows[-1][-1]
    if len(cell.parts) < 2 or not looks_like_title(cell.parts[-1][0]):
        return []
    k = len(cell.parts) - 1
    while k > 1 and cell.parts[k - 1][0].strip():
        k -= 1
    trailing = [(t, s) for t, s in cell.parts[k:] if t.strip()]
    del cell.parts[k:]
    while len(cell.parts) > 1 and not cell.parts[-1][0].strip():
        cell.parts.pop()
    return trailing
