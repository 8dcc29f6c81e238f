"""Re-run the verifier over stored records (`jixiao verify`), e.g. after corrections.

What re-verification keeps (extraction-time flags, reviewers' verdicts) is decided by
`jixiao.verify.reverify.reverify`, the same function the review UI uses after a
correction and a batch uses after extraction; this module only walks the store and
saves what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from jixiao.errors import ReviewConflict
from jixiao.models import Record
from jixiao.store import Store
from jixiao.verify.reverify import reverify as reverify_record

ReverifyFn = Callable[[Record, str], Record]

#: attempts per document when a reviewer saves it at the same moment
_ATTEMPTS = 3


def verify_stored(store: Store, reverify: ReverifyFn = reverify_record) -> dict[str, int]:
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
            assert doc.record is not None  # an ok document always has its record
            before = doc.record.model_dump()
            # the verifier may also fill computed fields (e.g. `achieved`), so compare all
            record = reverify(doc.record.model_copy(deep=True), text)
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
