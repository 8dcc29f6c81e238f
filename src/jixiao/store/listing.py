"""Listing, filtering, sorting and counting documents and open flags in the database.

The review overview, queue and API of a batch of tens of thousands of documents ask
these queries; they read the per-document summary columns, the small `flag_counts`
table and indexed flag rows, never records. `Filters` holds what a reviewer narrowed
the batch to; every query here takes one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import sqlalchemy as sa

from jixiao.store import tables

#: document review states a listing can be narrowed to
REVIEW_STATES = ("open", "reviewed", "no_flags", "failed")
SORTS = ("id", "department", "year", "kind", "open", "flags", "confidence", "updated")
PER_PAGE_MAX = 500

d = tables.documents
fl = tables.flags
fc = tables.flag_counts
rd = tables.review_decisions


@dataclass(frozen=True)
class Filters:
    """What a reviewer narrowed the batch to (None: not narrowed)."""

    check: str | None = None
    severity: str | None = None
    #: open flags resting on a reading at most this confident
    max_confidence: float | None = None
    #: the document's review state (REVIEW_STATES)
    state: str | None = None
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    #: documents this reviewer decided on
    reviewed_by: str | None = None
    document: int | None = None

    def as_query(self) -> dict[str, Any]:
        """The non-empty filters, e.g. for links that keep them."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @property
    def narrows_flags(self) -> bool:
        return any(v is not None for v in (self.check, self.severity, self.max_confidence))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def _flag_conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = [fl.c.status == "open"]
    if filters.check:
        conditions.append(fl.c.check_name == filters.check)
    if filters.severity:
        conditions.append(fl.c.severity == filters.severity)
    if filters.max_confidence is not None:
        conditions.append(fl.c.confidence <= filters.max_confidence)
    return conditions


