"""繁體 pages read as simplified, one character for one, offsets back to the source kept."""

from __future__ import annotations

from types import SimpleNamespace

from document_builder import CellSpec, doc_from_blocks
from jixiao.extract.rules.tables import extract_tables
from jixiao.ingest import load_bytes
from jixiao.ingest.normalize import normalize_piece
from jixiao.ingest.traditional import has_traditional, to_simplified
from jixiao.models import Department
from jixiao.taxonomy import load_taxonomy

SIMPLIFIED = (
    "2025年部门收支总预算712.10万元，其中：财政拨款收入712.10万元，占100.00%。\n"
    "\n"
    "财政拨款收支总表\n"
    "单位：万元\n"
    "项目\t预算数\t项目\t预算数\n"
    "一、一般公共预算财政拨款\t712.10\t一、一般公共服务支出\t712.10\n"
    "收入总计\t712.10\t支出总计\t712.10\n"
)
TRADITIONAL = (
    "2025年部門收支總預算712.10萬元，其中：財政撥款收入712.10萬元，佔100.00%。\n"
    "\n"
    "財政撥款收支總表\n"
    "單位：萬元\n"
    "項目\t預算數\t項目\t預算數\n"
    "一、一般公共預算財政撥款\t712.10\t一、一般公共服務支出\t712.10\n"
    "收入總計\t712.10\t支出總計\t712.10\n"
)


SUMMARY = [
    [("本年收入", 2), ("本年支出", 2)],
    ["项目", "预算数", "项目", "预算数"],
    ["一、财政拨款收入", "52,460,300", "一、一般公共服务支出", "31,200,000"],
    ["1.一般公共预算资金", "52,460,300", "二、教育支出", "21,260,300"],
    ["收入总计", "52,460,300", "支出总计", "52,460,300"],
]
SUMMARY_TRADITIONAL = [
    [("本年收入", 2), ("本年支出", 2)],
    ["項目", "預算數", "項目", "預算數"],
    ["一、財政撥款收入", "52,460,300", "一、一般公共服務支出", "31,200,000"],
    ["1.一般公共預算資金", "52,460,300", "二、教育支出", "21,260,300"],
    ["收入總計", "52,460,300", "支出總計", "52,460,300"],
]


def _facts(*blocks: str | list[list[CellSpec]]) -> set[tuple[str, str, float]]:
    doc = doc_from_blocks(*blocks)
    ctx = SimpleNamespace(fiscal_year=2025, department=Department(), taxonomy=load_taxonomy())
    return {(f.concept, f.scope, f.value) for f in extract_tables(doc, [], ctx).facts}


def test_a_traditional_page_reads_as_its_simplified_twin() -> None:
    traditional = load_bytes(TRADITIONAL.encode("utf-8"), name="t.txt")
    simplified = load_bytes(SIMPLIFIED.encode("utf-8"), name="s.txt")
    assert traditional.text == simplified.text
    facts = _facts(
        "2025年部門財務收支預算總表", "編制部門：某區示例局單位：元", SUMMARY_TRADITIONAL
    )
    assert ("fa.total", "department", 5246.03) in facts
    assert facts == _facts("2025年部门财务收支预算总表", "编制部门：某区示例局单位：元", SUMMARY)


def test_offsets_still_point_at_the_printed_traditional_characters() -> None:
    doc = load_bytes(TRADITIONAL.encode("utf-8"), name="t.txt")
    at = doc.text.index("财政拨款收支总表")
    source = doc.source_offset(at)
    assert source is not None
    assert TRADITIONAL[source : source + 8] == "財政撥款收支總表"
    text, index = normalize_piece("單位： 萬元")
    assert text == "单位：万元" and index == [0, 1, 2, 4, 5]


def test_simplified_text_is_left_as_printed() -> None:
    # characters both scripts write (乾, 覆, 著, 徵 …) never make a piece traditional
    for text in ("乾隆年间覆盖显著", "财政拨款收入支出决算总表", "著作权登记费"):
        assert not has_traditional(text)
        assert to_simplified(text) == text
        assert normalize_piece(text)[0] == text


def test_conversion_is_by_phrase_and_keeps_the_length() -> None:
    assert to_simplified("乾燥的環境") == "干燥的环境"
    assert to_simplified("乾隆年間") == "乾隆年间"
    assert to_simplified("顯著提高") == "显著提高"
    for text in ("一般公共預算財政撥款「三公」經費支出決算表", "發佈機構：審計局"):
        assert len(to_simplified(text)) == len(text)
