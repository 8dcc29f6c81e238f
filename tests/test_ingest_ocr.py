"""Scanned pages and images: OCR'd text lines and tables, boxes on the page as stored."""

from __future__ import annotations

import importlib.util
import re
from io import BytesIO
from pathlib import Path

import pytest

from document_builder import doc_from_blocks
from jixiao.errors import NoTextLayer, UnsupportedFormat
from jixiao.ingest import load_bytes
from jixiao.ingest.pages import render_page

ROOT = Path(__file__).resolve().parents[1]
#: each test recognises a page or two (seconds each on 2 cores): .ci/run runs them
pytestmark = pytest.mark.slow


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


renderings = _tool("make_renderings")
formats = _tool("make_format_renderings")

PAGE = doc_from_blocks(
    "一、部门收支总体情况",
    "本年收入合计416.54万元，本年支出合计416.18万元。",
    [
        ["项目", "预算数", "执行数", "执行率"],
        ["基本支出", "134.83", "130.12", "96.5%"],
        ["", "项目支出", "38.60", "100%"],
        ["合计", "173.43"],
    ],
    "二、绩效目标完成情况",
)


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return renderings.write_pdf(PAGE, header="测试")


def _scan(pdf: bytes, dpi: float = 200, **kwargs) -> bytes:
    return formats.image_pdf(formats.scanned_pages(pdf, dpi, seed=3, **kwargs), dpi)


def _words(text: str) -> str:
    return re.sub("[、，。；：]", "", text)


def _iou(a, b) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


@pytest.fixture(scope="module")
def straight(text_pdf):
    return load_bytes(text_pdf, name="t.pdf"), load_bytes(_scan(text_pdf, skew=0.8), name="s.pdf")


def test_a_scanned_page_gives_the_rows_and_lines_of_its_text_pdf(straight):
    text, scan = straight
    assert scan.format == "pdf" and scan.ocr_pages == [1] and text.ocr_pages == []
    assert [t.row_texts() for t in scan.tables] == [t.row_texts() for t in text.tables]
    # the recogniser may drop a small CJK comma (一、 → 一); every figure must be exact
    assert [_words(scan.para_text(p)) for p in scan.paragraphs] == [
        _words(text.para_text(p)) for p in text.paragraphs
    ]
    merged = scan.tables[0].rows[2][0]
    assert merged.merged_from_above and scan.tables[0].rows[3][1].colspan == 3


def test_ocr_boxes_and_confidences_land_where_the_text_pdf_prints_them(straight):
    text, scan = straight
    for t_cell, s_cell in zip(text.tables[0].rows[1], scan.tables[0].rows[1], strict=True):
        s_where = scan.locate(s_cell.start, s_cell.end)
        assert s_where.page == 1 and 0.5 < s_where.ocr_confidence <= 1
        t_where = text.locate(t_cell.start, t_cell.end)
        # the text PDF boxes the whole cell, OCR the printed text inside it
        x0, top, x1, bottom = s_where.bbox
        assert t_where.bbox[0] - 2 <= x0 < x1 <= t_where.bbox[2] + 2
        assert t_where.bbox[1] - 2 <= top < bottom <= t_where.bbox[3] + 2


@pytest.mark.parametrize("turn", [90, 180])
def test_a_page_fed_turned_reads_the_same_and_boxes_follow_the_turn(text_pdf, straight, turn):
    text, _ = straight
    images = formats.scanned_pages(text_pdf, 200, skew=0.3, seed=4)
    turned = [im.rotate(turn, expand=True) for im in images]
    scan = load_bytes(formats.image_pdf(turned, 200), name="turned.pdf")
    assert [t.row_texts() for t in scan.tables] == [t.row_texts() for t in text.tables]
    # 本年收入合计 line: its box on the turned page is the text PDF's box turned
    start = text.text.index("本年收入")
    x0, top, x1, bottom = text.locate(start, start + 4).bbox
    width, height = 595.2756, 841.8898
    expected = (
        (top, width - x1, bottom, width - x0)
        if turn == 90
        else (width - x1, height - bottom, width - x0, height - top)
    )
    s_start = scan.text.index("本年收入")
    assert _iou(scan.locate(s_start, s_start + 4).bbox, expected) > 0.3


def test_a_text_pdf_with_one_scanned_page_reads_both(text_pdf, straight):
    import pypdfium2

    text, _ = straight
    merged = pypdfium2.PdfDocument.new()
    merged.import_pages(pypdfium2.PdfDocument(text_pdf))
    merged.import_pages(pypdfium2.PdfDocument(_scan(text_pdf, skew=-0.4)))
    buffer = BytesIO()
    merged.save(buffer)
    doc = load_bytes(buffer.getvalue(), name="mixed.pdf")
    assert doc.pages == 2 and doc.ocr_pages == [2]
    assert [t.row_texts() for t in doc.tables] == [t.row_texts() for t in text.tables] * 2


def test_an_image_of_the_page_is_a_one_page_document(text_pdf, straight):
    text, _ = straight
    (image,) = formats.scanned_pages(text_pdf, 150, skew=0.5, seed=5)
    buffer = BytesIO()
    image.save(buffer, "PNG", dpi=(150, 150))
    doc = load_bytes(buffer.getvalue(), name="page.png")
    assert doc.format == "image" and doc.pages == 1 and doc.ocr_pages == [1]
    assert [t.row_texts() for t in doc.tables] == [t.row_texts() for t in text.tables]


def test_a_scan_with_no_recognisable_text_is_refused_with_one_line():
    from bad_pdfs import scanned_pdf

    with pytest.raises(NoTextLayer, match="no recognisable text") as info:
        load_bytes(scanned_pdf(), name="blank.pdf")
    assert "\n" not in str(info.value)


def test_render_page_draws_pdf_and_image_pages_at_the_scale_boxes_use(text_pdf):
    from PIL import Image

    png = render_page(text_pdf, 1, scale=2.0)
    assert Image.open(BytesIO(png)).size == (round(595.2756 * 2), round(841.8898 * 2))
    image = Image.new("L", (300, 600), 255)
    buffer = BytesIO()
    image.save(buffer, "PNG", dpi=(300, 300))
    assert Image.open(BytesIO(render_page(buffer.getvalue(), 1, scale=1.0))).size == (72, 144)
    with pytest.raises(UnsupportedFormat):
        render_page(b"PK\x03\x04 not a page source", 1)


def test_a_scan_read_again_with_the_ocr_cache_is_the_same_document(text_pdf, tmp_path, monkeypatch):
    from jixiao.ingest.ocr import cache

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    scan = _scan(text_pdf, skew=0.8)
    first = load_bytes(scan, name="s.pdf")
    assert len(list((tmp_path / "ocr").rglob("*.json"))) == first.pages

    def no_ocr(*args):
        raise AssertionError("recognised again")

    monkeypatch.setattr(cache, "ocr_page", no_ocr)
    again = load_bytes(scan, name="s.pdf")
    assert again.text == first.text and again.ocr_pages == first.ocr_pages
    assert [t.row_texts() for t in again.tables] == [t.row_texts() for t in first.tables]
    assert again.boxes == first.boxes
