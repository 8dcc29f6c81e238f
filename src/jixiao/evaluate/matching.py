"""When a predicted value counts as the gold one: text, scope and number comparison.

The eval must not punish what does not matter (a line break inside a merged cell, a
full-width digit, "2021年处非专项经费项目" against "处非专项经费") and must not forgive
what does (213.6 for 213.61). These helpers are the single place that decides.
"""

from __future__ import annotations

import math
import re
import unicodedata
from difflib import SequenceMatcher

from jixiao.extract.project_scopes import canonical_scope

DEPARTMENT = "department"

_SPACE = re.compile(r"\s+")
_TRAILING_PUNCT = re.compile(r"[。．.，,；;：:、]+$")
_QUOTES = re.compile(r"[“”\"'‘’《》「」【】]")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_PROJECT_SUFFIX = re.compile(r"(项目支出绩效自评(报告|表)?|项目)$")


def norm_text(text: str | None) -> str | None:
    """Cell or field text compared as printed, minus layout: NFKC, no whitespace."""
    if text is None:
        return None
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(text)))
    text = _TRAILING_PUNCT.sub("", text)
    return text or None


def name_key(name: str) -> str:
    """A project name without quotes, spaces, a leading year or a trailing 项目."""
    key = norm_text(name) or ""
    key = _QUOTES.sub("", key)
    previous = None
    while previous != key:
        previous = key
        key = _PROJECT_SUFFIX.sub("", _YEAR_PREFIX.sub("", key))
    return key


def scope_key(scope: str | None, project_names: list[str]) -> str:
    """The comparable form of a scope: 'department', or the key of the gold project it names.

    `canonical_scope` (the pipeline's own merge step) maps a variant wording onto a
    gold project name first, so the eval forgives exactly the variation merge forgives.
    """
    if scope is None or scope.strip() in ("", DEPARTMENT):
        return DEPARTMENT
    return name_key(canonical_scope(scope, project_names))


def printed_decimals(value: float | int) -> int:
    """Decimals of a number as JSON printed it (213.61 → 2, 16 → 0, 1e-05 → 5)."""
    if isinstance(value, int) or float(value).is_integer():
        return 0
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, digits - int(exponent))
    return len(text.split(".")[1])


def tolerance(gold: float, decimals: int | None = None) -> float:
    """How far a prediction may be from `gold`: half a unit of its last printed decimal.

    A printed zero is exact (OUTPUT.md: "0万元" is not an interval), and tiny relative
    differences (1e-6) from float arithmetic are always forgiven.
    """
    if gold == 0:
        return 1e-9
    places = printed_decimals(gold) if decimals is None else decimals
    return max(abs(gold) * 1e-6, 0.5 * 10.0 ** (-places))


def same_number(gold: float | None, predicted: float | None, decimals: int | None = None) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if math.isnan(predicted):
        return False
    return abs(float(predicted) - float(gold)) <= tolerance(float(gold), decimals) + 1e-12


def same_text(gold: str | None, predicted: str | None) -> bool:
    return norm_text(gold) == norm_text(predicted)


def similarity(a: str | None, b: str | None) -> float:
    """difflib ratio of two normalised texts (1.0 for two blanks)."""
    left, right = norm_text(a) or "", norm_text(b) or ""
    if not left and not right:
        return 1.0
    return SequenceMatcher(None, left, right).ratio()
