"""The store as jixiao 0.1.0 created it (the last release with hand-written migrations).

A frozen copy of that release's tables: never edit it. A database made by 0.1.0 (it has
the `migrations` table and no `alembic_version`) is stamped at this revision and then
upgraded, so old and new stores end in the same shape.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _evidence() -> list[sa.Column]:
    return [
        sa.Column("quote", sa.Text),
        sa.Column("quote_start", sa.Integer),
        sa.Column("quote_end", sa.Integer),
        sa.Column("page", sa.Integer),
        sa.Column("cell_table", sa.Integer),
        sa.Column("cell_row", sa.Integer),
        sa.Column("cell_col", sa.Integer),
    ]


def _document_fk() -> sa.Column:
    return sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "runs",
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
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64)),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("pages", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("error", sa.Text),
        sa.Column("department", sa.Text),
        sa.Column("fiscal_year", sa.Integer),
        sa.Column("text", sa.Text),
        sa.Column("record", sa.JSON(none_as_null=True)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.UniqueConstraint("sha256", "backend", name="uq_documents_sha256_backend"),
        sa.CheckConstraint("status IN ('ok', 'failed')", name="ck_documents_status"),
    )
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _document_fk(),
        sa.Column("fact_id", sa.String(64), nullable=False),
        sa.Column("concept", sa.String(200), nullable=False, index=True),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(32)),
        sa.Column("text", sa.Text),
        *_evidence(),
        sa.Column("section", sa.String(64)),
        sa.Column("origin", sa.String(16)),
        sa.Column("confidence", sa.Float),
        sa.Column("share_of", sa.String(200)),
        sa.Column("decimals", sa.Integer),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _document_fk(),
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
        *_evidence(),
    )
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _document_fk(),
        sa.Column("flag_id", sa.String(64), nullable=False),
        sa.Column("check_name", sa.String(32), nullable=False, index=True),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("facts", sa.JSON(none_as_null=True)),
        sa.Column("indicators", sa.JSON(none_as_null=True)),
        sa.Column("expected", sa.Float),
        sa.Column("actual", sa.Float),
        sa.Column("tolerance", sa.Float),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("message_en", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _document_fk(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("code", sa.String(100)),
        sa.Column("managing_department", sa.Text),
        sa.Column("implementing_unit", sa.Text),
    )
    op.create_table(
        "llm_calls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL"), index=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="SET NULL"),
            index=True,
        ),
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
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _document_fk(),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
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
            "action IN ('accept', 'correct', 'source_wrong', 'skip')",
            name="ck_review_decisions_action",
        ),
    )
