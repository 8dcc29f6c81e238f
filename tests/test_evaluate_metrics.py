"""The eval's metric functions, checked against small cases counted by hand."""

from __future__ import annotations

import pytest

from evaluate_helpers import fact, flag, record, row
from jixiao.evaluate.gold import Gold, GoldFact, GoldFlag, GoldIndicator
from jixiao.evaluate.matching import name_key, same_number, scope_key, tolerance
from jixiao.evaluate.metrics import (
    Counts,
    align_rows,
    score_department,
    score_document,
    score_facts,
    score_flags,
    score_indicators,
)
from jixiao.models import Department


def gold_fact(concept: str, value: float, scope: str = "department", year: int = 2021) -> GoldFact:
    return GoldFact(concept=concept, value=value, scope=scope, year=year)


def total(counts: dict[str, Counts]) -> Counts:
    return sum(counts.values(), Counts())


# ---------------------------------------------------------------- counts and tolerance


def test_counts_give_precision_recall_and_f1():
    c = Counts(tp=2, fp=2, fn=1)
    assert (c.precision, c.recall) == (0.5, pytest.approx(2 / 3))
    assert c.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_nothing_to_find_and_nothing_found_is_perfect_but_missing_everything_is_zero():
    assert Counts().f1 == 1.0
    assert Counts(fn=3).f1 == 0.0
    assert Counts(fp=3).precision == 0.0


def test_tolerance_is_half_a_unit_of_the_gold_last_printed_decimal():
    assert tolerance(213.61) == pytest.approx(0.005)
    assert tolerance(16) == 0.5
    assert tolerance(0.1234) == pytest.approx(0.00005)


def test_tolerance_never_drops_below_one_millionth_of_the_value():
    assert tolerance(173.4271) == pytest.approx(173.4271e-6)
    assert same_number(213.61, 213.614)
    assert not same_number(213.61, 213.6)
    assert not same_number(16, 61)


def test_a_printed_zero_is_exact():
    assert same_number(0, 0.0)
    assert not same_number(0, 0.3)


# ---------------------------------------------------------------- facts


def test_facts_partial_match_counts_hits_misses_and_extras():
    gold = [gold_fact("fa.expenditure_total", 213.61), gold_fact("fa.carryover_end", 0.14)]
    predicted = [fact("fa.expenditure_total", 213.61), fact("fa.total", 300)]
    counts, misses = score_facts(gold, predicted, [], 2021)
    assert total(counts) == Counts(tp=1, fp=1, fn=1)
    assert {m.outcome for m in misses} == {"fn", "fp"}


def test_duplicate_mentions_that_agree_are_one_true_positive():
    gold = [gold_fact("fa.expenditure_total", 213.61)]
    predicted = [fact("fa.expenditure_total", 213.61), fact("fa.expenditure_total", 213.61)]
    counts, _ = score_facts(gold, predicted, [], 2021)
    assert counts["fa.expenditure_total"] == Counts(tp=1)


def test_duplicate_mentions_that_disagree_count_the_wrong_value_as_false_positive():
    gold = [gold_fact("fa.revenue.gov_fund", 16)]
    predicted = [fact("fa.revenue.gov_fund", 16), fact("fa.revenue.gov_fund", 61)]
    counts, misses = score_facts(gold, predicted, [], 2021)
    assert counts["fa.revenue.gov_fund"] == Counts(tp=1, fp=1)
    assert misses[0].predicted == [61]


def test_a_mention_rounded_from_a_more_precise_one_is_the_same_prediction():
    gold = [gold_fact("fa.function.204", 257.8025)]
    predicted = [fact("fa.function.204", 257.8), fact("fa.function.204", 257.8025)]
    counts, misses = score_facts(gold, predicted, [], 2025)
    assert counts["fa.function.204"] == Counts(tp=1)
    assert misses == []


