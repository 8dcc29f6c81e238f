"""`jixiao extract` end to end: store, JSONL, resume, failures, exit status, summary."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "eval" / "fixtures"
runner = CliRunner()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Two seeds and three bad inputs in one folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in ("000", "002"):
        shutil.copyfile(FIXTURES / seed / "source.txt", folder / f"{seed}.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.pdf").write_bytes(bytes(range(256)) * 40)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    return folder


def _extract(*args: str):
    return runner.invoke(app, ["extract", *args, "--quiet"], catch_exceptions=False)


def test_batch_stores_good_files_and_reports_each_bad_one(batch: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    out = tmp_path / "results.jsonl"
    result = _extract(str(batch), "--db", db, "--out", str(out), "--backend", "rules")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    errors = {Path(r["source"]["path"]).name: r["error"] for r in records}
    assert errors["000.txt"] is None and errors["002.txt"] is None
    assert errors["empty.txt"].startswith("empty")
    assert errors["junk.pdf"] and errors["broken.docx"]
    store = Store(db)
    assert len(list(store.iter_documents(status="ok"))) == 2
    assert len(list(store.iter_documents(status="failed"))) == 3
    for line in ("documents", "failed", "facts", "indicator rows"):
        assert line in result.output


def test_rerun_skips_done_documents_and_force_redoes_them(batch: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    seeds = [str(batch / "000.txt"), str(batch / "002.txt")]
    first = _extract(*seeds, "--db", db, "--backend", "rules")
    assert first.exit_code == 0, first.output
    out = tmp_path / "again.jsonl"
    second = _extract(*seeds, "--db", db, "--backend", "rules", "--out", str(out))
    assert second.exit_code == 0
    assert "skipped (already stored)" in second.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2  # skipped ones still written
    summary = {
        r.split("│")[1].strip(): r.split("│")[2].strip()
        for r in second.output.splitlines()
        if r.count("│") == 3
    }
    assert summary["processed"] == "0" and summary["skipped (already stored)"] == "2"
    forced = _extract(*seeds, "--db", db, "--backend", "rules", "--force")
    summary = {
        r.split("│")[1].strip(): r.split("│")[2].strip()
        for r in forced.output.splitlines()
        if r.count("│") == 3
    }
    assert summary["processed"] == "2"
    assert len(list(Store(db).iter_documents(status="ok"))) == 2  # upserted, not duplicated


def test_glob_inputs_and_auto_backend_without_endpoint(
    batch: Path, tmp_path: Path, monkeypatch
) -> None:
    for var in ("JIXIAO_LLM_BASE_URL", "JIXIAO_LLM_MODEL", "JIXIAO_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'j.db'}"
    result = _extract(str(batch / "00*.txt"), "--db", db)
    assert result.exit_code == 0, result.output
    assert "backend: rules" in result.output


def test_inspect_shows_sections_and_tables() -> None:
    result = runner.invoke(app, ["inspect", str(FIXTURES / "000" / "source.txt")])
    assert result.exit_code == 0, result.output
    assert "self_eval_table" in result.output
    as_json = runner.invoke(app, ["inspect", "--json", str(FIXTURES / "000" / "source.txt")])
    tables = json.loads(as_json.output)["tables"]
    assert ["主管部门及代码", "攀枝花市西区信访局", "实施单位", "区信访局"] in tables[0]["rows"]


def test_inspect_shows_kind_stage_and_unit_decisions(tmp_path: Path) -> None:
    import docx  # python-docx: a real DOCX with a real table

    document = docx.Document()
    for line in (
        "东城区2025年区级部门预算",
        "预算主管部门：东城区财政局",
        "2025年部门支出预算总表",
        "编制部门：东城区财政局单位：元",
    ):
        document.add_paragraph(line)
    rows = [
        ["功能分类科目编码", "科目名称", "2025年预算数", "2024年执行数"],
        ["201", "一般公共服务支出", "1,200,000", "1,100,000"],
    ]
    table = document.add_table(rows=2, cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    budget = tmp_path / "budget.docx"
    document.save(str(budget))
    result = runner.invoke(app, ["inspect", str(budget)])
    assert result.exit_code == 0, result.output
    assert "kind: budget" in result.output
    assert "东城区2025年区级部门预算" in result.output
    as_json = json.loads(runner.invoke(app, ["inspect", "--json", str(budget)]).output)
    assert as_json["document_kind"] == "budget"
    read = {(f["stage"], f["year"], f["value"]) for f in as_json["facts"] if "stage" in f}
    assert ("budget_initial", 2025, 120.0) in read
    assert ("prior_final", 2024, 110.0) in read
    decision = next(f["unit_decision"] for f in as_json["facts"] if f.get("unit_decision"))
    assert decision == {"basis": "table_header", "unit": "元", "factor": 0.0001}


def test_inspect_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["inspect", str(empty)])
    assert result.exit_code == 2
    assert "empty" in result.output
    assert "Traceback" not in result.output


def test_schema_command_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Record"


def test_review_work_a_forced_rerun_cannot_keep_is_listed_in_the_summary(
    batch: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    seed = str(batch / "000.txt")
    assert _extract(seed, "--db", db, "--backend", "rules").exit_code == 0
    store = Store(db)
    (doc,) = store.iter_documents()
    first, second = doc.record.facts[:2]
    # kept: a correction (as the review saves it) of a value the new extraction reads again
    with store.edit_document(doc.id) as edit:
        edit.record.facts[1].value = second.value + 1
        edit.add_decision(target_kind="fact", target_id=second.id, action="correct",
                          old_value=second.value, new_value=second.value + 1,
                          reviewer="张审核", comment=None)  # fmt: skip
        edit.save()
    # not kept: a correction made on a reading the new extraction does not give
    store.add_decision(doc.id, target_kind="fact", target_id=first.id, action="correct",
                       old_value=first.value + 7, new_value=first.value + 8,
                       reviewer="张审核", comment=None)  # fmt: skip
    store.close()
    quiet = _extract(seed, "--db", db, "--backend", "rules")
    assert "not carried" not in quiet.output  # nothing re-extracted, nothing lost
    forced = _extract(seed, "--db", db, "--backend", "rules", "--force")
    assert forced.exit_code == 0, forced.output
    output = " ".join(forced.output.split())
    assert re.search(r"review decisions not carried over\W+1\b", output)
    assert "in 1 documents; the audit table still holds it" in output
    assert f"correct fact {first.id} by 张审核" in output
    assert f"fact {second.id}" not in output
    again = Store(db).get_document(doc.id).record
    assert [f.value for f in again.facts if f.id == second.id] == [second.value + 1]
