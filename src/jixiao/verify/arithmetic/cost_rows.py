"""A project's 执行数 against its own 成本指标 row.

Self-evaluation tables often set the 成本指标 (cost indicator) target to the project's
budget (预算数 8 → 成本指标 预期 8): its 实际完成值 is then the money actually spent,
the same figure as the table's 执行数. When the two differ beyond printed precision
(执行数 8, 成本指标 实际完成 4.4), one of them is wrong: a copied 执行数 = 预算数 is the
usual slip.

Only rows that are plainly money in the budget's unit are read: the target must be a bare
amount (an optional ≤/=, the number, an optional 万元) equal to the project's 预算数 or
调整后预算数, and the actual a bare amount too. A target of 80%, 4人 or 完成, an
actual of 100% or 按计划完成, never fire.
"""

from __future__ import annotations

import re

from jixiao.models import Flag, IndicatorRow
from jixiao.verify.facts import Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import Interval

#: budget figures a cost target may restate (the first stated that matches wins)
BUDGETS = ("budget.adjusted", "budget.initial")
EXECUTED = "budget.executed"
#: the money unit budget facts are normalised to, and how a cell may print it
MONEY_UNIT = "万元"
_MONEY_UNITS = frozenset({None, "万元", "万"})
#: operators under which the target is the budget itself (not a floor such as ≥85)
_CAP_OPERATORS = frozenset({None, "=", "≤"})
_AMOUNT = re.compile(r"\s*[≤=]?\s*(\d+(?:\.(\d+))?)\s*(?:万元|万)?\s*")


def check_cost_rows(index: FactIndex) -> list[Flag]:
    flags: list[Flag] = []
    for row in index.record.indicators:
        if not _is_cost_row(row):
            continue
        flag = _check(index, row)
        if flag is not None:
            flags.append(flag)
    return flags


def _is_cost_row(row: IndicatorRow) -> bool:
    levels = (row.level1 or "", row.level2 or "")
    return (
        row.table == "self_eval"
        and row.scope != "department"
        and any("成本" in level for level in levels)
        and row.operator in _CAP_OPERATORS
        and row.unit in _MONEY_UNITS
    )


def amount(text: str | None) -> Interval | None:
    """A cell read as a bare money amount (8, 4.40, ≤5.4万元) with its printed precision."""
    match = _AMOUNT.fullmatch(text or "")
    if match is None:
        return None
    return Interval.printed(float(match.group(1)), len(match.group(2) or ""))


def _budget(index: FactIndex, scope: str, target: Interval) -> Entry | None:
    for concept in BUDGETS:
        entry = index.one(concept, scope, index.fiscal_year)
        if entry is not None and entry.unit == MONEY_UNIT and entry.interval.meets(target):
            return entry
    return None


def _check(index: FactIndex, row: IndicatorRow) -> Flag | None:
    target, actual = amount(row.target_text), amount(row.actual_text)
    if target is None or actual is None:
        return None
    executed = index.one(EXECUTED, row.scope, index.fiscal_year)
    if executed is None or executed.unit != MONEY_UNIT:
        return None
    budget = _budget(index, row.scope, target)
    if budget is None or executed.interval.meets(actual):
        return None
    return _flag(index, row, executed, budget, actual)


def _flag(
    index: FactIndex, row: IndicatorRow, executed: Entry, budget: Entry, actual: Interval
) -> Flag:
    name = row.level3 or row.level2 or "成本指标"
    shown_actual = (row.actual_text or "").strip()
    budget_label = index.label(budget.concept)
    return make_flag(
        "cross_mention",
        f"{scope_prefix(row.scope)}执行数 {executed.shown} 与自评表成本指标“{name}”的实际完成值 "
        f"{shown_actual} 不符（该行指标值 {(row.target_text or '').strip()} 即{budget_label} "
        f"{budget.shown}，实际完成值应为实际支出）",
        f"{scope_en(row.scope)}{index.label_en(EXECUTED)} {executed.shown} differs from the "
        f"actual value {shown_actual} of the self-evaluation's cost indicator '{name}', whose "
        f"target is the budget ({index.label_en(budget.concept)} {budget.shown})",
        facts=executed.ids,
        indicators=[row.id],
        expected=executed.value,
        actual=actual.mid,
        tolerance=executed.interval.radius + actual.radius,
    )
