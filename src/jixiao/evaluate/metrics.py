"""Field-level scoring of one predicted `Record` against its gold.

Every comparison ends in true positives, false positives and false negatives, so the
numbers of different field kinds (facts, indicator cells, department fields, projects,
flags) add up into one precision/recall/F1. Each miss is also kept as a `Miss`, so a
researcher can see *what* went wrong, not only how often.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from jixiao.evaluate.counts import Counts, Miss
from jixiao.evaluate.flags import FlagScore, flag_matches, score_flags
from jixiao.evaluate.gold import Gold, GoldFact, GoldIndicator
from jixiao.evaluate.matching import (
    norm_text,
    printed_decimals,
    same_number,
    same_text,
    scope_key,
    similarity,
)
from jixiao.models import Fact, IndicatorRow, Record

__all__ = [
    "Counts",
    "DocumentScore",
    "FlagScore",
    "Miss",
    "flag_matches",
    "score_document",
    "score_facts",
    "score_flags",
]

INDICATOR_TEXT_FIELDS = ("level1", "level2", "level3", "operator", "target_text", "actual_text")
INDICATOR_NUMBER_FIELDS = ("target_value", "actual_value", "weight", "score")
#: scored only where the gold states them (a unit is often implied by the header)
INDICATOR_OPTIONAL_FIELDS = ("unit",)
DEPARTMENT_FIELDS = ("name", "province", "city", "county", "level")

#: below this level3 similarity two rows are not the same indicator
ROW_MATCH_THRESHOLD = 0.5


@dataclass
class DocumentScore:
    """Everything measured on one fixture."""

    id: str
    #: the fixture group (seeds, corpus, generated, renderings)
    group: str = "seeds"
    by_kind: dict[str, Counts] = field(default_factory=dict)
    by_concept: dict[str, Counts] = field(default_factory=dict)
    by_field: dict[str, Counts] = field(default_factory=dict)
    flags: FlagScore = field(default_factory=FlagScore)
    misses: list[Miss] = field(default_factory=list)
    seconds: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    error: str | None = None
    #: gold facts skipped because the taxonomy does not know their concept yet
    unscored_concepts: list[str] = field(default_factory=list)
    #: key facts (eval/GUIDE.md): tp found, fn missed (recall only: no false positives)
    key_facts: Counts = field(default_factory=Counts)

    @property
    def total(self) -> Counts:
        return sum(self.by_kind.values(), Counts())


# ---------------------------------------------------------------- facts

#: (concept, scope, year, stage); stage is None where the gold does not stage the figure
FactKey = tuple[str, str, int | None, str | None]


def _fact_label(key: FactKey) -> str:
    concept, scope, year, stage = key
    return f"{concept}|{scope}|{year}" + (f"|{stage}" if stage else "")


def _group_values(values: list[float]) -> list[float]:
    """Distinct predicted values of one key (mentions that agree are one prediction).

    A document often restates a table's 257.8025 as 257.80 in its text: the rounded
    mention is the same reading at a coarser precision, not a second value. Values are
    taken most precise first, and one that equals a kept value rounded to its own
    printed decimals joins it (the tolerance `same_number` gives a gold value).
    """
    groups: list[float] = []
    for value in sorted(values, key=printed_decimals, reverse=True):
        if not any(same_number(value, kept) for kept in groups):
            groups.append(value)
    return groups


@dataclass
class FactOutcome:
    """One key: its gold fact (if any), whether a prediction hit it, the wrong values."""

    key: FactKey
    gold: GoldFact | None
    hit: bool
    wrong: list[float]


def match_facts(
    gold: list[GoldFact], predicted: list[Fact], project_names: list[str], fiscal_year: int | None
) -> list[FactOutcome]:
    """Predicted facts grouped on the gold's keys, each key compared once.

    The key is (concept, scope, year), plus the stage where the gold gives one for that
    (concept, scope, year): then a prediction counts only with the same stage, and one of
    another stage (or none) is a key of its own. Where the gold gives no stage, the
    stage of a prediction is not looked at.
    """
    gold_by_key: dict[FactKey, GoldFact] = {
        (g.concept, scope_key(g.scope, project_names), g.year, g.stage): g for g in gold
    }
    staged = {key[:3] for key in gold_by_key if key[3] is not None}
    predicted_by_key: dict[FactKey, list[float]] = defaultdict(list)
    for fact in predicted:
        year = fact.year if fact.year is not None else fiscal_year
        base = (fact.concept, scope_key(fact.scope, project_names), year)
        with_stage: FactKey = (*base, fact.stage)
        if with_stage in gold_by_key or (base in staged and (*base, None) not in gold_by_key):
            predicted_by_key[with_stage].append(fact.value)
        else:
            predicted_by_key[(*base, None)].append(fact.value)
    outcomes = []
    for key in sorted(set(gold_by_key) | set(predicted_by_key), key=str):
        values = _group_values(predicted_by_key.get(key, []))
        target = gold_by_key.get(key)
        hit: int | None = None
        if target is not None:
            hit = next(
                (i for i, v in enumerate(values) if same_number(target.value, v, target.decimals)),
                None,
            )
        wrong = [v for i, v in enumerate(values) if i != hit]
        outcomes.append(FactOutcome(key, target, hit is not None, wrong))
    return outcomes


def score_facts(
    gold: list[GoldFact], predicted: list[Fact], project_names: list[str], fiscal_year: int | None
) -> tuple[dict[str, Counts], list[Miss]]:
    """Per-concept counts for facts keyed as `match_facts` says.

    Several mentions of one key with one value are one prediction; a key predicted with
    two disagreeing values earns at most one true positive and a false positive per
    wrong value. A predicted fact without a year is taken to belong to the fiscal year.
    """
    return _fact_counts(match_facts(gold, predicted, project_names, fiscal_year))


def _fact_counts(outcomes: list[FactOutcome]) -> tuple[dict[str, Counts], list[Miss]]:
    counts: dict[str, Counts] = defaultdict(Counts)
    misses: list[Miss] = []
    for o in outcomes:
        concept, label = o.key[0], _fact_label(o.key)
        if o.hit:
            counts[concept].tp += 1
        elif o.gold is not None:
            counts[concept].fn += 1
        counts[concept].fp += len(o.wrong)
        gold_value = o.gold.value if o.gold else None
        if o.gold is not None and not o.hit:
            misses.append(
                Miss("facts", label, "wrong" if o.wrong else "fn", gold_value, o.wrong or None)
            )
        elif o.wrong:
            misses.append(Miss("facts", label, "fp", gold_value, o.wrong))
    return dict(counts), misses


def is_key_fact(gold: GoldFact, taxonomy: Any) -> bool:
    """A gold fact of a key concept, for the department or a project: a 功能分类 款/项
    line (`item:`) or an 经济分类 line (`econ:`) is a detail, not a key figure."""
    return taxonomy.is_key(gold.concept) and not gold.scope.startswith(("item:", "econ:"))


def key_fact_counts(outcomes: list[FactOutcome], taxonomy: Any) -> Counts:
    """Recall over key facts: found (tp) and missed (fn); wrong values count as missed."""
    counts = Counts()
    for o in outcomes:
        if o.gold is not None and is_key_fact(o.gold, taxonomy):
            if o.hit:
                counts.tp += 1
            else:
                counts.fn += 1
    return counts


# ---------------------------------------------------------------- indicators


def _is_blank(row: IndicatorRow) -> bool:
    """A template row left empty (经济效益指标 with nothing in it) is not an indicator."""
    return (
        not any(norm_text(getattr(row, f)) for f in ("level3", "target_text", "actual_text"))
        and row.weight is None
        and row.score is None
    )


def _row_similarity(gold: GoldIndicator, row: IndicatorRow) -> float:
    """How alike two rows are; 0 when their level3 differs too much to be one indicator."""
    level3 = similarity(gold.level3, row.level3)
    if level3 < ROW_MATCH_THRESHOLD:
        return 0.0
    return (
        0.7 * level3
        + 0.2 * similarity(gold.level2, row.level2)
        + 0.1 * similarity(gold.target_text, row.target_text)
    )


def align_rows(
    gold: list[GoldIndicator], predicted: list[IndicatorRow]
) -> list[tuple[int | None, int | None]]:
    """One-to-one pairs (gold index, predicted index) of rows of one table; None = unmatched.

    Greedy by similarity (document order breaks ties), which on rows of one table gives
    the same pairs as an optimal assignment in all but contrived cases.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            score = _row_similarity(g, p)
            if score > 0:
                order = abs(gi / max(len(gold), 1) - pi / max(len(predicted), 1))
                candidates.append((-score, order, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int | None, int | None]] = []
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    pairs += [(gi, None) for gi in range(len(gold)) if gi not in used_g]
    pairs += [(None, pi) for pi in range(len(predicted)) if pi not in used_p]
    return pairs