def test_a_coarse_mention_that_is_not_the_precise_value_rounded_stays_a_second_value():
    gold = [gold_fact("fa.function.204", 257.8025)]
    predicted = [fact("fa.function.204", 257.9), fact("fa.function.204", 257.8025)]
    counts, misses = score_facts(gold, predicted, [], 2025)
    assert counts["fa.function.204"] == Counts(tp=1, fp=1)
    assert misses[0].predicted == [257.9]


def test_a_wrong_value_is_both_a_false_positive_and_a_miss():
    counts, misses = score_facts(
        [gold_fact("fa.revenue_total", 213.34)], [fact("fa.revenue_total", 213.36)], [], 2021
    )
    assert counts["fa.revenue_total"] == Counts(fp=1, fn=1)
    assert misses[0].outcome == "wrong"


def test_prior_year_value_is_a_different_key_from_this_year():
    gold = [gold_fact("fa.expenditure_total", 491.03, year=2022)]
    counts, _ = score_facts(gold, [fact("fa.expenditure_total", 491.03, year=2023)], [], 2023)
    assert counts["fa.expenditure_total"] == Counts(fp=1, fn=1)


def test_a_fact_without_year_belongs_to_the_fiscal_year():
    counts, _ = score_facts(
        [gold_fact("fa.total", 10, year=2023)], [fact("fa.total", 10, year=None)], [], 2023
    )
    assert counts["fa.total"] == Counts(tp=1)


@pytest.mark.parametrize(
    "predicted_scope",
    [
        "处非专项经费",
        "2023年处非专项经费项目",
        "“处非专项经费”",
        "处 非 专项经费",
        "2023年度“处非专项经费”",
    ],
)
def test_project_scope_is_compared_after_normalising_the_name(predicted_scope):
    names = ["处非专项经费", "接访工作经费"]
    gold = [gold_fact("budget.executed", 12.5, scope="处非专项经费")]
    counts, _ = score_facts(
        gold, [fact("budget.executed", 12.5, scope=predicted_scope)], names, 2023
    )
    assert counts["budget.executed"] == Counts(tp=1)


def test_a_different_project_is_a_different_scope():
    names = ["处非专项经费", "接访工作经费"]
    assert scope_key("接访工作经费", names) != scope_key("处非专项经费", names)
    assert name_key("2021年“保安费用”项目") == "保安费用"


# ---------------------------------------------------------------- indicator rows


def gold_row(level3: str, **cells) -> GoldIndicator:
    return GoldIndicator(scope="保安费用", table="self_eval", level3=level3, **cells)


def test_rows_align_one_to_one_with_a_missing_and_an_extra_row():
    gold = [gold_row("群众满意度"), gold_row("完成年度"), gold_row("区级财政")]
    predicted = [
        row("保安费用", "群众满意度"),
        row("保安费用", "区级 财政"),
        row("保安费用", "信访事项办结率"),
    ]
    pairs = sorted(align_rows(gold, predicted), key=str)
    assert sorted(pairs, key=str) == sorted([(0, 0), (2, 1), (1, None), (None, 2)], key=str)


def test_rows_with_the_same_level3_are_told_apart_by_level2():
    gold = [
        gold_row("解决全年问题", level2="数量指标"),
        gold_row("解决全年问题", level2="质量指标"),
    ]
    predicted = [
        row("保安费用", "解决全年问题", level2="质量指标"),
        row("保安费用", "解决全年问题", level2="数量指标"),
    ]
    assert sorted(align_rows(gold, predicted)) == [(0, 1), (1, 0)]


