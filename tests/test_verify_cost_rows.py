"""A project's 执行数 against its own 成本指标 row (verify/cost_rows.py)."""

from jixiao.verify import verify_record
from jixiao.verify.arithmetic.cost_rows import amount
from verify_support import fact, record, row

PROJECT = "办公楼维修改造"


def project_facts(initial: float, executed: float, *, adjusted: float | None = None) -> list:
    facts = [
        fact("budget.initial", initial, f"{initial:g}", scope=PROJECT, cell=True),
        fact("budget.executed", executed, f"{executed:g}", scope=PROJECT, cell=True),
    ]
    if adjusted is not None:
        facts.append(fact("budget.adjusted", adjusted, f"{adjusted:g}", scope=PROJECT, cell=True))
    return facts


def cost_row(target: str, actual: str | None, **fields: object):
    defaults: dict[str, object] = {"level1": "产出指标", "level2": "成本指标", "level3": "维修经费"}
    return row(PROJECT, target_text=target, actual_text=actual, **{**defaults, **fields})


def cross(facts, rows):
    return [f for f in verify_record(record(facts, rows), "") if f.check == "cross_mention"]


def test_executed_equal_to_budget_while_the_cost_row_reports_less_fires() -> None:
    # 执行数 8 = 预算数 8, but 成本指标 预期 8 / 实际完成 4.4
    cost = cost_row("8", "4.4")
    (flag,) = cross(project_facts(8, 8), [cost])
    assert flag.indicators == [cost.id]
    assert flag.expected == 8 and abs(flag.actual - 4.4) < 1e-9
    assert flag.message.startswith(f"【{PROJECT}】执行数 8") and "4.4" in flag.message
    assert flag.message_en and "cost indicator" in flag.message_en


def test_the_flag_names_the_executed_fact_for_the_scorer() -> None:
    facts = project_facts(8, 8)
    (flag,) = cross(facts, [cost_row("8", "4.4")])
    assert flag.facts == [facts[1].id]


def test_a_cost_row_that_reports_what_was_spent_does_not_fire() -> None:
    assert cross(project_facts(5, 5), [cost_row("5", "5")]) == []
    assert cross(project_facts(20, 12.5), [cost_row("20.00万元", "12.50万元")]) == []


def test_a_cost_row_off_by_printed_precision_only_does_not_fire() -> None:
    # 执行数 printed 4 stands for [3.5, 4.5]
    assert cross(project_facts(6, 4), [cost_row("6", "4.4")]) == []


def test_a_target_equal_to_the_adjusted_budget_counts_too() -> None:
    facts = project_facts(10, 12, adjusted=12)
    assert len(cross(facts, [cost_row("≤12万元", "9.6万元", operator="≤", unit="万元")])) == 1


def test_a_target_that_is_not_the_budget_never_fires() -> None:
    # 单位成本 3 (per visit) under a budget of 8
    assert cross(project_facts(8, 8), [cost_row("3", "2.5")]) == []


def test_a_target_in_another_unit_never_fires() -> None:
    facts = project_facts(80, 80)
    assert cross(facts, [cost_row("80%", "55%", unit="%")]) == []
    assert cross(facts, [cost_row("80人", "40人", unit="人")]) == []
    assert cross(facts, [cost_row("80元", "40元", unit="元")]) == []


def test_a_qualitative_or_percent_actual_never_fires() -> None:
    facts = project_facts(10.58, 10.58)
    assert cross(facts, [cost_row("10.58万元", "100%", unit="万元")]) == []
    assert cross(facts, [cost_row("10.58万元", "按计划完成", unit="万元")]) == []
    assert cross(facts, [cost_row("10.58", None)]) == []


def test_a_floor_target_is_not_the_budget() -> None:
    facts = project_facts(85, 85)
    assert cross(facts, [cost_row("≥85", "60", operator="≥")]) == []


def test_rows_outside_cost_indicators_or_self_evaluation_never_fire() -> None:
    facts = project_facts(8, 8)
    assert cross(facts, [cost_row("8", "4.4", level2="数量指标")]) == []
    target_table = row(PROJECT, "target", level2="成本指标", target_text="8", actual_text="4.4")
    assert cross(facts, [target_table]) == []


def test_the_cost_level_may_be_the_first_level_of_the_row() -> None:
    # 四川 template: 一级 成本指标, 二级 经济成本指标
    rows = [cost_row("8", "4.4", level1="成本指标", level2="经济成本指标")]
    assert len(cross(project_facts(8, 8), rows)) == 1


def test_another_projects_budget_does_not_count() -> None:
    other = [fact("budget.initial", 8, "8", scope="另一项目", cell=True)]
    facts = [*other, fact("budget.executed", 8, "8", scope=PROJECT, cell=True)]
    assert cross(facts, [cost_row("8", "4.4")]) == []


def test_amounts_are_read_only_from_bare_money_cells() -> None:
    assert amount("≤5.40万元") is not None and amount("8") is not None
    assert amount("100%") is None and amount("完成") is None and amount("3次") is None
    assert amount("80元") is None and amount("40人") is None
    interval = amount("4.4")
    assert interval is not None and abs(interval.lo - 4.35) < 1e-9
