"""Writing a record into the store's rows: the document columns, its child rows and
summary, and the small value helpers every writer shares (`Store`, review edits)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from jixiao.models import Record
from jixiao.store import tables
from jixiao.store.rows import child_rows
from jixiao.store.summary import flag_count_rows, summary_values

_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+|api[_-]?key\s*[=:]\s*\S+)", re.I)

CHILD_TABLES = {
    "facts": tables.facts,
    "indicators": tables.indicators,
    "flags": tables.flags,
    "projects": tables.projects,
    "flag_counts": tables.flag_counts,
}


def now() -> datetime:
    return datetime.now(UTC)


def json_safe(value: Any) -> Any:
    """Plain JSON (paths, dataclass fields, datetimes become strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def redact(text: str | None) -> str | None:
    """Remove anything that looks like an API key from an error message before storing it."""
    return _SECRET.sub("[redacted]", text) if text else text


def source_file(path: str) -> str | None:
    """The source's absolute path as seen by the process that extracted it."""
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError, ValueError):
        return None


def document_values(record: Record) -> dict:
    """Document columns taken from a record (status follows `record.error`)."""
    return {
        **summary_values(record),
        "path": record.source.path,
        "format": record.source.format,
        "pages": record.source.pages,
        "status": "failed" if record.error else "ok",
        "error": redact(record.error),
        "department": record.department.name,
        "fiscal_year": record.fiscal_year,
        "record": record.model_dump(mode="json"),
    }


def replace_children(conn: sa.Connection, doc_id: int, record: Record | None) -> None:
    for table in CHILD_TABLES.values():
        conn.execute(sa.delete(table).where(table.c.document_id == doc_id))
    if record is None:
        return
    rows_by_table = {**child_rows(record), "flag_counts": flag_count_rows(record)}
    for name, rows in rows_by_table.items():
        if rows:
            conn.execute(
                sa.insert(CHILD_TABLES[name]), [{**row, "document_id": doc_id} for row in rows]
            )
