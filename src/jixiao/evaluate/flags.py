"""Flags scored as detection: which real problems the verifier found, missed, or invented.

A gold flag names a problem found by reading (eval/GUIDE.md, "Flags"). A predicted flag
detects it when the check is the same and either

* **the place** agrees: some text the flag points at (a `location` quote, or the evidence
  quote of one of its facts or indicator rows) overlaps the gold `quote`, on the same page
  when both give one; or
* **the operands** agree: the concepts of its facts overlap the gold `concepts` (globs
  allowed) and it concerns the gold `scope`, when one is given.

Either is enough, so a flag that reports the same problem through slightly different
operands (the table's 本年支出合计 instead of the sentence's, one more part of a sum)
still counts, and so does a wording flag that names no fact at all. A gold flag with
neither quote nor concepts is matched by check (and scope) alone.

Predicted flags that match no gold flag are false alarms. Flags about the extraction
itself (`completeness`, `extraction_error`, `backend_disagreement`) are not findings and
are not scored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from fnmatch import fnmatchcase
from typing import Any

from jixiao.evaluate.counts import Counts, Miss
from jixiao.evaluate.gold import GoldFlag
from jixiao.evaluate.matching import norm_text, scope_key
from jixiao.models import EXTRACTION_CHECKS, Flag, Record

#: a quote contained in the other counts from this many characters on (shorter: a bare
#: number such as "100" occurs in too many places to say where a problem is)
MIN_CONTAINED = 4
#: otherwise the longest common run must be at least this long and half the shorter quote
MIN_COMMON = 6


@dataclass
class FlagScore:
    """Detection counts: real problems found and missed, and false alarms.

    `documents` counts the documents scored on flags, so false alarms per document stay
    right when scores of several documents are added up.
    """

    gold: int = 0
    detected: int = 0
    predicted: int = 0
    matched_predicted: int = 0
    documents: int = 0
    #: false alarms by severity (error / warning / info)
    false_by_severity: Counter[str] = field(default_factory=Counter)

    @property
    def false_alarms(self) -> int:
        return self.predicted - self.matched_predicted

    @property
    def missed(self) -> int:
        return self.gold - self.detected

    @property
    def recall(self) -> float:
        return self.detected / self.gold if self.gold else 1.0

    @property
    def false_alarms_per_document(self) -> float:
        return self.false_alarms / self.documents if self.documents else 0.0

    @property
    def counts(self) -> Counts:
        return Counts(self.detected, self.false_alarms, self.missed)

    def __add__(self, other: FlagScore) -> FlagScore:
        return FlagScore(
            self.gold + other.gold,
            self.detected + other.detected,
            self.predicted + other.predicted,
            self.matched_predicted + other.matched_predicted,
            self.documents + other.documents,
            self.false_by_severity + other.false_by_severity,
        )

    def to_dict(self) -> dict[str, Any]:
        precision = self.matched_predicted / self.predicted if self.predicted else 1.0
        return {
            "gold": self.gold,
            "detected": self.detected,
            "missed": self.missed,
            "predicted": self.predicted,
            "false_alarms": self.false_alarms,
            "false_alarms_per_document": round(self.false_alarms_per_document, 4),
            "false_alarms_by_severity": dict(sorted(self.false_by_severity.items())),
            "documents": self.documents,
            "precision": round(precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.counts.f1, 4),
        }


@dataclass
class PredictedFlag:
    """What a predicted flag points at: its facts' concepts and scopes, and its places."""

    flag: Flag
    concepts: set[str]
    scopes: set[str]
    #: (normalised quote, page) of every place the flag names
    places: list[tuple[str, int | None]]