def test_indicator_cells_are_scored_one_by_one():
    gold = [
        gold_row(
            "区级财政",
            level1="产出指标",
            operator="=",
            target_text="8",
            target_value=8,
            actual_text="4.4",
            actual_value=4.4,
        ),
        gold_row("完成年度", level1="产出指标", operator="定性", target_text="本年度"),
    ]
    predicted = [
        # level1 right, operator missing, target right, actual wrong
        row(
            "保安费用",
            "区级财政",
            level1="产出指标",
            target_text="8",
            target_value=8,
            actual_text="4.5",
            actual_value=4.5,
        ),
        # the second gold row is missing; this one is extra
        row("保安费用", "信访事项办结率", target_text="100%", target_value=100),
        # a blank template row is not an indicator and costs nothing
        row("保安费用", None, level2="生态效益指标"),
    ]
    counts, _ = score_indicators(gold, predicted, ["保安费用"])
    # row 1: level1 ✓, level3 ✓, target_text ✓, target_value ✓ → 4 tp;
    #        operator fn; actual_text, actual_value wrong → 2 fp + 2 fn
    # row 2 (gold only): level1, level3, operator, target_text → 4 fn
    # extra row: level2? no (not set); level3, target_text, target_value → 3 fp
    assert total(counts) == Counts(tp=4, fp=5, fn=7)
    assert counts["level2"] == Counts()


def test_merged_cell_text_is_compared_without_line_breaks_or_full_width_forms():
    gold = [gold_row("确保信访安保工作质量", level1="满意度指标", target_text="≥95%")]
    predicted = [
        row("保安费用", "确保信访安保\n工作质量", level1="满意\n度指标", target_text="≥９５％")
    ]
    counts, _ = score_indicators(gold, predicted, ["保安费用"])
    assert total(counts) == Counts(tp=3)


def test_unit_is_scored_only_where_the_gold_states_one():
    gold = [gold_row("区级财政", target_text="8")]
    predicted = [row("保安费用", "区级财政", target_text="8", unit="万元")]
    counts, _ = score_indicators(gold, predicted, ["保安费用"])
    assert counts["unit"] == Counts()


def test_rows_of_another_table_or_scope_do_not_align():
    gold = [gold_row("群众满意度")]
    predicted = [row("保安费用", "群众满意度", table="target"), row("接访费用", "群众满意度")]
    counts, _ = score_indicators(gold, predicted, ["保安费用", "接访费用"])
    assert counts["level3"] == Counts(fp=2, fn=1)


# ---------------------------------------------------------------- department


def test_department_fields_stated_in_gold_are_scored_and_null_means_not_stated():
    gold = Gold.model_validate(
        {"department": {"name": "石峰区信访局", "city": None}, "fiscal_year": 2021}
    )
    gold.department_fields = ["city", "name", "fiscal_year"]
    predicted = record(
        department=Department(name="石峰区 信访局", city="株洲市", county="石峰区"),
        fiscal_year=2020,
    )
    counts, _ = score_department(gold, predicted)
    assert counts == {"name": Counts(tp=1), "city": Counts(fp=1), "fiscal_year": Counts(fp=1, fn=1)}


# ---------------------------------------------------------------- flags


SUM_SLIP = GoldFlag(check="sum", concepts=["fa.expenditure_total", "fa.function.*"])


def test_a_flag_is_detected_when_check_and_concepts_match():
    rec = record(
        facts=[
            fact("fa.expenditure_total", 213.61, fid="f1"),
            fact("fa.function.201", 155.63, fid="f2"),
        ],
        flags=[flag("sum", ["f1", "f2"], "g1")],
    )
    score, _ = score_flags([SUM_SLIP], rec, [])
    assert (score.detected, score.false_alarms) == (1, 0)


def test_flags_with_another_check_or_unrelated_concepts_are_false_alarms():
    rec = record(
        facts=[
            fact("fa.three_public.total", 3, fid="f1"),
            fact("fa.function.201", 155.63, fid="f2"),
        ],
        flags=[
            flag("sum", ["f1"], "g1"),
            flag("share", ["f2"], "g2"),
            flag("completeness", [], "g3"),
        ],
    )
    score, misses = score_flags([SUM_SLIP], rec, [])
    assert (score.gold, score.detected, score.predicted, score.false_alarms) == (1, 0, 2, 2)
    assert [m.outcome for m in misses] == ["fn", "fp", "fp"]


