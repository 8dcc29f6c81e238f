"""A covering index of the summary columns the overview filters, sorts and sums; an
index of flag counts by document.

The summary columns sit after the record JSON and the text in each document row, so on
SQLite reading them for 10,000 documents walked every row's overflow pages (the
overview's totals took 0.3 s of CPU). This index holds them (and the id) on its own:
filters, sorts, counts and sums over a batch read the index only. The flag counts of one
document, by status, check and severity, are found by `ix_flag_counts_document` (with
only the check index, "documents with an open sum flag" scanned every sum count once
per document: 11 s at 10,000 documents).

Revision ID: 0003_documents_listing_index
Revises: 0002_review_summary_v2
"""

from __future__ import annotations

from alembic import op

revision = "0003_documents_listing_index"
down_revision = "0002_review_summary_v2"
branch_labels = None
depends_on = None

COLUMNS = [
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
]


def upgrade() -> None:
    op.create_index("ix_documents_listing", "documents", COLUMNS)
    op.create_index(
        "ix_flag_counts_document",
        "flag_counts",
        ["document_id", "status", "check_name", "severity"],
    )
