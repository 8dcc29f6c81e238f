"""Streaming exports: bounded pages and row groups, split sheets, v2 columns, progress.

Memory is checked structurally (what the readers and writers hold at once), never by
timing or by measuring the process: the scale benchmark measures that.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

import jixiao.export as export_module
from jixiao.export import export_store
from jixiao.export.columns import TABLES
from jixiao.export.writers import ParquetWriter, StreamingXlsxWriter, XlsxWriter
from jixiao.ingest.office import soffice_path
from jixiao.models import CellRef, Location, Record, UnitDecision
from jixiao.store import Store
from jixiao.store import stream as store_stream
from test_store import TEXT, make_record


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    yield s
    s.close()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def v2_record(sha: str = "c" * 64) -> Record:
    """A record using the schema v2 fields an export must carry."""
    record = make_record(sha)
    record.document_kind = "final_accounts"
    record.source.ocr_pages = [2, 3]
    fact = record.facts[0]
    fact.stage = "final"
    fact.scope = "item:2010301"
    fact.scope_label = "行政运行"
    fact.unit_decision = UnitDecision(basis="table_header", unit="元", factor=0.0001)
    fact.evidence.bbox = (72.0, 100.5, 180.25, 112.0)
    fact.evidence.ocr_confidence = 0.93
    record.flags[1].location = [
        Location(fact="f1", page=1, quote="本年收入合计523.10万元"),
        Location(cell=CellRef(table=0, row=2, col=3), quote="500.00"),
    ]
    return record


def fill(store: Store, n: int) -> None:
    for i in range(n):
        store.save_record(make_record(f"{i:064x}"), TEXT)


def test_the_v2_fields_are_export_columns(store: Store, tmp_path: Path) -> None:
    store.save_record(v2_record(), TEXT)
    export_store(store, "jsonl", tmp_path)
    (document,) = read_jsonl(tmp_path / "documents.jsonl")
    assert (document["document_kind"], document["ocr_pages"]) == ("final_accounts", ["2", "3"])
    fact = next(f for f in read_jsonl(tmp_path / "facts.jsonl") if f["fact_id"] == "f1")
    assert (fact["stage"], fact["scope"], fact["scope_label"]) == (
        "final",
        "item:2010301",
        "行政运行",
    )
    assert (fact["unit_basis"], fact["unit_printed"], fact["unit_factor"]) == (
        "table_header",
        "元",
        0.0001,
    )
    assert [fact[c] for c in ("bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom")] == [
        72.0,
        100.5,
        180.25,
        112.0,
    ]
    assert fact["ocr_confidence"] == 0.93
    completeness, total = read_jsonl(tmp_path / "flags.jsonl")
    assert (completeness["family"], total["family"]) == ("extraction", "arithmetic")
    assert total["location"][0]["quote"] == "本年收入合计523.10万元"
    assert total["location"][1]["cell"] == {"table": 0, "row": 2, "col": 3}


def test_a_location_is_json_text_in_csv_and_parquet(store: Store, tmp_path: Path) -> None:
    store.save_record(v2_record(), TEXT)
    export_store(store, "parquet", tmp_path)
    flags = pq.read_table(tmp_path / "flags.parquet").to_pylist()
    assert json.loads(flags[1]["location"])[0]["page"] == 1
    assert flags[0]["location"] is None


def test_the_export_never_parses_whole_records(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows come from the store's tables and the record's small parts: a batch of
    records is never held (or even built) in Python."""
    fill(store, 3)

    def refuse(*args, **kwargs):
        raise AssertionError("the export parsed a whole record")

    monkeypatch.setattr(Record, "model_validate", refuse)
    monkeypatch.setattr(Record, "model_validate_json", refuse)
    export_store(store, "csv", tmp_path)
    assert (tmp_path / "facts.csv").read_text(encoding="utf-8-sig").count("\n") == 1 + 3 * 2


