"""机关运行经费 against 公用经费: the part cannot exceed the whole it is part of.

机关运行经费 is the 日常公用经费 of the 行政单位 and 参公事业单位 paid from the
一般公共预算财政拨款基本支出 (its definition in every 名词解释). It is therefore at most the
公用经费 of that 基本支出, and equal to it only when the department has no other units: a
department with 事业单位 spends 公用经费 that is not 机关运行经费, so only an excess is a
finding. Both figures are one year's and one stage's (`FactIndex.one`).
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.verify.flags import make_flag
from jixiao.verify.view import View

OPERATING = "fa.operating_expenditure"
PUBLIC = "fa.public"


def check_operating_expenditure(view: View) -> list[Flag]:
    index = view.index
    flags = []
    for scope, year, stage in {(c.scope, c.year, c.stage) for c in index.contexts()}:
        if scope != "department":
            continue
        operating = index.get(OPERATING, scope, year, stage)
        public = index.one(PUBLIC, scope, year, stage) if operating is not None else None
        if operating is None or public is None:
            continue
        if operating.interval.lo <= public.interval.hi:
            continue
        place = view.place(operating.best)
        flags.append(
            make_flag(
                "operating_expenditure",
                f"{place}机关运行经费 {operating.shown} 万元超过一般公共预算财政拨款基本支出中的"
                f"公用经费 {public.shown} 万元，而机关运行经费是公用经费的一部分",
                f"机关运行经费 (agency operating expenses) {operating.shown} exceeds the 公用经费 "
                f"{public.shown} of the basic expenditure it is part of",
                facts=[*operating.ids, *public.ids],
                expected=public.value,
                actual=operating.value,
                tolerance=operating.interval.radius + public.interval.radius,
                location=[view.at_fact(operating.best), view.at_fact(public.best)],
            )
        )
    return flags
