"""Year-on-year checks: `X.yoy_change` = X(year) − X(year−1) and `X.yoy_change_pct` = change ÷ X(year−1).

Reports often state this year's figure, the change and the change % but not last
year's figure. The three still constrain each other: last year = this year − change,
and the % must equal change ÷ that. This is how a slip in the change shows when the
% was computed from the right numbers (491.03 − 416.18 = 74.85, printed 79.09, with a
15.24 % that matches 74.85). Decreases are negative, as extractors record them.
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.verify.facts import Entry, FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fmt
from jixiao.verify.text import sentence_bounds
from jixiao.verify.view import View

CHANGE = ".yoy_change"
PCT = ".yoy_change_pct"
#: last year's counterpart of this year's figure, by this year's stage, most likely first
PRIOR_STAGES: dict[str | None, tuple[str | None, ...]] = {
    "final": ("prior_final", "final", None),
    "budget_initial": ("prior_budget", "prior_final", "budget_initial", None),
    "budget_adjusted": ("prior_budget", "prior_final", "budget_adjusted", None),
    None: (None, "prior_final", "prior_budget", "final", "budget_initial"),
}


def current_and_prior(
    index: FactIndex, base: str, change: Entry, scope: str, year: int
) -> tuple[Entry | None, Entry | None]:
    """This year's figure in the change's stage and last year's counterpart of it."""
    current = index.one(base, scope, year, change.stage)
    if current is None:
        return None, None
    stages = PRIOR_STAGES.get(current.stage, PRIOR_STAGES[None])
    priors = [e for s in stages if (e := index.get(base, scope, year - 1, s)) is not None]
    return current, (priors[0] if priors else None)


def check_yoy(view: View) -> list[Flag]:
    index = view.index
    flags: list[Flag] = []
    for (concept, scope, year, _), entry in list(index.entries.items()):
        if year is None or _undecided(view, entry):
            continue
        if concept.endswith(CHANGE):
            flag = _change(index, concept.removesuffix(CHANGE), entry, scope, year)
        elif concept.endswith(PCT):
            flag = _pct(view, concept.removesuffix(PCT), entry, scope, year)
        else:
            continue
        if flag is not None:
            flags.append(flag)
    return flags


def _near(view: View, current: Entry, change: Entry) -> bool:
    """This year's figure stated in the change's own passage ("收支总计1322.91万元。与2022年度
    相比，…减少113.22万元"): a figure from elsewhere may be another measure of the name."""
    spans = [
        (start, end)
        for start, end in view.passages
        if any(start <= c.evidence.start <= end for c in change.facts)
    ]
    return any(
        start <= f.evidence.start <= end
        for f in current.facts
        if f.evidence.cell is None
        for start, end in spans
    )


def _undecided(view: View, entry: Entry) -> bool:
    """A change whose sentence prints both directions (增加（减少）): its sign is unknown
    (the unfilled template is the finding)."""
    alternatives = view.vocab.alternatives
    for fact in entry.facts:
        left, right = sentence_bounds(view.text, fact.evidence.start, fact.evidence.end)
        if any(m.group(1) != m.group(2) for m in alternatives.finditer(view.text, left, right)):
            return True
    return False


def _change(index: FactIndex, base: str, change: Entry, scope: str, year: int) -> Flag | None:
    current, prior = current_and_prior(index, base, change, scope, year)
    if current is None or prior is None:
        return None
    computed = current.interval - prior.interval
    if change.interval.meets(computed):
        return None
    diff = current.value - prior.value
    digits = max(current.decimals or 0, prior.decimals or 0)
    label = index.label(base)
    return make_flag(
        "yoy",
        f"{scope_prefix(scope)}{label}比上年增减 {change.shown} ≠ {current.shown} − {prior.shown} "
        f"(= {fmt(diff, digits)})",
        f"{scope_en(scope)}{index.label_en(base)}: change from {year - 1} stated {change.shown} but {current.shown} − "
        f"{prior.shown} = {fmt(diff, digits)}",
        facts=[*change.ids, *current.ids, *prior.ids],
        expected=change.value,
        actual=diff,
        tolerance=change.interval.radius + computed.radius,
    )


def _pct(view: View, base: str, pct: Entry, scope: str, year: int) -> Flag | None:
    index = view.index
    current, prior = current_and_prior(index, base, pct, scope, year)
    change = index.one(base + CHANGE, scope, year, pct.stage)
    label = index.label(base)
    if current is not None and prior is not None:
        if prior.value == 0:
            return _zero_base(index, base, pct, prior, scope)
        if prior.interval.contains_zero():
            return None
        computed = (current.interval - prior.interval) / prior.interval * 100.0
        value = (current.value - prior.value) / prior.value * 100.0
        how = f"({current.shown} − {prior.shown}) ÷ {prior.shown}"
        facts = [*pct.ids, *current.ids, *prior.ids]
    elif current is not None and change is not None and _near(view, current, change):
        implied = current.interval - change.interval
        if implied.contains_zero():
            return None
        computed = change.interval / implied * 100.0
        prior_value = current.value - change.value
        value = change.value / prior_value * 100.0
        how = f"{change.shown} ÷ ({current.shown} − {change.shown})"
        facts = [*pct.ids, *change.ids, *current.ids]
    else:
        return None
    if pct.interval.meets(computed):
        return None
    return make_flag(
        "yoy",
        f"{scope_prefix(scope)}{label}比上年增减幅度 {pct.shown}% ≠ {how} (= {fmt(value, 2)}%)",
        f"{scope_en(scope)}{index.label_en(base)}: change from {year - 1} stated {pct.shown}% but {how} = {fmt(value, 2)}%",
        facts=facts,
        expected=pct.value,
        actual=value,
        tolerance=pct.interval.radius + computed.radius,
    )


def _zero_base(index: FactIndex, base: str, pct: Entry, prior: Entry, scope: str) -> Flag:
    """A change in % against last year's 0: no rate exists ("由0增加100%")."""
    label = index.label(base)
    return make_flag(
        "zero_budget_rate",
        f"{scope_prefix(scope)}{label}上年为 {prior.shown}，却写明增减幅度 {pct.shown}%，"
        f"以 0 为基数的增长率无法计算",
        f"{scope_en(scope)}{index.label_en(base)}: a change of {pct.shown}% is stated against "
        f"last year's {prior.shown}: no rate exists against zero",
        facts=[*pct.ids, *prior.ids],
        actual=pct.value,
        severity="warning",
    )
