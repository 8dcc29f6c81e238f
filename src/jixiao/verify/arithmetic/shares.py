"""Share checks: a stated `X.share_pct` (占…%) equals X ÷ whole × 100.

The whole is the one the text names (`Fact.of`) or else the total of the sum relation
X is a part of (一般公共预算财政拨款收入 → 本年收入合计), so a new relation in the
taxonomy gives its parts' shares a check for free. Where the relation offers several
totals ("占支出的84.84%" of 基本支出 or of 一般公共预算财政拨款基本支出), the share passes
against any of them, as an execution rate does against either budget.
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.verify.facts import Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fmt
from jixiao.verify.relations import whole_of
from jixiao.verify.view import View

SUFFIX = ".share_pct"


def check_shares(view: View) -> list[Flag]:
    index = view.index
    flags: list[Flag] = []
    for (concept, scope, year, _), share in list(index.entries.items()):
        if not concept.endswith(SUFFIX):
            continue
        flag = _check(index, share, concept.removesuffix(SUFFIX), scope, year)
        if flag is not None:
            flags.append(flag)
    return flags


def operands(
    index: FactIndex, share: Entry, part_name: str, scope: str, year: int | None
) -> tuple[Entry | None, list[Entry]]:
    """The part and the candidate wholes of a share, all of one stage: the share's own,
    else the only stage the part is stated in."""
    part = index.one(part_name, scope, year, share.stage)
    if part is None:
        return None, []
    wholes = [
        e
        for c in wholes_for(index, share, part_name)
        if (e := index.get(c, scope, year, part.stage)) is not None
        and not e.interval.contains_zero()
    ]
    return part, wholes


def wholes_for(index: FactIndex, share: Entry, part: str) -> tuple[str, ...]:
    """The whole the text names first, then the totals of the relations the part is in.

    The named whole is often an extractor's reading of a vague "占支出的"; the relation's
    other totals stay candidates so that reading alone never raises a share flag.
    """
    named = tuple(f.of for f in share.facts if f.of)
    return tuple(dict.fromkeys((*named, *whole_of(index, part))))


def _check(
    index: FactIndex, share: Entry, part_name: str, scope: str, year: int | None
) -> Flag | None:
    part, wholes = operands(index, share, part_name, scope, year)
    if part is None or not wholes:
        return None
    # "占支出的84.84%" does not say which total; templates differ, so any stated whole will do
    if any(share.interval.meets(part.interval / w.interval * 100.0) for w in wholes):
        return None
    whole = wholes[0]
    computed = part.interval / whole.interval * 100.0
    ratio = part.value / whole.value * 100.0
    part_label, whole_label = index.label(part_name), index.label(whole.concept)
    return make_flag(
        "share",
        f"{scope_prefix(scope)}{part_label}占{whole_label} {share.shown}% ≠ "
        f"{part.shown} ÷ {whole.shown} (= {fmt(ratio, 2)}%)",
        f"{scope_en(scope)}share of {index.label_en(part_name)} in "
        f"{index.label_en(whole.concept)} stated {share.shown}% but "
        f"{part.shown} / {whole.shown} = {fmt(ratio, 2)}%",
        facts=[*share.ids, *part.ids, *whole.ids],
        expected=share.value,
        actual=ratio,
        tolerance=share.interval.radius + computed.radius,
    )
