"""Alembic environment for the store: always run from `jixiao.store.migrations.upgrade`,
which hands over an open connection inside the write transaction (so the whole upgrade
is one transaction, and two processes opening a new store queue instead of racing)."""

from __future__ import annotations

from alembic import context

from jixiao.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
