"""Sum and total checks: parts add up to their total (relations with check sum/total).

A `sum` relation is checked once at least two parts with a value are stated, or when
even one part exceeds the total: prose often lists only "其中" the largest part, and a
single part below its total proves nothing (nor does a part stated as 0 beside it). A `total` relation (收支总计 = 收入 + 年初结转) is
checked only when every operand is stated. When scaling one operand by 10⁴ would make
the sum hold, the flag is a `magnitude` one: 元 written where 万元 was meant.
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.verify.facts import Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fmt, total
from jixiao.verify.relations import Instance, instances
from jixiao.verify.text import sentence_bounds
from jixiao.verify.view import View

MAGNITUDE = 10_000.0


def check_sums(view: View) -> list[Flag]:
    index = view.index
    flags: list[Flag] = []
    for relation in index.taxonomy.relations:
        if relation.check not in ("sum", "total"):
            continue
        for inst in instances(index, relation):
            if not _checkable(inst) or not _complete(view, inst):
                continue
            flag = _check(view, inst)
            if flag is not None:
                flags.append(flag)
    return flags


def _checkable(inst: Instance) -> bool:
    parts = [p for p in inst.parts if p.unit == inst.total.unit]
    if len(parts) != len(inst.parts):
        return False
    if inst.relation.check == "total":
        return isinstance(inst.relation.parts, tuple) and len(parts) == len(inst.relation.parts)
    if sum(p.value != 0 for p in parts) >= 2:
        return True  # two parts with a value: a stated 0 says nothing of the parts not read
    return total([p.interval for p in parts]).lo > inst.total.interval.hi


def _complete(view: View, inst: Instance) -> bool:
    """Whether the parts found can be all of them: only when they come from one listing
    with their total (one table, or one sentence: "支出213.61万元，其中…"). Parts gathered
    from across the document are often read in part (items told one per paragraph, a
    revenue part the reading missed) or belong to another total (the 财政拨款 breakdown of
    the sentence after 支出预算), so there only a sum above its total is a finding. A
    `total` relation needs every operand."""
    if inst.relation.check == "total":
        return True
    if total([p.interval for p in inst.parts]).lo > inst.total.interval.hi:
        return True
    entries = [inst.total, *inst.parts]
    tables = [{f.evidence.cell.table for f in e.facts if f.evidence.cell} for e in entries]
    if set.intersection(*tables):
        return True
    prose = [[f for f in e.facts if f.evidence.cell is None] for e in entries]
    if not all(prose):
        return False
    for anchor in prose[0]:
        left, right = sentence_bounds(view.text, anchor.evidence.start)
        if all(any(left <= f.evidence.start <= right for f in facts) for facts in prose[1:]):
            return True
    return False


def _check(view: View, inst: Instance) -> Flag | None:
    index = view.index
    computed = total([p.interval for p in inst.parts])
    stated = inst.total.interval
    if stated.meets(computed):
        return None
    magnitude = _magnitude_culprit(inst)
    if magnitude is not None:
        return _magnitude_flag(index, inst, magnitude)
    decimals = max((p.decimals or 0) for p in inst.parts)
    shown_sum = fmt(sum(p.value for p in inst.parts), decimals)
    year = "" if inst.year in (None, index.fiscal_year) else f"（{inst.year}年）"
    label = index.label(inst.total.concept)
    terms = " + ".join(p.shown for p in inst.parts)
    names_en = ", ".join(index.label_en(p.concept) for p in inst.parts)
    year_en = "" if inst.year in (None, index.fiscal_year) else f" ({inst.year})"
    where = view.place(inst.total.best)
    return make_flag(
        inst.relation.raises or inst.relation.check,
        f"{scope_prefix(inst.scope)}{label}{year}（{where}）{inst.total.shown} ≠ {terms}"
        f"（= {shown_sum}）",
        f"{scope_en(inst.scope)}{index.label_en(inst.total.concept)}{year_en} "
        f"{inst.total.shown} is not the sum of its parts {terms} = {shown_sum} ({names_en}); "
        f"relation {inst.relation.id}",
        facts=[*inst.total.ids, *(i for p in inst.parts for i in p.ids)],
        expected=inst.total.value,
        actual=sum(p.value for p in inst.parts),
        tolerance=stated.radius + computed.radius,
    )


def _magnitude_culprit(inst: Instance) -> tuple[Entry, float] | None:
    """The operand that, divided or multiplied by 10⁴, makes the relation hold."""
    operands = [inst.total, *inst.parts]
    for culprit in operands:
        if culprit.value == 0:
            continue  # a 0 is 0 in any unit
        for factor in (1 / MAGNITUDE, MAGNITUDE):
            scaled = [e.interval * (factor if e is culprit else 1.0) for e in operands]
            if scaled[0].meets(total(scaled[1:])):
                return culprit, factor
    return None


def _magnitude_flag(index: FactIndex, inst: Instance, found: tuple[Entry, float]) -> Flag:
    culprit, factor = found
    meant = culprit.value * factor
    label = index.label(culprit.concept)
    return make_flag(
        "magnitude",
        f"{scope_prefix(inst.scope)}{label} {culprit.shown}{culprit.unit} 与同组数字差 10⁴ 倍，"
        f"疑为元/万元单位写错（按 {fmt(meant)} 则合计相符）",
        f"{scope_en(inst.scope)}{index.label_en(culprit.concept)} {culprit.shown} "
        f"{culprit.unit} is 10^4 off its siblings: 元 (yuan) written for 万元 (10k yuan) or the "
        f"reverse ({fmt(meant)} would make {inst.relation.id} hold)",
        facts=[*inst.total.ids, *(i for p in inst.parts for i in p.ids)],
        expected=meant,
        actual=culprit.value,
        tolerance=culprit.interval.radius * factor,
    )
