"""The national statement tables and document kinds as data: the YAML files load, name
only concepts the taxonomy knows, and recognise the title forms real packages print."""

from __future__ import annotations

import copy
from importlib import resources

import pytest
import yaml

from jixiao.document_kinds import load_document_kinds, parse_document_kinds
from jixiao.statement_tables import (
    load_statement_forms,
    parse_statement_forms,
    strip_ordinal,
    unknown_concepts,
)


def _raw_forms() -> dict:
    text = resources.files("jixiao").joinpath("statement_tables.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_every_concept_the_forms_name_is_in_the_taxonomy() -> None:
    assert unknown_concepts(load_statement_forms()) == []


def test_a_concept_missing_from_the_taxonomy_is_reported() -> None:
    raw = copy.deepcopy(_raw_forms())
    raw["tables"][1]["columns"][0]["concept"] = "fa.no_such_line"
    assert unknown_concepts(parse_statement_forms(raw)) == ["fa.no_such_line"]


def test_nine_tables_per_family() -> None:
    forms = load_statement_forms()
    for family in ("final_accounts", "budget"):
        numbers = sorted(t.number for t in forms.tables if t.family == family and t.required)
        assert numbers == list(range(1, 10)), family


@pytest.mark.parametrize(
    ("title", "form"),
    [
        ("1. 2025年部门财务收支预算总表", "budget.summary"),
        ("2025年预算单位财务收支预算总表", "budget.summary"),
        ("表1 部门收支总表", "budget.summary"),
        ("4.2025年部门财政拨款收支预算总表", "budget.fiscal_summary"),
        ("2025年部门收入预算总表", "budget.revenue"),
        ("5．2025年预算单位一般公共预算支出功能分类预算表", "budget.general_budget"),
        ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "budget.general_budget_basic"),
        ("部门“三公”经费和机关运行经费预算表", "budget.three_public"),
        ('2026年单位"三公"经费和机关运行费预算表', "budget.three_public"),
        ("收入支出决算总表", "final.summary"),
        ("财政拨款收入支出决算总表", "final.fiscal_summary"),
        ("附表5 一般公共预算财政拨款支出决算表", "final.general_budget"),
        ("一般公共预算财政拨款基本支出决算表", "final.general_budget_basic"),
        ("财政拨款“三公”经费支出决算表", "final.three_public"),
        ("国有资本经营预算财政拨款收入支出决算表", "final.state_capital"),
    ],
)
def test_title_forms_across_years_and_levels(title: str, form: str) -> None:
    found = load_statement_forms().form_for_title(title)
    assert found is not None and found.id == form


@pytest.mark.parametrize("title", ["五、部门预算表", "其他相关情况说明", "2025年部门预算编制说明"])
def test_titles_of_no_table_name_no_form(title: str) -> None:
    assert load_statement_forms().form_for_title(title) is None


@pytest.mark.parametrize(
    ("header", "stage"),
    [
        ("预算数", "budget_initial"),
        ("2024年年初预算数", "budget_initial"),
        ("调整预算数", "budget_adjusted"),
        ("全年预算", "budget_adjusted"),
        ("决算数", "final"),
        ("上年执行数", "prior_final"),
        ("上年预算数", "prior_budget"),
        ("合计", None),
    ],
)
def test_stage_words(header: str, stage: str | None) -> None:
    assert load_statement_forms().stage_of(header) == stage


def test_columns_match_their_longest_wording() -> None:
    forms = load_statement_forms()
    three_public = forms.by_id("budget.three_public")
    assert three_public.column_for("公务用车购置费").concept == "fa.three_public.vehicle_purchase"
    assert three_public.column_for("购置费").concept == "fa.three_public.vehicle_purchase"
    assert three_public.column_for("因公出国(境)费").concept == "fa.three_public.overseas"
    assert three_public.column_for("备注") is None


def test_row_labels_lose_their_ordinals() -> None:
    assert strip_ordinal("一、财政拨款收入") == "财政拨款收入"
    assert strip_ordinal("1.一般公共预算资金") == "一般公共预算资金"
    assert strip_ordinal("其中：事业收入") == "事业收入"
    side = load_statement_forms().by_id("budget.summary").sides[0]
    assert side.row_concept("1.一般公共预算资金") == "fa.revenue.general_budget"
    assert side.row_concept("三、事业单位经营收入") == "fa.revenue.operating"
    assert side.row_concept("备注") is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("上海市普陀区2025年区级部门预算", "budget"),
        ("上海市2025年市级单位预算", "budget"),
        ("2024年度部门决算", "final_accounts"),
        ("第二部分 2023年度部门决算情况说明", "final_accounts"),
        ("2023年整体支出绩效报告", "overall_self_evaluation"),
        ("附件 2021年某区信访局整体绩效评价报告", "overall_self_evaluation"),
        ("部门预算项目支出绩效自评报告", "project_self_evaluation"),
        ("2021年部门整体支出绩效目标表", "performance_targets"),
        ("2025年财政项目支出绩效目标填报表", "performance_targets"),
        ("评价指标体系", "rubric"),
    ],
)
def test_document_kind_titles(line: str, kind: str) -> None:
    rule = load_document_kinds().kind_of_title(line)
    assert rule is not None and rule.kind == kind


@pytest.mark.parametrize(
    "line",
    [
        "五、部门预算表",
        "本部门2025年部门预算编制说明如下，收入预算18,976.76万元。",
        "财政拨款收入支出增加的主要原因是项目调整",
    ],
)
def test_lines_naming_no_document_kind(line: str) -> None:
    assert load_document_kinds().kind_of_title(line) is None


def test_an_unknown_kind_in_the_data_is_refused() -> None:
    with pytest.raises(ValueError, match="not a document kind"):
        parse_document_kinds({"kinds": {"annual_report": {"titles": ["年报"]}}})
