"""The tables of the store, as SQLAlchemy Core `Table` objects (the shape after every migration).

Schema changes go through the Alembic revisions in `store/alembic/versions/`; this
module is what they lead to, and a test compares the two on SQLite and PostgreSQL.

The full `Record` is kept as JSON on the document row (the source of truth, what
exports and the review UI read); facts, indicator rows, flags and projects are also
written as rows so that SQL users can query them without parsing JSON. Column names
avoid SQL reserved words (`quote_end` not `end`, `check_name` not `check`,
`table_kind` not `table`) so hand-written SQL needs no quoting on SQLite or PostgreSQL.

Only portable types are used (`JSON` is TEXT on SQLite and `json` on PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _fk_document() -> sa.Column:
    return sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _evidence_columns() -> list[sa.Column]:
    """Evidence of a value flattened: the verbatim quote, its span in the text and page."""
    return [
        sa.Column("quote", sa.Text),
        sa.Column("quote_start", sa.Integer),
        sa.Column("quote_end", sa.Integer),
        sa.Column("page", sa.Integer),
        sa.Column("cell_table", sa.Integer),
        sa.Column("cell_row", sa.Integer),
        sa.Column("cell_col", sa.Integer),
        # the quote's box on its page, in PDF points (schema v2), and OCR confidence
        sa.Column("bbox_x0", sa.Float),
        sa.Column("bbox_top", sa.Float),
        sa.Column("bbox_x1", sa.Float),
        sa.Column("bbox_bottom", sa.Float),
        sa.Column("ocr_confidence", sa.Float),
    ]


runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("backend", sa.String(32), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("prompt_version", sa.String(100)),
    sa.Column("args", sa.JSON(none_as_null=True)),
    sa.Column("summary", sa.JSON(none_as_null=True)),
    sa.Column("documents_ok", sa.Integer),
    sa.Column("documents_failed", sa.Integer),
    sa.Column("documents_skipped", sa.Integer),
    sa.Column("tokens_in", sa.Integer),
    sa.Column("tokens_out", sa.Integer),
    sa.Column("seconds", sa.Float),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64)),
    sa.Column("backend", sa.String(32), nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("format", sa.String(16)),
    sa.Column("pages", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("error", sa.Text),
    sa.Column("department", sa.Text, index=True),
    sa.Column("fiscal_year", sa.Integer, index=True),
    sa.Column("text", sa.Text),
    sa.Column("record", sa.JSON(none_as_null=True)),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
    sa.Column("document_kind", sa.String(32), index=True),
    #: absolute path of the source file when it was extracted (the review draws its pages)
    sa.Column("source_file", sa.Text),
    # the per-document summary the overview lists and filters on: kept in step with the
    # record by every write, so a listing never loads records
    sa.Column("n_facts", sa.Integer),
    sa.Column("n_indicators", sa.Integer),
    sa.Column("n_projects", sa.Integer),
    sa.Column("n_flags", sa.Integer),
    sa.Column("n_open", sa.Integer),
    sa.Column("n_decided", sa.Integer),
    #: lowest confidence among the facts an open flag names (None: no such fact)
    sa.Column("min_confidence", sa.Float),
    #: version of the row builders that wrote the child rows and summary (None: rebuild)
    sa.Column("rows_version", sa.Integer),
    sa.UniqueConstraint("sha256", "backend", name="uq_documents_sha256_backend"),
    # the overview's filters, sorts and sums read this index only (revision 0003)
    sa.Index(
        "ix_documents_listing",
        "status",
        "n_open",
        "n_flags",
        "n_decided",
        "min_confidence",
        "fiscal_year",
        "document_kind",
        "department",
        "updated_at",
        "id",
    ),
    sa.CheckConstraint("status IN ('ok', 'failed')", name="ck_documents_status"),
)

facts = sa.Table(
    "facts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_document(),
    sa.Column("fact_id", sa.String(64), nullable=False),
    sa.Column("concept", sa.String(200), nullable=False, index=True),
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("stage", sa.String(16)),
    sa.Column("scope_label", sa.Text),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String(32)),
    sa.Column("text", sa.Text),
    *_evidence_columns(),
    sa.Column("section", sa.String(64)),
    sa.Column("origin", sa.String(16)),
    sa.Column("confidence", sa.Float),
    sa.Column("share_of", sa.String(200)),
    sa.Column("decimals", sa.Integer),
    sa.Column("unit_basis", sa.String(16)),
    sa.Column("unit_printed", sa.String(16)),
    sa.Column("unit_factor", sa.Float),
)

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_document(),
    sa.Column("indicator_id", sa.String(64), nullable=False),
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("table_kind", sa.String(16), nullable=False),
    sa.Column("table_index", sa.Integer),
    sa.Column("level1", sa.Text),
    sa.Column("level2", sa.Text),
    sa.Column("level3", sa.Text),
    sa.Column("operator", sa.String(8)),
    sa.Column("target_text", sa.Text),
    sa.Column("target_value", sa.Float),
    sa.Column("unit", sa.String(32)),
    sa.Column("actual_text", sa.Text),
    sa.Column("actual_value", sa.Float),
    sa.Column("weight", sa.Float),
    sa.Column("score", sa.Float),
    sa.Column("note", sa.Text),
    sa.Column("achieved", sa.Boolean),
    *_evidence_columns(),
)

flags = sa.Table(
    "flags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_document(),
    sa.Column("flag_id", sa.String(64), nullable=False),
    sa.Column("check_name", sa.String(32), nullable=False, index=True),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("family", sa.String(16)),
    #: the finding's identity across re-verification (`Flag.key`): what decisions name
    sa.Column("flag_key", sa.Text),
    #: lowest confidence among the facts the flag names
    sa.Column("confidence", sa.Float),
    sa.Column("facts", sa.JSON(none_as_null=True)),
    sa.Column("indicators", sa.JSON(none_as_null=True)),
    sa.Column("expected", sa.Float),
    sa.Column("actual", sa.Float),
    sa.Column("tolerance", sa.Float),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("message_en", sa.Text),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Index("ix_flags_document_status", "document_id", "status"),
    # the low-confidence filter reads this index only (revision 0004)
    sa.Index("ix_flags_document_confidence", "document_id", "status", "confidence"),
)

#: open/decided flags per document, check, severity and status: the overview's counts
#: come from this small table (a few rows per document) instead of from the flags
flag_counts = sa.Table(
    "flag_counts",
    metadata,
    _fk_document(),
    sa.Column("check_name", sa.String(32), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Index("ix_flag_counts_check", "check_name", "status", "severity"),
    sa.Index("ix_flag_counts_document", "document_id", "status", "check_name", "severity"),
)

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_document(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("code", sa.String(100)),
    sa.Column("managing_department", sa.Text),
    sa.Column("implementing_unit", sa.Text),
)

llm_calls = sa.Table(
    "llm_calls",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL"), index=True),
    sa.Column(
        "document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL"), index=True
    ),
    #: the document's content hash: calls happen before the document row exists
    sa.Column("sha256", sa.String(64), index=True),
    sa.Column("section_id", sa.String(64)),
    sa.Column("section_kind", sa.String(32)),
    sa.Column("chunk", sa.Integer),
    sa.Column("model", sa.String(200)),
    sa.Column("mode", sa.String(32)),
    sa.Column("prompt_version", sa.String(100)),
    sa.Column("schema_hash", sa.String(64)),
    sa.Column("tokens_in", sa.Integer),
    sa.Column("tokens_out", sa.Integer),
    sa.Column("attempts", sa.Integer),
    sa.Column("seconds", sa.Float),
    sa.Column("cached", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

review_decisions = sa.Table(
    "review_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_document(),
    sa.Column("target_kind", sa.String(16), nullable=False),
    #: a fact id, `row:field` of an indicator row, or a flag's key (`Flag.key`)
    sa.Column("target_id", sa.Text, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("old_value", sa.JSON(none_as_null=True)),
    sa.Column("new_value", sa.JSON(none_as_null=True)),
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "target_kind IN ('fact', 'indicator', 'flag')", name="ck_review_decisions_target_kind"
    ),
    sa.CheckConstraint(
        "action IN ('accept', 'correct', 'source_wrong', 'skip', 'undo')",
        name="ck_review_decisions_action",
    ),
    sa.Index("ix_review_decisions_target", "document_id", "target_kind", "target_id"),
    sa.Index("ix_review_decisions_reviewer", "reviewer", "document_id"),
)
