"""PDF ingestion with pdfplumber: ruled tables, the text around them, page numbers.

Per page: tables come from `find_tables` (ruling lines), then from the words outside
them (`jixiao.ingest.unruled`: tables printed without lines, their cells read from
their characters as a ruled cell's are); every other line of text is a paragraph, in
reading order (top to bottom) with the tables. A page without characters is OCR'd when
it holds an image or drawn shapes (a blank page is left blank). A line that reaches the
right edge of the prose and does not end a sentence was wrapped by the layout and is
joined to the next one, across a page break too (geometry is surer than the character
count `wrapping.join_wrapped_paragraphs` must rely on for TXT). Running headers and footers (a line in the top
or bottom margin that repeats on several pages, or a bare page number) are dropped.

Merged cells: pdfplumber gives a merged region's text to its first position and ``None``
to the others. A ``None`` whose covering cell starts in the same row is part of a
horizontal span (folded into the left cell's ``colspan``); one whose covering cell starts
in a row above is a vertical continuation, emitted as an empty cell with
``merged_from_above`` — the same rows the DOCX and TXT readers produce.

A table that runs over a page break (the next page starts with a table with the same
left and right edges — for a table without lines, the same columns — nothing but a
running header in between) is joined into one `RawTable` with ``end_page`` set.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from jixiao.document import BBox, RawCell, RawParagraph, RawTable, RawText, TextBox
from jixiao.errors import CorruptDocument, EncryptedPDF, NoTextLayer
from jixiao.ingest.unruled import Word
from jixiao.ingest.unruled import find_tables as find_unruled
from jixiao.ingest.wrapping import HEADING_START, SENTENCE_END, concat_raw

if TYPE_CHECKING:
    from jixiao.ingest.ocr.page import OcrPage

#: pdfplumber inserts a space where two characters are further apart than this share
#: of their size; 0.5 keeps CJK runs and CJK/Latin font switches unspaced
TEXT_SETTINGS: dict[str, Any] = {"x_tolerance_ratio": 0.5, "y_tolerance": 3}
#: share of the page height at top and bottom where running headers and footers live
MARGIN = 0.08
#: pixel slack when comparing table edges on two pages
EDGE_SLACK = 3.0
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|[-—–]?\s*\d+\s*[-—–]?|\d+\s*/\s*\d+"
    r"|page\s*\d+(?:\s*of\s*\d+)?)\s*$",
    re.IGNORECASE,
)


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x1: float = 0.0
    #: where the line's characters are printed (for evidence boxes)
    boxes: list[TextBox] | None = None


@dataclass
class _PageTable:
    table: RawTable
    top: float
    x0: float
    x1: float
    #: (left, right) of each column's text, for a table found without ruling lines
    columns: list[tuple[float, float]] | None = None


def read_pdf(data: bytes) -> tuple[list[RawParagraph | RawTable], int]:
    """Read a PDF into raw blocks and its page count; raises an InputError on bad input.

    A page without a usable text layer (no characters, or mostly ``(cid:N)`` glyphs a
    font maps to nothing) is rendered and read by OCR (`jixiao.ingest.ocr`); its lines
    and tables then go through the same assembly as the text pages.
    """
    import pdfplumber

    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as exc:  # pdfplumber wraps every pdfminer failure
        raise _open_error(exc) from exc
    with pdf:
        pages: list[tuple[list[_Line], list[_PageTable], float]] = []
        scanned: list[int] = []
        try:
            for page in pdf.pages:
                lines, tables = _read_page(page)
                n_chars = len(page.chars)
                cid_chars = sum(len(m) for line in lines for m in _CID.findall(line.text))
                if n_chars == 0 or cid_chars > n_chars * 0.3:
                    if n_chars or page.images or page.curves:
                        scanned.append(len(pages))  # a blank page has nothing to recognise
                    lines, tables = [], []
                pages.append((lines, tables, float(page.height)))
                page.close()
        except Exception as exc:
            raise CorruptDocument(
                f"damaged PDF: page {len(pages) + 1} cannot be read ({type(exc).__name__}); "
                "re-export or print it to a new PDF"
            ) from exc
        n_pages = len(pdf.pages)
    if scanned:
        from jixiao.ingest.ocr.pdf_pages import ocr_pdf_pages

        for index, ocr in zip(scanned, ocr_pdf_pages(data, scanned), strict=True):
            pages[index] = ocr_page_parts(ocr, index + 1)
        if not any(lines or tables for lines, tables, _ in pages):
            raise NoTextLayer(
                "scanned PDF with no recognisable text: the pages are blank, or too faint "
                "or coarse to read; rescan at 200 dpi or more"
            )
    repeated = _running_lines(pages)
    return _assemble(pages, repeated), n_pages


def ocr_page_parts(ocr: OcrPage, number: int) -> tuple[list[_Line], list[_PageTable], float]:
    """An OCR'd page as the lines and tables `assemble` takes."""
    lines = [_Line(x.text, x.top, x.bottom, x.x1, boxes=x.boxes) for x in ocr.lines]
    tables = []
    for table in ocr.tables:
        rows = [
            [
                RawCell(
                    RawText(c.text, boxes=c.boxes or None),
                    colspan=c.colspan,
                    merged_from_above=c.merged_from_above,
                )
                for c in row
            ]
            for row in table.rows
        ]
        tables.append(
            _PageTable(
                RawTable(rows, page=number), table.top, table.x0, table.x1, columns=table.columns
            )
        )
    return lines, tables, ocr.height


