"""Every value read from a PDF or an image knows its page and box; OCR doubt lowers it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from jixiao.document import RawCell, RawParagraph, RawTable, RawText, TextBox
from jixiao.extract.evidence import UNCERTAIN_OCR, apply_ocr_confidence
from jixiao.extract.rules import RulesBackend
from jixiao.ingest import load
from jixiao.ingest.build import build_document
from jixiao.ingest.wrapping import concat_raw
from jixiao.models import Evidence, Fact
from jixiao.segment import segment

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"


def test_every_fact_of_a_pdf_points_at_the_box_its_figure_is_printed_in():
    path = FIXTURES / "000-pdf" / "source.pdf"
    doc = load(path)
    facts = RulesBackend().extract(doc, segment(doc)).facts
    assert facts
    with pdfplumber.open(path) as pdf:
        for fact in facts:
            evidence = fact.evidence
            assert evidence.page is not None and evidence.bbox is not None, fact
            page = pdf.pages[evidence.page - 1]
            x0, top, x1, bottom = evidence.bbox
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
            printed = page.crop((x0 - 1, top - 1, x1 + 1, bottom + 1)).extract_text()
            digits = fact.text.replace(",", "").rstrip("万元%人个次项")
            assert digits[:4] in printed.replace(" ", "").replace(",", ""), (fact.text, printed)
            assert evidence.ocr_confidence is None


def _ocr_line(text: str, page: int, top: float, scores: list[float]) -> RawText:
    """A line recognised as one box per character, with the given confidences."""
    boxes = [
        TextBox(k, k + 1, page, (10.0 * k, top, 10.0 * k + 9, top + 12), score)
        for k, score in enumerate(scores)
    ]
    return RawText(text, boxes=boxes)


def test_locate_follows_normalisation_and_wrapped_lines():
    first = _ocr_line(
        "本年收入合计４１６．５４", 1, 100, [0.99] * 6 + [0.98, 0.97, 0.6, 0.99, 0.95, 0.99]
    )
    second = _ocr_line("万元。", 1, 120, [0.99, 0.99, 0.99])
    cell = RawCell(_ocr_line(" 12.5 ", 2, 300, [0.9] * 6))
    doc = build_document(
        [RawParagraph(concat_raw(first, second), page=1), RawTable([[cell]], page=2)],
        path="scan.pdf",
        sha256="0",
        format="pdf",
    )
    start = doc.text.index("416.54")
    where = doc.locate(start, start + len("416.54"))
    assert where.page == 1
    assert where.bbox == (60.0, 100, 119.0, 112)  # characters 6-11 of the first line
    assert where.ocr_confidence == 0.6  # the hesitant "." of ４１６．５４
    unit = doc.locate(start + 6, start + 8)  # 万元: on the wrapped second line
    assert unit.bbox == (0.0, 120, 19.0, 132)
    (table,) = doc.tables
    assert table.rows[0][0].text == "12.5" and table.rows[0][0].ocr_confidence == 0.9
    assert doc.locate(table.rows[0][0].start, table.rows[0][0].end).page == 2
    assert doc.ocr_pages == [1, 2]


def _fact(confidence: float, score: float | None) -> Fact:
    evidence = Evidence(quote="416.54", start=0, end=6, ocr_confidence=score)
    return Fact(id="f1", concept="fa.revenue_total", value=416.54, unit="万元", text="416.54",
                evidence=evidence, confidence=confidence)  # fmt: skip


@pytest.mark.parametrize(
    ("confidence", "score", "expected"),
    [(0.95, None, 0.95), (0.95, 0.99, 0.9405), (0.95, 0.6, 0.57), (0.5, 0.85, 0.425)],
)
def test_ocr_confidence_lowers_the_facts_confidence(confidence, score, expected):
    fact = _fact(confidence, score)
    apply_ocr_confidence([fact])
    assert fact.confidence == pytest.approx(expected)
    if score is not None and score < UNCERTAIN_OCR:
        assert fact.confidence <= score


# ---------------------------------------------------------------------------- verifier
def _classes_missing_the_total(score: float | None) -> list:
    from jixiao.verify import verify_record
    from verify_support import fact, record

    parts = [
        fact("fa.expenditure_total", 213.61),
        fact("fa.function.201", 155.63),
        fact("fa.function.208", 18.24),
        fact("fa.function.212", 16, "16万元"),
        fact("fa.function.221", 12.01),
    ]
    parts[1].evidence.ocr_confidence = score
    parts[1].evidence.page = 3
    return [f for f in verify_record(record(parts), "") if f.check == "sum"]


def test_a_slip_resting_on_a_shaky_ocr_digit_is_a_warning_naming_it():
    (flag,) = _classes_missing_the_total(0.62)
    assert flag.severity == "warning"
    assert "OCR" in flag.message and "0.62" in flag.message


@pytest.mark.parametrize("score", [None, 0.99])
def test_a_slip_read_clearly_stays_an_error(score):
    (flag,) = _classes_missing_the_total(score)
    assert flag.severity == "error" and "OCR" not in flag.message
