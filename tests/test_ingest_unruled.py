"""Tables printed without ruling lines: the same rows as their ruled printing, and no
table made of prose, a table of contents, a numbered list or a form's caption."""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.ingest import load, load_bytes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "eval" / "fixtures"
sys.path.insert(0, str(ROOT / "tools"))

from juesuan.accounts import build  # noqa: E402
from juesuan.blocks import Table as GenTable  # noqa: E402
from juesuan.compose_budget import BudgetComposer  # noqa: E402
from juesuan.compose_final import FinalComposer  # noqa: E402
from juesuan.render import render_pdf  # noqa: E402
from make_juesuan import VARIANTS, prepare  # noqa: E402

FONT = "STSong-Light"


# ---------------------------------------------------------------------------- helpers
def page_pdf(
    items: list[tuple[float, float, str]],
    *,
    size: float = 9.0,
    more: list[list[tuple[float, float, str]]] | None = None,
) -> bytes:
    """One A4 page with each text drawn at (x, top) in points, nothing else (no lines);
    `more`: the texts of the pages after it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setFont(FONT, size)
    height = A4[1]
    for page in [items, *(more or [])]:
        pdf.setFont(FONT, size)
        for x, top, text in page:
            if x < 0:  # right-aligned at -x
                pdf.drawRightString(-x, height - top - size, text)
            else:
                pdf.drawString(x, height - top - size, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def cells(doc) -> list[list[list[str]]]:
    """Each table's rows as cell texts, a merged continuation shown as ^, a span as <n>."""
    return [
        [
            [c.text + (f"<{c.colspan}>" if c.colspan > 1 else "") + ("^" if c.merged_from_above else "")
             for c in row]
            for row in table.rows
        ]
        for table in doc.tables
    ]  # fmt: skip


def prose(
    lines: list[str], top: float = 60.0, left: float = 60.0
) -> list[tuple[float, float, str]]:
    return [(left, top + 16 * k, text) for k, text in enumerate(lines)]


PARAGRAPH = [
    "2024年，本部门收入预算814.86万元，其中财政拨款收入812.38万元，比上年增加78.01万元，",
    "主要原因是人员经费调整和项目安排变化；事业收入0.00万元，事业单位经营收入0.00万元，",
    "其他收入2.48万元。支出预算814.86万元，其中基本支出501.31万元，项目支出313.55万元。",
]

#: a statement table printed without lines: labels left, figures right-aligned, the
#: header left-aligned over the figures, a group header over two columns
TABLE = [
    (60, 200, "本年收入"),
    (300, 200, "本年支出"),
    (60, 214, "项目"),
    (200, 214, "预算数"),
    (300, 214, "项目"),
    (440, 214, "预算数"),
    (60, 228, "一、财政拨款收入"),
    (-260, 228, "812.38"),
    (300, 228, "一、社会保障和就业支出"),
    (-500, 228, "669.59"),
    (60, 242, "二、事业收入"),
    (300, 242, "二、卫生健康支出"),
    (-500, 242, "22.34"),
    (60, 256, "收入总计"),
    (-260, 256, "814.86"),
    (300, 256, "支出总计"),
    (-500, 256, "814.86"),
]
TABLE_ROWS = [
    ["本年收入<2>", "本年支出<2>"],
    ["项目", "预算数", "项目", "预算数"],
    ["一、财政拨款收入", "812.38", "一、社会保障和就业支出", "669.59"],
    ["二、事业收入", "", "二、卫生健康支出", "22.34"],
    ["收入总计", "814.86", "支出总计", "814.86"],
]


# ---------------------------------------------------------------------------- found
def test_a_table_without_lines_gives_header_spans_and_right_aligned_figures():
    doc = load_bytes(page_pdf(prose(PARAGRAPH) + TABLE), name="t.pdf")
    assert cells(doc) == [TABLE_ROWS]
    # the prose above stays prose, one paragraph per printed line
    assert [doc.para_text(p) for p in doc.paragraphs] == PARAGRAPH
    cell = doc.tables[0].rows[2][1]
    assert cell.bbox is not None and cell.bbox[2] == pytest.approx(260, abs=0.5)


def test_a_caption_line_above_the_table_stays_a_paragraph():
    caption = [(60, 184, "编制部门：某某区民政局"), (440, 184, "单位：万元")]
    doc = load_bytes(page_pdf(caption + TABLE), name="t.pdf")
    assert cells(doc) == [TABLE_ROWS]
    assert [doc.para_text(p) for p in doc.paragraphs] == ["编制部门：某某区民政局单位：万元"]


