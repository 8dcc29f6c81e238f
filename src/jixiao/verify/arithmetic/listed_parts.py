"""A count against the parts its "其中" list names: 共有车辆8辆，其中：…用车2辆、其他用车6辆.

The national forms have the asset paragraph give the vehicles held (and those the budget
buys) and then each category: the categories partition the whole, so their counts may
not add up to more than it (a list may leave out a category it has none of, so less is
no finding). Which counts are partitioned is data (`verification.yaml`, listed_parts:
concepts of the taxonomy); a part is a count in the whole's own unit up to the end of
the clause (；or 。), so the 单价100万元以上设备 that follows is not one.
"""

from __future__ import annotations

import re

from jixiao.models import Fact, Flag
from jixiao.verify.flags import make_flag, short
from jixiao.verify.view import View

#: how far the list may run after its whole (the eight national categories fit)
_LIST_CHARS = 200


def check_listed_parts(view: View) -> list[Flag]:
    flags = []
    seen: set[int] = set()
    for fact in view.record.facts:
        if (
            fact.concept not in view.vocab.listed_parts
            or fact.evidence.cell is not None
            or fact.evidence.start in seen
        ):
            continue
        seen.add(fact.evidence.start)
        flag = _against_parts(view, fact)
        if flag is not None:
            flags.append(flag)
    return flags


def _against_parts(view: View, whole: Fact) -> Flag | None:
    unit = whole.unit or ""
    after = view.text[whole.evidence.end : whole.evidence.end + _LIST_CHARS]
    opening = view.vocab.listed_parts_opening.match(after)
    if not unit or opening is None:
        return None
    listed = re.split("[；;。]", after[opening.end() :], maxsplit=1)[0]
    parts = [int(m.group(1)) for m in re.finditer(rf"(?<![\d.])(\d+)\s*{re.escape(unit)}", listed)]
    added = sum(parts)
    if len(parts) < 2 or added <= whole.value:
        return None
    start = whole.evidence.end + opening.end()
    end = start + len(listed)
    shown = f"{whole.value:g}"
    return make_flag(
        "sum",
        f"{view.page_of(whole.evidence.start)}“{whole.evidence.quote}”，其后“其中”所列 "
        f"{len(parts)} 类合计 {added} {unit}（“{short(listed, 40)}”），多于总数 {shown} {unit}",
        f"{whole.evidence.quote}: the {len(parts)} categories listed add up to {added} {unit}, "
        f"more than the whole {shown}",
        facts=[whole.id],
        expected=whole.value,
        actual=added,
        tolerance=0,
        location=[view.at_fact(whole), view.at_text(start, end)],
    )
