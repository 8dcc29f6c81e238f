"""The values of one indicator row as the contract wants them: level names as printed,
numbers, and the comparison a target states or implies (≥95% → ≥, 完成 → 定性).
"""

from __future__ import annotations

import re

from jixiao.extract.rules.numbers import parse_quantity
from jixiao.extract.rules.table_cells import is_blank

OPERATORS = {
    "≥": "≥",
    ">=": "≥",
    "≤": "≤",
    "<=": "≤",
    "=": "=",
    "＝": "=",
    ">": ">",
    "<": "<",
    "定性": "定性",
}
_SCORE_NOTE = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)]?")


def clean_level(text: str) -> str | None:
    """A level name as printed: a weight note (``产出指标（20分）``) is part of the text.

    The contract keeps text as printed; readers that want the bare name strip the note
    with `bare_level`.
    """
    text = text.strip()
    return text or None


def bare_level(text: str) -> str:
    """A level name without its weight note: ``产出指标（20分）`` → ``产出指标``."""
    return _SCORE_NOTE.sub("", text).strip()


def number_of(text: str | None) -> float | None:
    if not text or is_blank(text):
        return None
    quantity = parse_quantity(text)
    return quantity.value if quantity else None


def operator_of(op_text: str | None, target_text: str | None, kind: str) -> str | None:
    """The printed comparison, else the one the target implies.

    A 评价指标体系 (rubric) states a scoring standard, not a target: it gets an operator
    only where one is printed, never an inferred 定性.
    """
    if op_text and op_text.strip() in OPERATORS:
        return OPERATORS[op_text.strip()]
    if not target_text or is_blank(target_text):
        return None
    quantity = None if is_distributive(target_text) else parse_quantity(target_text)
    if quantity is None or quantity.unit in ("年", "月", "日"):
        return None if kind == "rubric" else "定性"
    return quantity.operator


def is_distributive(text: str) -> bool:
    """``盾牌、头盔、钢叉各1个``: a list of things with a count each is not one number."""
    return bool(re.search(r"各\s*\d", text))


def value_of(quantity: object) -> float | None:
    if quantity is None or getattr(quantity, "unit", "") in ("年", "月", "日"):
        return None
    return getattr(quantity, "value", None)
