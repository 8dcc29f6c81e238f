"""A streaming XLSX package: each sheet's rows written as SpreadsheetML text to a spool
file of its own as they come, the package zipped together when the workbook closes.

Why hand-written (measured at 1,000 and 30,000 documents, benchmarks/RESULTS.md, scale
section): XlsxWriter streams but its per-cell Python makes the export ~6× the CSV time;
rust_xlsxwriter (through rvgsrust-xlsxwriter) is ~1.8× but builds the whole packaged file
in memory when it saves (peak 917 MiB for the 800 MB workbook of 30,000 documents);
pyexcelerate keeps every sheet's cells in memory; rustpy-xlsxwriter takes each sheet's
rows whole, one sheet after another, while the export writes its tables in turns. This
writes only what the export needs — inline strings, numbers, booleans, a frozen header
row — in constant memory: a page of rows at a time, then 1 MiB chunks into the zip.

Cells are given as Python values: `str` (already cut to Excel's limit and cleaned of
the control characters XML cannot carry), `bool`, `int`, finite `float`; `None` is an
empty cell.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: a sheet's start: the header row frozen (the pane below it scrolls), then its rows
_SHEET_HEAD = (
    f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheetViews>'
    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
    ' state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"

#: the one cell style every cell uses (Excel wants a style sheet to be there)
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
    '<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)

#: text Excel would read as an escaped character (`_x0041_` is "A"): its "_" is escaped
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
#: zlib level of the package: 1 is ~3× faster than the default 6 on this XML for ~25 %
#: more bytes (the workbook is still ~1/3 of the CSV export's size)
COMPRESS_LEVEL = 1
_CHUNK = 1 << 20


def column_letters(index: int) -> str:
    """Excel's name of the 0-based column `index` (0 → A, 25 → Z, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_xml(value: str) -> str:
    """A string cell's inline text element, escaped for XML and for Excel."""
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    if "_x" in value:
        value = _LOOKS_ESCAPED.sub("_x005F_", value)
    if "\r" in value:  # an XML reader would turn a CR (and CRLF) into LF
        value = value.replace("\r", "&#13;")
    if value and (value[0] in " \t\n" or value[-1] in " \t\n"):
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


class Sheet:
    """One worksheet's rows, spooled as XML text to `path` until the book is saved."""

    def __init__(self, title: str, path: Path) -> None:
        self.title = title
        self.path = path
        self.file = path.open("w", encoding="utf-8", newline="")
        self.file.write(_SHEET_HEAD)
        self.letters: list[str] = []

    def put_rows(self, first: int, rows: list[list[Any]]) -> None:
        """Rows `first`, `first + 1` … (0-based), in order after any written before."""
        widest = max((len(r) for r in rows), default=0)
        while len(self.letters) < widest:
            self.letters.append(column_letters(len(self.letters)))
        letters = self.letters
        out = []
        for number, values in enumerate(rows, first + 1):
            cells = []
            for i, value in enumerate(values):
                if value is None:
                    continue
                kind = value.__class__
                if kind is str:
                    if value:  # an empty string is an empty cell
                        cells.append(
                            f'<c r="{letters[i]}{number}" t="inlineStr">{text_xml(value)}</c>'
                        )
                elif kind is bool:
                    cells.append(f'<c r="{letters[i]}{number}" t="b"><v>{int(value)}</v></c>')
                elif kind is int or kind is float:
                    cells.append(f'<c r="{letters[i]}{number}"><v>{value!r}</v></c>')
                else:  # anything else as its text
                    text = str(value)
                    if text:
                        cells.append(
                            f'<c r="{letters[i]}{number}" t="inlineStr">{text_xml(text)}</c>'
                        )
            out.append(f'<row r="{number}">{"".join(cells)}</row>')
        self.file.write("".join(out))

    def finish(self) -> None:
        self.file.write(_SHEET_TAIL)
        self.file.close()


class StreamingBook:
    """A workbook of sheets added in any order and written in turns; `save` zips it."""

    def __init__(self, spool: str) -> None:
        self.spool = Path(spool)
        self.sheets: list[Sheet] = []

    def add_sheet(self, title: str) -> Sheet:
        sheet = Sheet(title, self.spool / f"sheet{len(self.sheets) + 1}.xml")
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path) -> None:
        n = len(self.sheets)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
            zf.writestr("[Content_Types].xml", _content_types(n))
            zf.writestr("_rels/.rels", _package_rels())
            zf.writestr("xl/workbook.xml", _workbook([s.title for s in self.sheets]))
            zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(n))
            zf.writestr("xl/styles.xml", _STYLES)
            for number, sheet in enumerate(self.sheets, 1):
                sheet.finish()
                name = f"xl/worksheets/sheet{number}.xml"
                with sheet.path.open("rb") as src, zf.open(name, "w", force_zip64=True) as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
                os.unlink(sheet.path)

    def abort(self) -> None:
        for sheet in self.sheets:
            sheet.file.close()


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>{overrides}</Types>'
    )


def _package_rels() -> str:
    return (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )


def _workbook(titles: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, 1)
    )
    return (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><bookViews><workbookView/>'
        f"</bookViews><sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
    return f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}">{links}{styles}</Relationships>'
