"""`Store`: records, failures, runs, LLM calls and review decisions in one SQL database.

One document row per (content hash, backend): re-running a batch finds what is done
(`find_done`) and an upsert replaces the row instead of adding a second one. Every
write of a record is one transaction, so a batch killed mid-run leaves each document
either fully stored or absent. Review edits go through `update_record` with the
version the reviewer saw (optimistic concurrency); decisions are appended, never edited.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from jixiao.errors import ReviewConflict, StoreError
from jixiao.models import Record, upgrade_record_data
from jixiao.store import tables
from jixiao.store.carry import carry_review
from jixiao.store.editing import DocumentEdit, insert_decision
from jixiao.store.engine import WRITE_OPTION, create_engine, normalise_url
from jixiao.store.migrations import upgrade
from jixiao.store.summary import ROWS_VERSION, empty_summary, summary_values
from jixiao.store.writing import (
    document_values,
    json_safe,
    now,
    redact,
    replace_children,
    source_file,
)

STATUSES = ("ok", "failed")

#: columns `log_call` stores; anything else is dropped, so a key can never end up stored
CALL_FIELDS = frozenset(c.name for c in tables.llm_calls.columns) - {"id"}
#: other names callers use for a column
CALL_ALIASES = {"section": "section_id", "document": "document_id"}

#: documents read per query when iterating, so no transaction stays open for long
_PAGE = 200


@dataclass
class StoredDocument:
    """A document row; `record` is None for a failure. Text: `store.document_text(id)`."""

    id: int
    sha256: str | None
    backend: str
    path: str
    format: str | None
    pages: int | None
    status: str
    error: str | None
    version: int
    record: Record | None
    run_id: int | None
    created_at: datetime | None
    updated_at: datetime | None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC (SQLite hands datetimes back without a zone; they were stored in UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


class Store:
    """The jixiao database at `url` (SQLite file path or any SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.sa_url = normalise_url(url)
        self.url = self.sa_url.render_as_string(hide_password=True)
        self.engine = create_engine(self.sa_url)
        #: document id → review decisions a re-extraction could not carry over
        self.review_not_carried: dict[int, list[str]] = {}
        try:
            with self._write() as conn:
                #: the Alembic revisions this opening applied
                self.migrations_run = upgrade(conn)
            #: documents whose rows and summary were rebuilt (written by an older version)
            self.rows_rebuilt = self._rebuild_stale_rows()
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            raise StoreError(
                f"cannot open the store {self.url}: {exc.orig}; check the path exists and is "
                "writable, or that the database server is running"
            ) from exc
        except sa.exc.DatabaseError as exc:
            self.engine.dispose()
            raise StoreError(
                f"{self.url} is not a usable jixiao database ({exc.orig}); "
                "pass another --db or move the file away"
            ) from exc

    def _rebuild_stale_rows(self) -> int:
        """Rewrite the rows and summary of documents stored by an older version.

        After an upgrade the new columns (stages, boxes, flag keys, the summary the
        overview reads) are empty; they are rebuilt from each record, in pages of short
        transactions. Returns how many documents were rebuilt (0 on every later opening).
        """
        d = tables.documents
        stale = sa.or_(d.c.rows_version.is_(None), d.c.rows_version < ROWS_VERSION)
        with self._write() as conn:
            conn.execute(
                sa.update(d).where(stale, d.c.status == "failed").values(**empty_summary())
            )
        rebuilt = 0
        while True:
            with self._write() as conn:
                rows = conn.execute(
                    sa.select(d.c.id, d.c.record, d.c.path)
                    .where(stale, d.c.status == "ok")
                    .order_by(d.c.id)
                    .limit(_PAGE)
                ).all()
                for row in rows:
                    record = _record_of(row._mapping)
                    assert record is not None
                    conn.execute(
                        sa.update(d).where(d.c.id == row.id).values(**summary_values(record))
                    )
                    replace_children(conn, row.id, record)
            rebuilt += len(rows)
            if len(rows) < _PAGE:
                return rebuilt

    # -- connections ----------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One write transaction; on SQLite it takes the write lock at BEGIN."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # -- runs -----------------------------------------------------------------------

    def start_run(
        self,
        backend: str,
        *,
        model: str | None = None,
        prompt_version: str | None = None,
        args: dict | None = None,
    ) -> int:
        values = {
            "started_at": now(),
            "backend": backend,
            "model": model,
            "prompt_version": prompt_version,
            "args": json_safe(args or {}),
        }
        with self._write() as conn:
            return _new_id(conn.execute(sa.insert(tables.runs).values(values)))

    def finish_run(self, run_id: int, summary: dict) -> None:
        """Close a run with its summary; the usual counts also get their own columns."""
        summary = json_safe(summary)

        def number(*keys: str) -> Any:
            for key in keys:
                if isinstance(summary.get(key), int | float):
                    return summary[key]
            return None

        values = {
            "finished_at": now(),
            "summary": summary,
            "documents_ok": number("ok", "documents_ok", "succeeded") or _ok_from(summary),
            "documents_failed": number("failed", "documents_failed"),
            "documents_skipped": number("skipped", "documents_skipped", "resumed"),
            "tokens_in": number("tokens_in"),
            "tokens_out": number("tokens_out"),
            "seconds": number("seconds", "elapsed"),
        }
        with self._write() as conn:
            done = conn.execute(
                sa.update(tables.runs).where(tables.runs.c.id == run_id).values(values)
            )
            if done.rowcount == 0:
                raise StoreError(f"no run {run_id} in {self.url}: start it with start_run first")

    def runs(self) -> list[dict]:
        """Every run, newest first (for summaries and the eval report)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(tables.runs).order_by(tables.runs.c.id.desc()))
            return [_plain(row._mapping) for row in rows]

    # -- documents ------------------------------------------------------------------

    def find_done(self, sha256: str, backend: str) -> Record | None:
        """The stored OK record for this content and backend, if any (what resume skips).

        A stored record that no longer validates against the current models counts as not
        done, so the document is processed again rather than crashing the batch.
        """
        d = tables.documents
        query = sa.select(d.c.record).where(
            d.c.sha256 == sha256, d.c.backend == backend, d.c.status == "ok"
        )
        with self._read() as conn:
            data = conn.execute(query).scalar_one_or_none()
        if data is None:
            return None
        try:
            return Record.model_validate(upgrade_record_data(data))
        except ValidationError:
            return None

    def save_record(self, record: Record, text: str, run_id: int | None = None) -> int:
        """Insert or replace the document (sha256, backend) and all its rows, atomically."""
        sha256, backend = record.source.sha256, record.run.backend
        values = {
            **document_values(record),
            "sha256": sha256,
            "backend": backend,
            "text": text,
            "run_id": run_id,
            "source_file": source_file(record.source.path),
        }
        d = tables.documents
        key = sa.and_(d.c.sha256 == sha256, d.c.backend == backend)
        return self._upsert_document(key, values, record)

    def save_failure(
        self,
        *,
        path: str,
        sha256: str | None,
        backend: str,
        reason: str,
        run_id: int | None = None,
    ) -> int:
        """Record a document that could not be processed, with its one-line reason.

        Keyed like records (content hash and backend), or by path when there is no hash;
        the latest attempt wins, so a failure replaces an earlier result of the same key.
        """
        d = tables.documents
        if sha256:
            key = sa.and_(d.c.sha256 == sha256, d.c.backend == backend)
        else:
            key = sa.and_(d.c.sha256.is_(None), d.c.path == path, d.c.backend == backend)
        values = {
            "sha256": sha256,
            "backend": backend,
            "path": path,
            "format": None,
            "pages": None,
            "status": "failed",
            "error": redact(reason),
            "department": None,
            "fiscal_year": None,
            "text": None,
            "record": None,
            "run_id": run_id,
            "source_file": None,
            **empty_summary(),
        }
        return self._upsert_document(key, values, None)

    def _upsert_document(self, key: Any, values: dict, record: Record | None) -> int:
        d = tables.documents
        for attempt in range(2):
            try:
                with self._write() as conn:
                    found = conn.execute(sa.select(d.c.id).where(key)).scalar_one_or_none()
                    stamp = now()
                    if found is None:
                        insert = sa.insert(d).values(
                            **values, version=1, created_at=stamp, updated_at=stamp
                        )
                        doc_id = _new_id(conn.execute(insert))
                    else:
                        doc_id = found
                        if record is not None:
                            record, values = self._carry_review(conn, doc_id, record, values)
                        conn.execute(
                            sa.update(d)
                            .where(d.c.id == doc_id)
                            .values(**values, version=d.c.version + 1, updated_at=stamp)
                        )
                    replace_children(conn, doc_id, record)
                    return doc_id
            except sa.exc.IntegrityError:
                # another process inserted the same key between our select and insert
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _carry_review(
        self, conn: sa.Connection, doc_id: int, record: Record, values: dict
    ) -> tuple[Record, dict]:
        """A document extracted again keeps its reviewers' work (`store.carry`)."""
        r = tables.review_decisions
        decisions = [
            dict(row._mapping)
            for row in conn.execute(sa.select(r).where(r.c.document_id == doc_id).order_by(r.c.id))
        ]
        if not decisions:
            return record, values
        d = tables.documents
        stored = conn.execute(
            sa.select(d.c.id, d.c.path, d.c.record).where(d.c.id == doc_id)
        ).first()
        try:
            previous = _record_of(stored._mapping) if stored is not None else None
        except StoreError:
            previous = None
        if previous is None:
            return record, values
        record, lost = carry_review(previous, record, values["text"] or "", decisions)
        self.review_not_carried[doc_id] = lost
        return record, {**values, **document_values(record), "path": values["path"]}

    def iter_documents(self, *, status: str | None = "ok") -> Iterator[StoredDocument]:
        """Every document (OK ones by default; `status=None` for all), in id order.

        Read in pages of short transactions, so callers may write while iterating.
        """
        if status is not None and status not in STATUSES:
            raise StoreError(f"unknown document status {status!r}: use 'ok', 'failed' or None")
        d = tables.documents
        after = 0
        while True:
            query = sa.select(*_listing_columns()).where(d.c.id > after)
            if status is not None:
                query = query.where(d.c.status == status)
            with self._read() as conn:
                rows = conn.execute(query.order_by(d.c.id).limit(_PAGE)).all()
            if not rows:
                return
            for row in rows:
                yield _stored(row._mapping)
            after = rows[-1].id

    def get_document(self, doc_id: int) -> StoredDocument:
        d = tables.documents
        with self._read() as conn:
            query = sa.select(*_listing_columns()).where(d.c.id == doc_id)
            row = conn.execute(query).first() if _valid_id(doc_id) else None
        if row is None:
            raise StoreError(f"no document {doc_id} in {self.url}")
        return _stored(row._mapping)

    def find_by_sha256(self, sha256: str) -> list[StoredDocument]:
        """Every document stored for this content (one per backend), failures included."""
        d = tables.documents
        query = sa.select(*_listing_columns()).where(d.c.sha256 == sha256).order_by(d.c.id)
        with self._read() as conn:
            return [_stored(row._mapping) for row in conn.execute(query)]

    def document_text(self, doc_id: int) -> str:
        """The normalised text the record's evidence offsets index."""
        d = tables.documents
        with self._read() as conn:
            query = sa.select(d.c.text).where(d.c.id == doc_id)
            row = conn.execute(query).first() if _valid_id(doc_id) else None
        if row is None:
            raise StoreError(f"no document {doc_id} in {self.url}")
        return row.text or ""

    def update_record(
        self, doc_id: int, record: Record, *, expected_version: int | None = None
    ) -> int:
        """Replace a document's record and rows; returns the new version.

        With `expected_version`, raises `ReviewConflict` when someone saved the document
        since that version was read.
        """
        d = tables.documents
        with self._write() as conn:
            update = sa.update(d).where(d.c.id == doc_id)
            if expected_version is not None:
                update = update.where(d.c.version == expected_version)
            values = {**document_values(record), "updated_at": now()}
            values.pop("path")  # the row keeps the path it was found under
            done = conn.execute(update.values(**values, version=d.c.version + 1))
            if done.rowcount == 0:
                current = conn.execute(
                    sa.select(d.c.version).where(d.c.id == doc_id)
                ).scalar_one_or_none()
                if current is None:
                    raise StoreError(f"no document {doc_id} in {self.url}")
                raise ReviewConflict(
                    f"document {doc_id} was changed by someone else (version {current}, "
                    f"you edited version {expected_version}); reload it and redo your change"
                )
            replace_children(conn, doc_id, record)
            return conn.execute(sa.select(d.c.version).where(d.c.id == doc_id)).scalar_one()

    # -- LLM calls ------------------------------------------------------------------

    def log_call(self, **fields: Any) -> None:
        """One LLM call: model, mode, prompt version, tokens, attempts, time, cache hit, error."""
        self.log_calls([fields])

    def log_calls(self, calls: Iterable[dict[str, Any]], **common: Any) -> None:
        """Several calls (`log_call`'s fields each, plus `common`) in one transaction."""
        rows = []
        for call in calls:  # a loop, not a comprehension: warnings point at our caller
            rows.append(_call_values({**call, **common}))
        if rows:
            with self._write() as conn:
                conn.execute(sa.insert(tables.llm_calls), rows)

    def calls(self, run_id: int | None = None) -> list[dict]:
        c = tables.llm_calls
        query = sa.select(c).order_by(c.c.id)
        if run_id is not None:
            query = query.where(c.c.run_id == run_id)
        with self._read() as conn:
            return [_plain(row._mapping) for row in conn.execute(query)]

    # -- review decisions -----------------------------------------------------------

    def add_decision(
        self,
        doc_id: int,
        *,
        target_kind: str,
        target_id: str,
        action: str,
        old_value: Any,
        new_value: Any,
        reviewer: str,
        comment: str | None,
    ) -> int:
        """Append a reviewer's decision (who, when, old and new value); returns its id."""
        d = tables.documents
        with self._write() as conn:
            if conn.execute(sa.select(d.c.id).where(d.c.id == doc_id)).first() is None:
                raise StoreError(f"no document {doc_id} in {self.url}")
            return insert_decision(
                conn,
                doc_id,
                target_kind,
                target_id,
                action,
                old_value,
                new_value,
                reviewer,
                comment,
            )

    @contextmanager
    def edit_document(self, doc_id: int) -> Iterator[DocumentEdit]:
        """One review edit (see `store.editing`): the row locked until the edit ends; an
        exception inside rolls everything back, decisions included."""
        d = tables.documents
        with self._write() as conn:
            query = sa.select(*_listing_columns(), d.c.text).where(d.c.id == doc_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first() if _valid_id(doc_id) else None
            if row is None:
                raise StoreError(f"no document {doc_id} in {self.url}")
            record = _record_of(row._mapping)
            if record is None:
                raise StoreError(f"document {doc_id} failed to process: it has nothing to review")
            yield DocumentEdit(conn, doc_id, row.version, record, row.text or "")

    def listing(self):  # -> contextmanager of a read connection
        """A read transaction for the queries of `store.listing`."""
        return self._read()

    def decisions(self, doc_id: int | None = None) -> list[dict]:
        """Decisions in the order they were made (all documents, or one)."""
        r = tables.review_decisions
        query = sa.select(r).order_by(r.c.id)
        if doc_id is not None:
            query = query.where(r.c.document_id == doc_id)
        with self._read() as conn:
            return [_plain(row._mapping) for row in conn.execute(query)]


# -- helpers ------------------------------------------------------------------------


def _valid_id(doc_id: int) -> bool:
    """Ids the integer column can hold (a larger one is simply not there)."""
    return 0 < doc_id < 2**31


def _ok_from(summary: dict) -> int | None:
    """Documents stored OK when a summary gives `processed` (OK + failed) and `failed`."""
    processed, failed = summary.get("processed"), summary.get("failed")
    if isinstance(processed, int) and isinstance(failed, int):
        return processed - failed
    return None


def _listing_columns() -> list[sa.Column]:
    """Document columns without the (large) text."""
    return [c for c in tables.documents.columns if c.name != "text"]


def _record_of(row: Any) -> Record | None:
    data = row["record"]
    try:
        return Record.model_validate(upgrade_record_data(data)) if data is not None else None
    except ValidationError as exc:
        raise StoreError(
            f"document {row['id']} ({row['path']}) holds a record this version of jixiao "
            f"cannot read ({exc.error_count()} errors); re-extract it with --force"
        ) from exc


def _stored(row: Any) -> StoredDocument:
    record = _record_of(row)
    return StoredDocument(
        id=row["id"],
        sha256=row["sha256"],
        backend=row["backend"],
        path=row["path"],
        format=row["format"],
        pages=row["pages"],
        status=row["status"],
        error=row["error"],
        version=row["version"],
        record=record,
        run_id=row["run_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _plain(row: Any) -> dict:
    """A result row as a dict with datetimes as ISO strings (ready for JSON)."""
    return {k: iso(v) if isinstance(v, datetime) else v for k, v in row.items()}


def _call_values(fields: dict[str, Any]) -> dict[str, Any]:
    """An `llm_calls` row from a call's fields (aliases mapped, the error redacted)."""
    fields = {CALL_ALIASES.get(k, k): v for k, v in fields.items()}
    unknown = set(fields) - CALL_FIELDS
    if unknown:
        warnings.warn(
            f"log_call ignored field(s) {sorted(unknown)}; stored: {sorted(CALL_FIELDS)}",
            stacklevel=3,
        )
    values: dict[str, Any] = {"cached": False, "created_at": now()}
    values.update((k, v) for k, v in fields.items() if k in CALL_FIELDS)
    values["cached"] = bool(values["cached"])
    values["error"] = redact(values.get("error"))
    return values


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None, "an INSERT returns the key it created"
    return int(key[0])
