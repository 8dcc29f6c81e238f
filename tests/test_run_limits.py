"""Per-document limits: a document over its time or memory fails alone; the batch goes on.

The slow or greedy document is simulated by making the verifier stall (or allocate)
for a document holding a marker; worker processes are forked from this process, so
they see the same patch. Each engine enforces the limits where the document runs: the
serial loop here, pool workers and the concurrent runner's workers in their processes.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import DocumentMemoryExceeded, DocumentTimeout
from jixiao.run.limits import UNLIMITED, Limits
from jixiao.store import Store

MARKER = "触发缺陷"
#: long enough for a good document on a loaded machine (its first one also imports the
#: pipeline), far below the stall
TIMEOUT = "5"
GOOD = "二、收入决算情况说明\n2022年度本年收入合计{v}万元，本年支出合计119.80万元。\n"


def corpus(folder: Path) -> None:
    folder.mkdir()
    texts = [GOOD.format(v="100.50"), GOOD.format(v="101.50") + MARKER, GOOD.format(v="102.50")]
    for i, text in enumerate(texts):
        (folder / f"d{i}.txt").write_text(text, encoding="utf-8")


def patch_verifier(monkeypatch: pytest.MonkeyPatch, misbehave) -> None:
    import jixiao.verify

    real = jixiao.verify.verify_record

    def verify_record(record, text, *args, **kwargs):
        if MARKER in text:
            misbehave()
        return real(record, text, *args, **kwargs)

    monkeypatch.setattr(jixiao.verify, "verify_record", verify_record)


def stall() -> None:
    time.sleep(60)


def stall_swallowing_exceptions() -> None:
    """A library loop that catches `Exception` around each step must not trap the limit."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            time.sleep(0.02)


def allocate() -> None:
    blocks = [bytearray(2**30) for _ in range(4)]
    del blocks


def extract(folder: Path, db: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner(env={"COLUMNS": "1000", **(env or {})}).invoke(
        app, ["extract", str(folder), "--db", str(db), "--quiet", *args]
    )


def assert_only_d1_failed(result, db: Path, reason: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = next(line for line in result.output.splitlines() if "d1.txt" in line)
    assert f"{reason}: " in line
    ok = sorted(Path(d.path).name for d in Store(str(db)).iter_documents(status="ok"))
    assert ok == ["d0.txt", "d2.txt"]
    (failed,) = Store(str(db)).iter_documents(status="failed")
    assert Path(failed.path).name == "d1.txt"


@pytest.mark.slow
@pytest.mark.parametrize("misbehave", [stall, stall_swallowing_exceptions])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_document_over_the_time_limit_fails_with_a_timeout_reason(
    misbehave, workers: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_verifier(monkeypatch, misbehave)
    corpus(tmp_path / "in")
    started = time.monotonic()
    result = extract(
        tmp_path / "in",
        tmp_path / "t.db",
        "--backend",
        "rules",
        "--timeout",
        TIMEOUT,
        "--workers",
        workers,
    )
    assert time.monotonic() - started < 30
    assert_only_d1_failed(result, tmp_path / "t.db", "timeout")


@pytest.mark.slow
def test_the_concurrent_runner_enforces_the_time_limit_in_its_workers(
    standin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_verifier(monkeypatch, stall)
    corpus(tmp_path / "in")
    env = {
        "JIXIAO_LLM_BASE_URL": standin.url,
        "JIXIAO_LLM_MODEL": "standin-model",
        "JIXIAO_LLM_API_KEY": "sk-test",
        "JIXIAO_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = extract(
        tmp_path / "in", tmp_path / "l.db", "--backend", "llm", "--timeout", TIMEOUT, env=env
    )
    assert_only_d1_failed(result, tmp_path / "l.db", "timeout")


@pytest.mark.slow
def test_a_document_over_the_memory_ceiling_fails_with_a_memory_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_verifier(monkeypatch, allocate)
    corpus(tmp_path / "in")
    result = extract(
        tmp_path / "in", tmp_path / "m.db", "--backend", "rules", "--max-memory", "256"
    )
    assert_only_d1_failed(result, tmp_path / "m.db", "memory")


def test_the_guard_turns_the_interrupt_into_a_timeout_and_restores_the_process() -> None:
    import resource
    import signal

    before = resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)
    with (
        pytest.raises(DocumentTimeout, match=r"0\.2 s"),
        Limits(seconds=0.2, memory_mb=512).guard(),
    ):
        stall()
    with pytest.raises(DocumentMemoryExceeded), Limits(seconds=5, memory_mb=64).guard():
        allocate()
    assert (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with Limits(seconds=0.2).guard():
        time.sleep(0.05)  # within the limit: nothing happens
    time.sleep(0.3)  # and the timer is gone afterwards


def test_outside_the_main_thread_the_guard_limits_nothing() -> None:
    """A signal reaches only the main thread, and an address-space limit would bind the
    whole process: the single-core fallback thread runs unguarded, by design."""
    finished: list[bool] = []

    def work() -> None:
        with Limits(seconds=0.1, memory_mb=1).guard():
            time.sleep(0.3)
            blocks = [bytearray(2**20) for _ in range(8)]
            finished.append(len(blocks) == 8)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]
    with UNLIMITED.guard():
        time.sleep(0)


def test_each_page_announced_for_ocr_extends_the_time_limit() -> None:
    import signal

    from jixiao.ingest.ocr.allowance import announce

    with Limits(seconds=0.2, seconds_per_ocr_page=0.5).guard():
        announce(2)
        time.sleep(0.6)  # past the base limit, within its allowance for two pages
    with (
        pytest.raises(DocumentTimeout, match=r"0\.2 s \+ 0\.1 s × 1 OCR page\b"),
        Limits(seconds=0.2, seconds_per_ocr_page=0.1).guard(),
    ):
        announce(1)
        stall()
    with pytest.raises(DocumentTimeout), Limits(seconds=0.2, seconds_per_ocr_page=0).guard():
        announce(5)  # no allowance per page: the base limit stands
        stall()
    announce(3)  # outside a guard nobody listens
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_pages_announced_by_another_thread_extend_nothing() -> None:
    """The listener is the guarded thread's own: another document's thread (or a page
    worker) cannot move this document's deadline."""
    from jixiao.ingest.ocr.allowance import announce

    started = time.monotonic()
    with pytest.raises(DocumentTimeout), Limits(seconds=0.2, seconds_per_ocr_page=30).guard():
        other = threading.Thread(target=announce, args=(10,))
        other.start()
        other.join()
        stall()
    assert time.monotonic() - started < 5


@pytest.mark.slow
def test_a_scanned_page_gets_its_ocr_allowance_on_top_of_the_limit() -> None:
    """A scan read under a base limit shorter than its OCR: it finishes with the
    allowance per OCR page, and times out without it."""
    from jixiao.ingest import load_bytes
    from jixiao.ingest.image import frames
    from jixiao.ingest.ocr.engine import engine

    scan = (Path(__file__).resolve().parents[1] / "eval/fixtures/002-image/source.jpg").read_bytes()
    engine(), frames(scan)  # start-up (models, imports), not the page's OCR (6-8 CPU s)
    with Limits(seconds=1, seconds_per_ocr_page=600).guard():
        doc = load_bytes(scan, name="scan.jpg")
    assert doc.ocr_pages == [1] and doc.tables
    with (
        pytest.raises(DocumentTimeout, match=r"than 1 s,"),
        Limits(seconds=1, seconds_per_ocr_page=0).guard(),
    ):
        load_bytes(scan, name="scan.jpg")
