"""Bring a store's tables to the current shape with the Alembic revisions in `alembic/`.

Opening a `Store` calls `upgrade`: the whole upgrade runs in the caller's write
transaction (SQLite's `BEGIN IMMEDIATE`, a PostgreSQL advisory lock), so two processes
opening a new store at once queue and the second finds nothing to do. A store made by
jixiao 0.1.0 (its own runner's `migrations` table, no `alembic_version`) is first
stamped at `0001_initial`, the frozen copy of that release's tables. Add a revision with
`alembic revision` in `alembic/versions/` and change `tables.py` to match; a test
checks that the two agree.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).parent / "alembic"
#: the revision a 0.1.0 store is at
BASELINE = "0001_initial"
#: any fixed number: the key of the advisory lock PostgreSQL upgrades hold
_PG_LOCK = 0x6A69_7869


def config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision."""
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None
    return revision


def current(conn: sa.Connection) -> str | None:
    """The revision the database is at (None: new, or made by 0.1.0)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: sa.Connection) -> list[str]:
    """Apply the pending revisions inside `conn`'s transaction; returns their ids."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    before = current(conn)
    if before is None and sa.inspect(conn).has_table("migrations"):
        command.stamp(config(conn), BASELINE)
        before = BASELINE
    if before == head():
        return []
    command.upgrade(config(conn), "head")
    script = ScriptDirectory.from_config(config())
    ran = [rev.revision for rev in script.iterate_revisions(head(), before)]
    return list(reversed(ran))
