"""Alembic migrations: a new store matches `schema.py`, and stores made by jixiao 0.1.0
(its hand-written runner) upgrade with their records, decisions and summaries intact."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from jixiao.store import Store
from jixiao.store import tables as store_tables
from jixiao.store.migrations import head

DATA = Path(__file__).parent / "data"
RELEASE_DB = DATA / "store-0.1.0.db.gz"
RELEASE_PG_DDL = DATA / "store-0.1.0.postgresql.sql"
#: the tables 0.1.0 had, parents first
RELEASE_TABLES = (
    "migrations",
    "runs",
    "documents",
    "facts",
    "indicators",
    "flags",
    "projects",
    "llm_calls",
    "review_decisions",
)


def _differences(store: Store) -> list:
    with store.engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn), store_tables.metadata)
    # SQLite reports server defaults and types loosely; keep what changes the shape
    return [d for d in found if not (isinstance(d, tuple) and d[0] == "modify_default")]


def test_a_new_store_has_exactly_the_tables_of_schema_py(db_url: str) -> None:
    store = Store(db_url)
    assert _differences(store) == []
    assert store.migrations_run[-1] == head()


def _release_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "release.db"
    with gzip.open(RELEASE_DB) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def _check_upgraded(store: Store) -> None:
    """What a 0.1.0 store must look like after the upgrade."""
    assert store.migrations_run == [
        "0002_review_summary_v2",
        "0003_documents_listing_index",
        "0004_flags_confidence_index",
    ]
    assert store.rows_rebuilt == 1
    with store.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("migrations")
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head()
        kinds = conn.execute(sa.text("SELECT status, n_flags, n_open, n_decided FROM documents"))
        summary = sorted(tuple(r) for r in kinds)
        keys = conn.scalars(sa.text("SELECT flag_key FROM flags")).all()
        counted = conn.scalar(sa.text("SELECT sum(n) FROM flag_counts"))
    (doc,) = store.iter_documents()
    record = doc.record
    open_flags = sum(f.status == "open" for f in record.flags)
    assert summary == [
        ("failed", 0, 0, 0),
        ("ok", len(record.flags), open_flags, len(record.flags) - open_flags),
    ]
    assert sorted(keys) == sorted(f.key for f in record.flags)
    assert counted == len(record.flags)
    # what reviewers did under 0.1.0 survives: the correction and the verdict
    assert [d["action"] for d in store.decisions(doc.id)] == ["correct", "source_wrong"]
    assert any(f.origin == "review" for f in record.facts)
    assert any(f.status == "source_wrong" for f in record.flags)
    assert _differences(store) == []
    again = Store(store.sa_url.render_as_string(hide_password=False))
    assert again.migrations_run == [] and again.rows_rebuilt == 0


def test_a_store_made_by_release_0_1_0_upgrades_on_sqlite(tmp_path: Path) -> None:
    path = _release_sqlite(tmp_path)
    with sa.create_engine(f"sqlite:///{path}").connect() as conn:
        assert conn.scalars(sa.text("SELECT name FROM migrations")).all() == ["m001_initial"]
    _check_upgraded(Store(str(path)))


def test_a_store_made_by_release_0_1_0_upgrades_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """The release's own PostgreSQL DDL (compiled by 0.1.0's schema), filled with the rows
    of the 0.1.0 SQLite store, then opened by this version."""
    source = sa.create_engine(f"sqlite:///{_release_sqlite(tmp_path)}")
    target = sa.create_engine(pg_url)
    ddl = "\n".join(
        line
        for line in RELEASE_PG_DDL.read_text(encoding="utf-8").splitlines()
        if not line.startswith("--")
    )
    with target.begin() as conn:
        for statement in filter(str.strip, ddl.split(";")):
            conn.exec_driver_sql(statement)
    source_meta = sa.MetaData()
    source_meta.reflect(source)
    target_meta = sa.MetaData()
    target_meta.reflect(target)
    with source.connect() as read, target.begin() as write:
        for name in RELEASE_TABLES:
            rows = [dict(r._mapping) for r in read.execute(source_meta.tables[name].select())]
            if rows:
                write.execute(target_meta.tables[name].insert(), rows)
        for name in RELEASE_TABLES[1:]:
            write.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"
            )
    target.dispose()
    _check_upgraded(Store(pg_url))


def test_a_second_opening_of_a_new_store_runs_no_migration(db_url: str) -> None:
    stores = [Store(db_url) for _ in range(2)]
    assert [s.migrations_run != [] for s in stores] == [True, False]
