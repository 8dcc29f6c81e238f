"""The store: every record, failure, run, LLM call and review decision in one SQL database.

SQLite by default (a bare path), any SQLAlchemy URL otherwise (PostgreSQL works).
`Store` is the API the pipeline, the review UI and the LLM backend share.
"""

from __future__ import annotations

from jixiao.store.editing import ACTIONS, TARGET_KINDS
from jixiao.store.store import Store, StoredDocument

__all__ = [
    "ACTIONS",
    "TARGET_KINDS",
    "Store",
    "StoredDocument",
]
