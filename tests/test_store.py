"""The store: round trips, resume, failures, upserts, optimistic concurrency, migrations."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from jixiao.errors import ReviewConflict, StoreError
from jixiao.models import (
    CellRef,
    Department,
    Evidence,
    Fact,
    Flag,
    IndicatorRow,
    Narrative,
    Project,
    Record,
    RunInfo,
    Section,
    Source,
)
from jixiao.run.verify_stored import verify_stored
from jixiao.store import Store
from jixiao.store import tables as store_tables
from jixiao.store.migrations import head
from jixiao.verify.reverify import reverify

TEXT = "本年收入合计523.10万元，其中：财政拨款收入500.00万元，其他收入23.10万元。"
QUOTE2 = "财政拨款收入500.00万元"


def make_record(sha: str = "a" * 64, *, backend: str = "rules", revenue: float = 523.1) -> Record:
    """A small record of an invented county bureau (not one of the seeds)."""
    quote = "本年收入合计523.10万元"
    return Record(
        source=Source(path=f"in/{sha[:6]}.txt", sha256=sha, format="txt", pages=3),
        department=Department(
            name="某县农业农村局", province="甘肃省", county="某县", level="county"
        ),
        fiscal_year=2024,
        sections=[Section(id="s1", kind="final_accounts", title="决算情况说明", start=0, end=44)],
        facts=[
            Fact(
                id="f1",
                concept="fa.revenue_total",
                year=2024,
                value=revenue,
                unit="万元",
                text="523.10万元",
                evidence=Evidence(quote=quote, start=0, end=len(quote), page=1),
                section="s1",
                decimals=2,
            ),
            Fact(
                id="f2",
                concept="fa.revenue.general_budget",
                scope="高标准农田建设",
                year=2024,
                value=500.0,
                unit="万元",
                text="500.00万元",
                evidence=Evidence(
                    quote=QUOTE2, start=TEXT.index(QUOTE2), end=TEXT.index(QUOTE2) + 14
                ),
                origin="llm",
                confidence=0.8,
            ),
        ],
        projects=[Project(name="高标准农田建设", code="62000024T000001")],
        indicators=[
            IndicatorRow(
                id="i1",
                scope="高标准农田建设",
                table="self_eval",
                level1="产出指标",
                level2="数量指标",
                level3="建设面积（亩）",
                operator="≥",
                target_text="1000",
                target_value=1000,
                actual_text="1200",
                actual_value=1200,
                weight=10,
                score=10,
                achieved=True,
                evidence=Evidence(
                    quote="1200", start=40, end=44, cell=CellRef(table=0, row=3, col=4)
                ),
            )
        ],
        narrative=Narrative(conclusion="总体良好", problems=["绩效目标不够细化"]),
        flags=[
            Flag(id="g1", check="completeness", message="自评表少读一行", indicators=["i1"]),
            Flag(id="g2", check="sum", facts=["f1", "f2"], message="收入不等于各项之和"),
        ],
        run=RunInfo(backend=backend),
    )


@pytest.fixture
def store(db_url: str) -> Store:
    """An empty store on SQLite and on PostgreSQL."""
    s = Store(db_url)
    yield s
    s.close()


def rows(store: Store, sql: str) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def test_record_round_trips_through_the_store_unchanged(store: Store) -> None:
    record = make_record()
    doc_id = store.save_record(record, TEXT)
    stored = store.get_document(doc_id)
    assert stored.record == record
    assert stored.status == "ok" and stored.version == 1
    assert store.document_text(doc_id) == TEXT


def test_record_is_also_written_as_queryable_rows(store: Store) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    facts = rows(store, "SELECT fact_id, concept, scope, value, quote_start, quote_end FROM facts")
    assert facts == [
        ("f1", "fa.revenue_total", "department", 523.1, 0, 14),
        ("f2", "fa.revenue.general_budget", "高标准农田建设", 500.0, 18, 32),
    ]
    assert rows(store, "SELECT indicator_id, table_kind, cell_row, achieved FROM indicators") == [
        ("i1", "self_eval", 3, 1)
    ]
    assert rows(store, "SELECT check_name FROM flags ORDER BY flag_id") == [
        ("completeness",),
        ("sum",),
    ]
    assert rows(store, "SELECT document_id, code FROM projects") == [(doc_id, "62000024T000001")]


def test_find_done_returns_the_ok_record_for_the_same_content_and_backend(store: Store) -> None:
    record = make_record()
    store.save_record(record, TEXT)
    assert store.find_done("a" * 64, "rules") == record
    assert store.find_done("a" * 64, "llm") is None
    assert store.find_done("b" * 64, "rules") is None


def test_failure_is_stored_with_its_reason_and_is_not_done(store: Store) -> None:
    doc_id = store.save_failure(
        path="scan.pdf", sha256="c" * 64, backend="rules", reason="no_text_layer: 扫描件，需要 OCR"
    )
    failed = list(store.iter_documents(status="failed"))
    assert [(d.id, d.path, d.error, d.record) for d in failed] == [
        (doc_id, "scan.pdf", "no_text_layer: 扫描件，需要 OCR", None)
    ]
    assert list(store.iter_documents()) == []
    assert store.find_done("c" * 64, "rules") is None


def test_failures_without_hash_are_kept_once_per_path(store: Store) -> None:
    first = store.save_failure(path="x.bin", sha256=None, backend="rules", reason="unreadable")
    again = store.save_failure(path="x.bin", sha256=None, backend="rules", reason="still bad")
    other = store.save_failure(path="y.bin", sha256=None, backend="rules", reason="unreadable")
    assert first == again != other
    assert store.get_document(first).error == "still bad"


def test_a_successful_retry_replaces_the_failure(store: Store) -> None:
    failed = store.save_failure(path="in/aaaaaa.txt", sha256="a" * 64, backend="rules", reason="x")
    doc_id = store.save_record(make_record(), TEXT)
    assert doc_id == failed
    assert store.get_document(doc_id).status == "ok"
    assert store.get_document(doc_id).error is None


def test_saving_the_same_document_again_replaces_its_rows(store: Store) -> None:
    first = store.save_record(make_record(), TEXT)
    smaller = make_record(revenue=600.0)
    smaller.facts = smaller.facts[:1]
    second = store.save_record(smaller, TEXT)
    assert first == second
    assert rows(store, "SELECT count(*) FROM documents") == [(1,)]
    assert rows(store, "SELECT fact_id, value FROM facts") == [("f1", 600.0)]
    assert store.get_document(first).version == 2


def test_same_content_from_another_backend_is_another_document(store: Store) -> None:
    a = store.save_record(make_record(backend="rules"), TEXT)
    b = store.save_record(make_record(backend="llm"), TEXT)
    assert a != b


def test_record_with_error_is_stored_as_a_failure(store: Store) -> None:
    record = make_record()
    record.error = "empty: 文件没有文字"
    doc_id = store.save_record(record, "")
    assert store.get_document(doc_id).status == "failed"
    assert store.find_done("a" * 64, "rules") is None


def test_update_record_bumps_the_version_and_rewrites_rows(store: Store) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    corrected = make_record()
    corrected.facts[0].value = 523.2
    corrected.facts[0].origin = "review"
    assert store.update_record(doc_id, corrected, expected_version=1) == 2
    assert store.get_document(doc_id).record.facts[0].value == 523.2
    assert rows(store, "SELECT value, origin FROM facts WHERE fact_id = 'f1'") == [
        (523.2, "review")
    ]


def test_update_with_a_stale_version_raises_review_conflict(store: Store) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    store.update_record(doc_id, make_record(revenue=1.0), expected_version=1)
    with pytest.raises(ReviewConflict, match="version 2"):
        store.update_record(doc_id, make_record(revenue=2.0), expected_version=1)
    assert store.get_document(doc_id).record.facts[0].value == 1.0


def test_update_of_a_missing_document_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no document 99"):
        store.update_record(99, make_record())


def test_a_failed_write_leaves_no_partial_document(store: Store, monkeypatch) -> None:
    import jixiao.store.writing as store_module

    def broken(record: Record) -> dict:
        rows = store_module_child_rows(record)
        rows["flags"][0]["check_name"] = None  # violates NOT NULL after facts were inserted
        return rows

    store_module_child_rows = store_module.child_rows
    monkeypatch.setattr(store_module, "child_rows", broken)
    with pytest.raises(sa.exc.IntegrityError):
        store.save_record(make_record(), TEXT)
    assert rows(store, "SELECT count(*) FROM documents") == [(0,)]
    assert rows(store, "SELECT count(*) FROM facts") == [(0,)]


def test_runs_record_their_arguments_and_counts(store: Store) -> None:
    run_id = store.start_run("rules", args={"paths": [Path("in")], "force": False})
    store.finish_run(run_id, {"ok": 3, "failed": 1, "skipped": 2, "tokens_in": 0})
    (run,) = store.runs()
    assert run["args"] == {"paths": ["in"], "force": False}
    assert (run["documents_ok"], run["documents_failed"], run["documents_skipped"]) == (3, 1, 2)
    assert run["finished_at"] is not None


def test_run_counts_ok_documents_from_processed_minus_failed(store: Store) -> None:
    run_id = store.start_run("rules")
    store.finish_run(run_id, {"processed": 5, "failed": 2, "skipped": 0})
    assert store.runs()[0]["documents_ok"] == 3


def test_llm_calls_are_logged_without_secrets(store: Store) -> None:
    run_id = store.start_run("llm", model="qwen-plus")
    store.log_call(
        run_id=run_id,
        sha256="a" * 64,
        section_id="s3",
        model="qwen-plus",
        mode="json",
        tokens_in=1200,
        tokens_out=300,
        attempts=2,
        seconds=3.5,
        cached=False,
        error="401 Unauthorized: Bearer sk-abcdef123456 rejected",
    )
    (call,) = store.calls(run_id)
    assert call["tokens_in"] == 1200 and call["cached"] is False
    assert "sk-abcdef" not in call["error"]


def test_log_call_drops_fields_it_has_no_column_for(store: Store) -> None:
    with pytest.warns(UserWarning, match="api_key"):
        store.log_call(model="m", section="s2", chunk=1, api_key="sk-secret")
    (call,) = store.calls()
    assert (call["section_id"], call["chunk"]) == ("s2", 1)
    assert "sk-secret" not in str(call)


def test_decisions_are_appended_in_order(store: Store) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    first = store.add_decision(
        doc_id,
        target_kind="fact",
        target_id="f1",
        action="correct",
        old_value=523.1,
        new_value=532.1,
        reviewer="王审核",
        comment="表内数字为532.10",
    )
    second = store.add_decision(
        doc_id,
        target_kind="flag",
        target_id="g2",
        action="accept",
        old_value=None,
        new_value=None,
        reviewer="李",
        comment=None,
    )
    decisions = store.decisions(doc_id)
    assert [d["id"] for d in decisions] == [first, second]
    assert decisions[0]["new_value"] == 532.1 and decisions[0]["reviewer"] == "王审核"
    assert store.decisions(doc_id + 1) == []


@pytest.mark.parametrize(
    ("kind", "action"), [("section", "accept"), ("fact", "delete")], ids=["kind", "action"]
)
def test_decision_with_unknown_kind_or_action_is_refused(
    store: Store, kind: str, action: str
) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    with pytest.raises(StoreError, match="unknown"):
        store.add_decision(
            doc_id,
            target_kind=kind,
            target_id="f1",
            action=action,
            old_value=None,
            new_value=None,
            reviewer="r",
            comment=None,
        )


def test_iter_documents_pages_through_many_documents(store: Store, monkeypatch) -> None:
    import jixiao.store.store as store_module

    monkeypatch.setattr(store_module, "_PAGE", 3)
    for n in range(10):
        store.save_record(make_record(f"{n:064x}"), TEXT)
    store.save_failure(path="bad.pdf", sha256=None, backend="rules", reason="encrypted_pdf")
    assert [d.id for d in store.iter_documents()] == list(range(1, 11))
    assert len(list(store.iter_documents(status=None))) == 11


def test_sqlite_is_opened_for_concurrent_use(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "jixiao.db"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_reopening_applies_no_migration_twice(db_url: str) -> None:
    first = Store(db_url)
    first.save_record(make_record(), TEXT)
    first.close()
    again = Store(db_url)
    assert first.migrations_run == [
        "0001_initial",
        "0002_review_summary_v2",
        "0003_documents_listing_index",
        "0004_flags_confidence_index",
    ]
    assert first.migrations_run[-1] == head()
    assert again.migrations_run == [] and again.rows_rebuilt == 0
    assert rows(again, "SELECT version_num FROM alembic_version") == [(head(),)]
    assert len(list(again.iter_documents())) == 1


def _open_and_save(path: str, n: int) -> None:
    store = Store(path)
    store.save_record(make_record(f"{n:064x}"), TEXT)
    store.close()


def test_several_processes_can_open_and_write_one_new_database(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    procs = [ctx.Process(target=_open_and_save, args=(path, n)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert len(list(Store(path).iter_documents())) == 4


def test_bare_path_in_a_new_folder_creates_a_sqlite_file(tmp_path: Path) -> None:
    Store(str(tmp_path / "sub" / "dir" / "j.db")).close()
    assert sqlite3.connect(tmp_path / "sub" / "dir" / "j.db").execute(
        "SELECT version_num FROM alembic_version"
    ).fetchone() == (head(),)


def test_unusable_database_gives_an_actionable_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable jixiao database"):
        Store(str(junk))
    with pytest.raises(StoreError, match="is a folder"):
        Store(str(tmp_path))


def test_missing_driver_names_the_package_to_install() -> None:
    with pytest.raises(StoreError, match="install"):
        Store("postgresql+nosuchdriver://u:secret@localhost/jixiao")


def test_ddl_compiles_for_postgresql() -> None:
    dialect = postgresql.dialect()
    for table in store_tables.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert f"CREATE TABLE {table.name}" in ddl
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))
    documents = str(CreateTable(store_tables.documents).compile(dialect=dialect))
    assert "record JSON" in documents and "UNIQUE (sha256, backend)" in documents


def _verifier_says(monkeypatch, verifier) -> None:
    """Run the real `reverify` with a stand-in for the verifier's checks."""
    monkeypatch.setattr(
        "jixiao.verify.verify_record", lambda record, text, **_: verifier(record, text)
    )


