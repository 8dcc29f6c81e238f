"""Shared fixtures. Each area adds its own block; keep blocks independent."""

from __future__ import annotations

from collections.abc import Iterator
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