def test_a_paragraph_between_two_tables_ends_the_first():
    second = [(x, top + 200, text) for x, top, text in TABLE]
    between = prose(PARAGRAPH, top=300)
    doc = load_bytes(page_pdf(TABLE + between + second), name="t.pdf")
    assert cells(doc) == [TABLE_ROWS, TABLE_ROWS]
    assert [doc.para_text(p) for p in doc.paragraphs] == PARAGRAPH


def test_the_next_title_printed_just_under_a_table_ends_it():
    # tables run on without a page break: the next title sits one line under the 总计,
    # over the right half of the table before it
    title = [(330, 270, "附表2：部门收入预算总表")]
    second = [(x, top + 100, text) for x, top, text in TABLE]
    doc = load_bytes(page_pdf(TABLE + title + second), name="t.pdf")
    assert cells(doc) == [TABLE_ROWS, TABLE_ROWS]
    assert "附表2：部门收入预算总表" in [doc.para_text(p) for p in doc.paragraphs]


def test_a_row_with_one_label_is_no_title():
    row = [(60, 270, "三、其他收入")]
    doc = load_bytes(page_pdf(TABLE + row), name="t.pdf")
    assert cells(doc)[0][-1] == ["三、其他收入", "", "", ""]


def test_an_empty_column_left_of_a_headed_column_of_figures_stays_a_column():
    # 附属单位上缴收入 wrapped over two lines and never filled, left of 其他收入 and its
    # amounts: two columns, not one header of two texts
    table = [
        (60, 200, "科目名称"),
        (160, 200, "财政拨款收入"),
        (260, 196, "附属单位"),
        (260, 206, "上缴收入"),
        (330, 201, "其他收入"),
        (60, 220, "合计"),
        (-220, 220, "8,046,100.00"),
        (-370, 220, "10,800.00"),
        (60, 234, "一般公共服务支出"),
        (-220, 234, "5,824,000.00"),
        (-370, 234, "10,800.00"),
    ]
    doc = load_bytes(page_pdf(table), name="t.pdf")
    (rows,) = cells(doc)
    assert rows[0] == ["科目名称", "财政拨款收入", "附属单位上缴收入", "其他收入"]
    assert rows[-1] == ["一般公共服务支出", "5,824,000.00", "", "10,800.00"]


def test_a_header_left_of_its_figures_still_heads_them():
    table = [
        (60, 200, "项目"),
        (150, 200, "预算数"),
        (60, 214, "一、财政拨款收入"),
        (-260, 214, "812.38"),
        (60, 228, "收入总计"),
        (-260, 228, "814.86"),
    ]
    doc = load_bytes(page_pdf(table), name="t.pdf")
    (rows,) = cells(doc)
    assert rows[0] == ["项目", "预算数"] and rows[-1] == ["收入总计", "814.86"]


def test_a_table_continued_on_the_next_page_with_its_last_columns_empty_is_one_table():
    """Without lines, the empty columns of a continuation are not printed: its label and
    figures still fall in the first columns of the table it continues."""
    bottom = [(x, top + 560, text) for x, top, text in TABLE]
    rest = [
        (60, 60, "三、其他收入"),
        (-260, 60, "2.48"),
        (60, 74, "合计"),
        (-260, 74, "814.86"),
    ]
    doc = load_bytes(page_pdf(bottom, more=[rest]), name="t.pdf")
    assert cells(doc) == [
        [*TABLE_ROWS, ["三、其他收入", "2.48", "", ""], ["合计", "814.86", "", ""]]
    ]
    assert doc.tables[0].rows[-1][1].bbox is not None
    # a table in other columns at the top of the next page is a table of its own
    moved = [(x + 90 if x > 0 else x - 150, top, text) for x, top, text in rest]
    doc = load_bytes(page_pdf(bottom, more=[moved]), name="t.pdf")
    assert cells(doc) == [TABLE_ROWS, [["三、其他收入", "2.48"], ["合计", "814.86"]]]