def test_the_store_is_read_a_bounded_page_at_a_time(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 7)
    store.save_failure(path="x.pdf", sha256="f" * 64, backend="rules", reason="encrypted_pdf")
    sizes = []
    real = store_stream.iter_pages

    def recording(*args, **kwargs):
        for page in real(*args, **kwargs):
            sizes.append(len(page.documents))
            assert {f["document_id"] for f in page.facts} <= {d["id"] for d in page.documents}
            yield page

    monkeypatch.setattr(store_stream, "PAGE_DOCUMENTS", 3)
    monkeypatch.setattr(export_module, "iter_pages", recording)
    export_store(store, "jsonl", tmp_path / "paged")
    assert sizes == [3, 3, 2]
    monkeypatch.setattr(store_stream, "PAGE_DOCUMENTS", 100)
    export_store(store, "jsonl", tmp_path / "whole")
    for name in TABLES:
        paged = (tmp_path / "paged" / f"{name}.jsonl").read_text(encoding="utf-8")
        assert paged == (tmp_path / "whole" / f"{name}.jsonl").read_text(encoding="utf-8")


def test_a_page_ends_before_the_rows_it_holds_pass_the_budget(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents with big tables make short pages: memory follows rows, not documents."""
    fill(store, 5)  # 2 facts and 1 indicator row each
    monkeypatch.setattr(store_stream, "PAGE_ROWS", 7)
    pages = list(store_stream.iter_pages(store))
    assert [len(p.documents) for p in pages] == [2, 2, 1]
    assert [len(p.facts) + len(p.indicators) for p in pages] == [6, 6, 3]
    monkeypatch.setattr(store_stream, "PAGE_ROWS", 2)  # one document is over it alone
    assert [len(p.documents) for p in store_stream.iter_pages(store)] == [1, 1, 1, 1, 1]


def test_parquet_never_holds_more_than_one_row_group_per_table(tmp_path: Path) -> None:
    writer = ParquetWriter(tmp_path, row_group_rows=4)
    writer.open_table("facts", TABLES["facts"])
    rows = [{"document_id": 1, "fact_id": f"f{i}", "value": float(i)} for i in range(11)]
    for start in (0, 3, 9):  # calls of 3, 6 and 2 rows
        writer.write("facts", rows[start : start + {0: 3, 3: 6, 9: 2}[start]])
        assert writer.buffered["facts"] < 4
    writer.close()
    assert writer.peak_buffered == 4
    parquet = pq.ParquetFile(tmp_path / "facts.parquet")
    assert [parquet.metadata.row_group(i).num_rows for i in range(3)] == [4, 4, 3]
    values = parquet.read().column("value").to_pylist()
    assert values == [float(i) for i in range(11)]


def test_a_parquet_table_of_few_rows_is_written_out_by_the_volume_of_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table that gains a row per document (documents) does not wait for a full row
    group while the export goes on: once the writer has taken `stale_rows` rows since
    its last row group, its buffer is written out, so no buffer grows with the batch."""
    monkeypatch.setattr(ParquetWriter, "stale_rows", 10)
    writer = ParquetWriter(tmp_path, row_group_rows=100)
    writer.open_table("documents", TABLES["documents"])
    writer.open_table("facts", TABLES["facts"])
    held = []
    for doc in range(1, 8):  # a document row and 3 fact rows per document
        writer.write("documents", [{"document_id": doc}])
        writer.write("facts", [{"document_id": doc, "fact_id": f"f{i}"} for i in range(3)])
        held.append(writer.buffered["documents"])
    writer.close()
    assert max(held) <= 3 and writer.peak_buffered < 12
    documents = pq.ParquetFile(tmp_path / "documents.parquet")
    groups = [documents.metadata.row_group(i).num_rows for i in range(documents.num_row_groups)]
    assert sum(groups) == 7 and len(groups) >= 3
    assert documents.read().column("document_id").to_pylist() == list(range(1, 8))


def test_an_xlsx_table_longer_than_a_sheet_goes_on_in_another_sheet(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 3)  # 6 facts
    monkeypatch.setattr(XlsxWriter, "row_limit", 4)  # a header and 3 rows per sheet
    (path,) = export_store(store, "xlsx", tmp_path)
    book = load_workbook(path)
    assert [n for n in book.sheetnames if n.startswith("facts")] == ["facts", "facts_2"]
    header = [c for c, _ in TABLES["facts"]]
    rows = []
    for name in ("facts", "facts_2"):
        first, *body = list(book[name].values)
        assert list(first) == header and len(body) == 3
        assert book[name].freeze_panes == "A2"
        rows += body
    assert [r[header.index("document_id")] for r in rows] == [1, 1, 2, 2, 3, 3]
    from python_calamine import CalamineWorkbook

    calamine = CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == book.sheetnames
    ids = [r[header.index("document_id")] for n in ("facts", "facts_2")
           for r in calamine.get_sheet_by_name(n).to_python()[1:]]  # fmt: skip
    assert ids == [1, 1, 2, 2, 3, 3]


def test_progress_is_reported_per_page_up_to_the_whole_store(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 5)
    monkeypatch.setattr(store_stream, "PAGE_DOCUMENTS", 2)
    seen: list[tuple[int, int]] = []
    export_store(store, "csv", tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_an_undo_takes_back_the_decision_before_it_and_a_skip_changes_nothing() -> None:
    from jixiao.export.tables import effective_decisions

    def decision(n: int, action: str) -> dict:
        return {"id": n, "document_id": 1, "target_kind": "fact", "target_id": "f1",
                "action": action}  # fmt: skip

    steps = ["source_wrong", "correct", "skip", "undo"]
    effective = effective_decisions([decision(n, a) for n, a in enumerate(steps)])
    assert effective[1][("fact", "f1")]["action"] == "source_wrong"
    assert effective_decisions([decision(0, "correct"), decision(1, "undo")]) == {1: {}}


# -- many documents: a paged export is the whole export, in every format --------------


def _read_tables(fmt: str, out: Path, names: list[str]) -> dict[str, list[dict]]:
    """Every table's rows as the format gives them back (continued XLSX sheets joined)."""
    if fmt == "jsonl":
        return {n: read_jsonl(out / f"{n}.jsonl") for n in names}
    if fmt == "csv":
        tables = {}
        for n in names:
            with (out / f"{n}.csv").open(encoding="utf-8-sig", newline="") as f:
                tables[n] = list(csv.DictReader(f))
        return tables
    if fmt == "parquet":
        return {n: pq.read_table(out / f"{n}.parquet").to_pylist() for n in names}
    book = load_workbook(out / "jixiao.xlsx")
    tables = {}
    for n in names:
        sheets = [s for s in book.sheetnames if re.fullmatch(rf"{n}(_\d+)?", s)]
        rows: list[dict] = []
        for sheet in sheets:
            header, *body = book[sheet].values
            rows += [dict(zip(header, values, strict=True)) for values in body]
        tables[n] = rows
    return tables


def many_documents(store: Store, n: int) -> dict[str, int]:
    """`n` documents, every seventh a failure, with review decisions spread over them
    (a correction, one undone, a field of an indicator row, a source-wrong); returns
    the ids of the documents the decisions are on."""
    ids = {}
    for i in range(n):
        sha = f"{i:064x}"
        if i % 7 == 3:
            store.save_failure(path=f"in/{i}.pdf", sha256=sha, backend="rules",
                               reason="encrypted_pdf")  # fmt: skip
        else:
            ids[i] = store.save_record(make_record(sha, revenue=500.0 + i), TEXT)

    def decide(doc: int, kind: str, target: str, action: str, old=None, new=None) -> None:
        store.add_decision(ids[doc], target_kind=kind, target_id=target, action=action,
                           old_value=old, new_value=new, reviewer="张审核", comment=None)  # fmt: skip

    decide(1, "fact", "f1", "correct", 501.0, 510.0)
    decide(n - 3, "fact", "f1", "correct", 500.0 + n - 3, 1.5)
    decide(n - 3, "fact", "f1", "undo")
    decide(n - 3, "fact", "f2", "source_wrong", 500.0, 500.0)
    decide(n // 2, "indicator", "i1:actual_value", "correct", 1200, 1100)
    decide(n // 2 + 1, "fact", "f2", "accept", 500.0, 500.0)
    return ids


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "xlsx"])
def test_every_format_exported_in_small_pages_has_the_rows_of_a_whole_export(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Pages of a few documents and rows, small Parquet row groups, short XLSX sheets
    and a paged audit table give the rows of one export read in a single page."""
    n = 40
    ids = many_documents(store, n)
    names = [*TABLES, "decisions"]

    monkeypatch.setattr(store_stream, "PAGE_DOCUMENTS", 10_000)
    monkeypatch.setattr(store_stream, "PAGE_ROWS", 10_000_000)
    monkeypatch.setattr(store_stream, "PAGE_DECISIONS", 10_000)
    export_store(store, fmt, tmp_path / "whole", include_audit=True)
    whole = _read_tables(fmt, tmp_path / "whole", names)

    pages: list[int] = []
    real = store_stream.iter_pages

    def counting(*args, **kwargs):
        for page in real(*args, **kwargs):
            pages.append(len(page.documents))
            yield page

    monkeypatch.setattr(export_module, "iter_pages", counting)
    monkeypatch.setattr(store_stream, "PAGE_DOCUMENTS", 4)
    monkeypatch.setattr(store_stream, "PAGE_ROWS", 5)  # two documents of three rows
    monkeypatch.setattr(store_stream, "PAGE_DECISIONS", 2)
    monkeypatch.setattr(ParquetWriter, "row_group_rows", 3)
    monkeypatch.setattr(XlsxWriter, "row_limit", 9)
    export_store(store, fmt, tmp_path / "paged", include_audit=True)
    paged = _read_tables(fmt, tmp_path / "paged", names)

    assert len(pages) > n // 4 and max(pages) <= 4  # it really was read in pages
    assert paged == whole
    ok = len(ids)
    assert len(whole["documents"]) == n
    assert (len(whole["facts"]), len(whole["indicators"]), len(whole["flags"])) == (
        2 * ok,
        ok,
        2 * ok,
    )
    assert len(whole["decisions"]) == 6
    if fmt == "parquet":
        assert pq.ParquetFile(tmp_path / "paged" / "facts.parquet").num_row_groups > 1
    if fmt == "xlsx":
        sheets = load_workbook(tmp_path / "paged" / "jixiao.xlsx").sheetnames
        assert "facts_2" in sheets

    # the decisions are applied on whichever page their document falls
    def fact(doc: int, fact_id: str) -> dict:
        return next(
            r for r in paged["facts"]
            if int(r["document_id"]) == ids[doc] and r["fact_id"] == fact_id
        )  # fmt: skip

    assert float(fact(1, "f1")["value"]) == 510.0
    assert float(fact(1, "f1")["original_value"]) == 501.0
    assert float(fact(n - 3, "f1")["value"]) == 500.0 + n - 3  # the correction undone
    assert fact(n - 3, "f2")["source_wrong"] in (True, "true", "True", 1)
    (row,) = [r for r in paged["indicators"] if int(r["document_id"]) == ids[n // 2]]
    assert float(row["actual_value"]) == 1100.0


#: both XLSX writers: the export's streaming one and XlsxWriter's, the reference
XLSX_WRITERS = [
    pytest.param(StreamingXlsxWriter, id="streaming"),
    pytest.param(XlsxWriter, id="xlsxwriter"),
]

_CELL_COLUMNS = (
    ("n", "int"),
    ("x", "float"),
    ("s", "str"),
    ("b", "bool"),
    ("l", "list"),
    ("j", "json"),
    ("blank", "str"),
)
_CELL_ROWS = [
    {"n": 7, "x": 532.1, "s": "=SUM(A1:A9)", "b": True, "l": ["1", "2"], "j": {"页": 3}},
    {"n": 2**40, "x": 500.0, "s": "https://example.org 收入\x01", "b": False, "blank": ""},
    {"x": float("nan"), "s": "长" * 40_000},
    {"s": "<a> & \"b\"\x0b\x1f\t'c'\u3000", "l": ["甲"], "blank": "\x07"},
]


def _cells_workbook(writer_class: type[XlsxWriter], folder: Path) -> Path:
    writer = writer_class(folder)
    writer.open_table("t", _CELL_COLUMNS)
    writer.write("t", _CELL_ROWS)
    (path,) = writer.close()
    return path


@pytest.mark.parametrize("writer_class", XLSX_WRITERS)
def test_xlsx_cells_keep_their_types_and_text_stays_text(
    tmp_path: Path, writer_class: type[XlsxWriter]
) -> None:
    """Every column kind reads back from the workbook as the kind it was written with;
    text that looks like a formula or a link stays text, XML's special characters are
    escaped, control characters Excel rejects are dropped (tab kept), over-long text is
    cut to Excel's limit, and NaN or an empty string is an empty cell."""
    path = _cells_workbook(writer_class, tmp_path)
    sheet = load_workbook(path)["t"]
    header, *body = [list(r) for r in sheet.values]
    assert header == [c for c, _ in _CELL_COLUMNS]
    assert body[0][:6] == [7, 532.1, "=SUM(A1:A9)", True, '["1", "2"]', '{"页": 3}']
    assert [type(v) for v in body[0][2:4]] == [str, bool]
    assert [sheet.cell(row=2, column=i).data_type for i in range(1, 5)] == ["n", "n", "s", "b"]
    assert sheet.cell(row=3, column=3).hyperlink is None
    assert body[1][:4] == [2**40, 500, "https://example.org 收入", False]
    assert body[1][4:] == [None, None, None]
    assert body[2][:2] == [None, None] and body[2][2] == "长" * 32_767
    assert body[3] == [None, None, "<a> & \"b\"\t'c'\u3000", None, '["甲"]', None, None]
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("writer_class", XLSX_WRITERS)
def test_xlsx_reads_back_the_same_in_calamine(tmp_path: Path, writer_class: type) -> None:
    """python-calamine (the Rust reader the ingest uses) reads the same cells back."""
    from python_calamine import CalamineWorkbook

    path = _cells_workbook(writer_class, tmp_path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("t").to_python()
    assert rows[0] == [c for c, _ in _CELL_COLUMNS]
    assert rows[1][:6] == [7, 532.1, "=SUM(A1:A9)", True, '["1", "2"]', '{"页": 3}']
    assert rows[2][:4] == [2**40, 500, "https://example.org 收入", False]
    assert rows[3][2] == "长" * 32_767
    assert rows[4][2] == "<a> & \"b\"\t'c'\u3000"


@pytest.mark.slow
@pytest.mark.skipif(soffice_path() is None, reason="needs LibreOffice (installed by .ci/run)")
def test_libreoffice_opens_a_split_export_with_every_sheet_and_row(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice Calc opens the workbook the default writer makes (split sheets, text
    with XML's special characters): converted back to XLSX by it, every sheet, row and
    value is there."""
    import subprocess

    fill(store, 3)
    monkeypatch.setattr(XlsxWriter, "row_limit", 4)
    (path,) = export_store(store, "xlsx", tmp_path / "out")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice_path(), f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "xlsx", "--outdir", str(tmp_path / "lo"), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    ours = load_workbook(path)
    theirs = load_workbook(tmp_path / "lo" / "jixiao.xlsx", data_only=True)  # its =FALSE()
    assert theirs.sheetnames == ours.sheetnames
    assert "facts_2" in theirs.sheetnames
    for name in ours.sheetnames:
        assert list(theirs[name].values) == list(ours[name].values)


def test_the_streaming_sheet_names_columns_and_escapes_text_as_excel_reads_it(
    tmp_path: Path,
) -> None:
    """Column names past Z, text that looks like Excel's own escapes (`_x0041_`), a CR,
    leading and trailing spaces: read back by openpyxl and python-calamine as written."""
    from python_calamine import CalamineWorkbook

    from jixiao.export.sheetxml import column_letters

    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    columns = tuple((f"c{i}", "str") for i in range(30))
    writer = StreamingXlsxWriter(tmp_path)
    writer.open_table("t", columns)
    texts = ["_x0041_ 甲", "a\r\nb", "  两端空格 ", "x&y<z>"]
    writer.write("t", [{"c0": texts[0], "c1": texts[1], "c2": texts[2], "c29": texts[3]}])
    (path,) = writer.close()
    row = list(load_workbook(path)["t"].values)[1]
    assert [row[2], row[29]] == [texts[2], texts[3]]
    assert row[0] in (texts[0], "_x005F_x0041_ 甲")  # openpyxl does not undo Excel's escape
    assert row[1] in ("a\r\nb", "a\nb")
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("t").to_python()[1]
    assert [calamine[0], calamine[2], calamine[29]] == [texts[0], texts[2], texts[3]]
