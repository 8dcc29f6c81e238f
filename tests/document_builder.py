"""Build small in-memory Documents for tests: paragraphs as strings, tables as cell rows."""

from __future__ import annotations

from jixiao.document import Document, RawCell, RawParagraph, RawTable, RawText
from jixiao.ingest.build import build_document


def doc_from_blocks(*blocks: str | list[list[str]]) -> Document:
    """A TXT-format Document of the given paragraphs (str) and tables (list of rows)."""
    raw: list[RawParagraph | RawTable] = []
    for block in blocks:
        if isinstance(block, str):
            raw.append(RawParagraph(RawText(block)))
        else:
            raw.append(RawTable(rows=[[RawCell(RawText(c)) for c in row] for row in block]))
    return build_document(raw, path="variant.txt", sha256="0", format="txt")
