"""Evidence for a span of the document: the one place a value learns where it is printed.

Both backends (the rules and the LLM) build every `Evidence` here, so a value read from
a PDF or an image carries its page and box (`Document.locate`), and a value read by
OCR carries the recognition confidence that `apply_ocr_confidence` later folds into the
fact's own confidence.
"""

from __future__ import annotations

from jixiao.document import Document
from jixiao.models import CellRef, Evidence, Fact

#: below this recognition confidence an OCR'd value is marked uncertain whatever the
#: backend's own confidence (a digit the recogniser hesitated on)
UNCERTAIN_OCR = 0.9


def evidence_at(
    doc: Document, start: int, end: int, *, quote: str | None = None, cell: CellRef | None = None
) -> Evidence:
    """Evidence for doc.text[start:end] (`quote` when the caller quotes it differently)."""
    where = doc.locate(start, end)
    return Evidence(
        quote=doc.text[start:end] if quote is None else quote,
        start=start,
        end=end,
        page=where.page,
        cell=cell,
        bbox=where.bbox,
        ocr_confidence=where.ocr_confidence,
    )


def apply_ocr_confidence(facts: list[Fact]) -> None:
    """Lower each OCR'd fact's confidence by how sure the recogniser was of its text.

    The product keeps a confident reading of clear print near the backend's value and
    drops a hesitant one below `UNCERTAIN_OCR`, so the verifier can treat a shaky digit
    as an uncertain reading rather than as the document's slip.
    """
    for fact in facts:
        score = fact.evidence.ocr_confidence
        if score is None:
            continue
        lowered = fact.confidence * score
        if score < UNCERTAIN_OCR:
            lowered = min(lowered, score)
        fact.confidence = round(min(fact.confidence, lowered), 4)
