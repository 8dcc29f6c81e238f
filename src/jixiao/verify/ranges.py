"""Range and year checks: values that cannot be right whatever the other figures say.

Range: a share over 100 %, a negative amount (a decrease is a `.yoy_change`, the only
money allowed below zero), a rate over 100 % (a warning: over-execution happens).
Year: a figure labelled with a year other than the report's where a comparison does
not explain it, and a 截至…年12月 date that names another year than the report's.
"""

from __future__ import annotations

import re

from jixiao.models import Fact, Flag
from jixiao.verify.facts import FactIndex
from jixiao.verify.flags import make_flag, scope_prefix
from jixiao.verify.intervals import fact_decimals, fmt, of_fact

_COMPARISON = re.compile(r"上年|上一年|同比|相比|比|较|增加|减少|增长|下降|持平|变动")
_YEAR_END = re.compile(r"截[至止](\d{4})年(?:12月|年底|年末)")


def check_ranges(index: FactIndex) -> list[Flag]:
    return [f for fact in index.record.facts if (f := _range(index, fact)) is not None]


def _range(index: FactIndex, fact: Fact) -> Flag | None:
    interval = of_fact(fact)
    label = f"{scope_prefix(fact.scope)}{index.label(fact.concept)}"
    shown = fmt(fact.value, fact_decimals(fact))
    if fact.concept.endswith(".share_pct") and interval.lo > 100:
        return make_flag(
            "range",
            f"{label} {shown}% 超过 100%",
            f"{label}: share {shown}% is over 100%",
            facts=[fact.id],
            expected=100.0,
            actual=fact.value,
        )
    if fact.unit == "万元" and interval.hi < 0 and not fact.concept.endswith(".yoy_change"):
        return make_flag(
            "range",
            f"{label} 为负数 {shown} 万元",
            f"{label}: negative amount {shown} 万元",
            facts=[fact.id],
            expected=0.0,
            actual=fact.value,
        )
    derived = fact.concept.endswith((".share_pct", ".yoy_change_pct"))
    if fact.unit == "%" and not derived and interval.lo > 100:
        return make_flag(
            "range",
            f"{label} {shown}% 超过 100%，请核实",
            f"{label}: rate {shown}% is over 100%",
            facts=[fact.id],
            expected=100.0,
            actual=fact.value,
            severity="warning",
        )
    return None


def check_years(index: FactIndex, text: str) -> list[Flag]:
    year = index.fiscal_year
    if year is None:
        return []
    flags = [f for fact in index.record.facts if (f := _fact_year(index, fact, year))]
    for match in _YEAR_END.finditer(text):
        stated = int(match.group(1))
        if stated != year:
            quote = text[max(0, match.start() - 10) : match.end() + 20].replace("\n", " ")
            flags.append(
                make_flag(
                    "year",
                    f"{year} 年度报告中出现“{match.group()}”：“…{quote}…”，年份疑有误",
                    f"a {year} report dates a year-end position {stated} at offset {match.start()}",
                    expected=float(year),
                    actual=float(stated),
                    severity="warning",
                )
            )
    return flags


def _fact_year(index: FactIndex, fact: Fact, year: int) -> Flag | None:
    if fact.year is None or fact.year == year:
        return None
    if fact.year == year - 1 and (
        _COMPARISON.search(fact.evidence.quote)
        or index.get(fact.concept + ".yoy_change", fact.scope, year)
        or index.get(fact.concept + ".yoy_change_pct", fact.scope, year)
    ):
        return None
    return make_flag(
        "year",
        f"{index.label(fact.concept)} {fact.text} 标为 {fact.year} 年，而报告年度为 {year} 年："
        f"“{fact.evidence.quote[:40]}”",
        f"{index.label(fact.concept)} {fact.text} is labelled {fact.year} in a {year} report",
        facts=[fact.id],
        expected=float(year),
        actual=float(fact.year),
        severity="warning",
    )
