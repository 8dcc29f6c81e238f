"""DOCX ingestion with python-docx: paragraphs and tables in body order.

Word stores a merged region once, but python-docx repeats it: a horizontal span
(``gridSpan``) returns the same cell for each grid column, a vertical continuation
(``vMerge``) returns the cell above. We emit each physical cell once, as the TXT
converter does: a span becomes one `RawCell` with ``colspan``, a vertical continuation
an empty `RawCell` with ``merged_from_above=True``.

A table nested in a cell is emitted as its own `RawTable` right after the outer table,
with ``nested_in=(outer table index, row, col)``; the outer cell keeps only its own text.
Paragraphs inside content controls (``w:sdt``, e.g. a cover-page block) are read too.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from docx.oxml.ns import qn

from jixiao.document import RawCell, RawParagraph, RawTable, RawText
from jixiao.errors import CorruptDocument

_P, _TBL, _SDT, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_SDT_CONTENT, _T, _TAB, _BR = qn("w:sdtContent"), qn("w:t"), qn("w:tab"), qn("w:br")
_TC_PR, _GRID_SPAN, _V_MERGE, _VAL = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")
#: runs whose text is not part of the document's reading text
_SKIP = {qn("w:del"), qn("w:delText"), qn("w:instrText")}


def read_docx(data: bytes) -> list[RawParagraph | RawTable]:
    """Read a DOCX into raw blocks in reading order; raises CorruptDocument if damaged."""
    body = _open_body(data)
    blocks: list[RawParagraph | RawTable] = []
    n_tables = 0
    for element in _body_items(body):
        if element.tag == _P:
            blocks.append(RawParagraph(RawText(_paragraph_text(element))))
            continue
        tables = _read_table(element, index=n_tables)
        blocks.extend(tables)
        n_tables += len(tables)
    return blocks


def _open_body(data: bytes):  # -> lxml element of w:body
    try:
        import docx

        document = docx.Document(BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise CorruptDocument(
            f"damaged DOCX ({type(exc).__name__}: {exc}); the file is truncated or not a "
            "Word document: re-export it from Word or LibreOffice"
        ) from exc
    except Exception as exc:  # lxml XMLSyntaxError, python-docx internals
        raise CorruptDocument(
            f"damaged DOCX: its XML cannot be read ({type(exc).__name__}); "
            "re-save it in Word or LibreOffice"
        ) from exc
    return document.element.body


def _body_items(parent):
    """Direct w:p and w:tbl children, looking through content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content)


def _paragraph_text(p) -> str:
    """Text of one w:p: runs, tabs and line breaks, deleted revisions left out."""
    parts: list[str] = []
    for node in p.iter():
        if node.tag in _SKIP or any(a.tag in _SKIP for a in node.iterancestors()):
            continue
        if node.tag == _T and node.text:
            parts.append(node.text)
        elif node.tag == _TAB:
            parts.append("\t")
        elif node.tag == _BR:
            parts.append("\n")
    return "".join(parts)


def _cell_span(tc) -> tuple[int, str | None]:
    """(gridSpan, vMerge value) of a w:tc; vMerge is 'restart', 'continue' or None."""
    pr = tc.find(_TC_PR)
    if pr is None:
        return 1, None
    span_el = pr.find(_GRID_SPAN)
    span = int(span_el.get(_VAL, "1")) if span_el is not None else 1
    merge_el = pr.find(_V_MERGE)
    merge = None if merge_el is None else (merge_el.get(_VAL) or "continue")
    return max(span, 1), merge


def _read_table(tbl, *, index: int) -> list[RawTable]:
    """The table itself followed by the tables nested in its cells (depth first)."""
    rows: list[list[RawCell]] = []
    nested: list[RawTable] = []
    for r, tr in enumerate(_children(tbl, _TR)):
        row: list[RawCell] = []
        for tc in _row_cells(tr):
            span, merge = _cell_span(tc)
            col = len(row)
            paragraphs: list[str] = []
            for item in _body_items(tc):
                if item.tag == _P:
                    paragraphs.append(_paragraph_text(item))
                else:
                    inner = _read_table(item, index=index + 1 + len(nested))
                    inner[0].nested_in = (index, r, col)
                    nested.extend(inner)
            if merge == "continue":
                row.append(RawCell(RawText(""), colspan=span, merged_from_above=True))
            else:
                row.append(RawCell(RawText("\n".join(paragraphs)), colspan=span))
        rows.append(row)
    return [RawTable(rows), *nested]


def _children(element, tag: str):
    return [child for child in element.iterchildren() if child.tag == tag]


def _row_cells(tr):
    """The w:tc of a row, looking through content controls wrapping cells."""
    for child in tr.iterchildren():
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _row_cells(content)
