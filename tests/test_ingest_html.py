"""HTML pages: the report without the site, tables with spans, pages in GBK."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import EmptyDocument
from jixiao.ingest import load, load_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"


def test_government_page_reads_as_the_txt_it_was_made_from():
    page = load(FIXTURES / "000-html" / "source.html")
    txt = load(FIXTURES / "000" / "source.txt")
    assert page.format == "html"
    assert page.notes == ["decoded as gb18030"]
    assert [t.row_texts() for t in page.tables] == [t.row_texts() for t in txt.tables]
    assert page.text == txt.text
    for chrome in (
        "当前位置",
        "政务服务",
        "打印本页",
        "上一篇",
        "蜀ICP备",
        "信息公开目录",
        "window",
    ):
        assert chrome not in page.text


def _page(body: str, charset: str = "utf-8", meta: str | None = None) -> bytes:
    meta = meta if meta is not None else f'<meta charset="{charset}">'
    return f"<!DOCTYPE html><html><head>{meta}</head><body>{body}</body></html>".encode(charset)


def test_rowspan_and_colspan_come_out_once():
    body = """<div><p>项目支出绩效自评表</p><table>
      <tr><th rowspan="3">年度指标</th><th>一级指标</th><th colspan="2">指标值</th></tr>
      <tr><td rowspan="2">产出指标</td><td>预期</td><td>实际</td></tr>
      <tr><td>8人</td><td>8人</td></tr>
      <tr><td>合计</td><td colspan="3">100分</td></tr></table></div>"""
    doc = load_bytes(_page(body), name="t.html")
    (table,) = doc.tables
    assert table.row_texts() == [
        ["年度指标", "一级指标", "指标值"],
        ["", "产出指标", "预期", "实际"],
        ["", "", "8人", "8人"],
        ["合计", "100分"],
    ]
    assert table.rows[0][2].colspan == 2 and table.rows[3][1].colspan == 3
    assert table.rows[2][0].merged_from_above and table.rows[2][1].merged_from_above


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="gbk">',
        '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">',
        "",  # no declaration: detected as a text file would be
    ],
)
def test_gbk_pages_are_decoded_by_their_declaration(meta: str):
    body = "<p>本年收入合计416.54万元，较上年增加2.5万元。</p><p>二、部门职责</p>" * 3
    doc = load_bytes(_page(body, "gbk", meta=meta), name="report.htm")
    assert doc.text.startswith("本年收入合计416.54万元，较上年增加2.5万元。\n二、部门职责")


def test_content_in_a_layout_table_is_read_as_paragraphs_and_its_data_table():
    body = """<table><tr><td><a href="/">首页</a><a href="/a">公开</a></td></tr>
      <tr><td><p>一、部门概况</p><p>本部门内设两个股室。</p>
      <table><tr><td>收入合计</td><td>416.54</td></tr></table></td></tr></table>"""
    doc = load_bytes(_page(body), name="t.html")
    assert [doc.para_text(p) for p in doc.paragraphs] == ["一、部门概况", "本部门内设两个股室。"]
    assert doc.tables[0].row_texts() == [["收入合计", "416.54"]]


def test_page_with_no_content_is_empty_with_one_line():
    body = """<div class="nav"><a href="/">首页</a><a href="/b">政务公开</a></div>
      <script>document.write('加载中');</script><img src="scan.jpg">"""
    with pytest.raises(EmptyDocument, match="HTML page with no content") as info:
        load_bytes(_page(body), name="empty.html")
    assert "\n" not in str(info.value)
