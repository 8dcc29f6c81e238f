"""Schema v2 columns, per-document summary rows, per-flag review, undo.

* documents: document_kind, source_file (for page images) and the summary the overview
  lists (counts of facts, indicator rows, projects, flags, open and decided flags, the
  lowest confidence an open flag rests on), `rows_version` (None: the store rebuilds
  the document's rows and summary from its record when it is next opened);
* facts: stage, scope_label, unit decision (basis, printed unit, factor); facts and
  indicators: the evidence box and OCR confidence; flags: family, key, confidence;
* flag_counts: open/decided flags per document, check, severity and status;
* review_decisions: the `undo` action, target ids of any length (a flag key names
  every fact of its finding), indexes for per-target versions and per-reviewer pages;
* the 0.1.0 runner's `migrations` table goes (Alembic keeps `alembic_version`).

Revision ID: 0002_review_summary_v2
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_review_summary_v2"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_EVIDENCE_BOX = ("bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom", "ocr_confidence")


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("document_kind", sa.String(32)))
        batch.add_column(sa.Column("source_file", sa.Text))
        for name in ("n_facts", "n_indicators", "n_projects", "n_flags", "n_open", "n_decided"):
            batch.add_column(sa.Column(name, sa.Integer))
        batch.add_column(sa.Column("min_confidence", sa.Float))
        batch.add_column(sa.Column("rows_version", sa.Integer))
        batch.create_index("ix_documents_document_kind", ["document_kind"])
        batch.create_index("ix_documents_department", ["department"])
        batch.create_index("ix_documents_fiscal_year", ["fiscal_year"])
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("stage", sa.String(16)))
        batch.add_column(sa.Column("scope_label", sa.Text))
        for name in _EVIDENCE_BOX:
            batch.add_column(sa.Column(name, sa.Float))
        batch.add_column(sa.Column("unit_basis", sa.String(16)))
        batch.add_column(sa.Column("unit_printed", sa.String(16)))
        batch.add_column(sa.Column("unit_factor", sa.Float))
    with op.batch_alter_table("indicators") as batch:
        for name in _EVIDENCE_BOX:
            batch.add_column(sa.Column(name, sa.Float))
    with op.batch_alter_table("flags") as batch:
        batch.add_column(sa.Column("family", sa.String(16)))
        batch.add_column(sa.Column("flag_key", sa.Text))
        batch.add_column(sa.Column("confidence", sa.Float))
        batch.create_index("ix_flags_document_status", ["document_id", "status"])
    op.create_table(
        "flag_counts",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("check_name", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Index("ix_flag_counts_check", "check_name", "status", "severity"),
    )
    # SQLite cannot alter a constraint in place: batch mode copies the table
    with op.batch_alter_table("review_decisions", recreate="auto") as batch:
        batch.drop_constraint("ck_review_decisions_action", type_="check")
        batch.create_check_constraint(
            "ck_review_decisions_action",
            "action IN ('accept', 'correct', 'source_wrong', 'skip', 'undo')",
        )
        batch.alter_column("target_id", type_=sa.Text, existing_type=sa.String(64))
        batch.create_index(
            "ix_review_decisions_target", ["document_id", "target_kind", "target_id"]
        )
        batch.create_index("ix_review_decisions_reviewer", ["reviewer", "document_id"])
    bind = op.get_bind()
    if sa.inspect(bind).has_table("migrations"):
        op.drop_table("migrations")
