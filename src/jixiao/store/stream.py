"""Read a whole store in bounded pages, for exports of any batch size.

A page is a run of documents (by id) with everything an export needs of them: the
document columns, the small parts of their record (department, narrative, run info,
flags, projects), their fact and indicator rows and their review decisions. A page
holds at most `PAGE_DOCUMENTS` documents and `PAGE_ROWS` rows (the summary columns say
how many rows a document has before they are read), so memory is that of one page,
whatever the size of the store; no transaction stays open between pages, so reviewers
can keep working while an export runs.

Facts and indicator rows come from their tables (written from the record on every
save); the small parts come out of the record JSON in the database (one `json_extract`
on SQLite, `json_build_array` on PostgreSQL), so the large record is never parsed in
Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from jixiao.store import tables as schema

if TYPE_CHECKING:
    from jixiao.store.store import Store

Row = dict[str, Any]

#: documents per page at most: a page holds their rows at once
PAGE_DOCUMENTS = 100
#: fact and indicator rows per page at most (a page ends before the document that would
#: pass it; a single larger document is a page of its own), so a page of documents with
#: big statement tables holds no more than a page of small ones
PAGE_ROWS = 5_000
#: decisions per page of the audit table
PAGE_DECISIONS = 5_000

#: parts of the record JSON the export reads (never facts or indicators: those are rows)
RECORD_PARTS: tuple[str, ...] = (
    "schema_version",
    "source",
    "department",
    "narrative",
    "run",
    "flags",
    "projects",
)

_DOCUMENT_COLUMNS = (
    "id",
    "sha256",
    "backend",
    "path",
    "format",
    "pages",
    "status",
    "error",
    "department",
    "fiscal_year",
    "document_kind",
    "version",
    "updated_at",
    "n_facts",
    "n_indicators",
    "n_projects",
    "n_flags",
    "n_open",
)


@dataclass
class Page:
    """Documents and their rows; `parts[id]` holds the record parts of document `id`."""

    documents: list[Row]
    parts: dict[int, dict[str, Any]] = field(default_factory=dict)
    facts: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    decisions: list[Row] = field(default_factory=list)


def _parts_columns(dialect: str) -> tuple[list[sa.ColumnElement[Any]], Any]:
    """Columns giving the record's parts, and the FROM clause they need.

    SQLite: one `json_extract` with every path (a JSON array, the record parsed once).
    PostgreSQL: `json_to_record` in the FROM clause (also one parse; `record -> 'x'`
    would parse and de-TOAST the whole record once per part). Elsewhere the whole
    record, parsed in Python.
    """
    d = schema.documents
    if dialect == "sqlite":
        paths = (f"$.{p}" for p in RECORD_PARTS)
        return [sa.func.json_extract(d.c.record, *paths).label("record_parts")], d
    if dialect == "postgresql":
        types = {"schema_version": sa.Text}
        parts = (
            sa.func.json_to_record(d.c.record)
            .table_valued(*(sa.column(p, types.get(p, sa.JSON)) for p in RECORD_PARTS))
            .render_derived(name="record_parts", with_types=True)
        )
        columns: list[sa.ColumnElement[Any]] = [parts.c[p].label(f"part_{p}") for p in RECORD_PARTS]
        return columns, d.outerjoin(parts, sa.true())
    return [d.c.record.label("record_parts")], d


def _parts(data: dict[str, Any]) -> dict[str, Any]:
    """The record parts of one document row (the columns are removed from `data`)."""
    if "record_parts" not in data:
        return {p: data.pop(f"part_{p}") for p in RECORD_PARTS}
    value = data.pop("record_parts")
    if value is None:
        return {}
    if isinstance(value, dict):  # the whole record (the fallback)
        return {p: value.get(p) for p in RECORD_PARTS}
    return dict(zip(RECORD_PARTS, json.loads(value), strict=True))


def count_documents(store: Store) -> int:
    d = schema.documents
    with store._read() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(d)).scalar_one()


def _child_rows(conn: sa.Connection, table: sa.Table, low: int, high: int) -> list[Row]:
    columns = [c for c in table.columns if c.name != "id"]
    query = (
        sa.select(*columns)
        .where(table.c.document_id >= low, table.c.document_id <= high)
        .order_by(table.c.document_id, table.c.id)
    )
    return _dicts(conn.execute(query))


def _dicts(result: sa.CursorResult[Any]) -> list[Row]:
    """Result rows as dicts (built from plain tuples: much cheaper than `Row._mapping`)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.fetchall()]


def iter_pages(
    store: Store, *, decisions: bool = True, page_size: int | None = None
) -> Iterator[Page]:
    """Every document of the store in id order, `page_size` (default `PAGE_DOCUMENTS`)
    at a time, with its rows."""
    page_size = page_size or PAGE_DOCUMENTS
    d = schema.documents
    parts, source = _parts_columns(store.engine.dialect.name)
    columns: list[sa.ColumnElement[Any]] = [d.c[name] for name in _DOCUMENT_COLUMNS] + parts
    after = 0
    while True:
        with store._read() as conn:
            sizes = sa.select(d.c.id, d.c.n_facts, d.c.n_indicators).where(d.c.id > after)
            chosen = _within_budget(conn.execute(sizes.order_by(d.c.id).limit(page_size)).all())
            if not chosen:
                return
            low, high = chosen[0].id, chosen[-1].id
            query = sa.select(*columns).select_from(source)
            query = query.where(d.c.id >= low, d.c.id <= high).order_by(d.c.id)
            rows = _dicts(conn.execute(query))
            page = Page(documents=[])
            for data in rows:
                page.parts[data["id"]] = _parts(data)
                page.documents.append(data)
            page.facts = _child_rows(conn, schema.facts, low, high)
            page.indicators = _child_rows(conn, schema.indicators, low, high)
            if decisions:
                r = schema.review_decisions
                query = (
                    sa.select(r)
                    .where(r.c.document_id >= low, r.c.document_id <= high)
                    .order_by(r.c.id)
                )
                page.decisions = _dicts(conn.execute(query))
        yield page
        after = high


def _within_budget(documents: Sequence[Any]) -> Sequence[Any]:
    """The leading documents whose fact and indicator rows fit in `PAGE_ROWS` (at least
    one document); `documents` are rows of (id, n_facts, n_indicators)."""
    rows = 0
    for n, doc in enumerate(documents):
        rows += (doc.n_facts or 0) + (doc.n_indicators or 0)
        if rows > PAGE_ROWS and n:
            return documents[:n]
    return documents


def iter_decisions(store: Store, *, page_size: int | None = None) -> Iterator[list[Row]]:
    """Every review decision in id order, with its document's key columns."""
    page_size = page_size or PAGE_DECISIONS
    r, d = schema.review_decisions, schema.documents
    key = [d.c.sha256, d.c.path, d.c.department.label("department_name"), d.c.fiscal_year]
    after = 0
    while True:
        query = (
            sa.select(r, *key)
            .join(d, d.c.id == r.c.document_id)
            .where(r.c.id > after)
            .order_by(r.c.id)
            .limit(page_size)
        )
        with store._read() as conn:
            rows = _dicts(conn.execute(query))
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]