def test_a_label_printed_between_rows_is_a_merged_cell_on_its_first_row():
    rows = [
        (60, 100, "一级指标"),
        (160, 100, "二级指标"),
        (300, 100, "三级指标"),
        (460, 100, "指标值"),
    ]
    names = ["服务人次", "培训场次", "验收合格率", "群众满意度"]
    values = ["5000", "12", "95%", "90%"]
    for k, (name, value) in enumerate(zip(names, values, strict=True)):
        rows += [(300, 114 + 14 * k, name), (460, 114 + 14 * k, value)]
    # 产出指标 centred on the first three rows, 数量指标 between the first two
    rows += [(60, 128, "产出指标"), (160, 121, "数量指标"), (160, 142, "质量指标")]
    rows += [(60, 156, "满意度指标"), (160, 156, "满意度")]
    doc = load_bytes(page_pdf(rows), name="t.pdf")
    assert cells(doc) == [
        [
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "服务人次", "5000"],
            ["^", "^", "培训场次", "12"],
            ["^", "质量指标", "验收合格率", "95%"],
            ["满意度指标", "满意度", "群众满意度", "90%"],
        ]
    ]


def test_a_wrapped_label_with_its_figures_centred_is_one_row():
    rows = [
        (60, 100, "项目"),
        (260, 100, "预算数"),
        (60, 114, "一、一般公共服务"),
        (60, 125, "支出"),
        (-320, 119.5, "120.50"),
        (60, 139, "二、教育支出"),
        (-320, 139, "30.00"),
    ]
    doc = load_bytes(page_pdf(rows), name="t.pdf")
    assert cells(doc) == [
        [["项目", "预算数"], ["一、一般公共服务支出", "120.50"], ["二、教育支出", "30.00"]]
    ]


# ---------------------------------------------------------------------------- not tables
def test_a_table_of_contents_is_not_a_table():
    entries = ["一、部门主要职能", "二、部门机构设置", "三、部门预算编制说明", "四、部门预算表"]
    leaders = [(60, 100 + 16 * k, f"{e}{'.' * 40}{k + 3}") for k, e in enumerate(entries)]
    numbers = [(60, 200 + 16 * k, e) for k, e in enumerate(entries)]
    numbers += [(-500, 200 + 16 * k, str(k + 3)) for k in range(len(entries))]
    listed = [(80, 300 + 16 * k, f"{k + 1}.") for k in range(4)]
    listed += [(100, 300 + 16 * k, f"2025年部门{e[2:]}表") for k, e in enumerate(entries)]
    doc = load_bytes(page_pdf([(280, 70, "目  录"), *leaders, *numbers, *listed]), name="c.pdf")
    assert doc.tables == []
    assert len(doc.paragraphs) == 13


def test_prose_and_a_form_caption_are_not_tables():
    items = prose(PARAGRAPH) + prose(PARAGRAPH, top=130, left=80)
    items += [(60, 220, "编制部门：某某区民政局"), (440, 220, "单位：万元")]
    items += [(60, 236, "填报日期：2025年1月"), (440, 236, "联系人：张三")]
    doc = load_bytes(page_pdf(items), name="p.pdf")
    assert doc.tables == []


# ---------------------------------------------------------------------------- same rows
def _compose(variant):
    accounts = build(variant.profile, variant.year, variant.seed)
    prepare(variant, accounts)
    composer = FinalComposer if variant.kind == "final" else BudgetComposer
    return composer(variant, accounts).compose()


def _grid(table) -> list[list[tuple[int, str, bool]]]:
    """A table's rows as (column, text, continued) of its non-empty cells: where each
    text sits on the column grid, whatever the spans."""
    return [
        [(c.col, c.text, c.merged_from_above) for c in row if c.text or c.merged_from_above]
        for row in table.rows
    ]


def _without_repeated_headers(rows: list) -> list:
    """Rows without the header rows a page break repeats (the two layouts break pages at
    different rows: the ruled one pads its cells more)."""
    return [row for k, row in enumerate(rows) if k < 4 or row not in rows[:4]]


@pytest.fixture(scope="module", params=["gen-plain-1", "gen-plain-4"])
def rendered(request, tmp_path_factory):
    variant = next(v for v in VARIANTS if v.id == request.param)
    blocks, _ = _compose(variant)
    out = {}
    for ruled in (True, False):
        path = tmp_path_factory.mktemp(variant.id) / "source.pdf"
        render_pdf(blocks, path, ruled=ruled, title=variant.id)
        out["ruled" if ruled else "plain"] = load(path)
    out["spanned"] = [bool(b.spans) for b in blocks if isinstance(b, GenTable)]
    return out


