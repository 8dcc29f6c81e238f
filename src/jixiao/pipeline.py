"""One document through the pipeline: ingest → segment → extract → merge → verify → Record.

The CLI, the eval harness, the benchmarks and the review UI all go through
`process_document` / `process_path`, so a document is processed the same way
wherever it comes from. Bad input never raises out of `process_path`: it becomes a
`Record` with `error` set (the one-line reason), so a batch goes on and nothing is lost.
Neither does a bug of ours that one document trips (`internal_error`): a batch of tens
of thousands must not stop at it, nor stop there again on every resume.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from jixiao import __version__
from jixiao.document import Document
from jixiao.errors import JixiaoError
from jixiao.extract import Backend, Extraction, finalize_ids
from jixiao.extract.merge import reconcile_scopes
from jixiao.models import EXTRACTION_CHECKS, Flag, Record, Source


@dataclass
class Outcome:
    """What processing one input produced: a record, and the document when it was read."""

    record: Record
    document: Document | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.record.error is None


def get_backend(name: str, **options: object) -> Backend:
    """The backend called `name` ('rules', 'llm' or 'hybrid')."""
    if name == "rules":
        from jixiao.extract.rules import RulesBackend

        return RulesBackend()
    if name in ("llm", "hybrid"):
        from jixiao.extract.llm import make_backend

        return make_backend(name, **options)
    raise JixiaoError(f"unknown backend {name!r}: choose rules, llm, hybrid or auto")


def run_verifier(record: Record, text: str) -> list[Flag]:
    """Verifier flags for a record (imported lazily: verify must not load at CLI start-up)."""
    from jixiao.verify import verify_record

    return verify_record(record, text)


def build_record(doc: Document, extraction: Extraction, sections: list) -> Record:
    return Record(
        source=Source(path=doc.path, sha256=doc.sha256, format=doc.format, pages=doc.pages),
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


def renumber_flags(flags: list[Flag]) -> list[Flag]:
    for n, flag in enumerate(flags, 1):
        flag.id = f"g{n}"
    return flags


def reverify(record: Record, text: str) -> Record:
    """Re-run the checks: keep extraction-time flags, replace the verifier's."""
    kept = [f for f in record.flags if f.check in EXTRACTION_CHECKS]
    record.flags = renumber_flags(kept + run_verifier(record, text))
    return record


def process_document(
    doc: Document, backend: Backend, *, elapsed: float = 0.0, sections: list | None = None
) -> Record:
    """Segment, extract, merge and verify one loaded document.

    `run.seconds` is the document's wall time: `elapsed` (what the caller already spent
    on it: loading, or the LLM calls of a pipeline that extracted it beforehand) plus
    this function's own time. `sections` saves segmenting again when the caller did.
    """
    from jixiao.segment import segment

    started = time.perf_counter() - elapsed
    sections = segment(doc) if sections is None else sections
    extraction = backend.extract(doc, sections)
    extraction = finalize_ids(reconcile_scopes(extraction))
    record = build_record(doc, extraction, sections)
    record = reverify(record, doc.text)
    record.run.seconds = round(time.perf_counter() - started, 4)
    record.run.jixiao_version = __version__
    return record


def failed_record(path: Path, reason: str, backend: str, data: bytes | None) -> Record:
    sha = hashlib.sha256(data).hexdigest() if data is not None else ""
    from jixiao.ingest import format_of_name

    return Record(
        source=Source(path=str(path), sha256=sha, format=format_of_name(path.name)),
        error=reason,
        run={"backend": backend, "jixiao_version": __version__},
    )


def internal_error(exc: Exception) -> str:
    """The one-line reason for an exception jixiao did not foresee: a bug to report."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = (str(exc).strip().splitlines() or [""])[0][:200]
    return (
        f"internal_error: {type(exc).__name__}: {message}{where} "
        "(a bug in jixiao: please report it with this file)"
    )


def reason_for(exc: Exception) -> str:
    """A document's one-line failure reason: ours (`JixiaoError`), the OS's, or a bug's."""
    if isinstance(exc, JixiaoError):
        return f"{exc.reason}: {exc}"
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    return internal_error(exc)


def failed_load(path: Path, exc: Exception, backend: str) -> Record:
    """The record of a file that could not be loaded (hashed when it can be read)."""
    data = None
    if not isinstance(exc, OSError):
        with contextlib.suppress(OSError):
            data = path.read_bytes()
    return failed_record(path, reason_for(exc), backend, data)


def failed_processing(doc: Document, reason: str, backend: str) -> Record:
    """The record of a loaded document whose processing failed, with its one-line reason."""
    record = failed_record(Path(doc.path), reason, backend, None)
    record.source.sha256 = doc.sha256
    return record


def process_path(path: Path, backend: Backend) -> Outcome:
    """Load and process one file; any `JixiaoError` becomes the record's one-line reason,
    any other exception an `internal_error` reason."""
    from jixiao.ingest import load

    started = time.perf_counter()
    try:
        doc = load(path)
    except Exception as exc:
        return Outcome(failed_load(path, exc, backend.name), None, time.perf_counter() - started)
    try:
        record = process_document(doc, backend, elapsed=time.perf_counter() - started)
    except Exception as exc:
        record = failed_processing(doc, reason_for(exc), backend.name)
    return Outcome(record, doc, time.perf_counter() - started)
