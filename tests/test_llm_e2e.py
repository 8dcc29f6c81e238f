"""`jixiao extract --backend llm|hybrid` end to end on the five seeds, against the stand-in.

The stand-in answers naively (tests/standin/server.py): these tests check that every
document comes through with grounded evidence, usage and a call log, and that a re-run
costs nothing. They say nothing about accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.extract.llm.prompts import DEFAULT_VERSION

SEEDS = sorted(Path(__file__).parent.parent.joinpath("eval", "fixtures").glob("*/source.txt"))


@pytest.fixture(autouse=True)
def quick_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A jixiao.toml in the working directory: one attempt per chunk keeps the suite fast."""
    (tmp_path / "jixiao.toml").write_text("[llm]\nvalidation_retries = 0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def run_extract(
    backend: str,
    standin,
    tmp_path: Path,
    db: str,
    seeds: list[Path] = SEEDS,
    cache: str = "cache",
    extra: tuple[str, ...] = (),
) -> list:
    env = {
        "JIXIAO_LLM_BASE_URL": standin.url,
        "JIXIAO_LLM_MODEL": "standin-model",
        "JIXIAO_LLM_API_KEY": "sk-test-secret",
        "JIXIAO_CACHE_DIR": str(tmp_path / cache),
    }
    out = tmp_path / f"{db}.jsonl"
    result = CliRunner(env=env).invoke(
        app,
        [
            "extract",
            *map(str, seeds),
            "--backend",
            backend,
            "--db",
            str(tmp_path / f"{db}.db"),
            "--out",
            str(out),
            "--quiet",
            "--concurrency",
            "8",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "sk-test-secret" not in result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow  # every seed through the CLI and the stand-in
@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_every_seed_comes_through_with_grounded_llm_values(backend, standin, tmp_path) -> None:
    assert len(SEEDS) == 5
    records = run_extract(backend, standin, tmp_path, "first")
    assert len(records) == 5
    for record in records:
        assert record["error"] is None
        assert record["run"]["backend"] == backend
        assert record["run"]["prompt_version"] == DEFAULT_VERSION
        text = Path(record["source"]["path"]).read_text(encoding="utf-8")
        assert text  # the evidence below indexes the normalised text, checked in unit tests
        for fact in record["facts"]:
            assert fact["text"] in fact["evidence"]["quote"]
    llm_facts = [f for r in records for f in r["facts"] if f["origin"] == "llm"]
    assert llm_facts
    assert sum(r["run"]["calls"] for r in records) == standin.stats.requests
    assert sum(r["run"]["tokens_in"] for r in records) == 100 * standin.stats.requests


@pytest.mark.slow
def test_rerun_with_the_same_cache_makes_no_calls(standin, tmp_path) -> None:
    seeds = SEEDS[::2]
    run_extract("llm", standin, tmp_path, "first", seeds)
    calls = standin.stats.requests
    assert calls > 0
    records = run_extract("llm", standin, tmp_path, "second", seeds)
    assert len(records) == len(seeds)
    assert standin.stats.requests == calls
    assert all(r["run"]["calls"] == 0 for r in records)


@pytest.mark.slow
def test_the_batch_pipeline_gives_the_records_of_one_file_at_a_time(standin, tmp_path) -> None:
    """A batch goes through the pipeline whose workers store what they finish; one file
    goes through `process_path` in the parent. Same answers in, same records out."""
    batch = run_extract("llm", standin, tmp_path, "batch")
    alone = [
        run_extract("llm", standin, tmp_path, f"alone{n}", [seed], cache=f"cache{n}")[0]
        for n, seed in enumerate(SEEDS)
    ]
    for record in batch + alone:
        record["run"].pop("seconds")
    assert batch == alone


@pytest.mark.slow
def test_the_batch_stores_one_call_log_row_per_request_and_never_the_key(standin, tmp_path) -> None:
    from jixiao.store import Store

    records = run_extract("llm", standin, tmp_path, "logged")
    calls = Store(str(tmp_path / "logged.db")).calls()
    assert len(calls) == standin.stats.requests == sum(r["run"]["calls"] for r in records)
    assert {c["sha256"] for c in calls} == {r["source"]["sha256"] for r in records}
    assert all(c["error"] is None and c["tokens_in"] == 100 for c in calls)
    assert "sk-test-secret" not in (tmp_path / "logged.db").read_bytes().decode("latin-1")


@pytest.mark.slow
def test_more_worker_processes_give_the_same_records(standin, tmp_path) -> None:
    from jixiao.run.concurrent import Workers

    workers = Workers(None, None, 3)
    try:
        assert len(workers.pools) == 3  # `--workers N` sets the processes
    finally:
        workers.shutdown()
    one = run_extract("hybrid", standin, tmp_path, "one", extra=("--workers", "1"))
    three = run_extract("hybrid", standin, tmp_path, "three", cache="cache3", extra=("--workers", "3"))  # fmt: skip
    for record in one + three:
        record["run"].pop("seconds")
    assert one == three