def test_tables_without_lines_give_the_rows_of_the_same_tables_ruled(rendered):
    ruled, plain = rendered["ruled"], rendered["plain"]
    assert [t.page for t in plain.tables] == [t.page for t in ruled.tables]
    assert [plain.para_text(p) for p in plain.paragraphs] == [
        ruled.para_text(p) for p in ruled.paragraphs
    ]
    for a, b in zip(ruled.tables, plain.tables, strict=True):
        assert _without_repeated_headers(_grid(b)) == _without_repeated_headers(_grid(a))


def test_tables_without_merged_body_cells_come_out_cell_for_cell(rendered):
    """Spans and merges too, except where a form merges body cells across columns:
    without lines a value's cell cannot show how far it reaches (its position can)."""
    ruled, plain = rendered["ruled"], rendered["plain"]
    spanned = [
        any(c.colspan > 1 for row in t.rows[2:] for c in row if c.text) for t in ruled.tables
    ]
    assert not all(spanned)
    for a, b, skip in zip(cells(ruled), cells(plain), spanned, strict=True):
        if not skip:
            assert _without_repeated_headers(b) == _without_repeated_headers(a)


def test_tables_without_lines_are_read_as_their_ruled_printing(rendered):
    from jixiao.extract.registry import get_backend
    from jixiao.run.document import process_document

    def reading(doc):
        record = process_document(doc, get_backend("rules"))
        facts = sorted((f.concept, f.scope, f.year, f.stage, f.value) for f in record.facts)
        rows = [
            (
                i.scope,
                i.level1,
                i.level2,
                i.level3,
                i.operator,
                i.target_text,
                i.target_value,
                i.unit,
            )
            for i in record.indicators
        ]
        return facts, rows, [p.name for p in record.projects]

    assert reading(rendered["plain"]) == reading(rendered["ruled"])


def test_the_committed_unruled_fixtures_have_their_tables():
    doc = load(FIXTURES / "gen-plain-4" / "source.pdf")
    assert len(doc.tables) == 14 and doc.ocr_pages == []  # a blank page is not OCR'd


def test_ruled_pdfs_read_the_same_without_the_unruled_finder(monkeypatch):
    import jixiao.ingest.pdf as pdf

    paths = [FIXTURES / f / "source.pdf" for f in ("000-pdf", "002-pdf", "gen-ruled-4")]
    found = [load(p) for p in paths]
    monkeypatch.setattr(pdf, "_unruled_tables", lambda page: [])
    for path, doc in zip(paths, found, strict=True):
        plain = load(path)
        assert doc.text == plain.text
        assert cells(doc) == cells(plain)
        assert doc.boxes == plain.boxes


# ---------------------------------------------------------------------------- scanned
#: PP-OCRv4 reads a comparison sign alone in a cell (指标性质 ≥ ≤ =) as a letter or not
#: at all, in ruled and unruled tables alike; the rest of the row must be exact
_SIGNS = {"≥", "≤", "=", ">", "<"}


@pytest.mark.slow
def test_a_scanned_table_without_lines_gives_the_rows_of_its_text_pdf():
    """Two pages of gen-plain-4 (a statement table with a header band; a 绩效目标表 with
    labels merged over rows) scanned askew by the fixture tool, then OCR'd."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_format_renderings", ROOT / "tools" / "make_format_renderings.py"
    )
    formats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(formats)
    pages = formats.pdf_pages((FIXTURES / "gen-plain-4" / "source.pdf").read_bytes(), [4, 16])
    text = load_bytes(pages, name="t.pdf")
    scan = load_bytes(
        formats.image_pdf(formats.scanned_pages(pages, 200, skew=0.6, seed=7), 200), name="s.pdf"
    )
    assert scan.ocr_pages == [1, 2] and len(text.tables) == 2
    expected, got = cells(text), cells(scan)
    for a, b in zip(expected, got, strict=True):
        assert len(a) == len(b)
        for row_a, row_b in zip(a, b, strict=True):
            assert len(row_a) == len(row_b)
            for x, y in zip(row_a, row_b, strict=True):
                assert x == y or x in _SIGNS, (row_a, row_b)
    assert sum(x in _SIGNS for t in expected for row in t for x in row) == 6  # of 114 cells
    assert [scan.para_text(p) for p in scan.paragraphs] == [
        text.para_text(p) for p in text.paragraphs
    ]
