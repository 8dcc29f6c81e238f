"""Balance checks: two `total` relations of one total also say their sides are equal.

收支总计 = 本年收入合计 + 年初结转和结余 and 收支总计 = 本年支出合计 + 年末结转和结余 are two
`total` relations (`sums.py` checks each against a stated 收支总计). Many 情况说明 never
print 收支总计, yet the two sides must still balance: 收入 + 年初结转 = 支出 + 年末结转.
So wherever the shared total is not stated, every pair of its `total` relations whose
operands are all stated is checked side against side. No new relation is needed: the
taxonomy already says it, by giving two relations the same total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jixiao.models import Flag
from jixiao.taxonomy import Relation
from jixiao.verify.facts import Context, Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import Interval, fmt, total
from jixiao.verify.relations import applies_to
from jixiao.verify.view import View


@dataclass
class Side:
    """One relation's operands, all stated: one side of the balance."""

    relation: Relation
    parts: list[Entry]

    @property
    def interval(self) -> Interval:
        return total([p.interval for p in self.parts])

    @property
    def value(self) -> float:
        return sum(p.value for p in self.parts)

    @property
    def shown(self) -> str:
        decimals = max((p.decimals or 0) for p in self.parts)
        terms = " + ".join(p.shown for p in self.parts)
        return f"{terms} = {fmt(self.value, decimals)}"


def check_balances(view: View) -> list[Flag]:
    index = view.index
    flags: list[Flag] = []
    for totals, relations in _sided_totals(index).items():
        for ctx in index.contexts():
            if not _unstated(index, totals, ctx):
                continue
            sides = [s for r in relations if (s := _side(index, r, ctx)) is not None]
            flags += [
                _flag(index, totals, ctx.scope, ctx.year, sides[0], other)
                for other in sides[1:]
                if not sides[0].interval.meets(other.interval)
            ]
    return flags


def _sided_totals(index: FactIndex) -> dict[tuple[str, ...], list[Relation]]:
    """`total` relations grouped by their total; only totals with two sides or more."""
    groups: dict[tuple[str, ...], list[Relation]] = defaultdict(list)
    for relation in index.taxonomy.relations:
        if relation.check == "total" and isinstance(relation.parts, tuple):
            groups[relation.total].append(relation)
    return {t: rs for t, rs in groups.items() if len(rs) >= 2}


def _unstated(index: FactIndex, totals: tuple[str, ...], ctx: Context) -> bool:
    """True when no alternative of the total is stated (consistently or not)."""
    return all(index.get(t, *ctx) is None and not index.has_conflict(t, *ctx) for t in totals)


def _side(index: FactIndex, relation: Relation, ctx: Context) -> Side | None:
    """A relation's operands when every one is stated once, in one unit; else None."""
    if not applies_to(relation, ctx.scope):
        return None
    parts = [index.get(c, *ctx) for c in relation.parts]
    if any(p is None for p in parts):
        return None
    entries = [p for p in parts if p is not None]
    if len({p.unit for p in entries}) != 1:
        return None
    return Side(relation, entries)


def _flag(
    index: FactIndex,
    totals: tuple[str, ...],
    scope: str,
    year: int | None,
    left: Side,
    right: Side,
) -> Flag:
    label = index.label(totals[0])
    when = "" if year in (None, index.fiscal_year) else f"（{year}年）"
    when_en = "" if year in (None, index.fiscal_year) else f" ({year})"
    names = " + ".join(index.label(p.concept) for p in left.parts)
    others = " + ".join(index.label(p.concept) for p in right.parts)
    names_en = " + ".join(index.label_en(p.concept) for p in left.parts)
    others_en = " + ".join(index.label_en(p.concept) for p in right.parts)
    return make_flag(
        "total",
        f"{scope_prefix(scope)}{label}{when}两侧不平（文中未列{label}）：{names} "
        f"{left.shown} ≠ {others} {right.shown}",
        f"{scope_en(scope)}the two sides of {index.label_en(totals[0])}{when_en} (not stated) "
        f"do not balance: {names_en} {left.shown} vs {others_en} {right.shown}; "
        f"relations {left.relation.id} and {right.relation.id}",
        facts=[i for p in (*left.parts, *right.parts) for i in p.ids],
        expected=left.value,
        actual=right.value,
        tolerance=left.interval.radius + right.interval.radius,
    )
