"""Exports: the store as one long table per record kind, in JSONL, CSV, Parquet or XLSX.

`export_store` applies review decisions by default (a `correct` replaces the value and
keeps `original_value`; `source_wrong` marks the row); `include_audit` adds the table of
every decision. `records_to_jsonl` writes records as they are (`extract --out`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from jixiao.export.columns import AUDIT_TABLES, TABLES
from jixiao.export.tables import decision_row, effective_decisions, key_columns, record_rows
from jixiao.export.writers import WRITERS, ExportError, make_writer
from jixiao.models import Record
from jixiao.store import Store

FORMATS: tuple[str, ...] = tuple(WRITERS)

__all__ = ["FORMATS", "ExportError", "export_store", "records_to_jsonl"]


def export_store(
    store: Store,
    fmt: str,
    out_dir: Path,
    *,
    apply_decisions: bool = True,
    include_audit: bool = False,
) -> list[Path]:
    """Write documents, facts, projects, indicators, flags (+ decisions) to `out_dir`.

    Every document is in the documents table, failures included with their reason;
    returns the files written.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the export folder {out_dir}: {exc.strerror}") from exc
    writer = make_writer(fmt, out_dir)
    decisions = store.decisions() if (apply_decisions or include_audit) else []
    effective = effective_decisions(decisions) if apply_decisions else {}
    tables = {**TABLES, **(AUDIT_TABLES if include_audit else {})}
    try:
        for name, columns in tables.items():
            writer.open_table(name, columns)
        keys = {}
        for doc in store.iter_documents(status=None):
            keys[doc.id] = key_columns(doc)
            for name, rows in record_rows(doc, effective).items():
                writer.write(name, rows)
        if include_audit:
            writer.write(
                "decisions", [decision_row(d, keys.get(d["document_id"])) for d in decisions]
            )
        return writer.close()
    except BaseException:
        writer.abort()
        raise


def records_to_jsonl(records: Iterable[Record], path: Path) -> int:
    """Write one record per line (the output contract as is); returns how many.

    Written to a temporary file and moved into place, so a crash never leaves a
    truncated results file behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    count = 0
    try:
        with temporary.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(record.model_dump_json() + "\n")
                count += 1
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count
