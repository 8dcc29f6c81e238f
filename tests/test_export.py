"""Exports: every table in every format, readable back, with review decisions applied."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from jixiao.export import FORMATS, ExportError, export_store, records_to_jsonl
from jixiao.export.columns import DECISIONS, TABLES
from jixiao.models import Evidence, Fact, IndicatorRow, Record, Source
from jixiao.store import Store
from test_store import TEXT, make_record

TABLE_NAMES = ["documents", "facts", "projects", "indicators", "flags"]


@pytest.fixture
def store(db_url: str) -> Store:
    """An empty store on SQLite and on PostgreSQL."""
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def filled(store: Store) -> Store:
    """Two documents of other departments and a failure, with review decisions."""
    first = store.save_record(make_record("a" * 64), TEXT)
    store.save_record(make_record("b" * 64), TEXT)
    store.save_failure(path="broken.docx", sha256="e" * 64, backend="rules", reason="corrupt")
    decide = _decider(store, first)
    decide("fact", "f1", "correct", 523.1, 532.1)
    decide("fact", "f2", "source_wrong", 500.0, None)
    decide("fact", "f2", "skip", None, None)  # a later skip does not undo the decision
    decide("indicator", "i1:actual_value", "correct", 1200, 1100)
    decide("flag", "sum:f1,f2", "accept", "open", "accept")
    return store


def _decider(store: Store, doc_id: int):
    def decide(kind: str, target: str, action: str, old, new) -> int:
        return store.add_decision(
            doc_id,
            target_kind=kind,
            target_id=target,
            action=action,
            old_value=old,
            new_value=new,
            reviewer="张三",
            comment="核对原表",
        )

    return decide


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by(rows: list[dict], **match) -> dict:
    (row,) = [r for r in rows if all(str(r[k]) == str(v) for k, v in match.items())]
    return row


def test_jsonl_export_applies_corrections_and_keeps_the_original(
    filled: Store, tmp_path: Path
) -> None:
    paths = export_store(filled, "jsonl", tmp_path / "out")
    assert sorted(p.name for p in paths) == sorted(f"{t}.jsonl" for t in TABLE_NAMES)
    facts = read_jsonl(tmp_path / "out" / "facts.jsonl")
    corrected = by(facts, document_id=1, fact_id="f1")
    assert (corrected["value"], corrected["original_value"]) == (532.1, 523.1)
    assert corrected["reviewed"] is True and corrected["reviewer"] == "张三"
    untouched = by(facts, document_id=2, fact_id="f1")
    assert (untouched["value"], untouched["reviewed"]) == (523.1, False)


def test_source_wrong_marks_the_value_without_changing_it(filled: Store, tmp_path: Path) -> None:
    export_store(filled, "jsonl", tmp_path)
    row = by(read_jsonl(tmp_path / "facts.jsonl"), document_id=1, fact_id="f2")
    assert (row["value"], row["source_wrong"], row["review_action"]) == (
        500.0,
        True,
        "source_wrong",
    )


def test_indicator_correction_replaces_the_named_field(filled: Store, tmp_path: Path) -> None:
    export_store(filled, "jsonl", tmp_path)
    row = by(read_jsonl(tmp_path / "indicators.jsonl"), document_id=1)
    assert row["actual_value"] == 1100
    assert json.loads(row["original_value"]) == {"actual_value": 1200}
    assert row["target_value"] == 1000


def test_flag_status_comes_from_the_record(store: Store, tmp_path: Path) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    reviewed = make_record()
    reviewed.flags[1].status = "accepted"
    store.update_record(doc_id, reviewed)
    # decisions name flags by key (ids change on re-verification): never applied by id
    _decider(store, doc_id)("flag", "g1", "source_wrong", "open", "source_wrong")
    export_store(store, "jsonl", tmp_path)
    flags = read_jsonl(tmp_path / "flags.jsonl")
    assert [(f["flag_id"], f["status"]) for f in flags] == [("g1", "open"), ("g2", "accepted")]
    assert flags[1]["facts"] == ["f1", "f2"]


def test_indicator_correction_given_as_fields_replaces_each(store: Store, tmp_path: Path) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    decide = _decider(store, doc_id)
    decide("indicator", "i1", "correct", {"weight": 10}, {"weight": 15, "score": 12})
    decide("indicator", "i1:target_value", "correct", 1000, 900)
    export_store(store, "jsonl", tmp_path)
    row = by(read_jsonl(tmp_path / "indicators.jsonl"), indicator_id="i1")
    assert (row["weight"], row["score"], row["target_value"]) == (15, 12, 900)
    assert json.loads(row["original_value"]) == {"weight": 10, "score": 10, "target_value": 1000}


def test_raw_export_ignores_decisions(filled: Store, tmp_path: Path) -> None:
    export_store(filled, "jsonl", tmp_path, apply_decisions=False)
    row = by(read_jsonl(tmp_path / "facts.jsonl"), document_id=1, fact_id="f1")
    assert (row["value"], row["reviewed"]) == (523.1, False)


def test_decisions_in_the_store_are_never_edited_by_export(filled: Store, tmp_path: Path) -> None:
    before = filled.decisions()
    export_store(filled, "csv", tmp_path)
    assert filled.decisions() == before
    assert filled.get_document(1).record.facts[0].value == 523.1


def test_failed_documents_are_listed_with_their_reason(filled: Store, tmp_path: Path) -> None:
    export_store(filled, "csv", tmp_path)
    documents = read_csv(tmp_path / "documents.csv")
    assert len(documents) == 3
    failed = by(documents, status="failed")
    assert (failed["path"], failed["error"]) == ("broken.docx", "corrupt")


def test_csv_rows_carry_the_document_key_and_chinese_survives(
    filled: Store, tmp_path: Path
) -> None:
    export_store(filled, "csv", tmp_path)
    facts = read_csv(tmp_path / "facts.csv")
    assert list(facts[0])[:5] == ["document_id", "sha256", "path", "department", "fiscal_year"]
    assert {r["department"] for r in facts} == {"某县农业农村局"}
    assert {r["fiscal_year"] for r in facts} == {"2024"}
    assert by(facts, document_id=1, fact_id="f2")["scope"] == "高标准农田建设"
    assert len(facts) == 4


def test_parquet_has_the_declared_schema_even_for_an_empty_table(
    store: Store, tmp_path: Path
) -> None:
    store.save_record(make_record(), TEXT)
    export_store(store, "parquet", tmp_path)
    facts = pq.read_table(tmp_path / "facts.parquet")
    assert facts.schema.field("value").type == pa.float64()
    assert facts.schema.field("year").type == pa.int64()
    assert facts.schema.field("reviewed").type == pa.bool_()
    assert facts.column("value").to_pylist() == [523.1, 500.0]
    flags = pq.read_table(tmp_path / "flags.parquet")
    assert flags.schema.field("facts").type == pa.list_(pa.string())
    empty = Store(str(tmp_path / "empty.db"))
    export_store(empty, "parquet", tmp_path / "empty")
    empty_facts = pq.read_table(tmp_path / "empty" / "facts.parquet")
    assert empty_facts.num_rows == 0
    assert empty_facts.schema == facts.schema


def test_xlsx_has_one_sheet_per_table_with_a_frozen_header(filled: Store, tmp_path: Path) -> None:
    (path,) = export_store(filled, "xlsx", tmp_path, include_audit=True)
    book = load_workbook(path)
    assert book.sheetnames == [*TABLE_NAMES, "decisions"]
    sheet = book["facts"]
    assert sheet.freeze_panes == "A2"
    header, *body = [list(r) for r in sheet.values]
    assert header == [name for name, _ in TABLES["facts"]]
    values = {(r[0], r[header.index("fact_id")]): r[header.index("value")] for r in body}
    assert values[(1, "f1")] == 532.1


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(store: Store, tmp_path: Path) -> None:
    record = make_record()
    record.facts[0].text = "=SUM(A1:A9)"
    store.save_record(record, TEXT)
    (path,) = export_store(store, "xlsx", tmp_path)
    sheet = load_workbook(path)["facts"]
    header, first = list(sheet.values)[:2]
    assert first[header.index("text")] == "=SUM(A1:A9)"
    assert sheet.cell(row=2, column=header.index("text") + 1).data_type == "s"


@pytest.mark.parametrize("fmt", FORMATS)
def test_audit_table_lists_every_decision_in_every_format(
    filled: Store, tmp_path: Path, fmt: str
) -> None:
    paths = export_store(filled, fmt, tmp_path, include_audit=True)
    assert all(p.exists() for p in paths)
    rows = _read_table(tmp_path, fmt, "decisions")
    assert [r["action"] for r in rows] == ["correct", "source_wrong", "skip", "correct", "accept"]
    assert {r["reviewer"] for r in rows} == {"张三"}
    assert rows[0]["sha256"] == "a" * 64
    assert list(rows[0]) == [name for name, _ in DECISIONS]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_reads_back_with_its_columns(filled: Store, tmp_path: Path, fmt: str) -> None:
    export_store(filled, fmt, tmp_path)
    counts = {name: len(_read_table(tmp_path, fmt, name)) for name in TABLE_NAMES}
    assert counts == {"documents": 3, "facts": 4, "projects": 2, "indicators": 2, "flags": 4}
    for name in TABLE_NAMES:
        rows = _read_table(tmp_path, fmt, name)
        assert list(rows[0]) == [c for c, _ in TABLES[name]]


def _read_table(folder: Path, fmt: str, name: str) -> list[dict]:
    if fmt == "jsonl":
        return read_jsonl(folder / f"{name}.jsonl")
    if fmt == "csv":
        return read_csv(folder / f"{name}.csv")
    if fmt == "parquet":
        return pq.read_table(folder / f"{name}.parquet").to_pylist()
    header, *body = list(load_workbook(folder / "jixiao.xlsx")[name].values)
    return [dict(zip(header, row, strict=True)) for row in body]


def test_unknown_format_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="choose"):
        export_store(store, "sav", tmp_path)


def test_a_failed_export_leaves_no_half_written_file(
    filled: Store, tmp_path: Path, monkeypatch
) -> None:
    import jixiao.export as export_module

    def explode(page, effective):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_module, "page_rows", explode)
    with pytest.raises(RuntimeError):
        export_store(filled, "csv", tmp_path)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("jixiao.db")] == []


def test_records_to_jsonl_writes_one_validating_record_per_line(tmp_path: Path) -> None:
    records = [make_record("a" * 64), make_record("b" * 64)]
    path = tmp_path / "out" / "results.jsonl"
    assert records_to_jsonl(iter(records), path) == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [Record.model_validate_json(line) for line in lines] == records
    assert "某县农业农村局" in lines[0]


def test_fact_without_decision_exports_its_value_as_original(store: Store, tmp_path: Path) -> None:
    record = Record(
        source=Source(path="p.txt", sha256="d" * 64, format="txt"),
        facts=[
            Fact(
                id="f1",
                concept="staff.actual",
                value=12,
                unit="人",
                text="12人",
                evidence=Evidence(quote="实有人数12人", start=0, end=7),
            )
        ],
        indicators=[IndicatorRow(id="i1", scope="department", table="target", level1="效益指标")],
    )
    store.save_record(record, "实有人数12人")
    export_store(store, "jsonl", tmp_path)
    (fact,) = read_jsonl(tmp_path / "facts.jsonl")
    assert (fact["value"], fact["original_value"], fact["department"]) == (12, 12, None)
    (indicator,) = read_jsonl(tmp_path / "indicators.jsonl")
    assert indicator["original_value"] is None and indicator["reviewed"] is False


def test_decision_on_a_value_that_changed_since_is_not_applied(
    store: Store, tmp_path: Path
) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    decide = _decider(store, doc_id)
    decide("fact", "f1", "correct", 523.1, 532.1)
    decide("indicator", "i1", "correct", 1200, 1100)
    store.save_record(make_record(revenue=777.0), TEXT)  # re-extracted: f1 is another value
    export_store(store, "jsonl", tmp_path)
    fact = by(read_jsonl(tmp_path / "facts.jsonl"), fact_id="f1")
    assert (fact["value"], fact["reviewed"]) == (777.0, False)
    indicator = by(read_jsonl(tmp_path / "indicators.jsonl"), indicator_id="i1")
    assert indicator["actual_value"] == 1100


def test_correction_already_saved_in_the_record_is_still_reported(
    store: Store, tmp_path: Path
) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    _decider(store, doc_id)("fact", "f1", "correct", 523.1, 532.1)
    store.update_record(doc_id, make_record(revenue=532.1), expected_version=1)
    export_store(store, "jsonl", tmp_path)
    fact = by(read_jsonl(tmp_path / "facts.jsonl"), fact_id="f1")
    assert (fact["value"], fact["original_value"], fact["reviewed"]) == (532.1, 523.1, True)


def test_an_undone_correction_is_not_applied(filled: Store, tmp_path: Path) -> None:
    _decider(filled, 1)("fact", "f1", "undo", 532.1, 523.1)
    export_store(filled, "jsonl", tmp_path)
    row = by(read_jsonl(tmp_path / "facts.jsonl"), document_id=1, fact_id="f1")
    assert (row["value"], row["reviewed"]) == (523.1, False)
