"""A 部门预算's sentences: figures of the year before, and stage wordings of a line."""

from __future__ import annotations

from jixiao.document import RawParagraph, RawText
from jixiao.extract.rules import RulesBackend
from jixiao.ingest.build import build_document
from jixiao.segment import segment

BUDGET = "某市某区某某局2025年部门预算"
FINAL = "某市某区某某局2024年度部门决算"


def facts_of(title: str, *lines: str) -> set[tuple]:
    blocks = [RawParagraph(RawText(line)) for line in (title, *lines)]
    doc = build_document(blocks, path="t.txt", sha256="0", format="txt")
    facts = RulesBackend().extract(doc, segment(doc)).facts
    return {(f.concept, f.year, f.stage, f.value) for f in facts}


def test_a_sentence_framed_by_the_year_before_dates_its_figures():
    got = facts_of(BUDGET, "上年度部门预算中，公务接待费1.2万元，机关运行经费28万元。")
    assert ("fa.three_public.reception", 2024, "prior_budget", 1.2) in got
    assert ("fa.operating_expenditure", 2024, "prior_budget", 28.0) in got
    assert not any(year == 2025 for _, year, _, _ in got)


def test_the_current_year_named_after_the_frame_keeps_its_figure():
    got = facts_of(BUDGET, "上年，本部门收入预算480万元，本年收入预算500万元。")
    assert ("fa.revenue_total", 2024, "prior_budget", 480.0) in got
    assert ("fa.revenue_total", 2025, "budget_initial", 500.0) in got


def test_a_frame_in_a_final_accounts_report_dates_its_figures_to_the_prior_final():
    got = facts_of(FINAL, "上年度，公务接待费支出1.2万元。")
    assert ("fa.three_public.reception", 2023, "prior_final", 1.2) in got


def test_an_unframed_sentence_stays_in_the_document_year():
    got = facts_of(BUDGET, "部门预算中，公务接待费1.2万元。")
    assert ("fa.three_public.reception", 2025, "budget_initial", 1.2) in got


def test_a_stage_wording_continuing_a_line_is_that_line_at_its_stage():
    got = facts_of(BUDGET, "“三公”经费预算2.5万元，上年执行数2.1万元。")
    assert ("fa.three_public.total", 2025, "budget_initial", 2.5) in got
    assert ("fa.three_public.total", 2024, "prior_final", 2.1) in got
    assert not any(concept.startswith("budget.") for concept, *_ in got)


def test_a_bare_stage_wording_in_a_budget_is_no_budget_concept():
    got = facts_of(BUDGET, "上年执行数2.1万元。")
    assert not any(concept.startswith("budget.") for concept, *_ in got)


def test_the_fiscal_grand_total_with_its_stage_word_is_the_fiscal_total():
    got = facts_of(FINAL, "2024年度财政拨款收入支出决算总计300万元，与2023年度相比，增加20万元。")
    assert ("fa.fiscal_total", 2024, "final", 300.0) in got
    assert ("fa.fiscal_total.yoy_change", 2024, "final", 20.0) in got
    assert not any(concept.startswith("fa.fiscal_revenue") for concept, *_ in got)
    got = facts_of(BUDGET, "2025年财政拨款收支预算总计300万元。")
    assert ("fa.fiscal_total", 2025, "budget_initial", 300.0) in got


def test_a_change_after_a_share_is_its_subjects_not_the_shares_whole():
    got = facts_of(
        FINAL,
        "2024年度一般公共预算财政拨款支出880.45万元，占本年支出合计的100.00%，"
        "较上年增加67.10万元，增长8.25%。",
    )
    assert ("fa.general_budget_expenditure.yoy_change", 2024, "final", 67.1) in got
    assert ("fa.general_budget_expenditure.yoy_change_pct", 2024, "final", 8.25) in got
    assert not any(concept.startswith("fa.expenditure_total") for concept, *_ in got)


def test_a_comparison_sentence_without_its_own_wording_continues_the_previous_subject():
    got = facts_of(
        FINAL,
        "2024年度一般公共预算财政拨款支出1269.19万元，占本年支出合计的100.0%。"
        "与2023年度相比，减少96.66万元，下降7.1%。",
    )
    assert ("fa.general_budget_expenditure.yoy_change", 2024, "final", -96.66) in got
    assert ("fa.general_budget_expenditure.yoy_change_pct", 2024, "final", -7.1) in got
    assert not any(concept.startswith("fa.expenditure_total") for concept, *_ in got)
    # a comparison opening a paragraph has no subject to continue
    assert facts_of(FINAL, "与2023年度相比，减少96.66万元。") == set()


