"""The eval per fixture group, its gates, and scoring a store's records from anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from evaluate_helpers import fact, flag, record
from jixiao.cli import app
from jixiao.errors import ConfigError
from jixiao.evaluate import EvalResult, compare_runs, locate_fixtures, render_tables, write_report
from jixiao.evaluate.gates import gate_failures, gated_groups, load_thresholds
from jixiao.evaluate.gold import Gold, GoldFact, GoldFlag
from jixiao.evaluate.metrics import score_document
from jixiao.evaluate.stored import evaluate_store
from jixiao.models import RunInfo, Source
from jixiao.store import Store

runner = CliRunner()

REVENUE = GoldFact(concept="fa.revenue_total", value=50.5, year=2024)
SLIP = GoldFlag(check="sum", concepts=["fa.revenue_total"])


def two_group_result() -> EvalResult:
    """A seed read perfectly, and a corpus document with one miss and two false alarms."""
    seed = Gold(facts=[REVENUE], flags=[SLIP])
    corpus = Gold(group="corpus", facts=[REVENUE], flags=[])
    perfect = record(
        facts=[fact("fa.revenue_total", 50.5, year=2024, fid="f1")],
        flags=[flag("sum", ["f1"])],
    )
    poor = record(flags=[flag("year", [], "g1"), flag("sum", [], "g2")])
    result = EvalResult(backend="rules")
    result.documents += [
        score_document("000", seed, perfect),
        score_document("corpus-a", corpus, poor),
    ]
    return result


def test_every_figure_is_reported_per_group_and_overall():
    summary = two_group_result().to_summary()
    seeds, corpus = summary["groups"]["seeds"], summary["groups"]["corpus"]
    assert (seeds["f1"], corpus["f1"]) == (1.0, 0.0)
    assert seeds["key_facts"] == {"found": 1, "total": 1, "recall": 1.0}
    assert corpus["key_facts"] == {"found": 0, "total": 1, "recall": 0.0}
    assert corpus["flags"]["false_alarms_per_document"] == 2.0
    assert summary["flags"]["false_alarms_per_document"] == 1.0
    assert summary["key_facts"]["recall"] == 0.5
    assert summary["by_document"]["corpus-a"]["group"] == "corpus"
    assert summary["groups"]["corpus"]["by_concept"]["fa.revenue_total"]["fn"] == 1


def test_the_terminal_and_the_report_show_each_group():
    result = two_group_result()
    console = Console(record=True, width=200)
    for table in render_tables(result):
        console.print(table)
    text = console.export_text()
    assert "by group" in text and "F1 corpus" in text and "group corpus" in text


def test_the_html_report_has_the_group_table(tmp_path):
    html = write_report(two_group_result(), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>by group</h2>" in html and "<td>corpus</td>" in html


def test_compare_reports_each_group():
    before = two_group_result().to_summary()
    after = json.loads(json.dumps(before))
    after["groups"]["corpus"]["flags"]["false_alarms_per_document"] = 0.5
    after["groups"]["corpus"]["key_facts"]["recall"] = 1.0
    comparison = compare_runs(before, after)
    assert comparison.by_group["corpus false alarms/doc"].status == "improved"
    assert comparison.by_group["corpus key recall"].status == "improved"
    assert comparison.by_group["seeds f1"].status == "same"
    assert compare_runs({"f1": 0.9}, after).by_group["corpus f1"].status == "new"


# ---------------------------------------------------------------- gates


def thresholds(tmp_path: Path, corpus_gate: dict | None) -> dict:
    path = tmp_path / "threshold.json"
    groups = {
        "seeds": {"gate": {"f1": 0.99, "flag_recall": 1.0, "false_alarms": 0}},
        "corpus": {"gate": corpus_gate},
    }
    path.write_text(json.dumps({"rules": {"groups": groups}}), encoding="utf-8")
    return load_thresholds(path)


def test_a_group_without_a_gate_is_recorded_not_checked(tmp_path):
    groups = thresholds(tmp_path, None)
    assert gated_groups(groups) == ["seeds"]
    assert gate_failures(two_group_result(), groups) == []


def test_a_gate_fails_on_each_figure_it_sets(tmp_path):
    groups = thresholds(tmp_path, {"key_recall": 0.95, "false_alarms_per_document": 0.3})
    failures = gate_failures(two_group_result(), groups)
    assert failures == [
        "corpus: key_recall 0.0000 is below the gate 0.95",
        "corpus: false_alarms_per_document 2.0000 is above the gate 0.3",
    ]


def test_a_gated_group_with_no_fixture_fails_and_an_unknown_figure_is_refused(tmp_path):
    groups = thresholds(tmp_path, None)
    groups["generated"] = {"gate": {"f1": 0.5}}
    assert gate_failures(two_group_result(), groups) == [
        "generated: gated, but no labelled fixture is in this group"
    ]
    with pytest.raises(ConfigError, match="not one of"):
        thresholds(tmp_path, {"recal": 0.9})


def test_the_project_gates_the_seeds_and_renderings():
    groups = load_thresholds(Path(__file__).resolve().parent.parent / "eval" / "threshold.json")
    assert {"seeds", "renderings"} <= set(gated_groups(groups))
    assert groups["seeds"]["gate"]["f1"] >= 0.99


# ---------------------------------------------------------------- eval from a store


def fixtures(root: Path) -> Path:
    """Two labelled fixtures (one rendering) and one unlabelled, of an invented bureau."""
    folder = root / "fx"
    for name, text, gold in (
        ("100", "本年收入合计50.50万元。", {"facts": [REVENUE.model_dump()]}),
        ("100-docx", "本年收入合计 50.50 万元。", {"same_as": "100"}),
        ("101", "无标注", None),
    ):
        (folder / name).mkdir(parents=True)
        (folder / name / "source.txt").write_text(text, encoding="utf-8")
        if gold is not None:
            (folder / name / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


def stored(folder: Path, name: str, value: float, backend: str = "rules"):
    from jixiao.evaluate.stored import source_sha256

    sha = source_sha256(folder / name / "source.txt")
    rec = record(
        fiscal_year=2024, facts=[fact("fa.revenue_total", value, year=2024, fid="f1")]
    ).model_copy(
        update={
            "source": Source(path=f"elsewhere/{name}.txt", sha256=sha, format="txt"),
            "run": RunInfo(backend=backend),
        }
    )
    return rec


def test_a_store_is_scored_by_the_content_of_the_fixture_sources(tmp_path):
    folder = fixtures(tmp_path)
    store = Store(str(tmp_path / "s.db"))
    store.save_record(stored(folder, "100", 50.5), "text")
    result = evaluate_store(folder, store)
    assert [(d.id, d.group, d.total.f1) for d in result.documents] == [("100", "seeds", 1.0)]
    assert result.not_stored == ["100-docx"] and result.unlabelled == ["101"]
    assert result.scored_from == "store" and result.backend == "rules"


def test_a_document_stored_under_two_backends_needs_a_choice(tmp_path):
    folder = fixtures(tmp_path)
    store = Store(str(tmp_path / "s.db"))
    store.save_record(stored(folder, "100", 50.5), "text")
    store.save_record(stored(folder, "100", 99.0, backend="llm"), "text")
    with pytest.raises(ConfigError, match="--backend"):
        evaluate_store(folder, store)
    assert evaluate_store(folder, store, "llm").total.f1 == 0.0
    assert evaluate_store(folder, store, "rules").total.f1 == 1.0


def test_a_failure_in_the_store_scores_as_all_missed(tmp_path):
    folder = fixtures(tmp_path)
    store = Store(str(tmp_path / "s.db"))
    from jixiao.evaluate.stored import source_sha256

    sha = source_sha256(folder / "100" / "source.txt")
    store.save_failure(path="x.txt", sha256=sha, backend="rules", reason="corrupt")
    (doc,) = evaluate_store(folder, store).documents
    assert (doc.error, doc.total.fn, doc.total.tp) == ("corrupt", 1, 0)


def test_a_missing_store_file_is_refused_rather_than_created(tmp_path):
    with pytest.raises(ConfigError, match="no such store"):
        evaluate_store(fixtures(tmp_path), str(tmp_path / "typo.db"))
    assert not (tmp_path / "typo.db").exists()


def test_eval_from_any_folder_with_a_store_and_a_gold_folder(tmp_path, monkeypatch):
    folder = fixtures(tmp_path / "project")
    store = Store(str(tmp_path / "s.db"))
    store.save_record(stored(folder, "100", 50.5), "text")
    store.save_record(stored(folder, "100-docx", 50.4), "text")
    store.close()
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    args = ["eval", "--db", str(tmp_path / "s.db"), "--gold", str(folder), "--json"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output)
    assert summary["groups"]["seeds"]["f1"] == 1.0
    assert summary["groups"]["renderings"]["f1"] == 0.0
    assert summary["scored_from"] == "store"
    assert (folder.parent / "runs").is_dir()


def test_the_fixtures_folder_is_found_above_the_working_folder_or_in_the_project(tmp_path):
    project = tmp_path / "checkout"
    (project / "eval" / "fixtures").mkdir(parents=True)
    (project / "docs" / "deep").mkdir(parents=True)
    found = locate_fixtures(start=project / "docs" / "deep")
    assert found == project / "eval" / "fixtures"
    own = Path(__file__).resolve().parent.parent / "eval" / "fixtures"
    assert locate_fixtures(start=tmp_path) in (own, tmp_path / "eval" / "fixtures")
    with pytest.raises(ConfigError, match="--gold"):
        locate_fixtures(tmp_path / "nothing")
