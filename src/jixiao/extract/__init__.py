"""Extraction backends: each turns a segmented `Document` into an `Extraction`.

Backends share one contract so the pipeline, the verifier, the store and the tests do
not care which produced a value: `rules` (offline, deterministic), `llm` (instructor
over an OpenAI-compatible endpoint) and `hybrid` (rules first, the LLM for the rest).
Ids (f1, i1, g1 …) are assigned by `finalize_ids` once all parts are merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from jixiao.document import Document
from jixiao.extract.evidence import apply_ocr_confidence
from jixiao.models import (
    Department,
    Evidence,
    Fact,
    Flag,
    IndicatorRow,
    Narrative,
    Project,
    RunInfo,
    Section,
)


@dataclass
class Extraction:
    department: Department = field(default_factory=Department)
    fiscal_year: int | None = None
    facts: list[Fact] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    narrative: Narrative = field(default_factory=Narrative)
    #: flags raised while extracting (completeness, extraction_error, disagreement)
    flags: list[Flag] = field(default_factory=list)
    run: RunInfo = field(default_factory=RunInfo)
    #: the document's kind when the backend decided it (the LLM, asked because the title
    #: lines decided none); None: the kind `segment` decided stands
    document_kind: str | None = None
    document_kind_evidence: Evidence | None = None
    #: indices of the tables the backend read cell by cell as a statement form (every
    #: amount cell a fact, or none when the form is empty): `hybrid` sends them to no model
    statement_tables: set[int] = field(default_factory=set)


class Backend(Protocol):
    """What every backend is: a name (recorded in `run.backend`) and `extract`.

    Backends are built by name through `jixiao.extract.registry.get_backend`.
    """

    name: str

    def extract(self, doc: Document, sections: list[Section]) -> Extraction: ...


@runtime_checkable
class LogsCalls(Protocol):
    """A backend that logs the calls it makes (LLM requests), for the store's `llm_calls`."""

    def drain_calls(self) -> list[dict[str, Any]]:
        """The calls logged since the last drain (one dict per call; never a key)."""
        ...


def finalize_ids(extraction: Extraction) -> Extraction:
    """Number facts, indicator rows and flags in document order (f1…, i1…, g1…); facts
    read by OCR get their confidence lowered by the recognition's (both backends end here)."""
    apply_ocr_confidence(extraction.facts)
    renames: dict[str, str] = {}
    extraction.facts.sort(key=lambda f: (f.evidence.start, f.evidence.end, f.concept))
    for n, fact in enumerate(extraction.facts, 1):
        if fact.id:
            renames[fact.id] = f"f{n}"
        fact.id = f"f{n}"
    irenames: dict[str, str] = {}
    for n, row in enumerate(extraction.indicators, 1):
        if row.id:
            irenames[row.id] = f"i{n}"
        row.id = f"i{n}"
    for n, flag in enumerate(extraction.flags, 1):
        flag.id = f"g{n}"
        flag.facts = [renames.get(x, x) for x in flag.facts]
        flag.indicators = [irenames.get(x, x) for x in flag.indicators]
    return extraction
