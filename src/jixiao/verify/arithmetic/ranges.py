"""Range checks: values that cannot be right whatever the other figures say.

A share over 100 %, a negative amount (a decrease is a `.yoy_change`, the only money
allowed below zero), a rate over 100 % (a warning: over-execution happens).
"""

from __future__ import annotations

from jixiao.models import Fact, Flag
from jixiao.verify.facts import FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fact_decimals, fmt, of_fact


def check_ranges(index: FactIndex) -> list[Flag]:
    return [f for fact in index.record.facts if (f := _range(index, fact)) is not None]


def _range(index: FactIndex, fact: Fact) -> Flag | None:
    interval = of_fact(fact)
    label = f"{scope_prefix(fact.scope)}{index.label(fact.concept)}"
    label_en = f"{scope_en(fact.scope)}{index.label_en(fact.concept)}"
    shown = fmt(fact.value, fact_decimals(fact))
    if fact.concept.endswith(".share_pct") and interval.lo > 100:
        return make_flag(
            "range",
            f"{label} {shown}% 超过 100%",
            f"{label_en}: share {shown}% is over 100%",
            facts=[fact.id],
            expected=100.0,
            actual=fact.value,
        )
    if (
        fact.unit == "万元"
        and interval.hi < 0
        and not fact.concept.endswith(".yoy_change")
        and not _is_adjustment(index, fact)
    ):
        return make_flag(
            "range",
            f"{label} 为负数 {shown} 万元",
            f"{label_en}: negative amount {shown} 万元 (10k yuan)",
            facts=[fact.id],
            expected=0.0,
            actual=fact.value,
        )
    # a change or a completion above 100 % is ordinary (a 决算 above its 年初预算)
    derived = fact.concept.endswith((".share_pct", ".yoy_change_pct", ".completion_pct"))
    if fact.unit == "%" and not derived and interval.lo > 100:
        return make_flag(
            "range",
            f"{label} {shown}% 超过 100%，请核实",
            f"{label_en}: rate {shown}% is over 100%",
            facts=[fact.id],
            expected=100.0,
            actual=fact.value,
            severity="warning",
        )
    return None


def _is_adjustment(index: FactIndex, fact: Fact) -> bool:
    """A negative 调整预算数 is the adjustment (调减) itself, not a budget below zero."""
    if fact.concept.rpartition(".")[2] in ("adjustment", "adjustments"):
        return True  # 预算调整数: a 调减 is negative by nature
    if fact.concept != "budget.adjusted":
        return False
    initial = index.one("budget.initial", fact.scope, index.key(fact)[2])
    return initial is not None and initial.value + fact.value >= 0
