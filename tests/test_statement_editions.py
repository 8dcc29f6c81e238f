"""Provincial editions of the national statement tables: other titles, extra columns and
extra tables read onto the same lines."""

from __future__ import annotations

from types import SimpleNamespace

from document_builder import CellSpec, doc_from_blocks
from jixiao.document import Document
from jixiao.extract.rules.tables import extract_tables
from jixiao.models import Department, Fact
from jixiao.statement_tables import load_statement_forms
from jixiao.taxonomy import load_taxonomy


def _facts(doc: Document, year: int = 2024) -> list[Fact]:
    ctx = SimpleNamespace(fiscal_year=year, department=Department(), taxonomy=load_taxonomy())
    return extract_tables(doc, [], ctx).facts


def _keys(facts: list[Fact]) -> dict[tuple[str, str, str | None], float]:
    return {(f.concept, f.scope, f.stage): f.value for f in facts}


EXPENDITURE: list[list[CellSpec]] = [
    ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
    ["合计", "", "700.47", "571.94", "128.53"],
    ["208", "社会保障和就业支出", "113.22", "113.22", ""],
    ["213", "农林水支出", "587.25", "458.72", "128.53"],
]


def test_expenditure_table_titled_as_a_summary_is_the_expenditure_table() -> None:
    # 陕西: 收入决算总表 / 支出决算总表 for the national 收入决算表 / 支出决算表
    facts = _keys(_facts(doc_from_blocks("表3支出决算总表", "单位：万元", EXPENDITURE)))
    assert facts[("fa.expenditure.basic", "item:208", "final")] == 113.22
    assert facts[("fa.expenditure.project", "department", "final")] == 128.53
    assert facts[("fa.expenditure_total", "department", "final")] == 700.47


def test_the_longest_title_still_decides() -> None:
    forms = load_statement_forms()
    for title, form in (
        ("表1收入支出决算总表", "final.summary"),
        ("收入支出决算表", "final.summary"),
        ("表2收入决算总表", "final.revenue"),
        ("表3支出决算总表", "final.expenditure"),
        ("表4财政拨款收入支出决算总表", "final.fiscal_summary"),
        ("财政拨款收入支出决算表", "final.fiscal_summary"),
        ("一般公共预算财政拨款收入支出决算表", "final.general_budget"),
        ("政府性基金预算财政拨款收入支出决算表", "final.gov_fund"),
        ("一般公共预算财政拨款项目支出决算表", "final.general_budget_project"),
        ("财政拨款“三公”经费支出决算表", "final.three_public"),
    ):
        found = forms.form_for_title(title)
        assert found is not None and found.id == form, title


def test_revenue_expenditure_table_without_zong_is_the_summary() -> None:
    summary: list[list[CellSpec]] = [
        [("收入", 2), ("支出", 2)],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "870.62", "一、一般公共服务支出", "880.45"],
        ["本年收入合计", "870.62", "本年支出合计", "880.45"],
        ["年初结转和结余", "17.34", "年末结转和结余", "7.51"],
        ["总计", "887.96", "总计", "887.96"],
    ]
    facts = _keys(_facts(doc_from_blocks("收入支出决算表", "金额单位：万元", summary)))
    assert facts[("fa.carryover_begin", "department", "final")] == 17.34
    assert facts[("fa.total", "department", "final")] == 887.96
    assert facts[("fa.expenditure_total", "department", "final")] == 880.45
    fiscal = _keys(_facts(doc_from_blocks("财政拨款收入支出决算表", "单位：万元", summary)))
    assert ("fa.total", "department", "final") not in fiscal  # the fiscal summary's lines
    assert fiscal[("fa.fiscal_total", "department", "final")] == 887.96


GENERAL_BUDGET_BALANCE: list[list[CellSpec]] = [
    ["科目编码", "科目名称", "年初结转和结余", "本年收入", ("本年支出", 3), "年末结转和结余"],
    ["", "", "", "", "小计", "基本支出", "项目支出", ""],
    ["合计", "", "17.34", "870.62", "880.45", "740.93", "139.52", "7.51"],
    ["201", "一般公共服务支出", "17.34", "631.96", "641.79", "502.27", "139.52", "7.51"],
    ["20108", "审计事务", "17.34", "631.96", "641.79", "502.27", "139.52", "7.51"],
]


