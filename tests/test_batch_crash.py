"""Crash safety and process workers: a killed batch finishes with each document stored once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from jixiao.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"
#: batches of 40 documents killed and re-run in subprocesses: minutes, not seconds
pytestmark = pytest.mark.slow


def _corpus(folder: Path, n: int) -> list[Path]:
    """n distinct documents: seeds with a numbered line appended (distinct content hashes)."""
    folder.mkdir()
    seeds = [
        (FIXTURES / s / "source.txt").read_text(encoding="utf-8") for s in ("000", "001", "003")
    ]
    paths = []
    for i in range(n):
        path = folder / f"doc{i:03d}.txt"
        path.write_text(seeds[i % len(seeds)] + f"\n附注{i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _run(args: list[str], env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao", "extract", *args, "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        **kw,
    )


def _stored(db_file: Path) -> int:
    if not db_file.exists():
        return 0
    try:
        with sqlite3.connect(db_file, timeout=5) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _kill_once_some_are_stored(args: list[str], db_file: Path, env: dict[str, str]) -> int:
    """SIGKILL the batch once a few documents are stored; its worker processes must not
    outlive it (a forked worker holds its own task pipe open and would wait forever)."""
    victim = _run(args, env=env)
    deadline = time.monotonic() + 120
    while _stored(db_file) < 5 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.02)
    workers = psutil.Process(victim.pid).children(recursive=True)
    if victim.poll() is None:
        victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"worker processes outlived the killed batch: {alive}"
    return _stored(db_file)


@pytest.mark.parametrize(
    ("backend", "extra"), [("rules", []), ("rules", ["--workers", "2"]), ("llm", [])]
)
def test_sigkill_mid_batch_then_rerun_stores_every_document_once(
    tmp_path: Path, backend: str, extra: list[str], request: pytest.FixtureRequest
) -> None:
    """`--workers 2` and `llm` run worker processes that store the documents they finish."""
    env: dict[str, str] = {}
    if backend == "llm":
        standin = request.getfixturevalue("standin")
        standin.script.latency = 0.05
        env = {
            "JIXIAO_LLM_BASE_URL": standin.url,
            "JIXIAO_LLM_MODEL": "standin-model",
            "JIXIAO_LLM_API_KEY": "sk-test",
            "JIXIAO_CACHE_DIR": str(tmp_path / "cache"),
        }
    paths = _corpus(tmp_path / "in", 40)
    db_file = tmp_path / "crash.db"
    args = [str(tmp_path / "in"), "--db", str(db_file), "--backend", backend, *extra]
    stored_before = _kill_once_some_are_stored(args, db_file, env)
    assert 0 < stored_before < len(paths)

    rerun = _run(args, env=env)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()

    with sqlite3.connect(db_file) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("select sha256, count(*) from documents group by sha256").fetchall()
    assert len(rows) == len(paths)
    assert all(count == 1 for _, count in rows)
    ok = list(Store(f"sqlite:///{db_file}").iter_documents(status="ok"))
    assert len(ok) == len(paths)


@pytest.mark.parametrize("workers", [2])
def test_process_workers_give_the_same_records_as_a_serial_run(
    tmp_path: Path, workers: int
) -> None:
    _corpus(tmp_path / "in", 6)

    def records(tag: str, *extra: str) -> list[dict]:
        out = tmp_path / f"{tag}.jsonl"
        proc = _run(
            [
                str(tmp_path / "in"),
                "--db",
                str(tmp_path / f"{tag}.db"),
                "--backend",
                "rules",
                "--out",
                str(out),
                *extra,
            ]
        )
        assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            row["run"].pop("seconds")
        return rows

    assert records("serial") == records("pool", "--workers", str(workers))
