"""Storing one finished document, from whichever process finished it, and what to report.

Every engine ends a document the same way: `keep` stores its record (or its failure
with the one-line reason) and its LLM calls, and returns a `Done` — the counts the
batch's summary needs and, when `--out` is written, the record's JSON. Where the
workers can reach the store they keep their own documents (one transaction each, so
the crash guarantee of a serial run holds) and send back only `Done`: sending whole
records back made the parent, which re-parsed and re-wrote them, the bottleneck. Where
they cannot (an in-memory database), they send a `Finished` and the parent keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from jixiao.models import Record

if TYPE_CHECKING:
    from jixiao.store import Store


@dataclass(frozen=True)
class StoreTarget:
    """Where documents are stored: the store URL, the run, the writers' lock."""

    db: str
    run_id: int
    #: whether the parent writes `--out`, so each record's JSON comes back with its counts
    want_json: bool
    #: a multiprocessing lock: writers queue on it instead of SQLite's sleeping busy handler
    lock: Any


@dataclass
class Finished:
    """A processed document not yet stored: its record, its text (None when it failed)
    and the LLM calls made for it."""

    record: Record
    text: str | None
    calls: Sequence[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Done:
    """What the batch needs of a stored (or resumed) document: counts, and the record's
    JSON only when `--out` asks for it."""

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
    #: a document already stored by an earlier run, not processed again
    skipped: bool = False
    #: reviewers' decisions on the stored document that its new extraction could not
    #: keep (`Store.review_not_carried`): the audit table still has them
    review_not_carried: tuple[str, ...] = ()

    @classmethod
    def of(cls, record: Record, *, want_json: bool, skipped: bool = False) -> Done:
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
            skipped=skipped,
        )


def keep(store: Store, target: StoreTarget, finished: Finished) -> Done:
    """Store a document — its record, or its failure with the one-line reason — and
    its calls, under the writers' lock; return what the batch counts."""
    record = finished.record
    not_carried: tuple[str, ...] = ()
    with target.lock:
        if record.error is None and finished.text is not None:
            doc_id = store.save_record(record, finished.text, target.run_id)
            not_carried = tuple(store.review_not_carried.pop(doc_id, ()))
        else:
            store.save_failure(
                path=record.source.path,
                sha256=record.source.sha256 or None,
                backend=record.run.backend,
                reason=record.error or "failed",
                run_id=target.run_id,
            )
        if finished.calls:
            store.log_calls(finished.calls, run_id=target.run_id)
    return replace(Done.of(record, want_json=target.want_json), review_not_carried=not_carried)
