"""Raw blocks → one `Document`: normalised text, and offsets for every block and cell.

The rendering conventions (a paragraph per line, a table row per line with TAB-joined
cells) are `jixiao.document`'s; each piece is normalised here (`normalize`), keeping a
map back to the raw input where the reader gave one, and moving the reader's `TextBox`es
(where each stretch is printed) onto the normalised text's offsets.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from dataclasses import replace

from jixiao.document import (
    BLOCK_SEPARATOR,
    CELL_SEPARATOR,
    BBox,
    Block,
    Cell,
    Document,
    Paragraph,
    RawBlock,
    RawParagraph,
    RawText,
    Table,
    TextBox,
    union,
)
from jixiao.ingest.normalize import normalize_piece_index


class _Writer:
    def __init__(self, keep_source_map: bool) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.source_map: array | None = array("q") if keep_source_map else None

    def write(self, text: str, sources: Sequence[int] | None = None) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length = end = start + len(text)
        source_map = self.source_map
        if source_map is not None:
            if sources is None:
                source_map.extend(_NO_SOURCE * len(text))
            else:
                source_map.extend(sources)
        return start, end

    def separator(self, text: str) -> None:
        """A separator between blocks, rows or cells: no source, no span to return."""
        self.parts.append(text)
        self.length += len(text)
        if self.source_map is not None:
            self.source_map.extend(_NO_SOURCE * len(text))


_NO_SOURCE = array("q", [-1])


def _piece_sources(raw: RawText) -> Sequence[int] | None:
    if raw.source_offsets is not None:
        return raw.source_offsets
    if raw.source_start is not None:
        return range(raw.source_start, raw.source_start + len(raw.text))
    return None


def _normalized(
    raw: RawText, keep_map: bool, *, in_cell: bool
) -> tuple[str, Sequence[int] | None, list[TextBox]]:
    """The piece's normalised text, each character's source offset when a map is kept,
    and the piece's boxes on the normalised text.

    A piece normalisation left in place (most cells) maps through its sources as they
    are: no per-character list is built for it.
    """
    text, index = normalize_piece_index(raw.text, in_cell=in_cell)
    boxes = _moved_boxes(raw.boxes, index, len(text)) if raw.boxes else []
    sources = _piece_sources(raw) if keep_map else None
    if sources is None:
        return text, None, boxes
    if index is None and len(sources) == len(text):
        return text, sources, boxes
    if index is None:
        index = list(range(len(text)))
    n = len(sources)
    return text, [sources[i] if 0 <= i < n else -1 for i in index], boxes


def _moved_boxes(boxes: list[TextBox], index: list[int] | None, length: int) -> list[TextBox]:
    """Boxes of a raw piece moved onto its normalised text (`index`: normalised → raw)."""
    if index is None:
        return [replace(b, end=min(b.end, length)) for b in boxes if b.start < length]
    # normalisation only drops or rewrites characters in place: the index is ascending
    moved = []
    for box in boxes:
        start = bisect.bisect_left(index, box.start)
        end = bisect.bisect_left(index, box.end)
        if end > start:
            moved.append(replace(box, start=start, end=end))
    return moved


def _place(
    boxes: list[TextBox], offset: int, doc_boxes: list[TextBox]
) -> tuple[BBox | None, float | None]:
    """Move a piece's boxes to document offsets; the piece's box and lowest confidence."""
    if not boxes:
        return None, None
    placed = [replace(b, start=b.start + offset, end=b.end + offset) for b in boxes]
    doc_boxes.extend(placed)
    first = [b for b in placed if b.page == placed[0].page]
    scores = [b.confidence for b in placed if b.confidence is not None]
    return union(b.bbox for b in first), (min(scores) if scores else None)


def build_document(
    raw_blocks: Sequence[RawBlock],
    *,
    path: str,
    sha256: str,
    format: str,
    pages: int | None = None,
    keep_source_map: bool = False,
    notes: list[str] | None = None,
) -> Document:
    """Render raw blocks into one normalised text with offsets for every block and cell."""
    writer = _Writer(keep_source_map)
    blocks: list[Block] = []
    page_starts: list[tuple[int, int]] = []
    n_tables = 0

    def mark_page(page: int | None, offset: int) -> None:
        if page is not None and (not page_starts or page_starts[-1][1] != page):
            page_starts.append((offset, page))

    doc_boxes: list[TextBox] = []
    for raw in raw_blocks:
        if blocks:
            writer.separator(BLOCK_SEPARATOR)
        if isinstance(raw, RawParagraph):
            text, sources, boxes = _normalized(raw.text, keep_source_map, in_cell=False)
            mark_page(raw.page, writer.length)
            start, end = writer.write(text, sources)
            bbox, confidence = _place(boxes, start, doc_boxes)
            blocks.append(
                Paragraph(
                    index=len(blocks),
                    start=start,
                    end=end,
                    page=raw.page,
                    bbox=bbox,
                    ocr_confidence=confidence,
                )
            )
            continue
        mark_page(raw.page, writer.length)
        table_start = writer.length
        rows: list[list[Cell]] = []
        for r, raw_row in enumerate(raw.rows):
            if r:
                writer.separator(BLOCK_SEPARATOR)
            cells: list[Cell] = []
            col = 0
            for c, raw_cell in enumerate(raw_row):
                if c:
                    writer.separator(CELL_SEPARATOR)
                text, sources, boxes = _normalized(raw_cell.text, keep_source_map, in_cell=True)
                start, end = writer.write(text, sources)
                bbox, confidence = _place(boxes, start, doc_boxes)
                cells.append(
                    Cell(
                        row=r,
                        col=col,
                        text=text,
                        start=start,
                        end=end,
                        colspan=raw_cell.colspan,
                        merged_from_above=raw_cell.merged_from_above,
                        bbox=bbox,
                        ocr_confidence=confidence,
                    )
                )
                col += max(raw_cell.colspan, 1)
            rows.append(cells)
        blocks.append(
            Table(
                index=n_tables,
                rows=rows,
                start=table_start,
                end=writer.length,
                page=raw.page,
                end_page=raw.end_page or raw.page,
                nested_in=raw.nested_in,
            )
        )
        n_tables += 1

    return Document(
        path=path,
        sha256=sha256,
        format=format,
        text="".join(writer.parts),
        blocks=blocks,
        pages=pages,
        page_starts=page_starts,
        source_map=writer.source_map,
        notes=list(notes or []),
        boxes=doc_boxes,
    )
