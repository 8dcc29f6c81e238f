"""Spreadsheets (.xlsx, .xls, .et, .ods): every visible sheet, in order, as tables.

Each sheet is read into a grid of displayed texts (numbers under their cell format:
`numfmt`) and its merged regions, then cut into blocks at empty rows: a block that is a
single cell of text is a paragraph (a title above a table), any other block a table.
Merged regions come out the way the DOCX and PDF readers give them: a horizontal span
is one cell with ``colspan``, a vertical continuation an empty cell with
``merged_from_above``; formulas give their cached values.

Readers, chosen by measurement (benchmarks/spreadsheet_readers.py): openpyxl for XLSX
and xlrd for XLS are the ones that hand over each cell's number format; python-calamine
reads values several times faster but without formats, so 1,234.50 would come out as
1234.5, losing both the 元 cue and the printed precision the verifier works from.
ODS keeps the displayed text itself in ``content.xml``, read here with lxml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

from jixiao.document import RawCell, RawParagraph, RawTable, RawText
from jixiao.errors import CorruptDocument, EncryptedDocument
from jixiao.ingest.numfmt import format_value

#: sheet names a program gives by default: not a heading worth keeping
_DEFAULT_SHEET_NAME = re.compile(r"^\s*(?:sheet|工作表|页)\s*\d*\s*$", re.IGNORECASE)


@dataclass
class Grid:
    """One sheet: displayed texts by (row, col) and merged regions (r0, r1, c0, c1),
    end-exclusive, all 0-based."""

    name: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_workbook(data: bytes, fmt: str) -> list[RawParagraph | RawTable]:
    """Raw blocks of every visible sheet of an XLSX, XLS (or .et) or ODS workbook."""
    if fmt == "xlsx":
        grids = _xlsx_grids(data)
    elif fmt in ("xls", "et"):
        grids = _xls_grids(data)
    elif fmt == "ods":
        grids = _ods_grids(data)
    else:  # pragma: no cover - the caller sniffs the format
        raise ValueError(fmt)
    blocks: list[RawParagraph | RawTable] = []
    for grid in grids:
        sheet_blocks = grid_blocks(grid)
        if not sheet_blocks:
            continue
        if not _DEFAULT_SHEET_NAME.match(grid.name) and not _starts_with(sheet_blocks, grid.name):
            blocks.append(RawParagraph(RawText(grid.name.strip())))
        blocks.extend(sheet_blocks)
    return blocks


def _starts_with(blocks: list[RawParagraph | RawTable], name: str) -> bool:
    first = blocks[0]
    text = first.text.text if isinstance(first, RawParagraph) else first.rows[0][0].text.text
    return name.strip() in text


# ---------------------------------------------------------------------------- grid → blocks
def grid_blocks(grid: Grid) -> list[RawParagraph | RawTable]:
    """Cut a sheet at its empty rows into paragraphs and tables."""
    origin: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for merge in grid.merges:
        r0, r1, c0, c1 = merge
        for r in range(r0, r1):
            for c in range(c0, c1):
                origin[(r, c)] = merge
    rows_used = {r for (r, _c), text in grid.texts.items() if text.strip()}
    # a row inside a vertical merge belongs with the rows above it
    for r0, r1, _c0, _c1 in grid.merges:
        if any(r in rows_used for r in range(r0, r1)):
            rows_used.update(range(r0, r1))
    blocks: list[RawParagraph | RawTable] = []
    for run in _runs(sorted(rows_used)):
        blocks.append(_block(grid, run, origin))
    return blocks


def _runs(rows: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def _block(
    grid: Grid, rows: list[int], origin: dict[tuple[int, int], tuple[int, int, int, int]]
) -> RawParagraph | RawTable:
    row_set = set(rows)
    cols = {c for (r, c), text in grid.texts.items() if r in row_set and text.strip()}
    cols.update(c for (r, c) in origin if rows[0] <= r <= rows[-1])
    first, last = min(cols), max(cols)
    filled = [
        (r, c) for r in rows for c in range(first, last + 1) if grid.texts.get((r, c), "").strip()
    ]
    if len(rows) == 1 and len(filled) == 1:
        return RawParagraph(RawText(grid.texts[filled[0]]))
    table_rows: list[list[RawCell]] = []
    for r in rows:
        cells: list[RawCell] = []
        c = first
        while c <= last:
            merge = origin.get((r, c))
            if merge is None:
                cells.append(RawCell(RawText(grid.texts.get((r, c), ""))))
                c += 1
                continue
            r0, _r1, c0, c1 = merge
            span = min(c1, last + 1) - c
            if r0 == r:
                cells.append(RawCell(RawText(grid.texts.get((r0, c0), "")), colspan=span))
            else:
                cells.append(RawCell(RawText(""), colspan=span, merged_from_above=True))
            c += span
        table_rows.append(cells)
    return RawTable(table_rows)


# ---------------------------------------------------------------------------- XLSX
def _xlsx_grids(data: bytes) -> list[Grid]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise CorruptDocument(
            f"damaged XLSX ({type(exc).__name__}): the workbook cannot be read; "
            "re-save it in Excel or LibreOffice"
        ) from exc
    grids: list[Grid] = []
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            grid = Grid(sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    grid.texts[(cell.row - 1, cell.column - 1)] = format_value(
                        cell.value, cell.number_format
                    )
            for merged in sheet.merged_cells.ranges:
                grid.merges.append(
                    (merged.min_row - 1, merged.max_row, merged.min_col - 1, merged.max_col)
                )
            grids.append(grid)
    finally:
        book.close()
    return grids


# ---------------------------------------------------------------------------- XLS
def _xls_grids(data: bytes) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise EncryptedDocument(
                "password-protected XLS: save an unprotected copy (File → Info → Protect)"
            ) from exc
        raise CorruptDocument(f"damaged XLS ({exc}); re-save it in Excel or LibreOffice") from exc
    except (AssertionError, IndexError, KeyError, ValueError, EOFError) as exc:
        raise CorruptDocument(
            f"damaged XLS ({type(exc).__name__}); re-save it in Excel or LibreOffice"
        ) from exc
    grids: list[Grid] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0:
                continue
            grid = Grid(sheet.name)
            for r in range(sheet.nrows):
                for c, cell in enumerate(sheet.row(r)):
                    text = _xls_text(book, cell)
                    if text:
                        grid.texts[(r, c)] = text
            grid.merges = [tuple(m) for m in sheet.merged_cells]  # (rlo, rhi, clo, chi)
            grids.append(grid)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return grids


def _xls_text(book, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    fmt = None
    if cell.xf_index is not None and cell.xf_index < len(book.xf_list):
        fmt_key = book.xf_list[cell.xf_index].format_key
        fmt = book.format_map[fmt_key].format_str if fmt_key in book.format_map else None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return format_value(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError):
            return format_value(cell.value, None)
    return format_value(cell.value, fmt)


# ---------------------------------------------------------------------------- ODS
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT_P = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
#: an ODS row or cell may repeat itself ("1048576 empty rows"): only this many are laid out
_MAX_REPEAT = 1000


def _ods_grids(data: bytes) -> list[Grid]:
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            content = archive.read("content.xml")
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise CorruptDocument(
            f"damaged ODS ({type(exc).__name__}); re-save it in LibreOffice"
        ) from exc
    t = _TABLE_NS
    grids: list[Grid] = []
    for table in root.iter(f"{t}table"):
        grid = Grid(table.get(f"{t}name", ""))
        r = 0
        for row in table.iter(f"{t}table-row"):
            repeat_rows = min(int(row.get(f"{t}number-rows-repeated", "1")), _MAX_REPEAT)
            for _ in range(repeat_rows):
                c = 0
                for cell in row:
                    if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                        continue
                    repeat = min(int(cell.get(f"{t}number-columns-repeated", "1")), _MAX_REPEAT)
                    text = _ods_text(cell) if cell.tag == f"{t}table-cell" else ""
                    rows_spanned = int(cell.get(f"{t}number-rows-spanned", "1"))
                    cols_spanned = int(cell.get(f"{t}number-columns-spanned", "1"))
                    for k in range(repeat):
                        if text:
                            grid.texts[(r, c + k)] = text
                        if rows_spanned > 1 or cols_spanned > 1:
                            grid.merges.append((r, r + rows_spanned, c + k, c + k + cols_spanned))
                    c += repeat
                r += 1
        grids.append(grid)
    return grids


def _ods_text(cell) -> str:
    """The cell's displayed text: its paragraphs (text:p), joined by line breaks."""
    return "\n".join("".join(par.itertext()) for par in cell.iter(_TEXT_P))
