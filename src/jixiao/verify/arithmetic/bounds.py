"""A part above the whole it is part of (relations with check at_most).

Some figures are parts of another by definition, without the parts being listed: the
机关运行经费 is the 日常公用经费 of the 行政单位 and 参公事业单位 within the 一般公共预算
财政拨款基本支出's 公用经费 (equal to it only when the department has no other units, so
only an excess is a finding); the 面向中小企业预留 procurement budget lies within the
procurement budget, the 小微企业 reserve within the 中小企业 one (其中); the budget of the
projects with 绩效目标 within the 项目支出. Each relation names the flag it raises
(`raises`: operating_expenditure, procurement, project_list). Both figures are of one
scope, year and stage.
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
                for part, whole in _pairs(index, relation, part_name, scope, year):
                    if part.interval.lo > whole.interval.hi:
                        flags.append(_flag(view, relation, scope, part, whole))
    return flags


def _pairs(
    index: FactIndex, relation: Relation, part_name: str, scope: str, year: int | None
) -> list[tuple[Entry, Entry]]:
    """The part and its whole in each stage the part is stated in: only the same stage
    and year (a budget's 绩效目标 funds against its 项目支出 预算, never against the
    决算 or last year's 执行数 the same document cites)."""
    found = []
    for stage in index.stages(part_name, scope, year):
        part = index.get(part_name, scope, year, stage)
        whole = index.first(relation.total, scope, year, stage)
        if part is not None and whole is not None:
            found.append((part, whole))
    return found


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