def _cell_outcome(name: str, gold: Any, predicted: Any) -> Counts:
    if name in INDICATOR_NUMBER_FIELDS:
        present_g, present_p = gold is not None, predicted is not None
        equal = same_number(gold, predicted)
    else:
        present_g, present_p = norm_text(gold) is not None, norm_text(predicted) is not None
        equal = same_text(gold, predicted)
    if name in INDICATOR_OPTIONAL_FIELDS and not present_g:
        return Counts()
    if present_g and present_p:
        return Counts(tp=1) if equal else Counts(fp=1, fn=1)
    return Counts(fp=int(present_p), fn=int(present_g))


def score_row_pair(
    gold: GoldIndicator | None, row: IndicatorRow | None, label: str
) -> tuple[dict[str, Counts], list[Miss]]:
    """Per-cell counts of one aligned pair (either side may be missing)."""
    counts: dict[str, Counts] = {}
    misses: list[Miss] = []
    for name in INDICATOR_TEXT_FIELDS + INDICATOR_NUMBER_FIELDS + INDICATOR_OPTIONAL_FIELDS:
        g = getattr(gold, name) if gold is not None else None
        p = getattr(row, name) if row is not None else None
        outcome = _cell_outcome(name, g, p)
        counts[name] = outcome
        if outcome.fp or outcome.fn:
            kind = "wrong" if outcome.fp and outcome.fn else ("fp" if outcome.fp else "fn")
            misses.append(Miss("indicators", f"{label}|{name}", kind, g, p))
    return counts, misses


