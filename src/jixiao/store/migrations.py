"""Named, append-only migrations, recorded in the `migrations` table (as simonw/llm does).

Opening a store applies every migration not yet recorded, in order, each in its own
transaction together with its `migrations` row, so a crash leaves the database at a
clean step. Never edit or reorder a released migration: append `m002_…`. A migration
that adds a column also adds it to `schema.py`; because `m001_initial` creates tables
from `schema.py`, such a migration must skip what already exists (use
`add_column_if_missing`), so fresh and old databases end in the same shape.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from jixiao.store import schema

Migration = Callable[[sa.Connection], None]


def m001_initial(conn: sa.Connection) -> None:
    """Runs, documents, their fact/indicator/flag/project rows, LLM calls, review decisions."""
    schema.metadata.create_all(conn, tables=list(schema.INITIAL_TABLES), checkfirst=True)


#: every migration in the order it must run; append only
MIGRATIONS: tuple[tuple[str, Migration], ...] = (("m001_initial", m001_initial),)


def add_column_if_missing(conn: sa.Connection, table: str, column: sa.Column) -> None:
    """`ALTER TABLE … ADD COLUMN` unless the column is already there (portable DDL)."""
    present = {c["name"] for c in sa.inspect(conn).get_columns(table)}
    if column.name in present:
        return
    ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {ddl}")


def applied(conn: sa.Connection) -> set[str]:
    """Names of the migrations already recorded in this database."""
    if not sa.inspect(conn).has_table(schema.migrations.name):
        return set()
    return set(conn.scalars(sa.select(schema.migrations.c.name)))


def pending(conn: sa.Connection) -> list[str]:
    done = applied(conn)
    return [name for name, _ in MIGRATIONS if name not in done]


def migrate(begin: Callable[[], object]) -> list[str]:
    """Apply the pending migrations; `begin()` opens a write transaction (context manager).

    Each step re-reads what was applied inside its own transaction, so two processes
    opening a new database at once do not both run a migration.
    """
    ran: list[str] = []
    for name, step in MIGRATIONS:
        with begin() as conn:  # type: ignore[attr-defined]
            schema.migrations.create(conn, checkfirst=True)
            if name in applied(conn):
                continue
            step(conn)
            conn.execute(
                sa.insert(schema.migrations).values(name=name, applied_at=datetime.now(UTC))
            )
            ran.append(name)
    return ran
