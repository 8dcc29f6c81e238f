"""Budget stage of a figure: the 年初预算 / 调整预算 it is governed by, or the 决算.

A 部门决算 report states budget-stage figures in the same words as final accounts:
"收入年初预算357.47万元，年初结转和结余20万元" — the 年初结转和结余 there is the
budget's carry-over, not the 决算 one, and "2023年调整预算后，收入为494.03万元，其中：
财政拨款收入443.03万元" describes the adjusted budget. The last stage wording before a
figure in its sentence decides: 调整预算 → adjusted, 年初预算/预算数 → initial, 决算/实际/
执行数 → final accounts. A final-accounts concept (``fa.*``) read in a budget stage is
turned into its budget counterpart, or dropped where the budget has none, because a
budget figure filed as 决算 makes the verifier compare unlike things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from jixiao.vocabulary import alternation, load_vocabulary

Stage = Literal["initial", "adjusted", "final"]
#: a wording's stage as `Fact.stage`
FACT_STAGE: dict[str, str] = {
    "initial": "budget_initial",
    "adjusted": "budget_adjusted",
    "final": "final",
}

#: stage wording (`vocabulary.yaml`, stage_wordings): a group per stage, tried in order
_WORDINGS = load_vocabulary().stage_wordings
STAGE_WORDS = re.compile(
    "|".join(
        f"(?P<{stage}>{alternation(words, escape=False)})"
        for stage, words in (
            ("adjusted", _WORDINGS.adjusted),
            ("initial", _WORDINGS.initial),
            ("final", _WORDINGS.final),
        )
    )
)
#: a bare 收入/支出 that a budget sentence uses as its subject (调整预算后，收入为…)
BARE_TOTAL = re.compile(_WORDINGS.bare_total)

#: fa.* concept → its counterpart per budget stage; fa.* concepts not listed have none
BUDGET_COUNTERPART: dict[str, dict[Stage, str]] = {
    "fa.carryover_begin": {
        "initial": "budget.carryover_begin",
        "adjusted": "budget.carryover_begin",
    },
    "fa.revenue_total": {"initial": "budget.initial", "adjusted": "budget.adjusted_revenue"},
    "fa.expenditure_total": {
        "initial": "budget.initial_expenditure",
        "adjusted": "budget.adjusted",
    },
    "fa.fiscal_expenditure": {"initial": "budget.fiscal_funds", "adjusted": "budget.fiscal_funds"},
}
#: lines the national 决算 form states at its budget stage in the line's own words
#: (一般公共预算财政拨款支出年初预算为…): they keep their concept and carry the stage
KEEP_WITH_STAGE = frozenset(
    {
        "fa.general_budget_expenditure",
        "fa.gov_fund_expenditure",
        "fa.state_capital_expenditure",
        "fa.three_public.total",
        "fa.three_public.overseas",
        "fa.three_public.vehicle",
        "fa.three_public.reception",
        "fa.operating_expenditure",
        "fa.procurement.sme_reserved",
        "fa.procurement.small_micro_reserved",
    }
)
#: budget.* concepts name their own stage: executed and adjusted ones theirs, the rest
#: the budget as first set
_BUDGET_CONCEPT_STAGE = (("executed", "final"), ("adjust", "budget_adjusted"))


def budget_concept_stage(concept: str) -> str | None:
    """The stage a budget.* money concept names (budget.executed → final, budget.adjusted
    → budget_adjusted, budget.initial → budget_initial); None for any other concept and
    for rates (budget.execution_rate)."""
    if not concept.startswith("budget.") or "rate" in concept:
        return None
    return next((st for word, st in _BUDGET_CONCEPT_STAGE if word in concept), "budget_initial")


DERIVED_SUFFIXES = (".share_pct", ".yoy_change_pct", ".yoy_change", ".completion_pct")


@dataclass(frozen=True)
class StageWord:
    stage: Stage
    start: int
    end: int


def stage_words(text: str, offset: int = 0) -> list[StageWord]:
    """Stage wordings of a sentence, in order, at absolute offsets."""
    words = []
    for m in STAGE_WORDS.finditer(text):
        stage: Stage = "final"
        if m.group("adjusted"):
            stage = "adjusted"
        elif m.group("initial"):
            stage = "initial"
        words.append(StageWord(stage, offset + m.start(), offset + m.end()))
    return words


def stage_at(words: list[StageWord], at: int, since: int = 0) -> Stage | None:
    """The stage governing offset `at`: the last stage wording before it (and after
    `since`), None when there is none."""
    before = [w for w in words if since <= w.start and w.end <= at]
    return before[-1].stage if before else None


def is_budget_sentence(words: list[StageWord]) -> bool:
    return any(w.stage != "final" for w in words)


def restage(concept: str, stage: Stage | None) -> str | None:
    """The concept a figure has in `stage`: fa.* becomes budget.* or None (dropped).

    Derived concepts keep their suffix (年初预算….yoy_change). Concepts other than fa.*
    are already stage-specific and pass through, and so does a 决算 figure.
    """
    if stage in (None, "final") or not concept.startswith("fa."):
        return concept
    base, suffix = concept, ""
    for candidate in DERIVED_SUFFIXES:
        if concept.endswith(candidate):
            base, suffix = concept.removesuffix(candidate), candidate
            break
    if base in KEEP_WITH_STAGE:
        return concept
    counterpart = BUDGET_COUNTERPART.get(base, {}).get(stage)
    return counterpart + suffix if counterpart else None


def signed_adjustment(concept: str, value: float) -> str:
    """A negative 调整预算数 is the adjustment itself (年度调整预算数-11.65万元), not a budget."""
    return "budget.adjustment" if concept == "budget.adjusted" and value < 0 else concept