def score_indicators(
    gold: list[GoldIndicator], predicted: list[IndicatorRow], project_names: list[str]
) -> tuple[dict[str, Counts], list[Miss]]:
    """Per-field counts over all indicator tables, rows aligned within (scope, table)."""
    groups: dict[tuple[str, str], tuple[list[GoldIndicator], list[IndicatorRow]]] = defaultdict(
        lambda: ([], [])
    )
    for labelled in gold:
        groups[(scope_key(labelled.scope, project_names), labelled.table)][0].append(labelled)
    for row in predicted:
        if not _is_blank(row):
            groups[(scope_key(row.scope, project_names), row.table)][1].append(row)
    counts: dict[str, Counts] = defaultdict(Counts)
    misses: list[Miss] = []
    for (scope, table), (golds, rows) in sorted(groups.items()):
        for gi, pi in align_rows(golds, rows):
            g = golds[gi] if gi is not None else None
            p = rows[pi] if pi is not None else None
            level3 = (g.level3 if g else None) or (p.level3 if p else None) or ""
            pair_counts, pair_misses = score_row_pair(g, p, f"{scope}|{table}|{level3}")
            for name, c in pair_counts.items():
                counts[name] = counts[name] + c
            misses += pair_misses
    return dict(counts), misses


# ---------------------------------------------------------------- department, projects