def test_a_flag_with_a_scope_must_point_at_that_project():
    slip = GoldFlag(check="cross_mention", concepts=["budget.executed"], scope="保安费用")
    names = ["保安费用", "接访费用"]
    wrong = record(
        facts=[fact("budget.executed", 2, scope="接访费用", fid="f1")],
        flags=[flag("cross_mention", ["f1"], "g1")],
    )
    right = record(
        facts=[fact("budget.executed", 8, scope="2021年保安费用项目", fid="f1")],
        flags=[flag("cross_mention", ["f1"], "g1")],
    )
    assert score_flags([slip], wrong, names)[0].detected == 0
    assert score_flags([slip], right, names)[0].detected == 1


def test_two_predicted_flags_on_one_slip_are_one_detection_and_no_false_alarm():
    rec = record(
        facts=[
            fact("fa.expenditure_total", 213.61, fid="f1"),
            fact("fa.function.208", 18.24, fid="f2"),
        ],
        flags=[flag("sum", ["f1"], "g1"), flag("sum", ["f2"], "g2")],
    )
    score, _ = score_flags([SUM_SLIP], rec, [])
    assert (score.detected, score.matched_predicted, score.false_alarms) == (1, 2, 0)


# ---------------------------------------------------------------- one document


def test_gold_facts_of_concepts_the_taxonomy_lacks_are_listed_not_scored():
    gold = Gold(
        facts=[
            gold_fact("staff.authorized.administrative", 3),
            gold_fact("fa.revenue_total", 213.34),
        ]
    )
    rec = record(
        facts=[fact("staff.authorized.administrative", 4), fact("fa.revenue_total", 213.34)]
    )
    score = score_document("x", gold, rec)
    assert score.unscored_concepts == ["staff.authorized.administrative"]
    assert score.by_kind["facts"] == Counts(tp=1)


def test_a_gold_limited_to_indicators_ignores_facts_and_department():
    gold = Gold(
        only=["indicators"],
        facts=[gold_fact("fa.revenue_total", 1)],
        indicators=[gold_row("群众满意度")],
    )
    rec = record(facts=[fact("fa.total", 9)], indicators=[row("保安费用", "群众满意度")])
    score = score_document("x-docx", gold, rec)
    assert set(score.by_kind) == {"indicators"}
    assert score.total == Counts(tp=1)


# ---------------------------------------------------------------- stages


def staged(concept: str, value: float, stage: str | None, year: int = 2025) -> GoldFact:
    return GoldFact(concept=concept, value=value, year=year, stage=stage)


def test_a_staged_gold_fact_is_found_only_at_its_stage():
    gold = [staged("fa.total", 120.5, "budget_initial"), staged("fa.total", 98.2, "final")]
    right = [
        fact("fa.total", 120.5, year=2025, stage="budget_initial"),
        fact("fa.total", 98.2, year=2025, stage="final"),
    ]
    swapped = [
        fact("fa.total", 98.2, year=2025, stage="budget_initial"),
        fact("fa.total", 120.5, year=2025, stage="final"),
    ]
    assert total(score_facts(gold, right, [], 2025)[0]) == Counts(tp=2)
    assert total(score_facts(gold, swapped, [], 2025)[0]) == Counts(fp=2, fn=2)


def test_a_prediction_without_the_stage_the_gold_gives_is_a_key_of_its_own():
    counts, misses = score_facts(
        [staged("fa.total", 120.5, "final")], [fact("fa.total", 120.5, year=2025)], [], 2025
    )
    assert counts["fa.total"] == Counts(fp=1, fn=1)
    assert {m.key for m in misses} == {"fa.total|department|2025|final", "fa.total|department|2025"}


def test_where_the_gold_gives_no_stage_the_predicted_stage_is_not_looked_at():
    gold = [staged("fa.total", 120.5, None)]
    predicted = [fact("fa.total", 120.5, year=2025, stage="final")]
    assert score_facts(gold, predicted, [], 2025)[0]["fa.total"] == Counts(tp=1)


# ---------------------------------------------------------------- key facts


