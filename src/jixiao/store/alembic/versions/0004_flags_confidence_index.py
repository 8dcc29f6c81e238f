"""An index of open flags by document, status and confidence.

"Open flags at most this confident" (the review's low-confidence filter and its count)
read each matching flag row to see its confidence: 40,000 row reads at 10,000
documents. With the confidence in the index, the count and the queue's page of flag ids
read the index alone.

Revision ID: 0004_flags_confidence_index
Revises: 0003_documents_listing_index
"""

from __future__ import annotations

from alembic import op

revision = "0004_flags_confidence_index"
down_revision = "0003_documents_listing_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_flags_document_confidence", "flags", ["document_id", "status", "confidence"]
    )
