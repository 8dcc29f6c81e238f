"""Ratio checks: a stated rate equals numerator ÷ denominator (relations with check ratio).

The execution rate (预算执行率) is executed ÷ adjusted budget, or ÷ initial budget where
no adjustment is stated; templates differ on the base, so the rate passes when it
matches any stated base and is flagged against the preferred one otherwise. A rate
whose only base is a zero budget is a `zero_budget_rate` warning, not a division error.
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.taxonomy import Relation
from jixiao.verify.facts import Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import Interval, fmt
from jixiao.verify.view import View

MAGNITUDE = 10_000.0


def check_ratios(view: View) -> list[Flag]:
    index = view.index
    flags: list[Flag] = []
    for relation in index.taxonomy.relations:
        if relation.check != "ratio" or not relation.result or not relation.numerator:
            continue
        for scope, year in dict.fromkeys((c.scope, c.year) for c in index.contexts()):
            flag = _check(index, relation, scope, year)
            if flag is not None:
                flags.append(flag)
    return flags


def ratio_operands(
    index: FactIndex, relation: Relation, scope: str, year: int | None
) -> tuple[Entry | None, Entry | None, list[Entry]]:
    """A rate, its numerator and its candidate bases: a rate compares stages (执行数 ÷
    预算数), so each operand is the one value its concept has for the scope and year."""
    result = index.one(relation.result or "", scope, year)
    numerator = index.one(relation.numerator or "", scope, year)
    bases = [e for c in relation.denominator if (e := index.one(c, scope, year)) is not None]
    return result, numerator, bases


def _check(index: FactIndex, relation: Relation, scope: str, year: int | None) -> Flag | None:
    result, numerator, bases = ratio_operands(index, relation, scope, year)
    if result is None or numerator is None or not bases:
        return None
    scale = 100.0 if relation.percent else 1.0
    usable = [b for b in bases if not b.interval.contains_zero()]
    if not usable:
        return _zero_base(index, result, bases[0], scope)
    computed = [numerator.interval / b.interval * scale for b in usable]
    if any(result.interval.meets(c) for c in computed):
        return None
    base, interval = usable[0], computed[0]
    value = numerator.value / base.value * scale
    culprit = _magnitude(result.interval, interval)
    unit = "%" if relation.percent else ""
    labels = (
        index.label(result.concept),
        index.label(numerator.concept),
        index.label(base.concept),
    )
    return make_flag(
        "magnitude" if culprit else "ratio",
        f"{scope_prefix(scope)}{labels[0]} {result.shown}{unit} ≠ {labels[1]} {numerator.shown} ÷ "
        f"{labels[2]} {base.shown} (= {fmt(value, 2)}{unit})"
        + ("，金额疑为元/万元单位写错" if culprit else ""),
        f"{scope_en(scope)}{index.label_en(result.concept)} {result.shown}{unit} but "
        f"{index.label_en(numerator.concept)} {numerator.shown} / "
        f"{index.label_en(base.concept)} {base.shown} = {fmt(value, 2)}{unit}"
        + (" (10^4 off: 元 written for 万元?)" if culprit else ""),
        facts=[*result.ids, *numerator.ids, *base.ids],
        expected=result.value,
        actual=value,
        tolerance=result.interval.radius + interval.radius,
    )


def _magnitude(stated: Interval, computed: Interval) -> bool:
    return any(stated.meets(computed * f) for f in (MAGNITUDE, 1 / MAGNITUDE))


def _zero_base(index: FactIndex, result: Entry, base: Entry, scope: str) -> Flag:
    label = index.label(base.concept)
    return make_flag(
        "zero_budget_rate",
        f"{scope_prefix(scope)}{label}为 0，却填报了{index.label(result.concept)} {result.shown}%",
        f"{scope_en(scope)}{index.label_en(result.concept)} {result.shown}% is stated against "
        f"a zero {index.label_en(base.concept)}: the rate cannot be computed",
        facts=[*result.ids, *base.ids],
        expected=None,
        actual=result.value,
        severity="warning",
    )
