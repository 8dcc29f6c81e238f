"""One document: load → segment → backend.extract → finish → `Record`.

Every way of running documents goes through here — the serial loop, the process pool,
the concurrent LLM runner (which calls `finish` once its answers are in), the eval, the
benchmarks and the review UI's fixtures — so a document is processed the same way
wherever it comes from and whichever engine runs it.

Bad input never raises out of `process_path`: it becomes a `Record` with `error` set
(the one-line reason, see `failures`), so a batch goes on and nothing is lost. Neither
does a bug of ours that one document trips (`internal_error`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from jixiao import __version__
from jixiao.document import Document
from jixiao.extract import Backend, Extraction, finalize_ids
from jixiao.extract.project_scopes import reconcile_scopes
from jixiao.models import Record, Section, Source
from jixiao.run.failures import failed_load, failed_processing, reason_for
from jixiao.run.limits import UNLIMITED, Limits
from jixiao.segment.index import Sections


@dataclass
class Outcome:
    """What processing one input produced: a record, and the document when it was read."""

    record: Record
    document: Document | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.record.error is None

    @property
    def text(self) -> str | None:
        """The document's text, stored beside a record that has no error."""
        return self.document.text if self.document is not None else None


def build_record(doc: Document, extraction: Extraction, sections: list[Section]) -> Record:
    """The record of one document. Its kind is the one its title lines decided, else the
    one the backend decided (the LLM is asked only when the title lines decide none)."""
    kind = sections if isinstance(sections, Sections) else Sections()
    document_kind, evidence = kind.document_kind, kind.document_kind_evidence
    if document_kind == "unknown" and extraction.document_kind:
        document_kind, evidence = extraction.document_kind, extraction.document_kind_evidence
    return Record(
        source=Source(
            path=doc.path,
            sha256=doc.sha256,
            format=doc.format,
            pages=doc.pages,
            ocr_pages=doc.ocr_pages,
        ),
        document_kind=document_kind,
        document_kind_evidence=evidence,
        department=extraction.department,
        fiscal_year=extraction.fiscal_year,
        sections=sections,
        facts=extraction.facts,
        projects=extraction.projects,
        indicators=extraction.indicators,
        narrative=extraction.narrative,
        flags=extraction.flags,
        run=extraction.run,
    )


def finish(
    doc: Document, sections: list[Section], extraction: Extraction, *, started: float
) -> Record:
    """Everything after extraction: project scopes reconciled, ids, the record, the
    verifier's flags, and `run.seconds` — the document's wall time since `started`
    (a `time.perf_counter()` value: when its loading began)."""
    from jixiao.verify.reverify import reverify  # verify is not loaded at CLI start-up

    extraction = finalize_ids(reconcile_scopes(extraction))
    record = reverify(build_record(doc, extraction, sections), doc.text, doc.page_starts)
    record.run.seconds = round(time.perf_counter() - started, 4)
    record.run.jixiao_version = __version__
    return record


def process_document(doc: Document, backend: Backend, *, started: float | None = None) -> Record:
    """Segment, extract and finish one loaded document (`started`: see `finish`)."""
    from jixiao.segment import segment

    started = time.perf_counter() if started is None else started
    sections = segment(doc)
    return finish(doc, sections, backend.extract(doc, sections), started=started)


def process_path(path: Path, backend: Backend, limits: Limits = UNLIMITED) -> Outcome:
    """Load and process one file under `limits`; any `JixiaoError` becomes the record's
    one-line reason, any other exception an `internal_error` reason."""
    from jixiao.ingest import load

    started = time.perf_counter()
    doc: Document | None = None
    try:
        with limits.guard():
            doc = load(path)
            record = process_document(doc, backend, started=started)
    except Exception as exc:
        if doc is None:
            record = failed_load(path, exc, backend.name)
        else:
            record = failed_processing(doc, reason_for(exc), backend.name)
    return Outcome(record, doc, time.perf_counter() - started)
