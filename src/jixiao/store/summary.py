"""The per-document summary row and flag counts the review overview reads.

Written with the record on every save and review decision, so listing, filtering,
sorting and counting 10,000 documents is a query over these small rows, never a load
of 10,000 records.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from jixiao.models import Record
from jixiao.store.rows import flag_confidence

#: bump when the row builders or the summary change: stores rebuild older documents' rows
ROWS_VERSION = 2


def summary_values(record: Record) -> dict[str, Any]:
    """The document columns that summarise its record."""
    confidence = {f.id: f.confidence for f in record.facts}
    open_flags = [f for f in record.flags if f.status == "open"]
    lows = [c for f in open_flags if (c := flag_confidence(f, confidence)) is not None]
    return {
        "document_kind": record.document_kind,
        "n_facts": len(record.facts),
        "n_indicators": len(record.indicators),
        "n_projects": len(record.projects),
        "n_flags": len(record.flags),
        "n_open": len(open_flags),
        "n_decided": len(record.flags) - len(open_flags),
        "min_confidence": min(lows) if lows else None,
        "rows_version": ROWS_VERSION,
    }


def empty_summary() -> dict[str, Any]:
    """Summary columns of a failed document (no record)."""
    return {
        "document_kind": None,
        "n_facts": 0,
        "n_indicators": 0,
        "n_projects": 0,
        "n_flags": 0,
        "n_open": 0,
        "n_decided": 0,
        "min_confidence": None,
        "rows_version": ROWS_VERSION,
    }


def flag_count_rows(record: Record) -> list[dict[str, Any]]:
    """One row per (check, severity, status) with its number of flags."""
    counts = Counter((f.check, f.severity, f.status) for f in record.flags)
    return [
        {"check_name": check, "severity": severity, "status": status, "n": n}
        for (check, severity, status), n in sorted(counts.items())
    ]