def _document_conditions(
    filters: Filters, *, of_flags: bool = False
) -> list[sa.ColumnElement[bool]]:
    """Conditions on documents; `of_flags`: for a query over the flag rows themselves,
    which apply the flag filters directly (no EXISTS over flags)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.document is not None:
        conditions.append(d.c.id == filters.document)
    if filters.department:
        pattern = "%" + filters.department.replace("%", r"\%").replace("_", r"\_") + "%"
        conditions.append(d.c.department.like(pattern, escape="\\"))
    if filters.year is not None:
        conditions.append(d.c.fiscal_year == filters.year)
    if filters.kind:
        conditions.append(d.c.document_kind == filters.kind)
    state = filters.state
    if state == "failed":
        conditions.append(d.c.status == "failed")
    else:
        conditions.append(d.c.status == "ok")
    if state == "open":
        conditions.append(d.c.n_open > 0)
    elif state == "reviewed":
        conditions.extend([d.c.n_flags > 0, d.c.n_open == 0])
    elif state == "no_flags":
        conditions.append(d.c.n_flags == 0)
    if filters.reviewed_by:
        conditions.append(
            sa.exists().where(rd.c.document_id == d.c.id, rd.c.reviewer == filters.reviewed_by)
        )
    if filters.max_confidence is not None:
        # `min_confidence` is the lowest confidence of the document's open flags, so it
        # alone decides "an open flag at most this confident" (an index range, no flag
        # rows read); with a check or severity too, the flags themselves are asked
        conditions.append(d.c.min_confidence <= filters.max_confidence)
        if (filters.check or filters.severity) and not of_flags:
            conditions.append(
                sa.exists().where(fl.c.document_id == d.c.id, *_flag_conditions(filters))
            )
    elif (filters.check or filters.severity) and not of_flags:
        counted = [fc.c.document_id == d.c.id, fc.c.status == "open"]
        if filters.check:
            counted.append(fc.c.check_name == filters.check)
        if filters.severity:
            counted.append(fc.c.severity == filters.severity)
        conditions.append(sa.exists().where(*counted))
    return conditions


def _order(sort: str, descending: bool) -> list[sa.ColumnElement[Any]]:
    column = {
        "id": d.c.id,
        "department": d.c.department,
        "year": d.c.fiscal_year,
        "kind": d.c.document_kind,
        "open": d.c.n_open,
        "flags": d.c.n_flags,
        "confidence": d.c.min_confidence,
        "updated": d.c.updated_at,
    }[sort if sort in SORTS else "id"]
    ordered = column.desc() if descending else column.asc()
    # NULLs last either way, and the id breaks ties so pages never overlap
    return [column.is_(None), ordered, d.c.id.desc() if descending else d.c.id.asc()]


LISTING_COLUMNS = (
    d.c.id,
    d.c.path,
    d.c.status,
    d.c.error,
    d.c.department,
    d.c.fiscal_year,
    d.c.document_kind,
    d.c.format,
    d.c.version,
    d.c.n_facts,
    d.c.n_indicators,
    d.c.n_projects,
    d.c.n_flags,
    d.c.n_open,
    d.c.n_decided,
    d.c.min_confidence,
    d.c.updated_at,
)


def list_documents(
    conn: sa.Connection,
    filters: Filters,
    *,
    sort: str = "id",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the matching documents (summary columns only) and how many match."""
    per_page = max(1, min(per_page, PER_PAGE_MAX))
    where = _document_conditions(filters)
    total = conn.scalar(sa.select(sa.func.count()).select_from(d).where(*where)) or 0
    # the page's ids first (from the listing index alone), then only those rows: an
    # offset deep into the batch never reads the skipped documents' wide rows
    ids = conn.scalars(
        sa.select(d.c.id)
        .where(*where)
        .order_by(*_order(sort, descending))
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    found = {
        row.id: dict(row._mapping)
        for row in conn.execute(sa.select(*LISTING_COLUMNS).where(d.c.id.in_(ids)))
    }
    rows = [found[i] for i in ids if i in found]
    if rows:
        ids = [row["id"] for row in rows]
        open_by_check: dict[int, dict[str, int]] = {}
        counts = sa.select(fc.c.document_id, fc.c.check_name, sa.func.sum(fc.c.n)).where(
            fc.c.document_id.in_(ids), fc.c.status == "open"
        )
        for doc_id, check, n in conn.execute(counts.group_by(fc.c.document_id, fc.c.check_name)):
            open_by_check.setdefault(doc_id, {})[check] = int(n)
        for row in rows:
            row["open_by_check"] = dict(sorted(open_by_check.get(row["id"], {}).items()))
    return rows, total


def batch_counts(conn: sa.Connection, filters: Filters) -> dict[str, Any]:
    """Aggregates over the matching documents: flags by check, severity and status, and
    progress (decided / all flags) — from `flag_counts` and the summary columns."""
    where = _document_conditions(filters)
    matching = sa.select(d.c.id).where(*where)
    totals = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(d.c.n_flags), 0),
            sa.func.coalesce(sa.func.sum(d.c.n_open), 0),
            sa.func.coalesce(sa.func.sum(d.c.n_decided), 0),
        ).where(*where)
    ).one()
    by: dict[str, dict[str, int]] = {"check": {}, "severity": {}}
    grouped = (
        sa.select(fc.c.check_name, fc.c.severity, sa.func.sum(fc.c.n))
        .where(fc.c.status == "open", fc.c.document_id.in_(matching))
        .group_by(fc.c.check_name, fc.c.severity)
    )
    for check, severity, n in conn.execute(grouped):
        by["check"][check] = by["check"].get(check, 0) + int(n)
        by["severity"][severity] = by["severity"].get(severity, 0) + int(n)
    return {
        "documents": int(totals[0]),
        "flags": int(totals[1]),
        "open": int(totals[2]),
        "decided": int(totals[3]),
        "open_by_check": dict(sorted(by["check"].items())),
        "open_by_severity": dict(sorted(by["severity"].items())),
    }


def facet_values(conn: sa.Connection) -> dict[str, list[Any]]:
    """The values the filter menus offer: years, kinds and reviewers present."""
    years = conn.scalars(
        sa.select(d.c.fiscal_year).where(d.c.fiscal_year.is_not(None)).distinct()
    ).all()
    kinds = conn.scalars(
        sa.select(d.c.document_kind).where(d.c.document_kind.is_not(None)).distinct()
    ).all()
    reviewers = conn.scalars(sa.select(rd.c.reviewer).distinct()).all()
    checks = conn.scalars(sa.select(fc.c.check_name).distinct()).all()
    return {
        "years": sorted(years, reverse=True),
        "kinds": sorted(kinds),
        "reviewers": sorted(reviewers),
        "checks": sorted(checks),
    }


