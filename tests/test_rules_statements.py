"""The national statement tables, read cell by cell: every layout the forms come in
(two-sided 收支总表, code rows with one code column, three code columns or names only,
经济分类 groups side by side, the “三公”经费表), every unit case, stages from column
headers — on small documents written for these tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from document_builder import MERGED, doc_from_blocks
from jixiao.document import Document
from jixiao.extract.rules.tables import extract_tables
from jixiao.models import Department, Fact
from jixiao.taxonomy import load_taxonomy


def _facts(doc: Document, year: int = 2025) -> list[Fact]:
    ctx = SimpleNamespace(fiscal_year=year, department=Department(), taxonomy=load_taxonomy())
    return extract_tables(doc, [], ctx).facts


def _by_key(facts: list[Fact]) -> dict[tuple[str, str, str | None], float]:
    return {(f.concept, f.scope, f.stage): f.value for f in facts}


def _one(facts: list[Fact], concept: str, scope: str = "department") -> Fact:
    found = [f for f in facts if f.concept == concept and f.scope == scope]
    assert len({f.value for f in found}) == 1, (concept, scope, found)
    return found[0]


def _no_code_cell_read(doc: Document, facts: list[Fact], code_cols: int) -> None:
    """No fact comes from a code column, and every quote is the cell it names."""
    for fact in facts:
        cell = fact.evidence.cell
        assert cell is not None and cell.col >= code_cols, fact
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote


# ---------------------------------------------------------------------------- budgets
BUDGET_SUMMARY = [
    [("本年收入", 2), ("本年支出", 2)],
    ["项目", "预算数", "项目", "预算数"],
    ["一、财政拨款收入", "52,460,300", "一、一般公共服务支出", "31,200,000"],
    ["1.一般公共预算资金", "50,460,300", "二、教育支出", "19,260,300"],
    ["2.政府性基金", "2,000,000", "三、城乡社区支出", "2,000,000"],
    ["二、事业收入", "", "", ""],
    ["收入总计", "52,460,300", "支出总计", "52,460,300"],
]


def test_budget_summary_in_yuan_with_separators() -> None:
    doc = doc_from_blocks(
        "2025年部门财务收支预算总表",
        "编制部门：某区示例局单位：元",
        BUDGET_SUMMARY,
    )
    facts = _facts(doc)
    got = _by_key(facts)
    assert got[("fa.fiscal_revenue", "department", "budget_initial")] == 5246.03
    assert got[("fa.revenue.general_budget", "department", "budget_initial")] == 5046.03
    assert got[("fa.revenue.gov_fund", "department", "budget_initial")] == 200
    assert got[("fa.expenditure_total", "item:201", "budget_initial")] == 3120
    assert got[("fa.expenditure_total", "item:212", "budget_initial")] == 200
    assert got[("fa.total", "department", "budget_initial")] == 5246.03
    total = _one(facts, "fa.total")
    assert total.unit_decision is not None
    assert (total.unit_decision.basis, total.unit_decision.unit) == ("table_header", "元")
    assert total.unit_decision.factor == pytest.approx(1e-4)
    assert total.decimals == 4 and total.year == 2025
    assert _one(facts, "fa.expenditure_total", "item:205").scope_label == "教育支出"


UNIT_BUDGET_SUMMARY = [
    [("本年收入", 2), ("本年支出", 5)],
    ["项目", "预算数", "项目", ("预算数", 4)],
    ["", "", "", "合计", ("基本支出", 2), "项目支出"],
    ["", "", "", MERGED, "人员经费", "公用经费", MERGED],
    [
        "一、财政拨款收入",
        "1,000,000",
        "一、一般公共服务支出",
        "800,000",
        "500,000",
        "100,000",
        "200,000",
    ],
    ["收入总计", "1,000,000", "支出总计", "1,000,000", "600,000", "150,000", "250,000"],
]


def test_unit_budget_summary_splits_expenditure_by_kind() -> None:
    doc = doc_from_blocks("2025年预算单位财务收支预算总表", "单位：元", UNIT_BUDGET_SUMMARY)
    got = _by_key(_facts(doc))
    assert got[("fa.expenditure_total", "item:201", "budget_initial")] == 80
    assert got[("fa.personnel", "item:201", "budget_initial")] == 50
    assert got[("fa.public", "item:201", "budget_initial")] == 10
    assert got[("fa.expenditure.project", "item:201", "budget_initial")] == 20
    assert got[("fa.total", "department", "budget_initial")] == 100
    assert got[("fa.personnel", "department", "budget_initial")] == 60
    assert got[("fa.expenditure.project", "department", "budget_initial")] == 25


THREE_CODE_COLUMNS = [
    [("项目", 4), ("支出预算", 3)],
    [("功能分类科目编码", 3), "功能分类科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", MERGED, MERGED, MERGED, MERGED],
    ["201", "", "", "一般公共服务支出", "1,234,500", "1,000,000", "234,500"],
    ["201", "03", "", "政府办公厅（室）及相关机构事务", "1,234,500", "1,000,000", "234,500"],
    ["201", "03", "01", "行政运行", "1,000,000", "1,000,000", "0"],
    ["201", "03", "02", "一般行政管理事务", "234,500", "", "234,500"],
    [("合计", 4), "1,234,500", "1,000,000", "234,500"],
]


def test_a_short_total_row_is_right_aligned() -> None:
    """合计 printed in one cell that spans the code and name columns without saying so."""
    table = [*THREE_CODE_COLUMNS[:-1], ["合计", "1,234,500", "1,000,000", "234,500"]]
    doc = doc_from_blocks("2025年部门支出预算总表", "单位：元", table)
    got = _by_key(_facts(doc))
    assert got[("fa.expenditure_total", "department", "budget_initial")] == 123.45
    assert got[("fa.expenditure.basic", "department", "budget_initial")] == 100
    assert got[("fa.expenditure.project", "department", "budget_initial")] == 23.45


def test_three_code_columns_give_item_scopes_and_no_code_facts() -> None:
    doc = doc_from_blocks(
        "2025年部门支出预算总表", "编制部门：某区示例局单位：元", THREE_CODE_COLUMNS
    )
    facts = _facts(doc)
    got = _by_key(facts)
    assert got[("fa.expenditure_total", "item:201", "budget_initial")] == 123.45
    assert got[("fa.expenditure_total", "item:20103", "budget_initial")] == 123.45
    assert got[("fa.expenditure.basic", "item:2010301", "budget_initial")] == 100
    assert got[("fa.expenditure.project", "item:2010302", "budget_initial")] == 23.45
    assert got[("fa.expenditure_total", "department", "budget_initial")] == 123.45
    assert got[("fa.expenditure.project", "department", "budget_initial")] == 23.45
    assert ("fa.expenditure.basic", "item:2010302", "budget_initial") not in got  # blank cell
    _no_code_cell_read(doc, facts, code_cols=4)
    assert _one(facts, "fa.expenditure_total", "item:2010301").scope_label == "行政运行"


def test_general_budget_table_headline_is_the_function_family() -> None:
    table = [row[:] for row in THREE_CODE_COLUMNS]
    table[0] = [("项目", 4), ("一般公共预算支出", 3)]
    doc = doc_from_blocks("5.2025年部门一般公共预算支出功能分类预算表", "单位：元", table)
    got = _by_key(_facts(doc))
    assert got[("fa.function.201", "department", "budget_initial")] == 123.45
    assert got[("fa.function.201", "item:20103", "budget_initial")] == 123.45
    assert got[("fa.function.201", "item:2010301", "budget_initial")] == 100
    assert got[("fa.general_budget_basic", "item:2010301", "budget_initial")] == 100
    assert got[("fa.general_budget_expenditure", "department", "budget_initial")] == 123.45
    assert got[("fa.general_budget_project", "department", "budget_initial")] == 23.45


def test_spreadsheet_codes_and_single_digit_kuan() -> None:
    """Excel renders a 类 code as 205.0; an 经济分类 款 may lose its leading zero."""
    doc = doc_from_blocks(
        "2025年部门一般公共预算基本支出部门预算经济分类预算表",
        "单位：元",
        [
            [("项目", 3), ("一般公共预算基本支出", 3)],
            [("经济分类科目编码", 2), "经济分类科目名称", "合计", "人员经费", "公用经费"],
            ["类", "款", MERGED, MERGED, MERGED, MERGED],
            ["301.0", "", "工资福利支出", "800,000", "800,000", ""],
            ["301.0", "2", "津贴补贴", "300,000", "300,000", ""],
            ["302.0", "", "商品和服务支出", "200,000", "", "200,000"],
            [("合计", 3), "1,000,000", "800,000", "200,000"],
        ],
    )
    facts = _facts(doc)
    got = _by_key(facts)
    assert got[("fa.general_budget_basic", "econ:301", "budget_initial")] == 80
    assert got[("fa.personnel", "econ:30102", "budget_initial")] == 30
    assert got[("fa.public", "econ:302", "budget_initial")] == 20
    assert got[("fa.general_budget_basic", "department", "budget_initial")] == 100
    _no_code_cell_read(doc, facts, code_cols=3)


def test_three_public_table_with_merged_group_header() -> None:
    doc = doc_from_blocks(
        "2025年部门“三公”经费和机关运行经费预算表",
        "编制部门：某区示例局单位:万元",
        [
            [("“三公”经费预算数", 6), "机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", ("公务用车购置及运行费", 3), MERGED],
            [MERGED, MERGED, MERGED, "小计", "购置费", "运行费", MERGED],
            ["12.50", "0", "1.50", "11.00", "6.00", "5.00", "1,234.56"],
        ],
    )
    got = _by_key(_facts(doc))
    assert got[("fa.three_public.total", "department", "budget_initial")] == 12.5
    assert got[("fa.three_public.vehicle", "department", "budget_initial")] == 11
    assert got[("fa.three_public.vehicle_purchase", "department", "budget_initial")] == 6
    assert got[("fa.three_public.vehicle_running", "department", "budget_initial")] == 5
    # 单位:万元 over 1,234.56: the separator says nothing about the unit
    assert got[("fa.operating_expenditure", "department", "budget_initial")] == 1234.56


def test_prior_year_column_is_its_own_stage_and_year() -> None:
    doc = doc_from_blocks(
        "2025年部门支出预算总表",
        "单位：万元",
        [
            ["功能分类科目编码", "科目名称", "2025年预算数", "2024年执行数"],
            ["201", "一般公共服务支出", "120.00", "110.50"],
        ],
    )
    facts = _facts(doc)
    current = [f for f in facts if f.stage == "budget_initial"]
    prior = [f for f in facts if f.stage == "prior_final"]
    assert [(f.value, f.year, f.scope) for f in current] == [(120.0, 2025, "item:201")]
    assert [(f.value, f.year, f.scope) for f in prior] == [(110.5, 2024, "item:201")]


def test_continuation_table_keeps_form_and_unit() -> None:
    header = [
        [("功能分类科目编码", 3), "功能分类科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", MERGED, MERGED, MERGED, MERGED],
    ]
    doc = doc_from_blocks(
        "2025年部门支出预算总表",
        "单位：元",
        [*header, ["208", "", "", "社会保障和就业支出", "500,000", "500,000", ""]],
        "- 7 -",
        [["208", "05", "05", "机关事业单位基本养老保险缴费支出", "500,000", "500,000", ""]],
    )
    got = _by_key(_facts(doc))
    assert got[("fa.expenditure_total", "item:2080505", "budget_initial")] == 50
    assert got[("fa.expenditure.basic", "item:2080505", "budget_initial")] == 50


# ---------------------------------------------------------------------------- 决算
def test_final_accounts_one_code_column_in_wan_with_separators() -> None:
    doc = doc_from_blocks(
        "收入决算表",
        "单位：万元",
        [
            [("项目", 2), "本年收入合计", "财政拨款收入", "其他收入"],
            ["功能分类科目编码", "科目名称", MERGED, MERGED, MERGED],
            [("合计", 2), "2,946.25", "2,900.00", "46.25"],
            ["208", "社会保障和就业支出", "1,946.25", "1,900.00", "46.25"],
            ["2080505", "机关事业单位基本养老保险缴费支出", "946.25", "900.00", "46.25"],
        ],
    )
    facts = _facts(doc, year=2024)
    got = _by_key(facts)
    assert got[("fa.revenue_total", "department", "final")] == 2946.25
    assert got[("fa.fiscal_revenue", "item:208", "final")] == 1900
    assert got[("fa.revenue.other", "item:2080505", "final")] == 46.25
    revenue = _one(facts, "fa.revenue_total")
    assert revenue.unit_decision is not None and revenue.unit_decision.factor == 1.0
    _no_code_cell_read(doc, facts, code_cols=2)


def test_final_accounts_summary_rows_and_carryover_parts() -> None:
    doc = doc_from_blocks(
        "财政拨款收入支出决算总表",
        "单位：万元",
        [
            [("收入", 2), ("支出", 4)],
            ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"],
            [
                "一、一般公共预算财政拨款",
                "300.00",
                "一、一般公共服务支出",
                "310.00",
                "290.00",
                "20.00",
            ],
            ["二、政府性基金预算财政拨款", "20.00", "", "", "", ""],
            ["本年收入合计", "320.00", "本年支出合计", "310.00", "290.00", "20.00"],
            ["年初财政拨款结转和结余", "15.00", "年末财政拨款结转和结余", "25.00", "", ""],
            ["一、一般公共预算财政拨款", "15.00", "", "25.00", "", ""],
            ["总计", "335.00", "总计", "335.00", "", ""],
        ],
    )
    facts = _facts(doc, year=2024)
    got = _by_key(facts)
    assert got[("fa.revenue.general_budget", "department", "final")] == 300
    assert got[("fa.fiscal_revenue", "department", "final")] == 320
    assert got[("fa.fiscal_expenditure", "item:201", "final")] == 310
    assert got[("fa.function.201", "department", "final")] == 290
    assert got[("fa.gov_fund_expenditure", "item:201", "final")] == 20
    assert got[("fa.fiscal_expenditure", "department", "final")] == 310
    assert got[("fa.general_budget_expenditure", "department", "final")] == 290
    assert got[("fa.fiscal_carryover_begin", "department", "final")] == 15
    assert got[("fa.fiscal_total", "department", "final")] == 335
    # the carry-over's parts by source are not revenue
    general = [f for f in facts if f.concept == "fa.revenue.general_budget"]
    assert [f.value for f in general] == [300]


def test_final_accounts_economic_groups_side_by_side() -> None:
    doc = doc_from_blocks(
        "一般公共预算财政拨款基本支出决算表",
        "单位：万元",
        [
            ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
            ["301", "工资福利支出", "180.20", "302", "商品和服务支出", "30.10"],
            ["30101", "基本工资", "60.00", "30201", "办公费", "5.00"],
            [("人员经费合计", 2), "181.20", ("公用经费合计", 2), "30.10"],
        ],
    )
    facts = _facts(doc, year=2024)
    got = _by_key(facts)
    assert got[("fa.general_budget_basic", "econ:301", "final")] == 180.2
    assert got[("fa.general_budget_basic", "econ:30201", "final")] == 5
    assert got[("fa.personnel", "department", "final")] == 181.2
    assert got[("fa.public", "department", "final")] == 30.1
    assert all(f.evidence.cell and f.evidence.cell.col in (2, 5) for f in facts)


def test_final_three_public_budget_and_final_pairs() -> None:
    doc = doc_from_blocks(
        "财政拨款“三公”经费支出决算表",
        "单位：万元",
        [
            [("财政拨款“三公”经费", 6)],
            [("合计", 2), ("因公出国（境）费", 2), ("公务接待费", 2)],
            ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数"],
            ["3.00", "2.40", "1.00", "0.00", "2.00", "2.40"],
        ],
    )
    got = _by_key(_facts(doc, year=2024))
    assert got[("fa.three_public.total", "department", "budget_initial")] == 3
    assert got[("fa.three_public.total", "department", "final")] == 2.4
    assert got[("fa.three_public.reception", "department", "final")] == 2.4
    assert got[("fa.three_public.overseas", "department", "budget_initial")] == 1


def test_three_public_table_printed_down_one_column_is_read_by_its_row_labels() -> None:
    doc = doc_from_blocks(
        "财政拨款“三公”经费、行政参公单位机关运行经费情况表",
        "单位：万元",
        [
            ["项目", "统计数"],
            ["一、“三公”经费支出（万元）", "38.88"],
            ["1.因公出国（境）费", "5.74"],
            ["2.公务用车购置及运行维护费", "30.95"],
            ["（1）公务用车购置费", "25.49"],
            ["（2）公务用车运行维护费", "5.46"],
            ["3.公务接待费", "2.19"],
            ["二、行政参公单位机关运行经费（万元）", "82.18"],
            ["三、公务用车购置数（辆）", "1"],
            ["四、公务用车保有量（辆）", "2"],
            ["五、国内公务接待批次（个）", "25"],
        ],
    )
    facts = _facts(doc, year=2023)
    got = _by_key(facts)
    assert got[("fa.three_public.total", "department", "final")] == 38.88
    assert got[("fa.three_public.vehicle", "department", "final")] == 30.95
    assert got[("fa.three_public.vehicle_purchase", "department", "final")] == 25.49
    assert got[("fa.three_public.reception", "department", "final")] == 2.19
    assert got[("fa.operating_expenditure", "department", "final")] == 82.18
    # the counts (辆, 个) are no amounts: nothing is read from their rows
    assert len(facts) == 7
    assert all(f.evidence.cell and f.evidence.cell.col == 1 for f in facts)


def test_a_column_printed_form_takes_each_value_columns_stage_from_its_header() -> None:
    doc = doc_from_blocks(
        "财政拨款“三公”经费支出决算表",
        "单位：元",
        [
            ["项目", "预算数", "决算数"],
            ["合计", "30,000.00", "24,000.00"],
            ["因公出国（境）费", "10,000.00", "0.00"],
            ["公务接待费", "20,000.00", "24,000.00"],
        ],
    )
    got = _by_key(_facts(doc, year=2024))
    assert got[("fa.three_public.total", "department", "budget_initial")] == 3
    assert got[("fa.three_public.total", "department", "final")] == 2.4
    assert got[("fa.three_public.reception", "department", "final")] == 2.4
    assert got[("fa.three_public.overseas", "department", "final")] == 0


def test_indented_names_without_codes() -> None:
    doc = doc_from_blocks(
        "一般公共预算财政拨款支出决算表",
        "单位：万元",
        [
            ["科目名称", "合计", "基本支出", "项目支出"],
            ["社会保障和就业支出", "50.00", "50.00", ""],
            ["  行政事业单位养老支出", "50.00", "50.00", ""],
            ["    机关事业单位基本养老保险缴费支出", "35.00", "35.00", ""],
            ["住房保障支出", "12.00", "12.00", ""],
            ["  住房改革支出", "12.00", "12.00", ""],
            ["    住房公积金", "12.00", "12.00", ""],
        ],
    )
    got = _by_key(_facts(doc, year=2024))
    assert got[("fa.function.208", "department", "final")] == 50
    assert got[("fa.function.208", "item:20805", "final")] == 50
    assert got[("fa.function.208", "item:2080505", "final")] == 35
    assert got[("fa.function.221", "item:2210201", "final")] == 12
    assert got[("fa.general_budget_basic", "item:2210201", "final")] == 12


# ---------------------------------------------------------------------------- units
@pytest.mark.parametrize(
    ("unit_line", "printed", "value", "basis"),
    [
        ("单位：元", "12,121,164", 1212.1164, "table_header"),
        ("金额单位：万元", "1,212.12", 1212.12, "table_header"),
        ("单位：千元", "12,121.2", 1212.12, "table_header"),
        ("单位：亿元", "0.12", 1200.0, "table_header"),
    ],
)
def test_table_unit_lines(unit_line: str, printed: str, value: float, basis: str) -> None:
    doc = doc_from_blocks(
        "2025年部门收入预算总表",
        unit_line,
        [["功能分类科目编码", "功能分类科目名称", "合计"], ["201", "一般公共服务支出", printed]],
    )
    fact = _one(_facts(doc), "fa.revenue_total", "item:201")
    assert fact.value == pytest.approx(value)
    assert fact.unit_decision is not None and fact.unit_decision.basis == basis


def test_a_cell_printing_its_own_unit_is_scaled_once() -> None:
    doc = doc_from_blocks(
        "2025年部门收入预算总表",
        "单位：元",
        [["功能分类科目编码", "功能分类科目名称", "合计"], ["201", "一般公共服务支出", "35.6万元"]],
    )
    fact = _one(_facts(doc), "fa.revenue_total", "item:201")
    assert fact.value == 35.6
    assert fact.unit_decision is not None and fact.unit_decision.basis == "cell"


def test_no_unit_line_decides_by_magnitude_against_the_text() -> None:
    table = [
        ["功能分类科目编码", "功能分类科目名称", "合计"],
        ["201", "一般公共服务支出", "3,561,200"],
    ]
    doc = doc_from_blocks("收入预算为356.12万元。", "2025年部门收入预算总表", table)
    fact = _one(_facts(doc), "fa.revenue_total", "item:201")
    assert fact.value == 356.12
    assert fact.unit_decision is not None and fact.unit_decision.basis == "magnitude"
    small = doc_from_blocks(
        "收入预算为356.12万元。",
        "2025年部门收入预算总表",
        [["功能分类科目编码", "功能分类科目名称", "合计"], ["201", "一般公共服务支出", "356.12"]],
    )
    fact = _one(_facts(small), "fa.revenue_total", "item:201")
    assert fact.value == 356.12
    assert fact.unit_decision is not None and fact.unit_decision.basis == "default"


def test_a_template_left_unfilled_is_flagged_and_gives_no_facts() -> None:
    doc = doc_from_blocks(
        "收入支出决算总表",
        "单位：万元",
        [
            ["项目", "决算数", "项目", "决算数"],
            ["一、一般公共预算财政拨款收入", "XXX", "一、一般公共服务支出", ""],
            ["本年收入合计", "XXX", "本年支出合计", "XXX"],
        ],
    )
    ctx = SimpleNamespace(fiscal_year=2024, department=Department(), taxonomy=load_taxonomy())
    out = extract_tables(doc, [], ctx)
    assert not out.facts
    assert [f.check for f in out.flags] == ["unfilled_template"]


def test_names_only_economic_groups_side_by_side() -> None:
    doc = doc_from_blocks(
        "一般公共预算财政拨款基本支出决算表",
        "单位：元",
        [
            ["科目名称", "决算数", "科目名称", "决算数"],
            ["工资福利支出", "1,802,000", "商品和服务支出", "301,000"],
            ["基本工资", "600,000", "办公费", "50,000"],
        ],
    )
    got = _by_key(_facts(doc, year=2024))
    assert got[("fa.general_budget_basic", "econ:301", "final")] == 180.2
    assert got[("fa.general_budget_basic", "econ:30101", "final")] == 60
    assert got[("fa.general_budget_basic", "econ:302", "final")] == 30.1
    assert got[("fa.general_budget_basic", "econ:30201", "final")] == 5


def test_budget_fiscal_summary_subtotal_rows_are_the_fiscal_revenue_and_expenditure() -> None:
    doc = doc_from_blocks(
        "财政拨款收支预算总表",
        "单位：万元",
        [
            ["财政拨款收入", "", "财政拨款支出", "", "", ""],
            ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
            ["一般公共预算资金", "480.00", "一般公共服务支出", "400.00", "400.00", ""],
            ["政府性基金", "20.00", "社会保障和就业支出", "100.00", "80.00", "20.00"],
            ["本年收入合计", "500.00", "本年支出合计", "500.00", "480.00", "20.00"],
            ["上年结转", "10.00", "结转下年", "10.00", "", ""],
            ["收入总计", "510.00", "支出总计", "510.00", "490.00", "20.00"],
        ],
    )
    got = _by_key(_facts(doc))
    assert got[("fa.fiscal_revenue", "department", "budget_initial")] == 500
    assert got[("fa.fiscal_expenditure", "department", "budget_initial")] == 500
    assert got[("fa.fiscal_total", "department", "budget_initial")] == 510
    assert ("fa.revenue_total", "department", "budget_initial") not in got
    assert ("fa.expenditure_total", "department", "budget_initial") not in got


@pytest.mark.parametrize(
    ("title", "form"),
    [
        ("2024年部门收支总体情况表", "budget.summary"),
        ("2024年部门收入总体情况表", "budget.revenue"),
        ("2024年部门支出总体情况表", "budget.expenditure"),
        ("2024年财政拨款收支总体情况表", "budget.fiscal_summary"),
        ("2024年一般公共预算支出情况表", "budget.general_budget"),
        ("2024年一般公共预算基本支出情况表", "budget.general_budget_basic"),
        ("2024年一般公共预算“三公”经费支出情况表", "budget.three_public"),
        ("2024年政府性基金预算支出情况表", "budget.gov_fund"),
        ("2024年国有资本经营预算支出情况表", "budget.state_capital"),
    ],
)
def test_the_older_national_titles_of_the_budget_tables_name_their_forms(
    title: str, form: str
) -> None:
    """部门收支总体情况表 … 一般公共预算“三公”经费支出情况表: the titles of the national
    部门预算 公开 forms before 财务收支预算总表 …, still printed by many provinces."""
    from jixiao.statement_tables import load_statement_forms

    found = load_statement_forms().form_for_title(title)
    assert found is not None and found.id == form


def test_a_budget_summary_titled_as_a_situation_table_is_read() -> None:
    doc = doc_from_blocks(
        "2025年部门收支总体情况表", "部门名称：某区示例局单位：元", BUDGET_SUMMARY
    )
    got = _by_key(_facts(doc))
    assert got[("fa.total", "department", "budget_initial")] == 5246.03
    assert not any(concept.startswith("budget.") for concept, _, _ in got)
