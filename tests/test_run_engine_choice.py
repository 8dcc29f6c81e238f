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
