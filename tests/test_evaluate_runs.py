"""Stored runs, run comparison and the report files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

import jixiao.run.document
from evaluate_helpers import fact, record, row
from jixiao.errors import ConfigError
from jixiao.evaluate import EvalResult, compare_runs, load_run, render_tables, run_eval, save_run
from jixiao.evaluate.gold import Gold, GoldFact, GoldIndicator
from jixiao.evaluate.metrics import Counts, score_document
from jixiao.run.document import Outcome

SUMMARY_KEYS = {
    "precision",
    "recall",
    "f1",
    "by_concept",
    "by_document",
    "by_kind",
    "flags",
    "seconds",
    "tokens_in",
    "tokens_out",
}


def result_with(values: dict[str, float], concept_names: str = "fa.revenue_total") -> EvalResult:
    """A one-document result where each concept in `values` is predicted with that value."""
    gold = Gold(
        facts=[GoldFact(concept=c, value=10, year=2021) for c in values],
        indicators=[GoldIndicator(scope="接访经费", table="target", level3="<b>满意度</b>")],
    )
    rec = record(
        facts=[fact(c, v) for c, v in values.items()],
        indicators=[row("接访经费", "<b>满意度</b>", table="target")],
    )
    result = EvalResult(backend="rules")
    result.documents.append(score_document("d1", gold, rec))
    return result


def test_summary_has_the_documented_keys():
    summary = result_with({"fa.revenue_total": 10}).to_summary()
    assert set(summary) >= SUMMARY_KEYS
    assert summary["by_concept"]["fa.revenue_total"]["f1"] == 1.0


def test_compare_runs_reports_per_concept_improvements_and_regressions():
    before = result_with({"fa.revenue_total": 10, "fa.total": 99}).to_summary()
    after = result_with({"fa.revenue_total": 11, "fa.total": 10}).to_summary()
    comparison = compare_runs(before, after)
    assert comparison.improved == ["fa.total"]
    assert comparison.regressed == ["fa.revenue_total"]
    assert comparison.by_concept["fa.total"].change == pytest.approx(1.0)
    assert comparison.overall["f1"].status == "same"


def test_compare_runs_counts_more_seconds_as_a_regression():
    before = {"f1": 0.5, "seconds": 1.0}
    after = {"f1": 0.5, "seconds": 3.0}
    assert compare_runs(before, after).overall["seconds"].status == "regressed"


def test_a_stored_run_loads_back_and_is_never_overwritten(tmp_path):
    result = result_with({"fa.revenue_total": 10})
    first, second = save_run(result, tmp_path), save_run(result, tmp_path)
    assert first != second and first.name.endswith("-rules.json")
    loaded = load_run(first)
    assert loaded["f1"] == result.to_summary()["f1"]
    assert "misses" in loaded


def test_loading_something_that_is_not_a_run_says_so(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a stored eval run"):
        load_run(path)


def test_html_report_escapes_document_text_and_draws_an_svg_chart(tmp_path):
    from jixiao.evaluate import write_report

    result = result_with({"fa.revenue_total": 10})
    result.documents[0].by_concept["<script>alert(1)</script>"] = Counts(fp=1)
    html = write_report(result, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<script>" not in html
    assert "&lt;script&gt;" in html


def test_markdown_report_links_a_sibling_svg(tmp_path):
    from jixiao.evaluate import write_report

    path = write_report(result_with({"fa.revenue_total": 10}), tmp_path / "r.md")
    assert "(r.svg)" in path.read_text(encoding="utf-8")
    assert (tmp_path / "r.svg").read_text(encoding="utf-8").startswith("<svg")


def test_report_with_another_suffix_is_refused(tmp_path):
    from jixiao.evaluate import write_report

    with pytest.raises(ConfigError, match=r"\.html or \.md"):
        write_report(result_with({"fa.revenue_total": 10}), tmp_path / "r.pdf")


def test_tables_render_in_a_terminal():
    console = Console(record=True, width=120)
    for table in render_tables(result_with({"fa.revenue_total": 10})):
        console.print(table)
    assert "fa.revenue_total" in console.export_text()


def fake_fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "eval" / "fixtures" / "100"
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text("本年收入合计50.5万元", encoding="utf-8")
    (folder / "gold.json").write_text(
        json.dumps({"facts": [{"concept": "fa.revenue_total", "year": 2022, "value": 50.5}]}),
        encoding="utf-8",
    )
    (tmp_path / "eval" / "fixtures" / "101").mkdir()
    (tmp_path / "eval" / "fixtures" / "101" / "source.txt").write_text("x", encoding="utf-8")
    return tmp_path / "eval" / "fixtures"


def test_run_eval_scores_stores_compares_and_reports(tmp_path, monkeypatch):
    """The whole loop with a stand-in pipeline: the harness, not the extractor, is under test."""
    values = iter([50.5, 55.0])

    def process_path(path, backend):
        rec = record(fiscal_year=2022, facts=[fact("fa.revenue_total", next(values), year=2022)])
        rec.run.tokens_in = 7
        return Outcome(rec, None, 0.25)

    monkeypatch.setattr(jixiao.run.document, "process_path", process_path)
    fixtures = fake_fixtures(tmp_path)
    first = run_eval(fixtures, "rules", compare=None, report=None)
    assert first.to_summary()["f1"] == 1.0 and first.unlabelled == ["101"]
    assert first.run_path is not None and first.run_path.parent == tmp_path / "eval" / "runs"
    second = run_eval(fixtures, "rules", compare="last", report=tmp_path / "r.html")
    assert second.comparison.regressed == ["fa.revenue_total"]
    assert second.to_summary()["tokens_in"] == 7 and second.to_summary()["seconds"] == 0.25
    assert second.report_path.is_file()


def test_a_crashing_pipeline_scores_the_document_as_all_missed(tmp_path, monkeypatch):
    def process_path(path, backend):
        raise RuntimeError("boom")

    monkeypatch.setattr(jixiao.run.document, "process_path", process_path)
    result = run_eval(fake_fixtures(tmp_path), "rules", save=False)
    assert result.documents[0].error.startswith("crash: RuntimeError")
    assert result.total.fn == 1 and result.total.tp == 0


def test_compare_with_last_and_no_stored_run_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="run once first"):
        run_eval(fake_fixtures(tmp_path), "rules", compare="last", save=False)


def test_compare_accepts_a_run_id_under_the_runs_folder(tmp_path):
    from jixiao.evaluate.runs import find_run

    path = save_run(result_with({"fa.revenue_total": 10}), tmp_path)
    assert find_run(tmp_path, path.stem, "rules") == path
    assert find_run(tmp_path, path.name, "rules") == path
