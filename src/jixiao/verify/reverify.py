"""Re-verifying a record: the extraction's own flags kept, the verifier's replaced.

One function for every place a record is verified — a document just extracted, a
stored record re-checked by `jixiao verify`, a correction saved in the review UI — so a
flag raised while extracting (completeness, extraction_error, backend_disagreement) is
never lost or doubled, and flag ids are always g1, g2 … in the same order.
"""

from __future__ import annotations

from jixiao.models import EXTRACTION_CHECKS, Flag, Record


def renumber_flags(flags: list[Flag]) -> list[Flag]:
    for n, flag in enumerate(flags, 1):
        flag.id = f"g{n}"
    return flags


def reverify(record: Record, text: str, page_starts: list[tuple[int, int]] | None = None) -> Record:
    """Re-run the checks: keep extraction-time flags, replace the verifier's. The loaded
    document's `page_starts` place wording findings on their page (a stored record's
    re-verification places them by the pages of its own evidence)."""
    import jixiao.verify  # the package's attribute, so a test may replace the verifier

    kept = [f for f in record.flags if f.check in EXTRACTION_CHECKS]
    found = jixiao.verify.verify_record(record, text, page_starts=page_starts)
    record.flags = renumber_flags(kept + found)
    return record
