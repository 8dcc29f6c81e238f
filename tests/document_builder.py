"""Build small in-memory Documents for tests: paragraphs as strings, tables as cell rows.

A table cell is a string, or ``(text, colspan)`` for a cell spanning several grid
columns (as PDF and DOCX tables print group headers), or ``MERGED`` for the empty
continuation of a cell merged from the row above.
"""

from __future__ import annotations

from jixiao.document import Document, RawCell, RawParagraph, RawTable, RawText
from jixiao.ingest.build import build_document

#: the continuation of a vertically merged cell
MERGED = "\0merged"

CellSpec = str | tuple[str, int]


def _cell(spec: CellSpec) -> RawCell:
    if spec == MERGED:
        return RawCell(RawText(""), merged_from_above=True)
    if isinstance(spec, tuple):
        return RawCell(RawText(spec[0]), colspan=spec[1])
    return RawCell(RawText(spec))


def doc_from_blocks(*blocks: str | list[list[CellSpec]]) -> Document:
    """A TXT-format Document of the given paragraphs (str) and tables (list of rows)."""
    raw: list[RawParagraph | RawTable] = []
    for block in blocks:
        if isinstance(block, str):
            raw.append(RawParagraph(RawText(block)))
        else:
            raw.append(RawTable(rows=[[_cell(c) for c in row] for row in block]))
    return build_document(raw, path="variant.txt", sha256="0", format="txt")
