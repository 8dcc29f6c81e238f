"""Item lines and stages in prose: a sentence about one 功能分类 line is that line's
(item:<code>), every money figure gets the stage its wording or its document gives it —
on documents written for these tests."""

from __future__ import annotations

from document_builder import doc_from_blocks
from jixiao.document import Document
from jixiao.extract.rules import RulesBackend
from jixiao.models import Fact
from jixiao.segment import segment


def _facts(doc: Document) -> list[Fact]:
    facts = RulesBackend().extract(doc, segment(doc)).facts
    for fact in facts:
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
    return facts


def _prose(facts: list[Fact]) -> dict[tuple[str, str, int | None, str | None], float]:
    return {
        (f.concept, f.scope, f.year, f.stage): f.value for f in facts if f.evidence.cell is None
    }


FINAL_TABLE = [
    ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["205", "教育支出", "0.88", "", "0.88"],
    ["20502", "普通教育", "0.88", "", "0.88"],
    ["2050203", "初中教育", "0.88", "", "0.88"],
]


def test_final_accounts_item_paragraph_is_the_items() -> None:
    doc = doc_from_blocks(
        "东城区教育局2024年度部门决算",
        "一般公共预算财政拨款支出决算表",
        "单位：万元",
        FINAL_TABLE,
        "（三）一般公共预算财政拨款支出决算具体情况",
        "一般公共预算财政拨款支出年初预算为1.20万元，支出决算为0.88万元，完成年初预算的73.33%。其中：",
        "1、教育支出（类）普通教育（款）初中教育（项）。主要用于：教师培训。",
        "年初预算为1.20万元，支出决算为0.88万元，完成年初预算的73.33%。",
        "决算数小于预算数的主要原因：培训延期。",
    )
    got = _prose(_facts(doc))
    item = "item:2050203"  # coded by the document's own table: 初中教育 is 2050203
    assert got[("fa.function.205", item, 2024, "budget_initial")] == 1.2
    assert got[("fa.function.205", item, 2024, "final")] == 0.88
    assert got[("fa.function.205.completion_pct", item, 2024, "final")] == 73.33
    # the department's figures stay the department's
    assert (
        got[("fa.general_budget_expenditure.completion_pct", "department", 2024, "final")] == 73.33
    )
    assert not [k for k in got if k[0] == "fa.expenditure_total"]


def test_colon_item_line_with_national_codes() -> None:
    doc = doc_from_blocks(
        "东城区民政局2024年度部门决算",
        "1.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）："
        "年初预算为40.00万元，支出决算为38.50万元，完成年初预算的96.25%。",
        "2.住房保障支出（208）",
    )
    got = _prose(_facts(doc))
    assert got[("fa.function.208", "item:2080505", 2024, "budget_initial")] == 40
    assert got[("fa.function.208", "item:2080505", 2024, "final")] == 38.5


BUDGET_TABLE = [
    ["功能分类科目编码", "功能分类科目名称", "合计"],
    ["201", "一般公共服务支出", "120,000"],
    ["20105", "统计信息事务", "120,000"],
    ["2010507", "专项普查活动", "120,000"],
]


def test_budget_item_entry_wrapped_over_lines_with_last_years_execution() -> None:
    doc = doc_from_blocks(
        "东城区2025年区级部门预算",
        "预算主管部门：东城区人民政府南苑街道办事处",
        "2025年部门预算编制说明",
        "财政拨款支出主要内容如下：",
        "1.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”科目12.00万元，主要用于专项普查活动。",
        "2024年当年预算执行数为15.00万元，2025年预算安排12.00万元，比2024年预算执行数减少20.00%。",
        "主要原因是：项目调整。",
        "2.“一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）”科目3.00万元。",
        "2025年一般公共预算支出功能分类预算表",
        "编制部门：东城区人民政府南苑街道办事处单位：元",
        BUDGET_TABLE,
    )
    got = _prose(_facts(doc))
    item = "item:2010507"
    assert got[("fa.function.201", item, 2025, "budget_initial")] == 12
    assert got[("fa.function.201", item, 2024, "prior_final")] == 15
    assert got[("fa.function.201.yoy_change_pct", item, 2025, "budget_initial")] == -20
    # the next entry ends the first one's scope; its 款 is not coded anywhere: no item
    assert not [k for k in got if k[2] == 2025 and k[0] == "fa.function.201" and k[3] is None]
    assert ("fa.function.201", "department", 2025, "budget_initial") not in got