def test_verify_stored_keeps_extraction_flags_and_replaces_the_rest(
    store: Store, monkeypatch
) -> None:
    doc_id = store.save_record(make_record(), TEXT)

    def verifier(record: Record, text: str) -> list[Flag]:
        assert text == TEXT
        return [Flag(id="x", check="grounding", facts=["f2"], message="引文未在原文中找到")]

    _verifier_says(monkeypatch, verifier)
    counts = verify_stored(store, reverify)
    assert counts == {"completeness": 1, "grounding": 1}
    stored = store.get_document(doc_id)
    assert [(f.id, f.check) for f in stored.record.flags] == [
        ("g1", "completeness"),
        ("g2", "grounding"),
    ]
    assert rows(store, "SELECT check_name FROM flags ORDER BY flag_id") == [
        ("completeness",),
        ("grounding",),
    ]


def test_verify_stored_does_not_bump_versions_when_nothing_changed(
    store: Store, monkeypatch
) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    same = [Flag(id="g2", check="sum", facts=["f1", "f2"], message="收入不等于各项之和")]
    _verifier_says(monkeypatch, lambda r, t: [f.model_copy() for f in same])
    assert verify_stored(store, reverify) == {"completeness": 1, "sum": 1}
    assert store.get_document(doc_id).version == 1


