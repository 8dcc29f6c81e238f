"""Round-2 rules: budget stages, 其中 heads, named 类款项 lines, survey figures, merged projects.

Sentences are variants written for other departments, years and wordings than the seeds,
so each rule is shown to be about the wording and not about one report.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from document_builder import doc_from_blocks
from jixiao.extract import Extraction
from jixiao.extract.project_scopes import merge_projects, reconcile_scopes
from jixiao.extract.rules.context import province_of_city, read_context
from jixiao.extract.rules.items import item_codes
from jixiao.extract.rules.prose import extract_prose_facts
from jixiao.extract.rules.stages import restage, stage_at, stage_words
from jixiao.extract.rules.tables import extract_tables
from jixiao.models import Department, Evidence, Fact, Project
from jixiao.taxonomy import load_taxonomy

TITLE = "2022年度凉山州某县农业农村局部门决算"


_doc = doc_from_blocks


def facts_of(*lines: str) -> dict[str, list[Fact]]:
    doc = _doc(TITLE, *lines)
    found: dict[str, list[Fact]] = {}
    for fact in extract_prose_facts(doc, [], read_context(doc, [])):
        assert doc.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
        found.setdefault(fact.concept, []).append(fact)
    return found


def values(found: dict[str, list[Fact]], concept: str) -> list[float]:
    return [f.value for f in found.get(concept, [])]


# ---------------------------------------------------------------------------- budget stages
def test_carryover_in_an_initial_budget_sentence_is_the_budgets_carryover():
    found = facts_of(
        "2022年本局收入年初预算120.50万元，年初结转和结余6万元，支出年初预算126.50万元。"
    )
    assert values(found, "budget.initial") == [120.5]
    assert values(found, "budget.carryover_begin") == [6]
    assert values(found, "budget.initial_expenditure") == [126.5]
    assert "fa.carryover_begin" not in found


def test_adjusted_budget_sentences_map_to_budget_concepts_not_final_accounts():
    found = facts_of(
        "2022年调整预算后，收入为300.00万元，其中：财政拨款收入280.00万元，其他收入20.00万元。"
        "2022年度本单位调整预算数总支出为310.00万元，其中财政拨款支出280.00万元，"
        "其他资金支出30.00万元。"
    )
    assert values(found, "budget.adjusted_revenue") == [300]
    assert values(found, "budget.adjusted") == [310]
    assert values(found, "budget.fiscal_funds") == [280]
    assert values(found, "budget.other_funds") == [30]
    assert not [c for c in found if c.startswith("fa.")]


def test_final_accounts_wording_after_a_budget_wording_takes_over():
    found = facts_of("公用经费年初预算数为18.40万元，年末决算数为17.96万元，控制率97.61%。")
    assert values(found, "fa.public") == [17.96]
    assert "budget.initial" not in found  # 公用经费年初预算数 is no department budget total


def test_year_start_arrangement_does_not_turn_the_carryover_into_a_budget_figure():
    found = facts_of("区级财政年初安排88.20万元，年初结余1.05万元，全部用于人员工资。")
    assert values(found, "budget.initial") == [88.2]
    assert values(found, "fa.carryover_begin") == [1.05]


def test_general_budget_kind_is_not_a_budget_stage():
    words = stage_words("一般公共预算收入100万元，政府性基金预算支出5万元")
    assert stage_at(words, 30) is None
    assert restage("fa.revenue_total", "adjusted") == "budget.adjusted_revenue"
    assert restage("fa.revenue.other", "initial") is None
    assert restage("budget.initial", "adjusted") == "budget.initial"


def test_negative_adjusted_budget_is_the_adjustment():
    found = facts_of("2022年年初预算数210.00万元，年度调整预算数-8.40万元，全年执行数201.60万元。")
    assert values(found, "budget.adjustment") == [-8.4]
    assert "budget.adjusted" not in found
    assert values(found, "budget.executed") == [201.6]


def test_comparison_clause_without_subject_compares_the_previous_subject():
    found = facts_of("本局收入年初预算95万元，预算支出100万元，比2021年年初预算增加12.5万元。")
    assert values(found, "budget.initial_expenditure.yoy_change") == [12.5]
    found = facts_of("支出年初预算100万元。比2021年年初预算减少3万元，主要原因是人员减少。")
    assert values(found, "budget.initial_expenditure.yoy_change") == [-3]


def test_a_completion_base_is_the_lines_budget_and_never_the_changes_subject():
    found = facts_of(
        "2022年度“三公”经费财政拨款支出决算为12.40万元，完成全年预算15.00万元的82.7%，"
        "比上年决算数增加1.10万元，增长9.7%。"
    )
    staged = {(f.concept, f.stage): f.value for fs in found.values() for f in fs}
    assert staged[("fa.three_public.total", "budget_adjusted")] == 15
    assert staged[("fa.three_public.total.completion_pct", "final")] == 82.7
    assert staged[("fa.three_public.total.yoy_change", "final")] == 1.1
    assert staged[("fa.three_public.total.yoy_change_pct", "final")] == 9.7
    assert not any(c.startswith("budget.") for c in found)
    # the usual wording, with no amount for the budget, reads as before
    found = facts_of("“三公”经费支出决算为12.40万元，完成年初预算的82.7%，比上年增加1.10万元。")
    assert values(found, "fa.three_public.total.completion_pct") == [82.7]
    assert values(found, "fa.three_public.total.yoy_change") == [1.1]


# ---------------------------------------------------------------------------- 其中 and all-of
def test_parts_after_a_fiscal_expenditure_head_belong_to_that_head():
    found = facts_of(
        "2022年财政拨款支出决算250.10万元，其中：基本支出200.00万元，项目支出50.10万元。"
    )
    assert values(found, "fa.fiscal_expenditure.basic") == [200]
    assert values(found, "fa.fiscal_expenditure.project") == [50.1]
    found = facts_of(
        "2022年度本年支出合计260.00万元，其中：基本支出210.00万元，项目支出50.00万元。"
    )
    assert values(found, "fa.expenditure.basic") == [210]


def test_all_of_repeats_the_figure_for_the_concept_named():
    found = facts_of("1、2022年部门决算收入是512.30万元，全部为一般公共预算财政拨款收入。")
    assert values(found, "fa.revenue_total") == [512.3]
    assert values(found, "fa.revenue.general_budget") == [512.3]


def test_truncated_function_label_before_punctuation_keeps_its_number():
    found = facts_of(
        "部门支出120万元，其中一般公共服务支出100万元，卫生健康支,7.25万元，住房保障支出12.75万元。"
    )
    assert values(found, "fa.function.210") == [7.25]
    assert values(found, "fa.function.221") == [12.75]


# ---------------------------------------------------------------------------- 类款项 by name
def test_named_item_lines_get_their_classification_codes():
    found = facts_of(
        "3.社会保障和就业（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）:"
        "支出决算为31.02万元，完成预算100%。",
        "4.农林水（类）农业农村（款）病虫害控制（项）:支出决算为9.00万元。",
    )
    lines = [(f.scope, f.value) for f in found.get("fa.function.208", [])]
    assert lines == [("item:2080505", 31.02)]
    # a 款 not in the national list and not in the document's tables: no line at all
    assert not [f for f in found.get("fa.function.213", []) if f.scope.startswith("item:")]


def test_item_codes_tolerate_a_missing_office_marker_and_words_before_the_class():
    fc = load_taxonomy().function_classes
    assert item_codes("主要用于一般公共服务", "政府办公厅及相关机构事务", "行政运行", fc) == [
        "201",
        "03",
        "01",
    ]
    assert item_codes("住房保障", "住房改革支出", "不存在的项", fc) is None


# ---------------------------------------------------------------------------- staff, survey
def test_generic_staff_wordings_in_an_institution_sentence_count_its_posts():
    found = facts_of("下属事业单位核定编制9名，实有人数8名。")
    assert values(found, "staff.authorized_institution") == [9]
    assert values(found, "staff.actual_institution") == [8]
    found = facts_of("本局行政事业单位核定编制20名。")
    assert values(found, "staff.authorized") == [20]


def test_satisfaction_rate_is_read_and_an_indicator_title_is_no_project():
    found = facts_of("（4）服务对象满意度：群众满意度为96%，达到预期目标。")
    fact = found["eval.satisfaction_rate"][0]
    assert (fact.value, fact.scope) == (96, "department")


# ---------------------------------------------------------------------------- places, level
def test_prefecture_level_cities_know_their_province():
    assert province_of_city("绵阳市") == "四川省"
    assert province_of_city("湘西土家族苗族自治州") == "湖南省"
    assert province_of_city("某某市") is None


# ---------------------------------------------------------------------------- indicators
def _ctx() -> SimpleNamespace:
    return SimpleNamespace(fiscal_year=2022, department=Department(), taxonomy=load_taxonomy())


def test_rubric_rows_keep_weight_notes_and_get_no_inferred_operator():
    doc = _doc(
        "2022年项目支出绩效评价指标体系（农机补贴）",
        [
            ["一级指标", "二级指标", "三级指标", "分值", "指标值", "得分"],
            ["决策（15分）", "项目立项（5分）", "立项依据充分性", "5", "充分", "5"],
            ["", "", "预算执行率", "10", "100%", "9"],
        ],
    )
    rows = [r for r in extract_tables(doc, [], _ctx()).indicators if r.table == "rubric"]
    first, rate = rows[0], rows[1]
    assert (first.level1, first.level2, first.operator) == ("决策（15分）", "项目立项（5分）", None)
    assert (rate.level1, rate.operator, rate.target_value) == ("决策（15分）", None, 100)


def test_a_count_per_listed_item_is_a_qualitative_target():
    doc = _doc(
        "2022年项目绩效目标自评表",
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
            ["产出指标", "数量指标", "配备应急物资", "帐篷、睡袋、手电各2个", "100%"],
        ],
    )
    row = extract_tables(doc, [], _ctx()).indicators[0]
    assert (row.operator, row.target_value) == ("定性", None)


# ---------------------------------------------------------------------------- projects
def _fact_in(scope: str) -> Fact:
    return Fact(
        id="",
        concept="budget.executed",
        scope=scope,
        value=1.0,
        unit="万元",
        text="1",
        evidence=Evidence(quote="1", start=0, end=1),
        origin="rules",
    )


def test_heading_variant_of_a_project_merges_into_the_coded_table_name():
    heading = Project(name="农机购置补贴工作经费")
    table = Project(name="农机购置补贴经费", code="51010022T000000000001")
    other = Project(name="农机安全监理经费", code="51010022T000000000002")
    extraction = Extraction(
        projects=[heading, other, table], facts=[_fact_in("农机购置补贴工作经费")]
    )
    reconcile_scopes(extraction)
    assert [p.name for p in extraction.projects] == ["农机购置补贴经费", "农机安全监理经费"]
    assert extraction.projects[0].code == "51010022T000000000001"
    assert extraction.facts[0].scope == "农机购置补贴经费"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            Project(name="处非专项经费", code="1111T1111111"),
            Project(name="处非专项工作经费", code="2222T2222222"),
        ),
        (Project(name="保安费用"), Project(name="接访费用")),
    ],
)
def test_projects_with_other_codes_or_other_names_stay_apart(a: Project, b: Project):
    kept, aliases = merge_projects([a, b])
    assert len(kept) == 2 and aliases == {}