def test_general_budget_table_with_revenue_and_carryover_columns() -> None:
    # 云南: 一般公共预算财政拨款收入支出决算表 (结转 and 收入 beside the expenditure)
    doc = doc_from_blocks(
        "一般公共预算财政拨款收入支出决算表", "单位：万元", GENERAL_BUDGET_BALANCE
    )
    facts = _keys(_facts(doc))
    assert facts[("fa.general_budget.carryover_begin", "item:201", "final")] == 17.34
    assert facts[("fa.general_budget.carryover_end", "department", "final")] == 7.51
    assert facts[("fa.revenue.general_budget", "item:20108", "final")] == 631.96
    assert facts[("fa.function.201", "department", "final")] == 641.79  # 本年支出 | 小计
    assert facts[("fa.function.201", "item:20108", "final")] == 641.79
    assert facts[("fa.general_budget_expenditure", "department", "final")] == 880.45
    assert facts[("fa.general_budget_basic", "item:201", "final")] == 502.27
    assert facts[("fa.general_budget_project", "department", "final")] == 139.52


def test_national_general_budget_table_still_reads_its_three_columns() -> None:
    national: list[list[CellSpec]] = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "641.79", "502.27", "139.52"],
        ["合计", "", "641.79", "502.27", "139.52"],
    ]
    doc = doc_from_blocks("一般公共预算财政拨款支出决算表", "单位：万元", national)
    facts = _keys(_facts(doc))
    assert facts[("fa.function.201", "department", "final")] == 641.79
    assert facts[("fa.general_budget_basic", "item:201", "final")] == 502.27
    assert not any(c.startswith("fa.general_budget.carryover") for c, _, _ in facts)


PROJECT_BY_ECONOMIC: list[list[CellSpec]] = [
    ["科目编码", "科目名称", "决算数"],
    ["302", "商品和服务支出", "85.61"],
    ["30213", "维修（护）费", "46.14"],
    ["310", "资本性支出", "53.91"],
    ["合计", "", "139.52"],
]


def test_project_expenditure_by_economic_line_is_general_budget_project() -> None:
    for title in ("一般公共预算财政拨款项目支出决算表", "项目支出决算表"):
        facts = _keys(_facts(doc_from_blocks(title, "单位：万元", PROJECT_BY_ECONOMIC)))
        assert facts[("fa.general_budget_project", "econ:302", "final")] == 85.61
        assert facts[("fa.general_budget_project", "econ:30213", "final")] == 46.14
        assert facts[("fa.general_budget_project", "department", "final")] == 139.52
        assert not any(c == "fa.expenditure_total" for c, _, _ in facts), title


def test_a_provinces_extra_table_is_never_required() -> None:
    forms = load_statement_forms()
    required = [f for f in forms.tables if f.family == "final_accounts" and f.required]
    assert len(required) == 9
    assert not forms.by_id("final.general_budget_project").required


def test_fiscal_three_public_table_without_budget_word_in_a_budget() -> None:
    three: list[list[CellSpec]] = [
        [("“三公”经费预算数", 6), "机关运行经费预算数"],
        ["合计", "因公出国(境)费", "公务接待费", ("公务用车购置及运行费", 3), ""],
        ["", "", "", "小计", "购置费", "运行费", ""],
        ["33.45", "0.00", "5.20", "28.25", "20.00", "8.25", "65.37"],
    ]
    doc = doc_from_blocks("九、财政拨款“三公”经费支出表", "金额单位：万元", three)
    facts = _keys(_facts(doc, 2025))
    assert facts[("fa.three_public.total", "department", "budget_initial")] == 33.45
    assert facts[("fa.three_public.vehicle_running", "department", "budget_initial")] == 8.25
    assert facts[("fa.operating_expenditure", "department", "budget_initial")] == 65.37