def test_budget_sentences_are_budget_stage_lines_not_budget_concepts() -> None:
    doc = doc_from_blocks(
        "东城区2025年区级部门预算",
        "预算主管部门：东城区财政局",
        "2025年部门预算编制说明",
        "2025年，东城区财政局收入预算500.00万元，其中：财政拨款收入480.00万元，"
        "比2024年预算增加20.00万元；事业收入20.00万元。",
        "支出预算500.00万元，其中：财政拨款支出预算480.00万元。",
        "其他相关情况说明",
        "2025年“三公”经费预算数为12.50万元，比2024年预算减少1.50万元。",
        "2025年上海市某区财政局财政拨款的机关运行经费预算为88.80万元。",
        "截至2024年8月31日，东城区财政局共有车辆3辆。",
    )
    got = _prose(_facts(doc))
    assert got[("fa.revenue_total", "department", 2025, "budget_initial")] == 500
    assert got[("fa.fiscal_revenue", "department", 2025, "budget_initial")] == 480
    assert got[("fa.fiscal_revenue.yoy_change", "department", 2025, "budget_initial")] == 20
    assert got[("fa.revenue.business", "department", 2025, "budget_initial")] == 20
    assert got[("fa.expenditure_total", "department", 2025, "budget_initial")] == 500
    assert got[("fa.fiscal_expenditure", "department", 2025, "budget_initial")] == 480
    assert got[("fa.three_public.total", "department", 2025, "budget_initial")] == 12.5
    assert got[("fa.three_public.total.yoy_change", "department", 2025, "budget_initial")] == -1.5
    assert got[("fa.operating_expenditure", "department", 2025, "budget_initial")] == 88.8
    assert got[("asset.vehicles", "department", 2024, None)] == 3  # dated by 截至
    assert not [k for k in got if k[0].startswith("budget.")]


def test_prose_money_records_its_unit_decision() -> None:
    doc = doc_from_blocks(
        "东城区2025年区级部门预算",
        "2025年，东城区财政局收入预算5,000,000.00元。",
    )
    fact = next(f for f in _facts(doc) if f.concept == "fa.revenue_total")
    assert fact.value == 500
    assert fact.unit_decision is not None
    assert (fact.unit_decision.basis, fact.unit_decision.unit) == ("sentence", "元")


def test_final_accounts_budget_paragraph_keeps_its_budget_concepts() -> None:
    doc = doc_from_blocks(
        "东城区信访局2024年度部门决算",
        "2024年信访局收入年初预算120.50万元，年初结转和结余6万元，支出年初预算126.50万元。",
        "本年支出合计118.20万元。",
    )
    got = _prose(_facts(doc))
    assert got[("budget.initial", "department", 2024, "budget_initial")] == 120.5
    assert got[("budget.carryover_begin", "department", 2024, "budget_initial")] == 6
    assert got[("fa.expenditure_total", "department", 2024, "final")] == 118.2


def test_an_entry_opened_inside_a_sentence_under_a_fund_section() -> None:
    doc = doc_from_blocks(
        "东城区民政局2024年度部门决算",
        "八、政府性基金预算财政拨款收入支出决算情况说明",
        "政府性基金预算财政拨款收入30.00万元，支出28.00万元，支出具体情况如下："
        "1、社会保障和就业支出（类）社会福利（款）老年福利（项）。主要用于：养老服务。"
        "年初预算为30.00万元，支出决算为28.00万元。",
        "十、预算绩效管理情况",
        "编报绩效目标的2024年度项目3个，涉及预算金额120.00万元；绩效跟踪评价的2024年度项目2个，"
        "涉及预算金额80.00万元；绩效自评的2024年度项目3个，涉及预算金额120.00万元，平均得分95.5分。",
        "政府采购金额（以合同签订为准）为66.00万元。",
    )
    got = _prose(_facts(doc))
    line = "item:2081002"
    assert got[("fa.gov_fund_expenditure", line, 2024, "budget_initial")] == 30
    assert got[("fa.gov_fund_expenditure", line, 2024, "final")] == 28
    assert got[("perf.target_projects", "department", 2024, None)] == 3
    assert got[("perf.target_funds", "department", 2024, "budget_initial")] == 120
    assert got[("perf.self_eval_funds", "department", 2024, "budget_initial")] == 120
    assert got[("perf.self_eval_score", "department", 2024, None)] == 95.5
    # the tracked projects' 80.00 is no concept's: not filed as the targets'
    assert [v for k, v in got.items() if k[0] == "perf.target_funds"] == [120]
    assert got[("fa.procurement_total", "department", 2024, "final")] == 66


def test_a_named_line_spelt_qita_is_coded_and_an_unknown_one_is_no_class_total() -> None:
    doc = doc_from_blocks(
        "东城区2025年区级部门预算",
        "预算主管部门：东城区财政局",
        "2025年部门预算编制说明",
        "1.“社会保障和就业支出（类）行政事业单位养老支出（款）其它行政事业单位养老支出（项）”"
        "0.96万元，主要用于养老支出。",
        "2.“卫生健康支出（类）卫生健康支出（款）计划生育事务（项）”科目20.00万元，主要用于计划生育。",
    )
    got = _prose(_facts(doc))
    assert got[("fa.function.208", "item:2080599", 2025, "budget_initial")] == 0.96
    # the second line's 款 is no 款 of 卫生健康: the figure is no 卫生健康 class total
    assert not [
        k for k in got if k[0] in ("fa.function.208", "fa.function.210") and k[1] == "department"
    ]