def _batch_forever(path: str) -> None:
    store = Store(path)
    for n in range(100_000):
        store.save_record(make_record(f"{n:064x}"), TEXT)


def _rerun(store: Store, total: int) -> int:
    """A resumed batch: skip what is done, store the rest; returns how many it stored."""
    stored = 0
    for n in range(total):
        if store.find_done(f"{n:064x}", "rules") is None:
            store.save_record(make_record(f"{n:064x}"), TEXT)
            stored += 1
    return stored


def test_batch_killed_mid_write_stores_every_document_exactly_once_on_rerun(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "killed.db")
    Store(path).close()
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    child = ctx.Process(target=_batch_forever, args=(path,))
    child.start()
    store = Store(path)
    deadline = time.monotonic() + 30
    while rows(store, "SELECT count(*) FROM documents")[0][0] < 20:
        assert time.monotonic() < deadline and child.is_alive()
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    (done,) = rows(store, "SELECT count(*) FROM documents")[0]
    # every stored document is complete: its two facts, one indicator, two flags, one project
    assert rows(store, "SELECT count(*) FROM facts") == [(2 * done,)]
    assert rows(store, "SELECT count(*) FROM flags") == [(2 * done,)]
    assert rows(store, "SELECT count(*) FROM projects") == [(done,)]
    total = done + 15
    assert _rerun(store, total) == 15
    assert rows(store, "SELECT count(*), count(DISTINCT sha256) FROM documents") == [(total, total)]
    assert rows(store, "SELECT count(*) FROM facts") == [(2 * total,)]


def test_verify_stored_retries_when_a_reviewer_saves_meanwhile(store: Store, monkeypatch) -> None:
    doc_id = store.save_record(make_record(), TEXT)
    calls: list[float] = []

    def verifier(record: Record, text: str) -> list[Flag]:
        calls.append(record.facts[0].value)
        if len(calls) == 1:  # a reviewer corrects the document while we verify it
            store.update_record(doc_id, make_record(revenue=530.0), expected_version=1)
        return [Flag(id="x", check="range", facts=["f1"], message="金额为负")]

    _verifier_says(monkeypatch, verifier)
    assert verify_stored(store, reverify) == {"completeness": 1, "range": 1}
    assert calls == [523.1, 530.0]
    stored = store.get_document(doc_id)
    assert stored.version == 3 and stored.record.facts[0].value == 530.0
