"""Indicator-table checks: scores and unit rates (verify/scores.py, unit_rates.py)."""

from jixiao.verify import verify_record
from verify_support import fact, record, row


def flags(rec):
    return [f for f in verify_record(rec, "") if f.check != "grounding"]


def test_a_score_above_its_weight_fires() -> None:
    (flag,) = flags(record(indicators=[row(level3="信访人员满意度", weight=10, score=12)]))
    assert flag.check == "score_sum"
    assert "得分 12 超过分值 10" in flag.message


def test_scores_that_add_up_to_the_stated_self_score_do_not_fire() -> None:
    rows = [row(level3="a", weight=50, score=45.5), row(level3="b", weight=50, score=39.1)]
    rec = record([fact("eval.self_score", 84.6, "84.6分", unit="分")], rows)
    assert flags(rec) == []


def test_scores_that_miss_the_stated_self_score_fire() -> None:
    rows = [row(level3="a", weight=50, score=45), row(level3="b", weight=50, score=40)]
    rec = record([fact("eval.self_score", 84.6, "84.6分", unit="分")], rows)
    (flag,) = flags(rec)
    assert (flag.check, flag.expected, flag.actual) == ("score_sum", 84.6, 85.0)
    assert len(flag.indicators) == 2


def test_the_tables_own_total_row_is_preferred_over_the_self_score() -> None:
    scope = "维稳专项经费"
    rows = [
        row(scope, level3="a", weight=50, score=45),
        row(scope, level3="b", weight=50, score=40),
        row(scope, level1="合计", weight=100, score=85),
    ]
    rec = record([fact("eval.self_score", 90, "90分", unit="分", scope=scope)], rows)
    assert flags(rec) == []


def test_unit_rate_that_gives_the_project_budget_does_not_fire() -> None:
    scope = "社区（村）治安巡逻防控费"
    rows = [row(scope, "target", level3="巡逻人员", target_text="50人", note="612元/人/月")]
    assert flags(record([fact("budget.initial", 36.72, scope=scope)], rows)) == []


def test_unit_rate_that_misses_the_project_budget_fires() -> None:
    scope = "社区（村）治安巡逻防控费"
    rows = [row(scope, "target", level3="巡逻人员", target_text="50人", note="612元/人/月")]
    (flag,) = flags(record([fact("budget.initial", 38.72, scope=scope)], rows))
    assert flag.check == "unit_rate"
    assert "50 × 612元 × 12 = 367200元" in flag.message


def test_unit_rate_pairs_in_a_remark_are_added_up_against_a_cost_row() -> None:
    scope = "信访工作人员岗位津贴"
    rows = [
        row(
            scope,
            "target",
            level3="津贴人数",
            target_text="8人",
            note="一线信访岗位5人，235元/人/月；其他信访岗位3人，130元/人/月",
        ),
        row(scope, "target", level2="成本指标", level3="不超过预算", target_text="≤1.878万元"),
    ]
    assert flags(record([], rows)) == []
    rows[1].target_text = "≤1.978万元"
    assert [f.check for f in flags(record([], rows))] == ["unit_rate"]