def test_three_public_table_with_meeting_and_training_columns() -> None:
    # 陕西: 会议费 and 培训费 beside the “三公” under 预算数 and 决算数; they are no 合计
    three: list[list[CellSpec]] = [
        [("预算数", 8), ("决算数", 8)],
        [
            *("“三公”经费合计", "因公出国（境）费", ("公务用车购置及运行维护费", 3)),
            *("公务接待费", "会议费", "培训费"),
            *("“三公”经费合计", "因公出国（境）费", ("公务用车购置及运行维护费", 3)),
            *("公务接待费", "会议费", "培训费"),
        ],
        [
            *("", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""),
            *("", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""),
        ],
        [
            *("9.89", "0.00", "6.97", "0.00", "6.97", "2.92", "2.72", "4.01"),
            *("8.09", "0.00", "5.55", "0.00", "5.55", "2.54", "1.76", "3.31"),
        ],
    ]
    title = "表7一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表"
    facts = _facts(doc_from_blocks(title, "单位：万元", three))
    keys = _keys(facts)
    assert keys[("fa.three_public.total", "department", "budget_initial")] == 9.89
    assert keys[("fa.three_public.total", "department", "final")] == 8.09
    assert keys[("fa.meeting_expenditure", "department", "budget_initial")] == 2.72
    assert keys[("fa.training_expenditure", "department", "final")] == 3.31
    totals = {f.value for f in facts if f.concept == "fa.three_public.total"}
    assert totals == {9.89, 8.09}


FISCAL_HEAD: list[list[CellSpec]] = [
    [("收入", 2), ("支出", 4)],
    ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"],
    ["一、一般公共预算财政拨款", "1251.72", "一、一般公共服务支出", "", "", ""],
    ["", "", "八、社会保障和就业支出", "174.09", "174.09", ""],
]
FISCAL_REST: list[list[CellSpec]] = [
    ["", "", "十九、住房保障支出", "90.72", "90.72"],
    ["本年收入合计", "1251.72", "本年支出合计", "1269.19", "1269.19"],
    ["年初财政拨款结转和结余", "23.57", "年末财政拨款结转和结余", "6.10", ""],
    ["总计", "1275.29", "总计", "1275.29", ""],
]


def test_a_two_sided_table_continued_after_label_only_rows_given_as_lines() -> None:
    # 重庆: the table runs on over the page without its header; the first rows there, a
    # label and no figure, came out as lines of text between the two parts
    doc = doc_from_blocks(
        "表4财政拨款收入支出决算总表",
        "单位：万元",
        FISCAL_HEAD,
        "十二、农林水支出",
        "十三、交通运输支出",
        "- 8 -",
        FISCAL_REST,
    )
    facts = _keys(_facts(doc, 2023))
    assert facts[("fa.fiscal_expenditure", "department", "final")] == 1269.19
    assert facts[("fa.fiscal_carryover_begin", "department", "final")] == 23.57
    assert facts[("fa.fiscal_total", "department", "final")] == 1275.29
    assert facts[("fa.fiscal_expenditure", "item:221", "final")] == 90.72
    # a sentence between them: the second table is another one, not read as the first
    doc = doc_from_blocks(
        "表4财政拨款收入支出决算总表",
        "单位：万元",
        FISCAL_HEAD,
        "注：本表反映部门本年度财政拨款总收支和结转结余情况。",
        FISCAL_REST,
    )
    assert ("fa.fiscal_total", "department", "final") not in _keys(_facts(doc, 2023))


def test_a_code_table_continued_after_a_code_row_given_as_a_line() -> None:
    head: list[list[CellSpec]] = [
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["208", "社会保障和就业支出", "113.22", "113.22", ""],
    ]
    rest: list[list[CellSpec]] = [
        ["2080505", "机关事业单位基本养老保险缴费支出", "46.08", "46.08", ""]
    ]
    doc = doc_from_blocks("支出决算表", "单位：万元", head, "20805\t行政事业单位养老支出", rest)
    facts = _keys(_facts(doc, 2024))
    assert facts[("fa.expenditure.basic", "item:2080505", "final")] == 46.08
