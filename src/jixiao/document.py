"""The in-memory document every stage after ingestion works on.

Whatever the source format (TXT, DOCX, PDF), a reader yields a sequence of raw blocks
(paragraphs and tables, each with its page: the `Raw*` types here) and
`jixiao.ingest.build.build_document` renders them into one normalised text with fixed
conventions, so the same table comes out as the same rows and the same text whichever
format it arrived in:

* a paragraph is one line;
* a table row is one line, its cells joined by a TAB; a cell's own line breaks are
  removed (CJK text does not use spaces between wrapped parts);
* blocks are separated by a single newline.

Every offset in the output (evidence, sections, cells) indexes `Document.text`.
`Document.source_offset` maps an offset back to the raw input where one exists (TXT).

This module is the bottom of the stack: every stage imports it and it imports none.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

CELL_SEPARATOR = "\t"
BLOCK_SEPARATOR = "\n"


# ---------------------------------------------------------------------------- raw blocks
@dataclass
class RawText:
    """A piece of source text with, optionally, where it starts in the raw input."""

    text: str
    source_start: int | None = None
    #: per-character source offsets when the piece is not contiguous in the source
    source_offsets: Sequence[int] | None = None


@dataclass
class RawParagraph:
    text: RawText
    page: int | None = None


@dataclass
class RawCell:
    text: RawText
    colspan: int = 1
    #: True for the continuation of a vertically merged cell (rendered empty)
    merged_from_above: bool = False


@dataclass
class RawTable:
    rows: list[list[RawCell]]
    page: int | None = None
    #: a table nested in a cell of another table keeps that cell's position
    nested_in: tuple[int, int, int] | None = None
    #: last page of a table joined across a page break
    end_page: int | None = None


RawBlock = RawParagraph | RawTable


# ---------------------------------------------------------------------------- built model
@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Cell:
    """One physical cell of a table; an empty continuation of a merged cell has text ''."""

    row: int
    col: int
    text: str
    start: int
    end: int
    colspan: int = 1
    merged_from_above: bool = False


@dataclass
class Table:
    index: int
    rows: list[list[Cell]]
    start: int
    end: int
    page: int | None = None
    end_page: int | None = None
    nested_in: tuple[int, int, int] | None = None

    def row_texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]

    @property
    def n_cols(self) -> int:
        return max((sum(c.colspan for c in row) for row in self.rows), default=0)


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    page: int | None = None


Block = Paragraph | Table


@dataclass
class Document:
    path: str
    sha256: str
    format: str
    text: str
    blocks: list[Block]
    pages: int | None = None
    #: sorted (offset, page) pairs: the page a text offset falls on
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    #: offset in `text` -> offset in the raw input (TXT only), -1 where none
    source_map: array | None = None
    #: reasons ingestion noticed but that did not stop it (e.g. "decoded as GB18030")
    notes: list[str] = field(default_factory=list)
    _block_starts: list[int] | None = field(default=None, repr=False, compare=False)
    _tables: list[Table] | None = field(default=None, repr=False, compare=False)

    @property
    def tables(self) -> list[Table]:
        """The tables in order; found once (blocks do not change after reading), and a
        new list each time, so a caller may change it (chunking asks once per section)."""
        if self._tables is None:
            self._tables = [b for b in self.blocks if isinstance(b, Table)]
        return list(self._tables)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def para_text(self, p: Paragraph) -> str:
        return self.text[p.start : p.end]

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        i = bisect.bisect_right(self.page_starts, offset, key=lambda p: p[0]) - 1
        return self.page_starts[max(i, 0)][1]

    def source_offset(self, offset: int) -> int | None:
        if self.source_map is None or not 0 <= offset < len(self.source_map):
            return None
        value = self.source_map[offset]
        return None if value < 0 else value

    def blocks_in(self, start: int, end: int) -> Iterator[Block]:
        """Blocks that start inside [start, end) (blocks are in text order: bisect)."""
        if self._block_starts is None:
            self._block_starts = [b.start for b in self.blocks]
        first = bisect.bisect_left(self._block_starts, start)
        last = bisect.bisect_left(self._block_starts, end)
        yield from self.blocks[first:last]
