"""The verifier's view of a record's facts: mentions reconciled per quantity.

A quantity is (concept, scope, year, stage): a 2025 budget's 预算数 and the 2024 执行数
it cites are two quantities, and so are an item line's figure (`item:2080505`) and
the department's total. The same quantity is often stated three times (table, prose,
summary). Mentions that agree within their printed precision are one value for the
checks (the narrowest interval wins, as in XBRL Calculations 1.1); mentions that
disagree are kept apart so that `arithmetic/mentions.py` flags them and no sum is
computed over a value nobody can pick.

`doubt` says why a reading is uncertain (a guessed unit, a low confidence, OCR): a
finding it takes part in is at most a warning that says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from jixiao.models import Fact, Record
from jixiao.taxonomy import DERIVED_SUFFIXES, Taxonomy, load_taxonomy
from jixiao.verify.intervals import Interval, fact_decimals, fmt, of_fact
from jixiao.verify.vocabulary import Vocabulary, load_vocabulary

#: (concept, scope, year, stage)
Key = tuple[str, str, int | None, str | None]


class Context(NamedTuple):
    """Where a relation is checked: one scope, one year, one stage of the budget cycle."""

    scope: str
    year: int | None
    stage: str | None = None


@dataclass
class Entry:
    """One reconciled value: every agreeing mention and the narrowest interval among them."""

    concept: str
    scope: str
    year: int | None
    stage: str | None = None
    facts: list[Fact] = field(default_factory=list)

    @property
    def best(self) -> Fact:
        return min(self.facts, key=lambda f: of_fact(f).hi - of_fact(f).lo)

    @property
    def interval(self) -> Interval:
        return of_fact(self.best)

    @property
    def value(self) -> float:
        return self.best.value

    @property
    def decimals(self) -> int | None:
        return fact_decimals(self.best)

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.facts]

    @property
    def shown(self) -> str:
        """The value as printed (416.54, 16, 98.90)."""
        return fmt(self.value, self.decimals)

    @property
    def unit(self) -> str:
        return self.best.unit


def cluster(facts: list[Fact]) -> list[list[Fact]]:
    """Group mentions whose printed intervals share a point with the group's common part."""
    groups: list[tuple[Interval, list[Fact]]] = []
    for fact in sorted(facts, key=lambda f: f.value):
        interval = of_fact(fact)
        for n, (common, members) in enumerate(groups):
            if common.meets(interval):
                lo, hi = max(common.lo, interval.lo), min(common.hi, interval.hi)
                groups[n] = (Interval(min(lo, hi), max(lo, hi)), [*members, fact])
                break
        else:
            groups.append((interval, [fact]))
    return [members for _, members in groups]


def is_derived(concept: str) -> bool:
    return concept.rpartition(".")[2] in DERIVED_SUFFIXES


def doubt(fact: Fact, vocab: Vocabulary | None = None) -> str | None:
    """Why a fact's reading is uncertain, in words a reviewer reads; None when it is not."""
    v = vocab or load_vocabulary()
    ocr = fact.evidence.ocr_confidence
    if ocr is not None and ocr < v.ocr_min:
        return f"{fact.text}为 OCR 识别（置信度 {ocr:.2f}）"
    decision = fact.unit_decision
    if decision is not None and decision.basis in v.guessed_unit_bases and fact.unit == "万元":
        how = "按数量级推断" if decision.basis == "magnitude" else "未印出、按默认"
        return f"{fact.text}的单位（{decision.unit}）{how}"
    if fact.confidence < v.fact_min:
        return f"{fact.text}的读取把握不足（置信度 {fact.confidence:.2f}）"
    return None


