"""Spreadsheets: displayed values, merged cells once, sheets in order, bad workbooks."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from jixiao.errors import CorruptDocument, DocumentTooLarge, EncryptedDocument
from jixiao.ingest import load, load_bytes
from jixiao.ingest.numfmt import format_value
from office_files import ole_with_stream

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"


def _xlsx(book: openpyxl.Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- renderings
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_spreadsheet_rendering_reads_as_the_txt_it_was_made_from(fmt: str):
    txt = load(FIXTURES / "002" / "source.txt")
    sheet = load(FIXTURES / f"002-{fmt}" / f"source.{fmt}")
    assert sheet.format == fmt
    assert [t.row_texts() for t in sheet.tables] == [t.row_texts() for t in txt.tables]
    assert sheet.text == txt.text


# ---------------------------------------------------------------------------- number formats
@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1234.5, "#,##0.00", "1,234.50"),
        (250000, "#,##0.00_ ", "250,000.00"),
        (416.5, "0.00", "416.50"),
        (38.598, "0.000", "38.598"),
        (0.125, "0.0%", "12.5%"),
        (1, "0%", "100%"),
        (173.4271, '0.0000"万元"', "173.4271万元"),
        (-74.85, "#,##0.00;[Red]-#,##0.00", "-74.85"),
        (-74.85, "0.00;(0.00)", "(74.85)"),
        (0, '0.00;-0.00;"-"', "-"),
        (-0.001, "0.00", "0.00"),
        (2.0, "General", "2"),
        (0.1 + 0.2, "General", "0.3"),
        (12121164, None, "12121164"),
        (5, '0"人"', "5人"),
        ("≤38.598万元", "@", "≤38.598万元"),
        (dt.datetime(2024, 3, 5), 'yyyy"年"m"月"d"日"', "2024年3月5日"),
        (dt.datetime(2024, 3, 5), "yyyy-mm-dd", "2024-03-05"),
        (True, None, "TRUE"),
    ],
)
def test_a_cell_reads_as_its_number_format_shows_it(value, fmt, shown):
    assert format_value(value, fmt) == shown


# ---------------------------------------------------------------------------- structure
def test_merged_cells_come_out_once_as_colspan_and_continuations():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "指标值", "备注"])
    sheet.append(["产出指标", "数量指标", 8, "说明"])
    sheet.append([None, "质量指标", 1, None])
    sheet.append(["合计", None, None, 9])
    sheet["C3"].number_format = "0%"
    sheet.merge_cells("A2:A3")  # vertical
    sheet.merge_cells("A4:C4")  # horizontal
    doc = load_bytes(_xlsx(book), name="t.xlsx")
    (table,) = doc.tables
    assert table.row_texts() == [
        ["一级指标", "二级指标", "指标值", "备注"],
        ["产出指标", "数量指标", "8", "说明"],
        ["", "质量指标", "100%", ""],
        ["合计", "9"],
    ]
    assert table.rows[2][0].merged_from_above and not table.rows[2][3].merged_from_above
    assert table.rows[3][0].colspan == 3


def test_sheets_in_order_hidden_sheets_skipped_named_sheets_kept_as_headings():
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Sheet1"
    first.append(["项目名称", "预算数"])
    first.append(["信访岗位津贴", 1.878])
    hidden = book.create_sheet("lookup")
    hidden.append(["内部代码", "x"])
    hidden.sheet_state = "hidden"
    named = book.create_sheet("附表2 项目支出绩效自评表")
    named.append(["项目名称", "执行数"])
    named.append(["社区治安巡逻", 36.72])
    doc = load_bytes(_xlsx(book), name="t.xlsx")
    assert [t.row_texts()[1][0] for t in doc.tables] == ["信访岗位津贴", "社区治安巡逻"]
    assert "内部代码" not in doc.text
    assert [doc.para_text(p) for p in doc.paragraphs] == ["附表2项目支出绩效自评表"]
    assert doc.text.index("附表2") < doc.text.index("社区治安巡逻")


def test_empty_rows_split_a_sheet_into_a_title_paragraph_and_tables():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B2"] = "2021年项目支出绩效自评表"
    sheet["B4"], sheet["C4"] = "项目名称", "预算数"
    sheet["B5"], sheet["C5"] = "巡逻防控", 36.72
    sheet["B8"], sheet["C8"] = "填表人", "张三"
    sheet["B9"], sheet["C9"] = "日期", "2022-01-05"
    doc = load_bytes(_xlsx(book), name="t.xlsx")
    assert [doc.para_text(p) for p in doc.paragraphs] == ["2021年项目支出绩效自评表"]
    assert [t.row_texts() for t in doc.tables] == [
        [["项目名称", "预算数"], ["巡逻防控", "36.72"]],
        [["填表人", "张三"], ["日期", "2022-01-05"]],
    ]


def _set_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """openpyxl writes formulas without results; put in the results a program caches."""
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                for ref, value in values.items():
                    xml = re.sub(
                        rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*(?:/>|></v>)',
                        rf"\1<f>\2</f><v>{value}</v>",
                        xml,
                    )
                content = xml.encode()
            out.writestr(item, content)
    return buffer.getvalue()


def test_formulas_give_their_cached_values():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["基本支出", 134.8291])
    sheet.append(["项目支出", 38.598])
    sheet.append(["合计", "=B1+B2"])
    sheet["B3"].number_format = "0.0000"
    doc = load_bytes(_set_cached_values(_xlsx(book), {"B3": "173.4271"}), name="t.xlsx")
    assert doc.tables[0].row_texts()[2] == ["合计", "173.4271"]


def test_ods_keeps_the_displayed_text_and_its_spans():
    body = (
        '<table:table table:name="Sheet1"><table:table-row>'
        '<table:table-cell table:number-columns-spanned="2" office:value-type="string">'
        "<text:p>收入合计</text:p></table:table-cell><table:covered-table-cell/>"
        '<table:table-cell office:value-type="float" office:value="1234.5">'
        "<text:p>1,234.50</text:p></table:table-cell></table:table-row>"
        '<table:table-row><table:table-cell office:value-type="string"><text:p>其中</text:p>'
        '</table:table-cell><table:table-cell table:number-columns-repeated="2"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
        "</table:table>"
    )
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        out.writestr("content.xml", content)
    doc = load_bytes(buffer.getvalue(), name="t.ods")
    assert doc.format == "ods"
    assert doc.tables[0].row_texts() == [["收入合计", "1,234.50"], ["其中", "", ""]]
    assert doc.tables[0].rows[0][0].colspan == 2


# ---------------------------------------------------------------------------- bad workbooks
def _encrypted_xls() -> bytes:
    """The 002 XLS with the record after its BOF turned into FILEPASS, which is how an
    XLS saved with a password to open announces its encryption."""
    import olefile

    data = (FIXTURES / "002-xls" / "source.xls").read_bytes()
    ole = olefile.OleFileIO(data)
    stream = bytearray(ole.openstream("Workbook").read())
    _, bof_len = struct.unpack_from("<HH", stream, 0)
    struct.pack_into("<H", stream, 4 + bof_len, 0x002F)
    ole.close()
    path = BytesIO(data)
    ole = olefile.OleFileIO(path, write_mode=True)
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return path.getvalue()


def test_password_protected_xls_is_refused_with_one_line(tmp_path: Path):
    path = tmp_path / "protected.xls"
    path.write_bytes(_encrypted_xls())
    with pytest.raises(EncryptedDocument, match="password-protected XLS") as info:
        load(path)
    assert "\n" not in str(info.value)


def test_password_protected_xlsx_is_refused_with_one_line():
    # an XLSX saved with a password is an OLE container holding an EncryptedPackage
    data = ole_with_stream("EncryptedPackage")
    with pytest.raises(EncryptedDocument, match="password"):
        load_bytes(data, name="protected.xlsx")


def test_corrupt_xlsx_is_refused_with_one_line(tmp_path: Path):
    data = (FIXTURES / "002-xlsx" / "source.xlsx").read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptDocument, match="XLSX") as info:
        load(truncated)
    assert "\n" not in str(info.value)
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            broken = item.filename.startswith("xl/worksheets/")
            out.writestr(item, b"<worksheet><sheetData><row" if broken else source.read(item))
    with pytest.raises(CorruptDocument, match="XLSX") as info:
        load_bytes(buffer.getvalue(), name="broken.xlsx")
    assert "\n" not in str(info.value)


@pytest.mark.slow  # builds and scans a large expansion
def test_xlsx_bomb_is_refused_before_parsing():
    """A sheet of millions of empty cells, a few hundred KB compressed."""
    data = (FIXTURES / "002-xlsx" / "source.xlsx").read_bytes()
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w") as stream:
                    stream.write(b"<worksheet><sheetData>")
                    for _ in range(60):
                        stream.write(b'<row><c t="n"/></row>' * 100_000)
                    stream.write(b"</sheetData></worksheet>")
            else:
                out.writestr(item, source.read(item))
    assert len(buffer.getvalue()) < 2**20
    with pytest.raises(DocumentTooLarge, match=r"XLSX .*XML elements"):
        load_bytes(buffer.getvalue(), name="bomb.xlsx")
