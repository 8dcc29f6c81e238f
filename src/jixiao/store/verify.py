"""Re-run the verifier over stored records (`jixiao verify`), e.g. after corrections.

Flags raised while extracting (a table shorter than it should be, a backend error, two
backends disagreeing) cannot be recomputed from the record, so they are kept; every
other flag is replaced by what the verifier says now. A flag a reviewer accepted (or
marked as an error of the source) keeps that status when the verifier raises it again
unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from jixiao.errors import ReviewConflict
from jixiao.models import Flag, Record

if TYPE_CHECKING:
    from jixiao.store.store import Store

#: checks only the extraction can raise; re-verification keeps them
EXTRACTION_CHECKS = frozenset({"completeness", "extraction_error", "backend_disagreement"})

VerifyFn = Callable[[Record, str], list[Flag]]

#: attempts per document when a reviewer saves it at the same moment
_ATTEMPTS = 3


def _identity(flag: Flag) -> tuple:
    return (flag.check, tuple(flag.facts), tuple(flag.indicators), flag.message)


def reverified_flags(record: Record, text: str, verify_fn: VerifyFn) -> list[Flag]:
    """Kept extraction flags plus fresh verifier flags, numbered g1…, review state carried."""
    reviewed = {_identity(f): f.status for f in record.flags if f.status != "open"}
    kept = [f.model_copy() for f in record.flags if f.check in EXTRACTION_CHECKS]
    fresh = [f for f in verify_fn(record, text) if f.check not in EXTRACTION_CHECKS]
    flags = kept + fresh
    for n, flag in enumerate(flags, 1):
        flag.id = f"g{n}"
        flag.status = reviewed.get(_identity(flag), flag.status)
    return flags


def verify_stored(store: Store, verify_fn: VerifyFn) -> dict[str, int]:
    """Re-verify every stored OK document; returns the number of flags per check.

    A document is only saved when its record changed, so re-verifying does not bump the
    version a reviewer holds for nothing; a reviewer saving at the same moment makes it
    re-read the document and try again.
    """
    counts: Counter[str] = Counter()
    for listed in store.iter_documents(status="ok"):
        text = store.document_text(listed.id)
        doc = listed
        for attempt in range(_ATTEMPTS):
            record = doc.record
            before = record.model_dump()
            # the verifier may also fill computed fields (e.g. `achieved`), so compare all
            record.flags = reverified_flags(record, text, verify_fn)
            if record.model_dump() == before:
                break
            try:
                store.update_record(doc.id, record, expected_version=doc.version)
                break
            except ReviewConflict:
                if attempt == _ATTEMPTS - 1:
                    raise
                doc = store.get_document(doc.id)
        counts.update(f.check for f in record.flags)
    return dict(counts)