#: a code column's cell (类 201 / 款 05 / 项 01): a bare integer of a few digits
_CODE_CELL = re.compile(r"\d{1,7}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def looks_like_code(fact: Fact, text: str) -> bool:
    """A money fact read from a 功能分类/经济分类 code column, not an amount: a bare integer
    in the code cells that open a row before its name (201 | 06 | 01 | 行政运行 | …); an
    amount stands after a name. The reading should never produce one; no check compares it."""
    ev = fact.evidence
    if ev.cell is None or not text or not _CODE_CELL.fullmatch(ev.quote.strip()):
        return False
    left = text.rfind("\n", 0, ev.start) + 1
    right = text.find("\n", ev.start)
    line = text[left : len(text) if right < 0 else right]
    before = line[: ev.start - left].split("\t")[:-1]
    after = line[ev.start - left :].split("\t")[1:]
    opens_row = all(not c.strip() or c.strip().isdigit() for c in before)
    return opens_row and any(_CJK.search(cell) for cell in after)


class FactIndex:
    """Facts of one record keyed by (concept, scope, year, stage), duplicates reconciled."""

    def __init__(self, record: Record, taxonomy: Taxonomy | None = None, text: str = "") -> None:
        self.record = record
        self.taxonomy = taxonomy or load_taxonomy()
        self.fiscal_year = record.fiscal_year
        groups: dict[Key, list[Fact]] = defaultdict(list)
        for fact in record.facts:
            if not looks_like_code(fact, text):
                groups[self.key(fact)].append(fact)
        self.entries: dict[Key, Entry] = {}
        self.conflicts: dict[Key, list[list[Fact]]] = {}
        for key, facts in groups.items():
            clusters = cluster(facts)
            if len(clusters) == 1:
                self.entries[key] = Entry(*key, facts=clusters[0])
            else:
                self.conflicts[key] = clusters

    def key(self, fact: Fact) -> Key:
        year = fact.year if fact.year is not None else self.fiscal_year
        return (fact.concept, fact.scope, year, fact.stage)

    def get(
        self, concept: str, scope: str, year: int | None, stage: str | None = None
    ) -> Entry | None:
        return self.entries.get((concept, scope, year, stage))

    def first(
        self, concepts: tuple[str, ...], scope: str, year: int | None, stage: str | None = None
    ) -> Entry | None:
        """The first of several alternative concepts that has a reconciled value."""
        for concept in concepts:
            entry = self.get(concept, scope, year, stage)
            if entry is not None:
                return entry
        return None

    def has_conflict(
        self, concept: str, scope: str, year: int | None, stage: str | None = None
    ) -> bool:
        return (concept, scope, year, stage) in self.conflicts

    def contexts(self) -> list[Context]:
        """Every (scope, year, stage) some fact is stated for, in a stable order."""
        seen = {Context(k[1], k[2], k[3]) for k in (*self.entries, *self.conflicts)}
        return sorted(
            seen, key=lambda c: (c.scope != "department", c.scope, c.year or 0, c.stage or "")
        )

    def in_context(self, scope: str, year: int | None, stage: str | None = None) -> Iterator[Entry]:
        for (_, s, y, st), entry in self.entries.items():
            if s == scope and y == year and st == stage:
                yield entry

    def matching(
        self, pattern: re.Pattern[str], scope: str, year: int | None, stage: str | None = None
    ) -> list[Entry]:
        """Reconciled entries whose concept matches a relation pattern (never derived ones)."""
        return [
            e
            for e in self.in_context(scope, year, stage)
            if pattern.fullmatch(e.concept) and not is_derived(e.concept)
        ]

    def one(
        self, concept: str, scope: str, year: int | None, stage: str | None = None
    ) -> Entry | None:
        """The concept's value for a scope and year in `stage`; with no stage asked, the
        value in the only stage it is stated in (None when several are: a rate or a change
        cannot tell which of them it was computed from); with a stage asked and not
        stated, the value read without a stage, if that is the only one."""
        exact = self.get(concept, scope, year, stage)
        if exact is not None:
            return exact
        found = self.stages(concept, scope, year)
        if len(found) != 1 or (stage is not None and found[0] is not None):
            return None
        return self.get(concept, scope, year, found[0])

    def stages(self, concept: str, scope: str, year: int | None) -> list[str | None]:
        """The stages a concept is stated in for one scope and year."""
        return sorted(
            {k[3] for k in (*self.entries, *self.conflicts) if k[:3] == (concept, scope, year)},
            key=lambda s: s or "",
        )

    def label(self, concept: str) -> str:
        return self.taxonomy.label(concept)

    def label_en(self, concept: str) -> str:
        """English name with the Chinese label a reviewer finds in the document."""
        found = self.taxonomy.get(concept)
        zh = self.taxonomy.label(concept)
        return f"{found.en} ({zh})" if found is not None and found.en else zh