def describe(flag: Flag, record: Record, names: list[str]) -> PredictedFlag:
    """Collect the concepts, scopes and quoted places a predicted flag points at."""
    facts = {f.id: f for f in record.facts}
    rows = {r.id: r for r in record.indicators}
    named_facts = [facts[i] for i in flag.facts if i in facts]
    named_rows = [rows[i] for i in flag.indicators if i in rows]
    scopes = {scope_key(f.scope, names) for f in named_facts}
    scopes |= {scope_key(r.scope, names) for r in named_rows}
    places = [(loc.quote, loc.page) for loc in flag.location if loc.quote]
    for loc in flag.location:
        fact = facts.get(loc.fact or "")
        if fact is not None and not loc.quote:
            places.append((fact.evidence.quote, fact.evidence.page))
    places += [(f.evidence.quote, f.evidence.page) for f in named_facts]
    places += [(r.evidence.quote, r.evidence.page) for r in named_rows if r.evidence]
    normalised = [(norm_text(q) or "", page) for q, page in places]
    return PredictedFlag(
        flag=flag,
        concepts={f.concept for f in named_facts},
        scopes=scopes,
        places=[(q, page) for q, page in normalised if q],
    )


def quotes_overlap(gold: str, predicted: str) -> bool:
    """Whether two normalised quotes are about the same place in the text.

    One inside the other (from `MIN_CONTAINED` characters, or half the longer one), or a
    common run of at least `MIN_COMMON` characters covering half the shorter quote.
    """
    if not gold or not predicted:
        return False
    short, long = sorted((gold, predicted), key=len)
    if short in long:
        return len(short) >= MIN_CONTAINED or 2 * len(short) >= len(long)
    matcher = SequenceMatcher(None, short, long, autojunk=False)
    run = matcher.find_longest_match(0, len(short), 0, len(long)).size
    return run >= MIN_COMMON and 2 * run >= len(short)


def _same_place(gold: GoldFlag, predicted: PredictedFlag) -> bool:
    quote = norm_text(gold.quote)
    if not quote:
        return False
    for text, page in predicted.places:
        if gold.page is not None and page is not None and gold.page != page:
            continue
        if quotes_overlap(quote, text):
            return True
    return False


def _same_operands(gold: GoldFlag, predicted: PredictedFlag, names: list[str]) -> bool:
    if not any(fnmatchcase(c, p) for c in predicted.concepts for p in gold.concepts):
        return False
    return gold.scope is None or scope_key(gold.scope, names) in predicted.scopes


def flag_matches(gold: GoldFlag, predicted: PredictedFlag, names: list[str]) -> bool:
    """Same check, and the same place or the same operands (see the module docstring)."""
    if gold.check != predicted.flag.check:
        return False
    if not gold.quote and not gold.concepts:
        return gold.scope is None or scope_key(gold.scope, names) in predicted.scopes
    return _same_place(gold, predicted) or (
        bool(gold.concepts) and _same_operands(gold, predicted, names)
    )


def score_flags(
    gold: list[GoldFlag], record: Record, names: list[str]
) -> tuple[FlagScore, list[Miss]]:
    """Detection counts of one document, and a miss for every problem missed or invented."""
    predicted = [
        describe(f, record, names) for f in record.flags if f.check not in EXTRACTION_CHECKS
    ]
    score = FlagScore(gold=len(gold), predicted=len(predicted), documents=1)
    misses: list[Miss] = []
    matched: set[int] = set()
    for g in gold:
        hits = {i for i, p in enumerate(predicted) if flag_matches(g, p, names)}
        matched |= hits
        if hits:
            score.detected += 1
        else:
            misses.append(Miss("flags", _gold_label(g), "fn", g.note, None))
    score.matched_predicted = len(matched)
    for i, p in enumerate(predicted):
        if i not in matched:
            score.false_by_severity[p.flag.severity] += 1
            label = f"{p.flag.check}|{','.join(sorted(p.concepts))}"
            misses.append(Miss("flags", label, "fp", None, p.flag.message))
    return score, misses


def _gold_label(gold: GoldFlag) -> str:
    where = ",".join(gold.concepts) or (gold.quote or "")[:30]
    return f"{gold.check}|{where}"