def test_key_fact_recall_counts_key_concepts_only_and_not_item_lines():
    gold = Gold(
        facts=[
            gold_fact("fa.revenue_total", 213.34),  # key, found
            gold_fact("fa.three_public.total", 3.2),  # key, found with a wrong value
            gold_fact("fa.function.201", 155.63),  # a class total: key, missed
            gold_fact("fa.function.201", 20.5, scope="item:20103"),  # an item line: not key
            gold_fact("budget.initial", 8),  # not key
        ]
    )
    rec = record(
        facts=[
            fact("fa.revenue_total", 213.34),
            fact("fa.three_public.total", 3.5),
            fact("budget.initial", 8),
            fact("fa.function.201", 20.5, scope="item:20103"),
        ]
    )
    score = score_document("x", gold, rec)
    assert score.key_facts == Counts(tp=1, fn=2)
    assert score.key_facts.recall == pytest.approx(1 / 3)


def test_the_taxonomy_marks_totals_and_class_totals_as_key_but_not_derived_figures():
    from jixiao.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    assert taxonomy.is_key("fa.expenditure_total") and taxonomy.is_key("fa.function.208")
    assert not taxonomy.is_key("fa.expenditure_total.yoy_change")
    assert not taxonomy.is_key("fa.item.201.03.08") and not taxonomy.is_key("budget.executed")


# ---------------------------------------------------------------- flags as detection

EMPTY_REASON = GoldFlag(check="missing_reason", quote="公务接待费减少0.3万元，主要原因是。", page=4)


def test_a_wording_flag_is_found_by_the_place_it_quotes():
    rec = record(flags=[flag("missing_reason", [], quote="减少0.3万元，主要原因是。", page=4)])
    score, _ = score_flags([EMPTY_REASON], rec, [])
    assert (score.detected, score.false_alarms) == (1, 0)


def test_the_same_quote_on_another_page_is_another_problem():
    rec = record(flags=[flag("missing_reason", [], quote="减少0.3万元，主要原因是。", page=9)])
    score, _ = score_flags([EMPTY_REASON], rec, [])
    assert (score.detected, score.false_alarms) == (0, 1)


def test_a_bare_number_does_not_say_where_a_problem_is():
    slip = GoldFlag(check="zero_budget_rate", quote="年初预算为0万元，完成年初预算的100%")
    rec = record(
        facts=[fact("budget.execution_rate", 100, fid="f1", quote="100")],
        flags=[flag("zero_budget_rate", ["f1"])],
    )
    assert score_flags([slip], rec, [])[0].detected == 0


def test_a_flag_with_other_operands_counts_when_its_evidence_overlaps_the_gold_quote():
    """The gold names the sentence's 支出 and change; the verifier reported the table's
    本年支出合计 and the change from the sentence: another concept set, the same place."""
    slip = GoldFlag(
        check="yoy",
        concepts=["fa.expenditure_total.yoy_change", "fa.expenditure_total"],
        quote="支出决算总额比2022年491.03万元减少79.09万元",
    )
    rec = record(
        facts=[
            fact("fa.fiscal_expenditure", 416.18, fid="f1", quote="本年支出合计416.18"),
            fact("fa.fiscal_expenditure.yoy_change", -79.09, fid="f2", quote="减少79.09万元"),
        ],
        flags=[flag("yoy", ["f1", "f2"])],
    )
    assert score_flags([slip], rec, [])[0].detected == 1
    rec.facts[1].evidence.quote = "增加5.00万元"
    assert score_flags([slip], rec, [])[0].detected == 0


def test_flag_scores_add_up_to_false_alarms_per_document_by_severity():
    clean = record(flags=[])
    noisy = record(
        flags=[
            flag("year", [], "g1", quote="2022年度", severity="warning"),
            flag("year", [], "g2", quote="2021年度", severity="error"),
        ]
    )
    first, _ = score_flags([], clean, [])
    second, _ = score_flags([], noisy, [])
    both = first + second
    assert (both.documents, both.false_alarms, both.false_alarms_per_document) == (2, 2, 1.0)
    assert both.to_dict()["false_alarms_by_severity"] == {"error": 1, "warning": 1}
    assert both.missed == 0 and both.recall == 1.0
