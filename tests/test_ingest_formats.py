"""The same document as TXT, DOCX and PDF gives the same tables and paragraphs."""

from __future__ import annotations

import importlib.util
import re
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.document import Document
from jixiao.ingest import load, load_bytes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "eval" / "fixtures"


def _renderings():
    spec = importlib.util.spec_from_file_location(
        "make_renderings", ROOT / "tools" / "make_renderings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


renderings = _renderings()


def paragraphs(doc: Document) -> list[str]:
    return [doc.para_text(p) for p in doc.paragraphs]


# ---------------------------------------------------------------------------- committed seeds
@pytest.mark.parametrize("seed", ["000", "002"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_seed_rendering_has_the_same_tables_as_the_txt(seed: str, fmt: str):
    txt = load(FIXTURES / seed / "source.txt")
    other = load(FIXTURES / f"{seed}-{fmt}" / f"source.{fmt}")
    assert [t.row_texts() for t in other.tables] == [t.row_texts() for t in txt.tables]


@pytest.mark.parametrize("seed", ["000", "002"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_seed_rendering_has_the_same_paragraphs_as_the_txt(seed: str, fmt: str):
    txt = load(FIXTURES / seed / "source.txt")
    other = load(FIXTURES / f"{seed}-{fmt}" / f"source.{fmt}")
    assert paragraphs(other) == paragraphs(txt)


@pytest.mark.parametrize("seed", ["000", "002"])
def test_pdf_blocks_carry_page_numbers_and_running_lines_are_dropped(seed: str):
    doc = load(FIXTURES / f"{seed}-pdf" / "source.pdf")
    assert doc.pages and doc.pages > 1
    assert all(b.page is not None and 1 <= b.page <= doc.pages for b in doc.blocks)
    assert doc.page_at(len(doc.text) - 1) == doc.pages or doc.tables[-1].end_page == doc.pages
    assert "测试渲染" not in doc.text
    assert not re.search(r"第\s*\d+\s*页", doc.text)


@pytest.mark.parametrize("seed", ["000", "002"])
def test_pdf_table_crossing_a_page_break_is_one_table(seed: str):
    doc = load(FIXTURES / f"{seed}-pdf" / "source.pdf")
    crossing = [t for t in doc.tables if t.end_page and t.end_page > t.page]
    assert crossing
    assert len(doc.tables) == len(load(FIXTURES / seed / "source.txt").tables)


def test_pdf_layout_space_between_year_digits_and_cjk_is_removed():
    raw = (FIXTURES / "000-pdf" / "source.pdf").read_bytes()
    import pdfplumber

    with pdfplumber.open(BytesIO(raw)) as pdf:
        assert "2021 年" in pdf.pages[0].extract_text()
    assert "2021年攀枝花" in load(FIXTURES / "000-pdf" / "source.pdf").text


def test_docx_merged_cells_come_out_once():
    doc = load(FIXTURES / "000-docx" / "source.docx")
    table = doc.tables[0]
    merged = [c for row in table.rows for c in row if c.merged_from_above]
    assert merged and all(c.text == "" for c in merged)
    assert any(c.colspan > 1 for row in table.rows for c in row)
    assert table.n_cols == max(len(r) for r in load(FIXTURES / "000" / "source.txt").tables[0].rows)


# ---------------------------------------------------------------------------- a variant
VARIANT = (
    "附件2\n"
    "2023 年度某县交通运输局项目支出绩效自评表\n"
    "\t项目名称\n\t农村公路养护经费\n\t主管部门\n\t某县交通运输局\n\n"
    "\t项目资金（万元）\n\t年初预算数\n\t120.50\n\t执行数\n\t118.20\n\n"
    "\t\n\t其中：财政拨款\n\t100.00\n\t其中：财政拨款\n\t98.20\n\n"
    "\t\n\t其他资金\n\t20.50\n\t其他资金\n\t20.00\n\n"
    "\t绩效指标\n\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\n"
    + "".join(
        f"\t\n\t{'产出指标' if k == 0 else ''}\n\t数量指标\n\t养护里程第{k + 1}段\n\t{10 + k}公里\n\n"
        for k in range(45)
    )
    + "\t合计\n\t100\n\n"
    "三、绩效自评结论\n"
)


@pytest.fixture(scope="module")
def variant() -> dict[str, Document]:
    txt = load_bytes(VARIANT.encode("gb18030"), name="variant.txt")
    docx_bytes = renderings.write_docx(txt)
    pdf_bytes = renderings.write_pdf(txt, header="某县交通运输局 2023 年度决算公开")
    return {
        "txt": txt,
        "docx": load_bytes(docx_bytes, name="variant.docx"),
        "pdf": load_bytes(pdf_bytes, name="variant.pdf"),
    }


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_variant_renders_back_to_the_same_rows(variant: dict[str, Document], fmt: str):
    assert [t.row_texts() for t in variant[fmt].tables] == [
        t.row_texts() for t in variant["txt"].tables
    ]
    assert paragraphs(variant[fmt]) == paragraphs(variant["txt"])


def test_variant_long_table_is_joined_across_pages(variant: dict[str, Document]):
    (table,) = variant["pdf"].tables
    assert table.page == 1 and table.end_page and table.end_page >= 2
    assert table.row_texts()[-1] == ["合计", "100"]


def test_variant_empty_label_cells_are_vertical_merges_in_docx_and_pdf(
    variant: dict[str, Document],
):
    for fmt in ("docx", "pdf"):
        rows = variant[fmt].tables[0].rows
        assert rows[2][0].merged_from_above, fmt
        assert rows[6][1].merged_from_above, fmt


# ---------------------------------------------------------------------------- docx extras
def test_docx_nested_table_is_its_own_table_after_the_outer_one():
    import docx

    d = docx.Document()
    d.add_paragraph("部门整体支出绩效目标表")
    outer = d.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "年度预算"
    outer.cell(0, 1).text = "说明"
    outer.cell(1, 0).text = "资金总额"
    inner = outer.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "基本支出"
    inner.cell(0, 1).text = "134.83"
    d.add_paragraph("结束")
    buffer = BytesIO()
    d.save(buffer)
    doc = load_bytes(buffer.getvalue(), name="nested.docx")
    assert [t.row_texts() for t in doc.tables] == [
        [["年度预算", "说明"], ["资金总额", ""]],
        [["基本支出", "134.83"]],
    ]
    assert doc.tables[1].nested_in == (0, 1, 1)
    assert paragraphs(doc) == ["部门整体支出绩效目标表", "结束"]


def test_docx_text_inside_a_content_control_is_read():
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("前言")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    sdt = parse_xml(
        f"<w:sdt {ns}><w:sdtContent><w:p><w:r><w:t>部门名称：某县审计局</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    d.element.body.insert(1, sdt)
    buffer = BytesIO()
    d.save(buffer)
    doc = load_bytes(buffer.getvalue(), name="sdt.docx")
    assert paragraphs(doc) == ["前言", "部门名称：某县审计局"]
