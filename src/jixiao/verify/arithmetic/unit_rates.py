"""Unit-rate checks: count × rate × months = amount (50人 × 612元/人/月 × 12 = 36.72万元).

Target tables state a headcount in one cell and a rate in the remark (`612元/人/月`),
or both in the remark (`一线岗位5人，235元/人/月；其他岗位3人，130元/人/月`), while the
amount is the scope's budget or a cost row (`≤36.72万元`). The check runs where a
scope holds exactly one such row, so the amount it is held against is unambiguous,
and passes when any stated amount of the scope matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.models import Flag, IndicatorRow
from jixiao.verify.facts import FactIndex
from jixiao.verify.flags import make_flag, scope_prefix
from jixiao.verify.intervals import Interval, fmt, of_fact

_PERSON = r"(?:人|名|户|人次)"
_RATE = re.compile(
    rf"(\d+(?:\.\d+)?)\s*元\s*(?:/|每)\s*{_PERSON}\s*(?:/|·|每)?\s*(月|年)"
    rf"|(\d+(?:\.\d+)?)\s*元\s*(?:/|每)\s*(月|年)\s*(?:/|·|每)\s*{_PERSON}"
)
_COUNT = re.compile(rf"(\d+)\s*{_PERSON}")
_PAIR = re.compile(
    rf"(\d+)\s*{_PERSON}[^\d；;。]{{0,6}}?(\d+(?:\.\d+)?)\s*元\s*/\s*{_PERSON}\s*/\s*(月|年)"
)
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*万元")
_BUDGET = ("budget.initial", "budget.adjusted", "budget.executed", "budget.fiscal_funds")
MONTHS = {"月": 12, "年": 1}


@dataclass
class Triple:
    row: IndicatorRow
    terms: list[tuple[float, float, int]]  # count, rate 元, periods per year

    @property
    def amount(self) -> float:
        """The amount in 万元."""
        return sum(c * r * m for c, r, m in self.terms) / 10_000

    def shown(self) -> str:
        return " + ".join(
            f"{fmt(c)} × {fmt(r)}元" + (f" × {m}" if m != 1 else "") for c, r, m in self.terms
        )


def find_triple(row: IndicatorRow) -> Triple | None:
    fields = [x for x in (row.note, row.target_text, row.actual_text, row.level3) if x]
    for field in fields:
        pairs = _PAIR.findall(field)
        if pairs:
            return Triple(row, [(float(c), float(r), MONTHS[p]) for c, r, p in pairs])
    rate = next((m for f in fields if (m := _RATE.search(f))), None)
    if rate is None:
        return None
    value, period = (
        (rate.group(1), rate.group(2)) if rate.group(1) else (rate.group(3), rate.group(4))
    )
    for said in (row.target_text, row.actual_text, row.level3, row.note):
        count = _COUNT.search(_RATE.sub("", said or ""))
        if count:
            return Triple(row, [(float(count.group(1)), float(value), MONTHS[period])])
    return None


def _amounts(
    index: FactIndex, scope: str, skip: str
) -> list[tuple[Interval, str, list[str], list[str]]]:
    found: list[tuple[Interval, str, list[str], list[str]]] = [
        (of_fact(f), f.text, [f.id], [])
        for f in index.record.facts
        if f.scope == scope and f.concept in _BUDGET and f.unit == "万元"
    ]
    for row in index.record.indicators:
        if row.scope != scope or row.id == skip:
            continue
        for text in (row.target_text, row.actual_text):
            for m in _MONEY.finditer(text or ""):
                decimals = len(m.group(1).partition(".")[2])
                found.append(
                    (Interval.printed(float(m.group(1)), decimals), m.group(), [], [row.id])
                )
    return found


def check_unit_rates(index: FactIndex) -> list[Flag]:
    by_scope: dict[str, list[Triple]] = {}
    for row in index.record.indicators:
        triple = find_triple(row)
        if triple is not None:
            by_scope.setdefault(row.scope, []).append(triple)
    flags = []
    for scope, triples in by_scope.items():
        if len(triples) != 1:
            continue
        flag = _check(index, scope, triples[0])
        if flag is not None:
            flags.append(flag)
    return flags


def _check(index: FactIndex, scope: str, triple: Triple) -> Flag | None:
    amounts = _amounts(index, scope, triple.row.id)
    if not amounts:
        return None
    computed = Interval.exact(triple.amount)
    if any(interval.meets(computed) for interval, *_ in amounts):
        return None
    interval, text, fact_ids, row_ids = amounts[0]
    return make_flag(
        "unit_rate",
        f"{scope_prefix(scope)}{triple.shown()} = {fmt(triple.amount * 10_000)}元"
        f"（{fmt(triple.amount)}万元），与金额 {text} 不符",
        f"count × rate × periods = {fmt(triple.amount)} 万元 ({triple.shown()}), "
        f"but the amount stated is {text}",
        facts=fact_ids,
        indicators=[triple.row.id, *row_ids],
        expected=interval.mid,
        actual=triple.amount,
        tolerance=interval.radius,
    )
