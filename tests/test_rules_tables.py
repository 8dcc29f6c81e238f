"""The rules backend's table reader: projects, budget facts, indicator rows and flags."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from document_builder import doc_from_blocks
from jixiao.document import Document
from jixiao.extract.rules.tables import TableExtraction, extract_tables
from jixiao.ingest import load
from jixiao.models import Department, Fact, IndicatorRow
from jixiao.taxonomy import load_taxonomy

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


def _ctx(year: int | None = 2022) -> SimpleNamespace:
    return SimpleNamespace(fiscal_year=year, department=Department(), taxonomy=load_taxonomy())


_doc = doc_from_blocks


def _seed(seed: str) -> tuple[Document, TableExtraction]:
    doc = load(FIXTURES / seed / "source.txt")
    return doc, extract_tables(doc, [], _ctx())


def _fact(out: TableExtraction, concept: str, scope: str) -> Fact:
    found = [f for f in out.facts if f.concept == concept and f.scope == scope]
    assert found, f"no {concept} for {scope}"
    return found[0]


def _row(out: TableExtraction, level3: str, table: str | None = None) -> IndicatorRow:
    found = [
        r for r in out.indicators if r.level3 == level3 and (table is None or r.table == table)
    ]
    assert found, f"no indicator row {level3}"
    return found[0]


def _assert_grounded(doc: Document, out: TableExtraction) -> None:
    for fact in out.facts:
        ev = fact.evidence
        assert doc.text[ev.start : ev.end] == ev.quote
        assert ev.cell is not None
        cell = doc.tables[ev.cell.table].rows[ev.cell.row]
        assert any(c.col == ev.cell.col and c.start <= ev.start for c in cell)
    for row in out.indicators:
        for ev in row.cells.values():
            assert doc.text[ev.start : ev.end] == ev.quote


# ---------------------------------------------------------------------------- seeds
@pytest.fixture(scope="module")
def seed000() -> tuple[Document, TableExtraction]:
    return _seed("000")


@pytest.fixture(scope="module")
def seed001() -> tuple[Document, TableExtraction]:
    return _seed("001")


@pytest.fixture(scope="module")
def seed002() -> tuple[Document, TableExtraction]:
    return _seed("002")


def test_project_named_by_title_line_gets_its_budget_block(seed000) -> None:
    doc, out = seed000
    assert [p.name for p in out.projects][:2] == ["保安费用", "接访费用"]
    assert out.projects[0].managing_department == "攀枝花市西区信访局"
    assert _fact(out, "budget.initial", "接访费用").value == 2
    assert _fact(out, "budget.executed", "接访费用").value == 2
    _assert_grounded(doc, out)


def test_executed_fund_sources_get_their_own_concepts(seed000) -> None:
    _, out = seed000
    scope = "解决特殊疑难信访问题中央补助资金"
    assert _fact(out, "budget.fiscal_funds", scope).value == 0
    assert _fact(out, "budget.other_funds", scope).value == 15
    assert _fact(out, "budget.other_funds.executed", scope).value == 15
    assert load_taxonomy().is_known("budget.other_funds.executed")


def test_merged_level_cells_are_filled_down(seed000) -> None:
    _, out = seed000
    row = _row(out, "确保信访安保工作质量")
    assert (row.level1, row.level2) == ("完成指标", "质量指标")
    assert row.actual_value == 55 and row.achieved is None  # text target, % actual


def test_cost_row_without_operator_is_met_by_staying_under(seed000) -> None:
    _, out = seed000
    row = next(r for r in out.indicators if r.level3 == "区级财政" and r.scope == "保安费用")
    assert (row.target_value, row.actual_value, row.achieved) == (8, 4.4, True)


def test_project_codes_and_column_budget_table(seed001) -> None:
    doc, out = seed001
    codes = {p.name: p.code for p in out.projects}
    assert codes["处非专项经费"] == "51090322T000000344324"
    assert _fact(out, "budget.adjusted", "处非专项经费").value == 131.65
    assert _fact(out, "budget.executed", "处非专项经费").value == 117.65
    rate = _fact(out, "budget.execution_rate", "处非专项经费")
    assert (rate.value, rate.unit, rate.decimals) == (89.37, "%", 2)
    assert _fact(out, "budget.fiscal_funds.executed", "维稳专项经费").value == 12.78
    _assert_grounded(doc, out)


def test_budget_printed_in_yuan_with_separators_becomes_wan(seed001) -> None:
    _, out = seed001
    fact = next(f for f in out.facts if f.text == "250,000.00")
    assert (fact.concept, fact.value, fact.unit) == ("budget.initial", 25.0, "万元")


def test_two_row_rubric_header_aligns_flattened_rows(seed001) -> None:
    _, out = seed001
    row = _row(out, "结果符合", "rubric")  # a 19-cell row under a 23-column header
    # level names are kept as printed, weight note included (eval/GUIDE.md: text as printed)
    assert (row.level1, row.level2, row.weight, row.score) == (
        "通用指标（20分）不能修改",
        "项目决策",
        2,
        2,
    )
    rate = _row(out, "预算执行率", "rubric")
    assert rate.score == 5.5 and rate.note and "98.05%" in rate.note


def test_headerless_department_rubric_and_its_total(seed001) -> None:
    _, out = seed001
    row = _row(out, "编制准确")
    assert (row.table, row.scope, row.weight, row.score) == ("rubric", "department", 10, 6)
    assert _fact(out, "eval.self_score", "department").value == 84.6


def test_target_table_rows_carry_operator_and_unit(seed001) -> None:
    _, out = seed001
    rows = [r for r in out.indicators if r.level3 == "接访工作差旅、办公等经费成本"]
    assert {r.table for r in rows} == {"target", "self_eval"}
    assert all((r.operator, r.target_value, r.unit) == ("≤", 50, "万元") for r in rows)


def test_department_budget_split_and_special_fund_summary(seed002) -> None:
    doc, out = seed002
    assert _fact(out, "budget.initial", "department").value == 173.4271
    assert _fact(out, "budget.basic", "department").decimals == 4
    assert _fact(out, "budget.project", "department").value == 38.598
    assert _fact(out, "budget.initial", "信访岗位津贴").value == 1.878
    row = _row(out, "不超过预算")
    assert (row.scope, row.operator, row.target_value, row.unit) == (
        "department",
        "≤",
        38.598,
        "万元",
    )
    _assert_grounded(doc, out)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_seeds_raise_no_completeness_flag(seed: str) -> None:
    _, out = _seed(seed)
    assert out.indicators
    assert not [f for f in out.flags if f.check == "completeness"]


# ---------------------------------------------------------------------------- variants
SELF_EVAL = [
    ["项目名称", "乡村道路养护补助"],
    ["主管部门", "某县交通运输局", "实施单位", "某县公路事务中心"],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["", "年度资金总额", "120.5", "130", "126.1", "10", "97.00%", "9.7"],
    ["", "其中：当年财政拨款", "100", "110", "108", "—", "", "—"],
    ["", "其他资金", "20.5", "20", "18.1", "—", "", "—"],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "数量指标", "养护里程", "≥300公里", "320公里", "20", "20", ""],
    ["", "质量指标", "路面合格率", "≥95%", "93%", "20", "18", "雨季施工影响"],
    ["成本指标", "经济成本指标", "单位养护成本", "≤0.4万元", "0.39万元", "10", "10", ""],
    ["满意度指标", "满意度", "群众满意度", "良好", "良好", "10", "10", ""],
    ["总分", "100", "", "", "", "", "", "97.7"],
]


def test_variant_self_eval_table_reads_by_header() -> None:
    doc = _doc("某县交通运输局2022年度项目支出绩效自评表", SELF_EVAL)
    out = extract_tables(doc, [], _ctx())
    scope = "乡村道路养护补助"
    assert out.projects[0].implementing_unit == "某县公路事务中心"
    assert _fact(out, "budget.initial", scope).value == 120.5
    assert _fact(out, "budget.adjusted", scope).value == 130
    assert _fact(out, "budget.fiscal_funds.executed", scope).value == 108
    assert _fact(out, "budget.execution_rate", scope).value == 97
    assert _fact(out, "eval.self_score", scope).value == 97.7
    quality = _row(out, "路面合格率")
    assert (quality.level1, quality.operator, quality.target_value) == ("产出指标", "≥", 95)
    assert (quality.achieved, quality.score, quality.note) == (False, 18, "雨季施工影响")
    assert _row(out, "养护里程").achieved is True
    assert _row(out, "单位养护成本").achieved is True
    assert _row(out, "群众满意度").achieved is True  # the table restates the target
    assert len(out.indicators) == 4
    _assert_grounded(doc, out)


def test_short_row_missing_its_merged_first_cell_is_right_aligned() -> None:
    table = [
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
        ],
        ["产出指标", "数量指标", "培训人次", "≥", "500", "人次", "620"],
        ["", "", "质量指标", "考核通过率", "≥", "90", "%", "88"],
    ]
    out = extract_tables(_doc("培训经费", table), [], _ctx())
    first, second = out.indicators
    assert (first.level1, first.level2, first.operator, first.target_value) == (
        "产出指标",
        "数量指标",
        "≥",
        500,
    )
    assert first.achieved is True
    assert (second.level1, second.level2, second.achieved) == ("产出指标", "质量指标", False)
    assert first.scope == "培训经费"


def test_table_cut_by_a_wrapped_header_cell_continues() -> None:
    header = [
        ["项目名称", "防汛物资储备"],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成", "得分"],
    ]
    rows = [
        ["产出指标", "数量指标", "储备批次", "≥3批次", "4批次", "10"],
        ["", "时效指标", "到位及时率", "100%", "100%", "10"],
    ]
    out = extract_tables(_doc(header, "分析", rows), [], _ctx())
    assert [r.level3 for r in out.indicators] == ["储备批次", "到位及时率"]
    assert {r.scope for r in out.indicators} == {"防汛物资储备"}
    assert out.indicators[1].level1 == "产出指标"


def test_indicator_table_without_readable_header_is_flagged() -> None:
    table = [["产出指标", "数量指标", "x"], ["效益指标", "社会效益指标", "y"]]
    out = extract_tables(_doc("一段说明文字。", table), [], _ctx())
    flags = [f for f in out.flags if f.check == "completeness"]
    assert flags and flags[0].severity == "warning" and flags[0].expected == 2


ACCOUNTS = [
    ["项目", "决算数", "项目", "决算数"],
    ["一、一般公共预算财政拨款收入", "416.54", "一、一般公共服务支出", "300.10"],
    ["二、政府性基金预算财政拨款收入", "0", "二、社会保障和就业支出", "50.20"],
    ["本年收入合计", "416.54", "本年支出合计", "350.30"],
    ["年初结转和结余", "6.40", "年末结转和结余", "72.64"],
]


def test_accounts_table_rows_map_to_prose_concepts() -> None:
    out = extract_tables(_doc("收入支出决算总表", ACCOUNTS), [], _ctx())
    got = {(f.concept, f.scope): f.value for f in out.facts}
    assert got[("fa.revenue.general_budget", "department")] == 416.54
    assert got[("fa.revenue_total", "department")] == 416.54
    # the 支出 side's class lines are the department's expenditure on that class
    assert got[("fa.expenditure_total", "item:201")] == 300.10
    assert got[("fa.expenditure_total", "item:208")] == 50.20
    assert got[("fa.carryover_end", "department")] == 72.64
    assert {f.stage for f in out.facts} == {"final"}


def test_function_code_rows_become_class_and_item_facts() -> None:
    table = [
        ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["合计", "", "350.30", "280.00", "70.30"],
        ["201", "一般公共服务支出", "300.10", "", ""],
        ["2010308", "信访事务", "120.00", "", ""],
    ]
    out = extract_tables(_doc("一般公共预算财政拨款支出决算表", table), [], _ctx())
    got = {(f.concept, f.scope): f.value for f in out.facts}
    assert got == {
        ("fa.general_budget_expenditure", "department"): 350.30,
        ("fa.general_budget_basic", "department"): 280.00,
        ("fa.general_budget_project", "department"): 70.30,
        ("fa.function.201", "department"): 300.10,
        ("fa.function.201", "item:2010308"): 120.00,
    }
    assert not [f for f in out.facts if f.evidence.cell and f.evidence.cell.col == 0]


def test_template_full_of_placeholders_is_flagged_unfilled() -> None:
    table = [
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "XXX", "一、一般公共服务支出", "XXX"],
        ["本年收入合计", "XXX", "本年支出合计", "XXX"],
    ]
    out = extract_tables(_doc("收入支出决算总表", table), [], _ctx())
    assert not out.facts
    assert [(f.check, f.severity) for f in out.flags] == [("unfilled_template", "warning")]
