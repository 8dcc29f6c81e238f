"""Shared fixtures. Each area adds its own block; keep blocks independent."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# ----------------------------------------------------------------------- llm (vcr + stand-in)
#: headers that may carry credentials: never written into a cassette
SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization", "cookie"]


@pytest.fixture(scope="session")
def vcr_config() -> dict:
    """pytest-recording settings. No record_mode here: it would override --record-mode."""
    return {
        "filter_headers": SECRET_HEADERS,
        # host and port left out: record against any endpoint, replay anywhere
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }


@pytest.fixture
def standin() -> Iterator[object]:
    """A stand-in OpenAI-compatible server on 127.0.0.1 (tests/standin/server.py)."""
    from standin.server import StandinServer

    server = StandinServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def llm_settings(standin, tmp_path: Path):
    """Settings pointing at the stand-in server, with a private cache directory."""
    from jixiao.config import Settings

    return Settings(
        base_url=standin.url,
        model="standin-model",
        api_key="sk-test-secret",
        cache_dir=tmp_path / "cache",
        concurrency=4,
        http_retries=2,
        timeout=5,
        validation_retries=2,
    )


# ----------------------------------------------------------------------- store (SQLite + PostgreSQL)
#: a PostgreSQL database the store, export and review tests also run against (.ci/run
#: starts a server on loopback and sets it; `tools/pg_test_server.sh` does it by hand)
PG_URL_VARIABLE = "JIXIAO_TEST_PG_URL"


def _pg_missing() -> None:
    reason = (
        f"{PG_URL_VARIABLE} is not set: PostgreSQL variant not run "
        '(eval "$(bash tools/pg_test_server.sh start)" to run it)'
    )
    if os.environ.get("JIXIAO_REQUIRE_PG"):
        pytest.fail(reason + "; JIXIAO_REQUIRE_PG is set, so this is an error")
    pytest.skip(reason)


@contextmanager
def pg_schema_url(name: str) -> Iterator[str]:
    """A URL of the test PostgreSQL database whose tables live in a new schema of their
    own (through the connection's search_path), dropped afterwards: tests stay
    independent without the cost of a database per test."""
    import sqlalchemy as sa

    base = sa.make_url(os.environ[PG_URL_VARIABLE])
    schema = f"t_{name}_{uuid.uuid4().hex[:10]}".lower()
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql("SET lock_timeout = '5s'")
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty store URL on SQLite and on PostgreSQL (each test runs on both)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jixiao.db'}"
        return
    if not os.environ.get(PG_URL_VARIABLE):
        _pg_missing()
    with pg_schema_url(re.sub(r"\W", "", request.node.originalname)[:30]) as url:
        yield url


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty store URL on PostgreSQL only (tests of concurrency the server gives)."""
    if not os.environ.get(PG_URL_VARIABLE):
        _pg_missing()
    with pg_schema_url(re.sub(r"\W", "", request.node.originalname)[:30]) as url:
        yield url