def score_department(gold: Gold, record: Record) -> tuple[dict[str, Counts], list[Miss]]:
    """Department fields and the fiscal year, each a field of its own.

    Only fields the gold states are scored; a field stated as null means "the document
    does not say", so a predicted value there is a false positive.
    """
    counts: dict[str, Counts] = {}
    misses: list[Miss] = []
    for name in gold.department_fields:
        if name == "fiscal_year":
            g, p = gold.fiscal_year, record.fiscal_year
            equal = g == p
        else:
            g = getattr(gold.department, name) if gold.department else None
            p = getattr(record.department, name)
            equal = same_text(g, p)
        present_g, present_p = g is not None, p is not None
        if present_g and present_p:
            c = Counts(tp=1) if equal else Counts(fp=1, fn=1)
        else:
            c = Counts(fp=int(present_p), fn=int(present_g))
        counts[name] = c
        if c.fp or c.fn:
            misses.append(
                Miss(
                    "department", name, "wrong" if c.fp and c.fn else ("fp" if c.fp else "fn"), g, p
                )
            )
    return counts, misses


def score_projects(gold: Gold, record: Record) -> tuple[Counts, list[Miss]]:
    """Projects matched by normalised name; a gold code must be found on its project."""
    names = gold.project_names()
    wanted = {scope_key(p.name, names): p for p in gold.projects}
    found = {scope_key(p.name, names): p for p in record.projects}
    counts = Counts()
    misses: list[Miss] = []
    for key in sorted(set(wanted) | set(found)):
        g, p = wanted.get(key), found.get(key)
        if g and p:
            counts.tp += 1
        else:
            counts.fp += int(p is not None)
            counts.fn += int(g is not None)
            misses.append(Miss("projects", key, "fp" if p else "fn", g and g.name, p and p.name))
        if g and g.code:
            code = p.code if p else None
            if code == g.code:
                counts.tp += 1
            else:
                counts.fn += 1
                counts.fp += int(code is not None)
                misses.append(Miss("projects", f"{key}|code", "fn", g.code, code))
    return counts, misses


# ---------------------------------------------------------------- one document


def score_document(doc_id: str, gold: Gold, record: Record) -> DocumentScore:
    """All field kinds the gold is scored on, for one predicted record.

    Gold facts whose concept the taxonomy does not know yet are left out (and listed),
    so a concept proposed in GUIDE.md starts counting the day it is added.
    """
    from jixiao.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    names = gold.project_names()
    result = DocumentScore(
        id=doc_id,
        group=gold.group,
        error=record.error,
        seconds=record.run.seconds,
        tokens_in=record.run.tokens_in,
        tokens_out=record.run.tokens_out,
    )
    if gold.scores("department"):
        fields, misses = score_department(gold, record)
        result.by_field.update({f"department.{k}": v for k, v in fields.items()})
        result.by_kind["department"] = sum(fields.values(), Counts())
        result.misses += misses
    if gold.scores("facts"):
        known = [
            g for g in gold.facts if gold.fact_scored(g.concept) and taxonomy.is_known(g.concept)
        ]
        result.unscored_concepts = sorted(
            {g.concept for g in gold.facts if not taxonomy.is_known(g.concept)}
        )
        predicted = [
            f
            for f in record.facts
            if gold.fact_scored(f.concept) and f.concept not in result.unscored_concepts
        ]
        outcomes = match_facts(known, predicted, names, record.fiscal_year)
        concepts, misses = _fact_counts(outcomes)
        result.key_facts = key_fact_counts(outcomes, taxonomy)
        result.by_concept = concepts
        result.by_kind["facts"] = sum(concepts.values(), Counts())
        result.misses += misses
    if gold.scores("projects"):
        result.by_kind["projects"], misses = score_projects(gold, record)
        result.misses += misses
    if gold.scores("indicators"):
        fields, misses = score_indicators(gold.indicators, record.indicators, names)
        result.by_field.update({f"indicator.{k}": v for k, v in fields.items()})
        result.by_kind["indicators"] = sum(fields.values(), Counts())
        result.misses += misses
    if gold.scores("flags"):
        result.flags, misses = score_flags(gold.flags, record, names)
        result.by_kind["flags"] = result.flags.counts
        result.misses += misses
    return result
