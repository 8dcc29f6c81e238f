"""Score the records a batch left in a store (`jixiao eval --db STORE`).

A fixture's record is found by the content hash of its source file, the key the store
keeps documents under, so the store may have been filled from any folder or machine.
Fixtures whose source is not in the store are listed as `not_stored`, not scored as
all-missed: a store built from part of the fixtures says nothing about the rest. A
document stored as a failure is scored as an empty record (everything missed).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from jixiao.errors import ConfigError
from jixiao.evaluate.harness import EvalResult, failed_record, labelled_fixtures
from jixiao.evaluate.metrics import score_document
from jixiao.store import Store, StoredDocument


def source_sha256(path: Path) -> str:
    """The content hash the store keys a document on."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pick(fixture_id: str, stored: list[StoredDocument], backend: str | None) -> StoredDocument:
    """The stored document of `backend`, or the only one when no backend is asked for."""
    if backend is not None:
        return next(d for d in stored if d.backend == backend)
    if len(stored) > 1:
        backends = ", ".join(sorted(d.backend for d in stored))
        raise ConfigError(
            f"fixture {fixture_id} is stored under several backends ({backends}): "
            "pass --backend to choose one"
        )
    return stored[0]


def evaluate_store(
    fixtures_dir: Path,
    db: str | Store,
    backend: str | None = None,
    *,
    only: list[str] | None = None,
    groups: list[str] | None = None,
) -> EvalResult:
    """Score the stored record of every labelled fixture against its gold."""
    if isinstance(db, str) and "://" not in db and db != ":memory:" and not Path(db).is_file():
        raise ConfigError(f"{db}: no such store; pass the --db a batch wrote to")
    store = db if isinstance(db, Store) else Store(db)
    result = EvalResult(backend=backend or "stored", scored_from="store")
    started = time.perf_counter()
    backends: set[str] = set()
    try:
        for fixture, gold in labelled_fixtures(fixtures_dir, result, only=only, groups=groups):
            stored = store.find_by_sha256(source_sha256(fixture.source))
            if backend is not None:
                stored = [d for d in stored if d.backend == backend]
            if not stored:
                result.not_stored.append(fixture.id)
                continue
            doc = _pick(fixture.id, stored, backend)
            backends.add(doc.backend)
            record = doc.record or failed_record(fixture.source, doc.error or "failed", doc.backend)
            result.documents.append(score_document(fixture.id, gold, record))
    finally:
        if not isinstance(db, Store):
            store.close()
    if backend is None and len(backends) == 1:
        result.backend = backends.pop()
    result.wall_seconds = time.perf_counter() - started
    return result
