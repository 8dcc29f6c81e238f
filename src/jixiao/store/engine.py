"""Open a SQLAlchemy engine from what a user types after `--db`, tuned for concurrent use.

A bare path means a SQLite file. SQLite gets WAL journaling (readers never block the
writer), foreign keys, a busy timeout (several processes and reviewers wait for each
other instead of failing), and write transactions that take the write lock up front
(`BEGIN IMMEDIATE`), so two writers queue instead of deadlocking on a lock upgrade.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from jixiao.errors import StoreError

#: how long a SQLite writer waits for another one before giving up
BUSY_TIMEOUT_MS = 30_000

#: execution option marking a connection whose transaction will write
WRITE_OPTION = "jixiao_write"


def normalise_url(url: str) -> sa.URL:
    """`sqlite:///x.db`, `postgresql+psycopg://…`, a bare path, or `:memory:` → a URL."""
    if not url or not url.strip():
        raise StoreError("no database given: pass --db PATH (a SQLite file) or a SQLAlchemy URL")
    url = url.strip()
    if url == ":memory:":
        return sa.make_url("sqlite://")
    if "://" not in url:
        path = Path(url).expanduser()
        if path.is_dir():
            raise StoreError(f"{url} is a folder: give a database file, e.g. {path / 'jixiao.db'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        return sa.make_url(f"sqlite:///{path}")
    try:
        return sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(
            f"cannot parse database URL {url!r}: use sqlite:///path.db, "
            "postgresql+psycopg://user@host/db or a plain file path"
        ) from exc


def _json_serializer(value: Any) -> str:
    # keep Chinese readable for people querying the JSON columns by hand
    return json.dumps(value, ensure_ascii=False)


def _is_memory(url: sa.URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url: sa.URL) -> sa.Engine:
    """An engine for `url`; SQLite connections configured for concurrent use."""
    display = url.render_as_string(hide_password=True)
    kwargs: dict[str, Any] = {"json_serializer": _json_serializer}
    if _is_memory(url):
        # one shared connection, otherwise every checkout sees a new empty database
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif url.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    try:
        engine = sa.create_engine(url, **kwargs)
    except (sa.exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(
            f"no database driver for {display}: install it, e.g. pip install 'psycopg[binary]' "
            "for postgresql+psycopg:// URLs"
        ) from exc
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"cannot use database URL {display}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, memory=_is_memory(url))
    return engine


def _configure_sqlite(engine: sa.Engine, *, memory: bool) -> None:
    """Pragmas on every new connection; SQLAlchemy, not sqlite3, emits BEGIN."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