def test_the_grand_total_worded_as_a_total_budget_is_the_total_with_its_change():
    got = facts_of(
        BUDGET, "2025年本部门收支总预算804.67万元，比2024年预算增加7.66万元，增长0.96%。"
    )
    assert ("fa.total", 2025, "budget_initial", 804.67) in got
    assert ("fa.total.yoy_change", 2025, "budget_initial", 7.66) in got
    fiscal = facts_of(BUDGET, "2025年财政拨款收支总预算782.83万元，同比增加5.88万元。")
    assert ("fa.fiscal_total", 2025, "budget_initial", 782.83) in fiscal
    assert not any(concept.startswith("fa.total") for concept, *_ in fiscal)


def test_the_three_public_appropriation_budget_is_the_three_public_total_not_appropriations():
    got = facts_of(BUDGET, "2025年“三公”经费财政拨款预算30.17万元，比2024年预算增加26.51万元。")
    assert ("fa.three_public.total", 2025, "budget_initial", 30.17) in got
    assert ("fa.three_public.total.yoy_change", 2025, "budget_initial", 26.51) in got
    assert not any(concept.startswith("budget.") for concept, *_ in got)


def test_procurement_parts_worded_as_classes_are_goods_works_and_services():
    got = facts_of(
        BUDGET,
        "2025年本部门政府采购预算233.85万元，其中：货物类50.45万元，工程类30.06万元，服务类采购153.34万元。",
    )
    assert ("fa.procurement.goods", 2025, "budget_initial", 50.45) in got
    assert ("fa.procurement.works", 2025, "budget_initial", 30.06) in got
    assert ("fa.procurement.services", 2025, "budget_initial", 153.34) in got


def test_a_count_after_an_as_of_date_takes_the_year_its_own_clause_names():
    got = facts_of(BUDGET, "截至2024年12月31日，本部门共有车辆2辆；2025年预算安排购置车辆1辆。")
    assert ("asset.vehicles", 2024, None, 2.0) in got
    assert ("asset.vehicles_planned", 2025, None, 1.0) in got


def test_projects_counted_before_their_wording_and_the_money_they_cover_are_read():
    got = facts_of(
        FINAL, "本部门对2024年度3个项目开展了绩效自评，涉及资金128.53万元，平均得分93.0分。"
    )
    assert ("perf.self_eval_projects", 2024, None, 3.0) in got
    # the money self-evaluations cover is budget money, even in a 决算
    assert ("perf.self_eval_funds", 2024, "budget_initial", 128.53) in got


def test_money_involved_with_no_project_count_before_it_is_no_performance_figure():
    got = facts_of(FINAL, "本年度开展专项整治行动，涉及资金12.5万元。")
    assert not any(concept.startswith("perf.") for concept, *_ in got)


def test_a_final_accounts_clause_of_a_bare_stage_wording_continues_the_line_before():
    got = facts_of(
        FINAL, "2024年度“三公”经费财政拨款支出预算9.89万元，实际支出8.09万元，完成预算的81.80%。"
    )
    assert ("fa.three_public.total", 2024, "budget_initial", 9.89) in got
    assert ("fa.three_public.total", 2024, "final", 8.09) in got
    assert ("fa.three_public.total.completion_pct", 2024, "final", 81.8) in got
    assert not any(concept.startswith("budget.") for concept, *_ in got)


def test_a_final_accounts_stage_wording_with_no_line_before_stays_the_budget_execution():
    got = facts_of(FINAL, "本年度全年预算数120万元，实际支出100万元，完成预算的83.33%。")
    assert ("budget.executed", 2024, "final", 100.0) in got
    assert not any(concept.startswith("fa.") for concept, *_ in got)


def test_the_total_named_as_both_sides_is_the_subject_of_the_change_that_follows():
    got = facts_of(
        FINAL,
        "2024年度收入总计1275.29万元，支出总计1275.29万元。收、支与2023年度相比，减少101.88万元，下降7.4%。",
    )
    assert ("fa.total", 2024, "final", 1275.29) in got
    assert ("fa.total.yoy_change", 2024, "final", -101.88) in got
    assert ("fa.total.yoy_change_pct", 2024, "final", -7.4) in got