def open_flags(
    conn: sa.Connection,
    filters: Filters,
    *,
    after: tuple[int, int] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Matching open flags in queue order (document, then position in the record).

    `after` = (document id, flag row id): the flags that come after that one.
    """
    conditions = [*_flag_conditions(filters), *_document_conditions(filters, of_flags=True)]
    if after is not None:
        doc_id, row_id = after
        conditions.append(
            sa.or_(fl.c.document_id > doc_id, sa.and_(fl.c.document_id == doc_id, fl.c.id > row_id))
        )
    # the page's flag ids first, from indexed columns only (the flag and document
    # indexes), then the details of just those: a filter matching thousands of flags
    # never reads their messages or the documents' wide rows before the LIMIT
    ids = conn.scalars(
        sa.select(fl.c.id)
        .join(d, d.c.id == fl.c.document_id)
        .where(*conditions)
        .order_by(fl.c.document_id, fl.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    if not ids:
        return []
    query = (
        sa.select(
            fl.c.id.label("row_id"),
            fl.c.document_id,
            fl.c.flag_id,
            fl.c.flag_key,
            fl.c.check_name,
            fl.c.severity,
            fl.c.family,
            fl.c.confidence,
            fl.c.message,
            d.c.department,
            d.c.fiscal_year,
            d.c.path,
        )
        .join(d, d.c.id == fl.c.document_id)
        .where(fl.c.id.in_(ids))
        .order_by(fl.c.document_id, fl.c.id)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def count_open_flags(conn: sa.Connection, filters: Filters) -> int:
    conditions = [*_flag_conditions(filters), *_document_conditions(filters, of_flags=True)]
    query = (
        sa.select(sa.func.count())
        .select_from(fl.join(d, d.c.id == fl.c.document_id))
        .where(*conditions)
    )
    return int(conn.scalar(query) or 0)


def reviewer_summary(conn: sa.Connection) -> list[dict[str, Any]]:
    """Per reviewer: decisions by action, documents touched, first and last decision."""
    query = (
        sa.select(
            rd.c.reviewer,
            rd.c.action,
            sa.func.count(),
            sa.func.count(sa.distinct(rd.c.document_id)),
            sa.func.min(rd.c.created_at),
            sa.func.max(rd.c.created_at),
        )
        .where(rd.c.action != "skip")
        .group_by(rd.c.reviewer, rd.c.action)
    )
    people: dict[str, dict[str, Any]] = {}
    for reviewer, action, n, _docs, first, last in conn.execute(query):
        person = people.setdefault(
            reviewer, {"reviewer": reviewer, "actions": {}, "first": first, "last": last}
        )
        person["actions"][action] = int(n)
        person["first"] = min(person["first"], first)
        person["last"] = max(person["last"], last)
    documents = sa.select(rd.c.reviewer, sa.func.count(sa.distinct(rd.c.document_id))).group_by(
        rd.c.reviewer
    )
    for reviewer, n in conn.execute(documents):
        if reviewer in people:
            people[reviewer]["documents"] = int(n)
    for person in people.values():
        person["decisions"] = sum(person["actions"].values())
    return sorted(people.values(), key=lambda p: (-p["decisions"], p["reviewer"]))


def count_open(conn: sa.Connection, filters: Filters) -> int:
    """How many open flags match: from `flag_counts` unless a confidence bound needs the
    flag rows themselves."""
    if filters.max_confidence is not None:
        return count_open_flags(conn, filters)
    counted = [
        fc.c.status == "open",
        fc.c.document_id.in_(
            sa.select(d.c.id).where(*_document_conditions(filters, of_flags=True))
        ),
    ]
    if filters.check:
        counted.append(fc.c.check_name == filters.check)
    if filters.severity:
        counted.append(fc.c.severity == filters.severity)
    total = conn.scalar(sa.select(sa.func.coalesce(sa.func.sum(fc.c.n), 0)).where(*counted))
    return int(total or 0)
