"""Storing one document's outcome from wherever it was processed, and what to report back.

A batch's worker processes store their own documents (one transaction each, so the crash
guarantee of a serial run holds) and hand the parent only `StoredByWorker` counts: sending
whole records back made the parent, which re-parsed and re-wrote them, the bottleneck.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.models import Record


@dataclass(frozen=True)
class StoreTarget:
    """Where worker processes store documents: the store URL, the run, the writers' lock."""

    db: str
    run_id: int
    #: whether the parent writes `--out`, so workers send each record's JSON back
    want_json: bool
    #: a multiprocessing lock: writers queue on it instead of SQLite's sleeping busy handler
    lock: Any


@dataclass(frozen=True)
class StoredByWorker:
    """What the parent needs of a document a worker processed and stored: counts, and the
    record's JSON only when `--out` asks for it."""

    path: str
    error: str | None
    seconds: float
    facts: int
    indicators: int
    checks: tuple[str, ...]
    record_json: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0

    @classmethod
    def of(cls, record: Record, *, want_json: bool) -> StoredByWorker:
        return cls(
            path=record.source.path,
            error=record.error,
            seconds=record.run.seconds,
            facts=len(record.facts),
            indicators=len(record.indicators),
            checks=tuple(f.check for f in record.flags),
            record_json=record.model_dump_json() if want_json else None,
            tokens_in=record.run.tokens_in,
            tokens_out=record.run.tokens_out,
            calls=record.run.calls,
        )


def store_outcome(store: Any, record: Record, text: str | None, backend: str, run_id: int) -> None:
    """Save a record, or the failure with its one-line reason."""
    if record.error is None and text is not None:
        store.save_record(record, text, run_id)
    else:
        store.save_failure(
            path=record.source.path,
            sha256=record.source.sha256 or None,
            backend=backend,
            reason=record.error or "failed",
            run_id=run_id,
        )
