"""Choosing where documents run: `--engine local|ray`, and what is said when Ray is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app

SEED = Path(__file__).resolve().parents[1] / "eval" / "fixtures" / "004" / "source.txt"


def _extract(tmp_path: Path, *extra: str):
    args = ["extract", str(SEED), "--db", str(tmp_path / "x.db"), "--quiet", *extra]
    return CliRunner().invoke(app, args)


def test_ray_engine_without_the_extra_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray → ImportError, as uninstalled
    monkeypatch.delitem(sys.modules, "jixiao.run.cluster", raising=False)
    result = _extract(tmp_path, "--engine", "ray")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == ["error: --engine ray needs the optional Ray extra: pip install 'jixiao[ray]'"]
    assert not (tmp_path / "x.db").exists()  # said before anything started


def test_an_unknown_engine_is_refused_with_the_choices(tmp_path: Path) -> None:
    result = _extract(tmp_path, "--engine", "dask")
    assert result.exit_code == 2
    assert "unknown engine 'dask': choose local or ray" in result.output


def test_the_local_engine_is_the_default_and_unchanged(tmp_path: Path) -> None:
    result = _extract(tmp_path)
    assert result.exit_code == 0, result.output
    assert "documents" in result.output


def test_llm_usage_no_record_counts_is_reported_beside_the_records_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An engine that counted more answers than the stored records carry (a worker died
    after its requests were answered) makes the summary say what the rest cost."""
    from rich.console import Console

    from jixiao.run import batch as batch_module
    from jixiao.run.document import process_path
    from jixiao.run.engine import Spent
    from jixiao.run.outcome import Finished
    from jixiao.run.summary import summary_table

    class CountingEngine:
        def __init__(self, backend) -> None:
            self.backend = backend

        def run(self, paths, job):
            for path in paths:
                outcome = process_path(path, self.backend, job.limits)
                yield Finished(outcome.record, outcome.text)

        def spent(self) -> Spent:
            return Spent(calls=7, tokens_in=700, tokens_out=70)

    monkeypatch.setattr(
        batch_module, "pick_engine", lambda backend, todo, options, shared: CountingEngine(backend)
    )
    options = batch_module.BatchOptions(backend="rules", db=str(tmp_path / "x.db"), progress=False)
    summary = batch_module.run_batch([str(SEED)], options, console=Console(quiet=True))
    assert (summary.calls, summary.tokens_in) == (0, 0)  # the rules backend's record
    assert (summary.lost_calls, summary.lost_tokens_in, summary.lost_tokens_out) == (7, 700, 70)
    assert summary.as_dict()["lost_tokens_in"] == 700
    rows = Console(width=120, record=True)
    rows.print(summary_table(summary))
    assert "LLM calls of retried or failed attempts" in rows.export_text()


def test_a_local_run_reports_no_lost_usage(tmp_path: Path) -> None:
    from rich.console import Console

    from jixiao.run.batch import BatchOptions, run_batch

    options = BatchOptions(backend="rules", db=str(tmp_path / "x.db"), progress=False)
    summary = run_batch([str(SEED)], options, console=Console(quiet=True))
    assert "lost_calls" not in summary.as_dict()
