"""Counts of true positives, false positives and false negatives, and scored differences.

Every comparison of the eval ends in these, so the numbers of different field kinds
(facts, indicator cells, department fields, projects, flags) add up into one
precision/recall/F1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Counts:
    """True positives, false positives, false negatives — and the ratios built on them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Miss:
    """One scored difference: `fn` (gold not found), `fp` (not in gold), `wrong` (both)."""

    kind: str
    key: str
    outcome: str
    gold: Any = None
    predicted: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "outcome": self.outcome,
            "gold": self.gold,
            "predicted": self.predicted,
        }
