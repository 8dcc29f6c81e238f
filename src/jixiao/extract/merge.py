"""Merge: one record per document, with project scopes reconciled.

The same project is named slightly differently in the report text, the 绩效目标表,
the 评价指标体系 and the 自评表 ("处非专项经费" / "2023年处非专项经费项目" /
"“处非专项经费”"). Facts and indicator rows are re-scoped to the canonical name in
`projects` so the verifier compares like with like.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from jixiao.extract import Extraction

_NOISE = re.compile(
    r"[\s“”\"'《》「」【】()（）]|^\d{4}年度?|项目支出绩效自评(报告|表)?$|项目$|专项$"
)


def _key(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, _NOISE.sub("", name)
    return name


def canonical_scope(scope: str, names: list[str], threshold: float = 0.8) -> str:
    """The project name in `names` that `scope` refers to, or `scope` itself."""
    if scope == "department" or not names:
        return scope
    key = _key(scope)
    best, best_ratio = scope, 0.0
    for name in names:
        other = _key(name)
        if not key or not other:
            continue
        if key == other:
            return name
        ratio = SequenceMatcher(None, key, other).ratio()
        if (key in other or other in key) and min(len(key), len(other)) >= 4:
            ratio = max(ratio, 0.9)
        if ratio > best_ratio:
            best, best_ratio = name, ratio
    return best if best_ratio >= threshold else scope


def reconcile_scopes(extraction: Extraction) -> Extraction:
    names = [p.name for p in extraction.projects]
    for fact in extraction.facts:
        fact.scope = canonical_scope(fact.scope, names)
    for row in extraction.indicators:
        row.scope = canonical_scope(row.scope, names)
    return extraction