def assemble(
    pages: list[tuple[list[_Line], list[_PageTable], float]],
) -> list[RawParagraph | RawTable]:
    """Pages' lines and tables as blocks: running lines dropped, wrapped lines and
    tables split by a page break joined (the image reader uses it too)."""
    return _assemble(pages, _running_lines(pages))


def _open_error(exc: Exception) -> Exception:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPDF("encrypted PDF: it needs a password; save an unprotected copy")
    return CorruptDocument(
        f"damaged PDF ({type(cause).__name__}): the file is truncated or not a PDF; "
        "re-export or print it to a new PDF"
    )


# ---------------------------------------------------------------------------- one page
def _read_page(page) -> tuple[list[_Line], list[_PageTable]]:
    found = page.find_tables()
    tables = [t for t in (_table(page, t) for t in found) if t is not None]
    boxes = [t.bbox for t in found]

    def outside_tables(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_page = page.filter(outside_tables) if boxes else page
    unruled = _unruled_tables(text_page)
    if unruled:
        tables += [t for t, _ in unruled]
        used = {id(ch) for _, chars in unruled for ch in chars}
        text_page = text_page.filter(lambda obj: id(obj) not in used)
    number = page.page_number
    lines = [
        _Line(
            line["text"],
            float(line["top"]),
            float(line["bottom"]),
            float(line["x1"]),
            boxes=[TextBox(0, len(line["text"]), number, _box(line))],
        )
        for line in text_page.extract_text_lines(return_chars=False, **TEXT_SETTINGS)
        if line["text"].strip()
    ]
    return lines, tables


def _unruled_tables(page) -> list[tuple[_PageTable, list[dict]]]:
    """Tables printed without ruling lines among the page's words (`unruled`), each
    with the characters it took; a cell's text is read from its characters as a ruled
    cell's is."""
    from pdfplumber.utils import extract_text

    words = page.extract_words(return_chars=True, **TEXT_SETTINGS)
    if len(words) < 4:
        return []
    found = find_unruled(
        [Word(w["x0"], w["top"], w["x1"], w["bottom"], w["text"], k) for k, w in enumerate(words)]
    )
    out = []
    number = page.page_number
    for table in found:
        rows: list[list[RawCell]] = []
        taken: list[dict] = []
        for row in table.rows:
            cells = []
            for cell in row:
                chars = [ch for w in cell.words for ch in words[w.key]["chars"]]
                taken += chars
                text = extract_text(chars, **TEXT_SETTINGS) if chars else ""
                boxes = None
                if text:
                    bbox = (
                        min(words[w.key]["x0"] for w in cell.words),
                        min(words[w.key]["top"] for w in cell.words),
                        max(words[w.key]["x1"] for w in cell.words),
                        max(words[w.key]["bottom"] for w in cell.words),
                    )
                    boxes = [TextBox(0, len(text), number, _as_bbox(bbox))]
                cells.append(
                    RawCell(
                        RawText(text, boxes=boxes),
                        colspan=cell.colspan,
                        merged_from_above=cell.merged_from_above,
                    )
                )
            rows.append(cells)
        page_table = _PageTable(
            RawTable(rows, page=number),
            float(table.top),
            float(table.x0),
            float(table.x1),
            columns=[(float(a), float(b)) for a, b in table.columns],
        )
        out.append((page_table, taken))
    return out


def _box(obj: dict) -> BBox:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _table(page, table) -> _PageTable | None:
    texts = table.extract(**TEXT_SETTINGS)
    cells = table.cells  # every physical cell's bbox
    xs = sorted({c[0] for c in cells})
    rows: list[list[RawCell]] = []
    for row, row_texts in zip(table.rows, texts, strict=True):
        top = row.bbox[1]
        out: list[RawCell] = []
        origin_of_last: tuple | None = None
        for c, text in enumerate(row_texts):
            cover = _covering(cells, xs[c], top)
            if text is not None:
                boxes = None
                if cover is not None and text:
                    boxes = [TextBox(0, len(text), page.page_number, _as_bbox(cover))]
                out.append(RawCell(RawText(text, boxes=boxes)))
                origin_of_last = None
                continue
            if cover is not None and abs(cover[1] - top) < 0.5 and out:
                out[-1].colspan += 1  # horizontal span of the cell to the left
            elif cover is not None and cover == origin_of_last and out:
                out[-1].colspan += 1  # a wide region continued from above
            else:
                out.append(RawCell(RawText(""), merged_from_above=cover is not None))
                origin_of_last = cover
        rows.append(out)
    rows = [r for r in rows if any(c.text.text.strip() for c in r)]
    if not rows:
        return None
    x0, top, x1, _ = table.bbox
    return _PageTable(RawTable(rows, page=page.page_number), float(top), float(x0), float(x1))


def _as_bbox(cell: tuple) -> BBox:
    x0, top, x1, bottom = cell
    return (float(x0), float(top), float(x1), float(bottom))


def _covering(cells: list[tuple], x: float, top: float) -> tuple | None:
    """The physical cell that covers column start x in the row at `top`."""
    for cell in cells:
        if cell[0] - 0.5 <= x < cell[2] - 0.5 and cell[1] - 0.5 <= top < cell[3] - 0.5:
            return cell
    return None


# ---------------------------------------------------------------------------- pages
def _mask(text: str) -> str:
    """A margin line's text with digits and spacing masked and forms folded (OCR reads the
    same header as "(测试）" on one page and "（测试）" on the next)."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def _in_margin(line: _Line, height: float) -> bool:
    return line.bottom < height * MARGIN or line.top > height * (1 - MARGIN)


def _running_lines(pages: list[tuple[list[_Line], list[_PageTable], float]]) -> set[str]:
    """Masked texts of margin lines that recur on at least half the pages (≥ 2)."""
    counts: Counter[str] = Counter()
    for lines, _, height in pages:
        counts.update({_mask(line.text) for line in lines if _in_margin(line, height)})
    threshold = max(2, len(pages) // 2)
    return {text for text, n in counts.items() if n >= threshold}


def _assemble(
    pages: list[tuple[list[_Line], list[_PageTable], float]], repeated: set[str]
) -> list[RawParagraph | RawTable]:
    blocks: list[RawParagraph | RawTable] = []
    carry: _PageTable | None = None  # the table that ended the previous page
    right = _right_edge([line for lines, _, _ in pages for line in lines])
    wrapped = False  # the last line written reached the right edge: a sentence goes on
    for number, (lines, tables, height) in enumerate(pages, start=1):
        kept = [
            line
            for line in lines
            if not (
                _in_margin(line, height)
                and (_mask(line.text) in repeated or _PAGE_NUMBER.match(line.text))
            )
        ]
        items: list[tuple[float, _Line | _PageTable]] = [(ln.top, ln) for ln in kept]
        items += [(t.top, t) for t in tables]
        items.sort(key=lambda item: item[0])
        last: _PageTable | None = None
        for k, (_, item) in enumerate(items):
            last = None
            if isinstance(item, _Line):
                prev = blocks[-1] if blocks else None
                if (
                    wrapped
                    and isinstance(prev, RawParagraph)
                    and not HEADING_START.match(item.text)
                ):
                    prev.text = concat_raw(prev.text, RawText(item.text, boxes=item.boxes))
                else:
                    blocks.append(RawParagraph(RawText(item.text, boxes=item.boxes), page=number))
                wrapped = _reaches_edge(item, right)
                continue
            wrapped = False
            if k == 0 and carry is not None and _continues(carry, item):
                carry.table.rows.extend(_in_columns_of(carry, item))
                carry.table.end_page = number
                last = carry
            else:
                blocks.append(item.table)
                last = item
        carry = last
    return blocks


def _right_edge(lines: list[_Line]) -> float | None:
    """Where justified prose ends: the rightmost x1 that at least three lines reach."""
    ends = sorted((line.x1 for line in lines), reverse=True)
    for k, x1 in enumerate(ends):
        if k + 2 < len(ends) and x1 - ends[k + 2] <= 2.0:
            return x1
    return None


def _reaches_edge(line: _Line, right: float | None) -> bool:
    """A line laid out to the right edge and not ended: the layout wrapped it."""
    size = max(line.bottom - line.top, 1.0)
    return (
        right is not None
        and line.x1 >= right - 1.5 * size
        and not line.text.rstrip().endswith(SENTENCE_END)
    )


def _continues(previous: _PageTable, table: _PageTable) -> bool:
    """A table at the top of a page with the same edges as the one ending the last page
    (for tables without ruling lines: each of its columns one of the last table's, in
    order; a continuation whose last columns are empty shows fewer of them)."""
    if previous.columns is not None or table.columns is not None:
        return _column_map(previous, table) is not None
    return abs(previous.x0 - table.x0) <= EDGE_SLACK and abs(previous.x1 - table.x1) <= EDGE_SLACK


def _column_map(previous: _PageTable, table: _PageTable) -> list[int] | None:
    """For tables without ruling lines: the column of `previous` each column of `table`
    is (aligned on an edge, or printed within it), in order; None when one is not."""
    if previous.columns is None or table.columns is None:
        return None
    out: list[int] = []
    at = 0
    for left, right in table.columns:
        while at < len(previous.columns):
            a, b = previous.columns[at]
            at += 1
            aligned = abs(a - left) <= EDGE_SLACK or abs(b - right) <= EDGE_SLACK
            if aligned or (left >= a - EDGE_SLACK and right <= b + EDGE_SLACK):
                out.append(at - 1)
                break
        else:
            return None
    return out


def _in_columns_of(previous: _PageTable, table: _PageTable) -> list[list[RawCell]]:
    """The rows of a continuation placed in the columns of the table it continues (its
    empty columns, which a table without lines does not show, as empty cells)."""
    mapping = _column_map(previous, table)
    if mapping is None or previous.columns is None:
        return table.table.rows
    width = len(previous.columns)
    rows = []
    for row in table.table.rows:
        cells: list[RawCell] = []
        col = at = 0
        for cell in row:
            first, last = mapping[col], mapping[min(col + cell.colspan, len(mapping)) - 1]
            cells += [RawCell(RawText("")) for _ in range(first - at)]
            col += cell.colspan
            cell.colspan = last - first + 1
            cells.append(cell)
            at = last + 1
        cells += [RawCell(RawText("")) for _ in range(width - at)]
        rows.append(cells)
    return rows
