"""Exports: the store as one long table per record kind, in JSONL, CSV, Parquet or XLSX.

`export_store` applies review decisions by default (a `correct` replaces the value and
keeps `original_value`; `source_wrong` marks the row); `include_audit` adds the table of
every decision. It reads the store a page of documents at a time (`store.stream`) and
every writer streams, so memory does not grow with the batch. `records_to_jsonl`
writes records as they are (`extract --out`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from jixiao.export.columns import AUDIT_TABLES, TABLES
from jixiao.export.tables import decision_row, effective_decisions, page_rows
from jixiao.export.writers import WRITERS, ExportError, make_writer
from jixiao.models import Record
from jixiao.store import Store
from jixiao.store.stream import count_documents, iter_decisions, iter_pages

FORMATS: tuple[str, ...] = tuple(WRITERS)

__all__ = ["FORMATS", "ExportError", "count_documents", "export_store", "records_to_jsonl"]

#: called after each page with (documents written, documents in the store)
Progress = Callable[[int, int], None]


def export_store(
    store: Store,
    fmt: str,
    out_dir: Path,
    *,
    apply_decisions: bool = True,
    include_audit: bool = False,
    progress: Progress | None = None,
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
    tables = {**TABLES, **(AUDIT_TABLES if include_audit else {})}
    total = count_documents(store) if progress else 0
    done = 0
    try:
        for name, columns in tables.items():
            writer.open_table(name, columns)
        for page in iter_pages(store, decisions=apply_decisions):
            effective = effective_decisions(page.decisions) if apply_decisions else {}
            for name, rows in page_rows(page, effective).items():
                writer.write(name, rows)
            done += len(page.documents)
            if progress:
                progress(done, max(total, done))
        if include_audit:
            for decisions in iter_decisions(store):
                writer.write("decisions", [decision_row(d) for d in decisions])
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
