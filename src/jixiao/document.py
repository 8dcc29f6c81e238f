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
`Document.locate` maps a span to where it is printed — page, box in PDF points and, for
text recognised by OCR, the recognition confidence — for PDF and image sources, whose
readers attach `TextBox`es to the raw text.

This module is the bottom of the stack: every stage imports it and it imports none.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

CELL_SEPARATOR = "\t"
BLOCK_SEPARATOR = "\n"


BBox = tuple[float, float, float, float]


# ---------------------------------------------------------------------------- raw blocks
@dataclass
class TextBox:
    """Where the characters [start, end) of a piece of text are printed: the page and
    the box [x0, top, x1, bottom] in PDF points; `confidence` is the OCR recognition
    confidence (0-1) of text read from an image, None for a PDF's text layer."""

    start: int
    end: int
    page: int
    bbox: BBox
    confidence: float | None = None


@dataclass
class RawText:
    """A piece of source text with, optionally, where it starts in the raw input."""

    text: str
    source_start: int | None = None
    #: per-character source offsets when the piece is not contiguous in the source
    source_offsets: Sequence[int] | None = None
    #: where its characters are printed (PDF and image sources), offsets into `text`
    boxes: list[TextBox] | None = None


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
    #: the cell's box on its page, in PDF points (PDF and image sources)
    bbox: BBox | None = None
    #: lowest OCR recognition confidence of the cell's text (None: not OCR'd)
    ocr_confidence: float | None = None


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
    #: the box of the paragraph's text on its first page, in PDF points
    bbox: BBox | None = None
    #: lowest OCR recognition confidence of the paragraph's text (None: not OCR'd)
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class Location:
    """Where a span of `Document.text` is printed; all None when the source has no pages."""

    page: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None


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
    #: where stretches of `text` are printed, sorted by `start` (offsets into `text`)
    boxes: list[TextBox] = field(default_factory=list)
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

    @property
    def ocr_pages(self) -> list[int]:
        """1-based pages whose text was recognised by OCR."""
        return sorted({b.page for b in self.boxes if b.confidence is not None})

    def locate(self, start: int, end: int) -> Location:
        """Page, box and OCR confidence of the text span [start, end).

        The box is the union of the boxes the span touches on its first page (a line or
        a cell: readers box text at that grain); the confidence the lowest among them,
        so one shaky character makes the whole value uncertain.
        """
        end = max(end, start + 1)
        boxes = self.boxes
        if not boxes:
            return Location(page=self.page_at(start))
        i = bisect.bisect_right(boxes, start, key=lambda b: b.start) - 1
        hits: list[TextBox] = []
        for box in boxes[max(i, 0) :]:
            if box.start >= end:
                break
            if box.end > start and (not hits or box.page == hits[0].page):
                hits.append(box)
        if not hits:
            return Location(page=self.page_at(start))
        scores = [b.confidence for b in hits if b.confidence is not None]
        return Location(
            page=hits[0].page,
            bbox=union(b.bbox for b in hits),
            ocr_confidence=min(scores) if scores else None,
        )

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


def lines_above(text: str, end: int, limit: int) -> Iterator[tuple[int, str]]:
    """The prose lines right above offset `end` (a line start), nearest first, as (start,
    line), at most `limit` of them: a blank line, a table row (tab-separated cells) or the
    text's start ends the run. A list a later sentence counts is read upwards from it."""
    at = end - 1
    for _ in range(limit):
        if at <= 0:
            return
        start = text.rfind("\n", 0, at) + 1
        line = text[start:at]
        if not line.strip() or "\t" in line:
            return
        yield start, line
        at = start - 1


def union(boxes: Iterable[BBox]) -> BBox:
    """The smallest box holding all of `boxes`."""
    x0s, tops, x1s, bottoms = zip(*boxes, strict=True)
    return (min(x0s), min(tops), max(x1s), max(bottoms))
