"""Whether an indicator row met its target: computed, never extracted.

The contract's ``achieved`` holds the actual value against the operator and target where
both are numbers in one unit; a qualitative row counts only where the table says so.
"""

from __future__ import annotations

from jixiao.extract.rules.numbers import parse_quantity
from jixiao.models import IndicatorRow
from jixiao.vocabulary import load_vocabulary

_OUTCOMES = load_vocabulary().indicator_outcomes
ACHIEVED_WORDS = _OUTCOMES.achieved
MISSED_WORDS = _OUTCOMES.missed
#: a level name holding one of these is a cost indicator (成本)
COST_WORDS = _OUTCOMES.cost


def compute_achieved(row: IndicatorRow, column_unit: str | None = None) -> bool | None:
    """Actual held against operator and target, where both are numbers in one unit.

    A row with no printed operator is read as 'at least the target', except cost
    indicators (成本), which are met by staying at or under it. A qualitative row is
    achieved only where the table says so (完成 / 达到 / the target restated).
    """
    actual = (row.actual_text or "").strip()
    if row.target_value is not None and row.actual_value is not None:
        t_unit = _unit_of(row.target_text, column_unit)
        a_unit = _unit_of(row.actual_text, column_unit)
        if t_unit != a_unit:
            return _worded(actual, row.target_text)
        op = row.operator if row.operator not in (None, "定性") else None
        if op is None:
            levels = f"{row.level1 or ''}{row.level2 or ''}"
            is_cost = any(word in levels for word in COST_WORDS)
            op = "≤" if is_cost else "≥"
        a, t = row.actual_value, row.target_value
        return {"≥": a >= t, "≤": a <= t, ">": a > t, "<": a < t, "=": abs(a - t) < 1e-9}[op]
    return _worded(actual, row.target_text)


def _worded(actual: str, target: str | None) -> bool | None:
    if not actual:
        return None
    if any(actual.startswith(w) for w in MISSED_WORDS):
        return False
    if actual in ACHIEVED_WORDS or (target and actual == target.strip()):
        return True
    return None


def _unit_of(text: str | None, column_unit: str | None) -> str:
    quantity = parse_quantity(text or "")
    if quantity is None:
        return ""
    if quantity.raw_unit:
        return quantity.unit
    return (column_unit or "").strip()