def test_the_bare_other_side_of_a_fiscal_total_is_the_fiscal_total():
    got = facts_of(
        FINAL,
        "2024年度财政拨款收入总计956.51万元、支出总计956.51万元，与2023年度相比增加62.09万元。",
    )
    assert ("fa.fiscal_total", 2024, "final", 956.51) in got
    assert ("fa.fiscal_total.yoy_change", 2024, "final", 62.09) in got
    assert not any(concept.startswith("fa.total") for concept, *_ in got)


def test_a_bare_pair_of_sides_stays_the_grand_total():
    got = facts_of(FINAL, "2024年度收入总计962.93万元、支出总计962.93万元，比上年增加61.14万元。")
    assert ("fa.total", 2024, "final", 962.93) in got
    assert ("fa.total.yoy_change", 2024, "final", 61.14) in got
    assert not any(concept.startswith("fa.fiscal_total") for concept, *_ in got)


def test_a_budget_total_put_as_its_amount_is_read():
    got = facts_of(
        BUDGET,
        "2025年部门收支预算总额585.93万元，与上年相比增加0.93万元。",
        "2025年财政拨款收支预算总额583.94万元。",
    )
    assert ("fa.total", 2025, "budget_initial", 585.93) in got
    assert ("fa.total.yoy_change", 2025, "budget_initial", 0.93) in got
    assert ("fa.fiscal_total", 2025, "budget_initial", 583.94) in got


def test_procurement_parts_put_as_kinds_of_purchase_are_read():
    got = facts_of(
        BUDGET,
        "2025年政府采购预算总额183.10万元，其中：货物采购27.81万元、工程采购9.41万元、服务采购145.88万元。",
    )
    assert ("fa.procurement_total", 2025, "budget_initial", 183.10) in got
    assert ("fa.procurement.goods", 2025, "budget_initial", 27.81) in got
    assert ("fa.procurement.works", 2025, "budget_initial", 9.41) in got
    assert ("fa.procurement.services", 2025, "budget_initial", 145.88) in got
    got = facts_of(FINAL, "2024年度政府采购支出共计162.61万元，其中：货物采购支出54.32万元。")
    assert ("fa.procurement.goods", 2024, "final", 54.32) in got


def test_operating_expenditure_named_with_its_funds_keeps_its_change():
    got = facts_of(
        BUDGET, "2025年本部门机关运行经费财政拨款预算113.44万元，比2024年减少11.54万元。"
    )
    assert ("fa.operating_expenditure", 2025, "budget_initial", 113.44) in got
    assert ("fa.operating_expenditure.yoy_change", 2025, "budget_initial", -11.54) in got
    assert not any(concept.startswith("budget.") for concept, *_ in got)


def test_counts_of_projects_under_target_management_and_self_evaluation_are_read():
    got = facts_of(BUDGET, "2025年本部门纳入绩效目标管理的项目2个，涉及预算资金95.92万元。")
    assert ("perf.target_projects", 2025, None, 2) in got
    assert ("perf.target_funds", 2025, "budget_initial", 95.92) in got
    got = facts_of(
        FINAL, "2024年度本部门组织对3个项目支出开展绩效自评，涉及资金158.98万元，自评平均分89.4分。"
    )
    assert ("perf.self_eval_projects", 2024, None, 3) in got
    assert ("perf.self_eval_score", 2024, None, 89.4) in got


def test_equipment_counted_by_unit_value_is_large_equipment():
    got = facts_of(
        FINAL, "截至2024年12月31日，本部门共有车辆4辆；单位价值100万元（含）以上设备2台（套）。"
    )
    assert ("asset.large_equipment", 2024, None, 2) in got


def test_a_change_in_the_sentence_after_its_line_is_that_lines():
    got = facts_of(
        FINAL,
        "2024年度一般公共预算财政拨款支出947.06万元，占本年支出合计的98.35%。"
        "比2023年度增加71.52万元，增长8.16%。主要原因：人员增加。",
    )
    assert ("fa.general_budget_expenditure.yoy_change", 2024, "final", 71.52) in got
    assert ("fa.general_budget_expenditure.yoy_change_pct", 2024, "final", 8.16) in got
    assert not any(concept.startswith("fa.expenditure_total") for concept, *_ in got)


def test_a_change_after_a_sentence_naming_no_line_is_nobodys():
    got = facts_of(FINAL, "本部门认真落实过紧日子要求。比2023年度增加71.52万元，增长8.16%。")
    assert not any(concept.endswith(("yoy_change", "yoy_change_pct")) for concept, *_ in got)
