"""The verifier's view of a record's facts: mentions reconciled per (concept, scope, year).

The same number is often stated three times (table, prose, summary). Mentions that
agree within their printed precision are one value for the checks (the narrowest
interval wins, as in XBRL Calculations 1.1); mentions that disagree are kept apart so
that `mentions.py` flags them and no sum is computed over a value nobody can pick.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.models import Fact, Record
from jixiao.taxonomy import DERIVED_SUFFIXES, Taxonomy, load_taxonomy
from jixiao.verify.intervals import Interval, fact_decimals, fmt, of_fact

Key = tuple[str, str, int | None]


@dataclass
class Entry:
    """One reconciled value: every agreeing mention and the narrowest interval among them."""

    concept: str
    scope: str
    year: int | None
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


class FactIndex:
    """Facts of one record keyed by (concept, scope, year), duplicates reconciled."""

    def __init__(self, record: Record, taxonomy: Taxonomy | None = None) -> None:
        self.record = record
        self.taxonomy = taxonomy or load_taxonomy()
        self.fiscal_year = record.fiscal_year
        groups: dict[Key, list[Fact]] = defaultdict(list)
        for fact in record.facts:
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
        return (fact.concept, fact.scope, fact.year if fact.year is not None else self.fiscal_year)

    def get(self, concept: str, scope: str, year: int | None) -> Entry | None:
        return self.entries.get((concept, scope, year))

    def first(self, concepts: tuple[str, ...], scope: str, year: int | None) -> Entry | None:
        """The first of several alternative concepts that has a reconciled value."""
        for concept in concepts:
            entry = self.get(concept, scope, year)
            if entry is not None:
                return entry
        return None

    def has_conflict(self, concept: str, scope: str, year: int | None) -> bool:
        return (concept, scope, year) in self.conflicts

    def contexts(self) -> list[tuple[str, int | None]]:
        """Every (scope, year) some fact is stated for, in a stable order."""
        seen = {(k[1], k[2]) for k in (*self.entries, *self.conflicts)}
        return sorted(seen, key=lambda c: (c[0] != "department", c[0], c[1] or 0))

    def in_context(self, scope: str, year: int | None) -> Iterator[Entry]:
        for (_, s, y), entry in self.entries.items():
            if s == scope and y == year:
                yield entry

    def matching(self, pattern: re.Pattern[str], scope: str, year: int | None) -> list[Entry]:
        """Reconciled entries whose concept matches a relation pattern (never derived ones)."""
        return [
            e
            for e in self.in_context(scope, year)
            if pattern.fullmatch(e.concept) and not is_derived(e.concept)
        ]

    def label(self, concept: str) -> str:
        return self.taxonomy.label(concept)

    def label_en(self, concept: str) -> str:
        """English name with the Chinese label a reviewer finds in the document."""
        found = self.taxonomy.get(concept)
        zh = self.taxonomy.label(concept)
        return f"{found.en} ({zh})" if found is not None and found.en else zh
