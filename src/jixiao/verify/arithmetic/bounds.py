"""A part above the whole it is part of (relations with check at_most).

Some figures are parts of another by definition, without the parts being listed: the
机关运行经费 is the 日常公用经费 of the 行政单位 and 参公事业单位 within the 一般公共预算
财政拨款基本支出's 公用经费 (equal to it only when the department has no other units, so
only an excess is a finding); the 面向中小企业预留 procurement budget lies within the
procurement budget, the 小微企业 reserve within the 中小企业 one (其中); the budget of the
projects with 绩效目标 within the 项目支出. Each relation names the flag it raises
(`raises`: operating_expenditure, procurement, project_list). Both figures are of one
scope and year, and of one stage where the reading gives stages (`FactIndex.one`).
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.taxonomy import Relation
from jixiao.verify.facts import Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_prefix
from jixiao.verify.relations import applies_to
from jixiao.verify.view import View


def check_bounds(view: View) -> list[Flag]:
    index = view.index
    flags = []
    places = sorted({(c.scope, c.year) for c in index.contexts()}, key=lambda p: (p[0], p[1] or 0))
    for relation in index.taxonomy.relations:
        if relation.check != "at_most":
            continue
        for scope, year in places:
            if not applies_to(relation, scope):
                continue
            for part_name in relation.parts:
                found = _pair(index, relation, part_name, scope, year)
                if found is not None and found[0].interval.lo > found[1].interval.hi:
                    flags.append(_flag(view, relation, scope, *found))
    return flags


def _pair(
    index: FactIndex, relation: Relation, part_name: str, scope: str, year: int | None
) -> tuple[Entry, Entry] | None:
    part = index.one(part_name, scope, year)
    if part is None:
        return None
    whole = next(
        (
            e
            for name in relation.total
            if (e := index.get(name, scope, year, part.stage) or index.one(name, scope, year))
        ),
        None,
    )
    return None if whole is None else (part, whole)


def _flag(view: View, relation: Relation, scope: str, part: Entry, whole: Entry) -> Flag:
    index = view.index
    p, w = index.label(part.concept), index.label(whole.concept)
    return make_flag(
        relation.raises or "range",
        f"{scope_prefix(scope)}{view.place(part.best)}{p} {part.shown} 万元超过{w} {whole.shown} "
        f"万元，而前者是后者的一部分（{relation.label}）",
        f"{index.label_en(part.concept)} {part.shown} exceeds {index.label_en(whole.concept)} "
        f"{whole.shown}, which it is part of (relation {relation.id})",
        facts=[*part.ids, *whole.ids],
        expected=whole.value,
        actual=part.value,
        tolerance=part.interval.radius + whole.interval.radius,
        location=[view.at_fact(part.best), view.at_fact(whole.best)],
    )
