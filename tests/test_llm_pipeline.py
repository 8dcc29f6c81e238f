"""The concurrent engine with the llm backend: order, failures, timing, a stable cache key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.extract.llm import make_backend
from jixiao.extract.registry import BackendSpec
from jixiao.run.concurrent import ConcurrentEngine
from jixiao.run.engine import Job
from jixiao.run.limits import UNLIMITED

ACCOUNTS = "二、收入决算情况说明\n2022年度本年收入合计{v}万元，本年支出合计119.80万元。\n"


def run_concurrently(llm, paths: list[Path]) -> list[tuple]:
    """Records and texts, as the engine hands them back when no store is reachable."""
    job = Job(BackendSpec("llm"), target=None, limits=UNLIMITED)
    return [(f.record, f.text) for f in ConcurrentEngine(llm).run(paths, job)]


def write_docs(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"d{i}.txt"
        path.write_text(ACCOUNTS.format(v=f"{100 + i}.50"), encoding="utf-8")
        paths.append(path)
    return paths


def test_records_come_in_input_order_and_a_bad_file_becomes_a_failed_record(
    llm_settings, standin, tmp_path
) -> None:
    standin.script.latency = 0.05
    paths = write_docs(tmp_path, 6)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    paths.insert(3, bad)
    llm = make_backend("llm", settings=llm_settings.model_copy(update={"concurrency": 2}))
    out = run_concurrently(llm, paths)
    assert [Path(r.source.path).name for r, _ in out] == [p.name for p in paths]
    assert out[3][0].error and out[3][1] is None
    values = [f.value for r, _ in out if r.error is None for f in r.facts if f.concept == "fa.revenue_total"]  # fmt: skip
    assert values == [100.5, 101.5, 102.5, 103.5, 104.5, 105.5]
    assert standin.stats.peak_in_flight <= 2


def test_record_seconds_are_the_documents_wall_time_including_llm_calls(
    llm_settings, standin, tmp_path
) -> None:
    standin.script.latency = 0.3
    llm = make_backend("llm", settings=llm_settings)
    records = [r for r, _ in run_concurrently(llm, write_docs(tmp_path, 2))]
    assert all(r.run.seconds >= 0.3 for r in records)


@pytest.mark.slow
def test_the_concept_menu_is_the_same_in_every_process() -> None:
    """The menu is part of the cache key: a set's order must not leak into it."""
    code = (
        "from jixiao.extract.llm.answer_models import concepts_in;"
        "print(concepts_in('本年收入合计100万元，收入决算总额100万元，基本支出、人员经费、公用经费'))"
    )
    menus = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(4)
    }
    assert len(menus) == 1
