"""Sums over a total stated two ways: the itemised parts say which version they support.

`sums.py` skips a relation whose total is stated inconsistently (`mentions.py` flags
the disagreement; no sum can pick a value). Yet a table's own 其中 lines often settle it:
预算数 4.50 in the text, 10.58 in the table, and 财政拨款 10.58 + 其他资金 0 below it say
the text's figure is not the sum of this project's funds. Each version the parts miss is
a `sum` slip. One flag per (scope, year) gathers every such total, since they are one
finding for a reviewer (a project text written for other figures than its table).

Only a project's totals are read (a department's or a statement line's total told two
ways is the `table_text` finding itself), and only list relations with at least two
parts stated: one part below or above a
disputed total restates the disagreement and proves nothing new; and only a total stated
two ways (a table's and a text's): more versions are quantities the reading mixed up.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.models import Fact, Flag
from jixiao.taxonomy import Relation
from jixiao.verify.facts import Context, Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import Interval, fmt, total
from jixiao.verify.relations import applies_to, resolve_parts
from jixiao.verify.view import View


@dataclass
class Miss:
    """A disputed total, its parts, and the versions of it the parts do not add up to."""

    relation: Relation
    concept: str
    parts: list[Entry]
    missed: list[Entry]
    kept: list[Entry]

    @property
    def computed(self) -> Interval:
        return total([p.interval for p in self.parts])

    @property
    def shown_sum(self) -> str:
        decimals = max((p.decimals or 0) for p in self.parts)
        return fmt(sum(p.value for p in self.parts), decimals)


def check_conflicted_sums(view: View) -> list[Flag]:
    index = view.index
    # one finding per (scope, year), whatever the stages of its totals (a project text
    # written for other figures than its table misses both its 预算数 and its 执行数)
    by_place: dict[tuple[str, int | None], list[Miss]] = {}
    for ctx in index.contexts():
        for relation in index.taxonomy.relations:
            miss = _miss(index, relation, ctx)
            if miss is not None:
                by_place.setdefault((ctx.scope, ctx.year), []).append(miss)
    return [_flag(index, scope, year, misses) for (scope, year), misses in by_place.items()]


def _disputed_total(index: FactIndex, relation: Relation, ctx: Context) -> str | None:
    """The relation's total when its first stated alternative is stated inconsistently."""
    for concept in relation.total:
        if index.has_conflict(concept, *ctx):
            return concept
        if index.get(concept, *ctx) is not None:
            return None
    return None


def _miss(index: FactIndex, relation: Relation, ctx: Context) -> Miss | None:
    if relation.check != "sum" or isinstance(relation.parts, str):
        return None
    if not applies_to(relation, ctx.scope) or ctx.scope == "department" or ":" in ctx.scope:
        return None  # a statement line told two ways is the table_text finding itself
    concept = _disputed_total(index, relation, ctx)
    if concept is None:
        return None
    if len(index.conflicts[(concept, *ctx)]) != 2:
        return None  # more than two versions: the reading mixed quantities
    parts = resolve_parts(index, relation, ctx, {}) or []
    versions = [
        Entry(concept, ctx.scope, ctx.year, ctx.stage, facts=c)
        for c in index.conflicts[(concept, *ctx)]
    ]
    if len(parts) < 2 or len({p.unit for p in (*parts, *versions)}) != 1:
        return None
    computed = total([p.interval for p in parts])
    missed = [v for v in versions if not v.interval.meets(computed)]
    if not missed:
        return None
    kept = [v for v in versions if v.interval.meets(computed)]
    return Miss(relation, concept, parts, missed, kept)


def _where(facts: list[Fact]) -> tuple[str, str]:
    in_table = all(f.evidence.cell is not None for f in facts)
    return ("表", "table") if in_table else ("正文", "text")


def _clause(index: FactIndex, miss: Miss) -> tuple[str, str]:
    label, label_en = index.label(miss.concept), index.label_en(miss.concept)
    terms = " + ".join(f"{index.label(p.concept)} {p.shown}" for p in miss.parts)
    zh, en = [], []
    for version in miss.missed:
        where, where_en = _where(version.facts)
        zh.append(f"{label} {version.shown}（{where}）≠ {terms}（= {miss.shown_sum}）")
        en.append(f"{label_en} {version.shown} ({where_en}) ≠ {terms} = {miss.shown_sum}")
    if miss.kept:
        kept = "、".join(f"{v.shown}（{_where(v.facts)[0]}）" for v in miss.kept)
        zh.append(f"其中项之和与另一处的 {kept} 相符")
        en.append("the parts agree with " + ", ".join(v.shown for v in miss.kept))
    return "，".join(zh), "; ".join(en) + f" (relation {miss.relation.id})"


def _flag(index: FactIndex, scope: str, year: int | None, misses: list[Miss]) -> Flag:
    clauses = [_clause(index, m) for m in misses]
    when = "" if year in (None, index.fiscal_year) else f"（{year}年）"
    first = misses[0]
    facts = [i for m in misses for e in (*m.missed, *m.parts) for i in e.ids]
    return make_flag(
        "sum",
        f"{scope_prefix(scope)}{when}其中项之和与所列总数不符：" + "；".join(c[0] for c in clauses),
        f"{scope_en(scope)}a total stated two ways is not the sum of its parts in one of them: "
        + " | ".join(c[1] for c in clauses),
        facts=facts,
        expected=first.missed[0].value,
        actual=sum(p.value for p in first.parts),
        tolerance=first.missed[0].interval.radius + first.computed.radius,
    )
