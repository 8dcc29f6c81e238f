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
from jixiao.models import Project

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


def merge_projects(projects: list[Project]) -> tuple[list[Project], dict[str, str]]:
    """One project per real project, and the names merged away (variant → kept name).

    A heading's wording ("处非专项工作经费项目支出绩效自评") and the table's 项目名称 cell
    ("处非专项经费") name one project when `canonical_scope` matches them and their codes
    do not disagree. The name kept is the one printed with a code (the table's own
    name), else the first seen; details are merged onto it.
    """
    kept: list[Project] = []
    aliases: dict[str, str] = {}
    for project in projects:
        names = [k.name for k in kept if not _codes_differ(k, project)]
        match = canonical_scope(project.name, names)
        if match == project.name or match not in names:
            kept.append(project)
            continue
        target = next(k for k in kept if k.name == match)
        if project.code and not target.code:
            aliases[target.name] = project.name
            target.name = project.name
        else:
            aliases[project.name] = target.name
        _absorb(target, project)
    return kept, aliases


def _codes_differ(a: Project, b: Project) -> bool:
    return bool(a.code and b.code and a.code != b.code)


def _absorb(target: Project, other: Project) -> None:
    target.code = target.code or other.code
    target.managing_department = target.managing_department or other.managing_department
    target.implementing_unit = target.implementing_unit or other.implementing_unit
    target.sections = list(dict.fromkeys(target.sections + other.sections))


def reconcile_scopes(extraction: Extraction) -> Extraction:
    extraction.projects, aliases = merge_projects(extraction.projects)
    names = [p.name for p in extraction.projects]
    # thousands of facts share a handful of scopes: match each distinct scope once
    resolved: dict[str, str] = {}

    def canonical(scope: str) -> str:
        if scope not in resolved:
            resolved[scope] = canonical_scope(aliases.get(scope, scope), names)
        return resolved[scope]

    for fact in extraction.facts:
        fact.scope = canonical(fact.scope)
    for row in extraction.indicators:
        row.scope = canonical(row.scope)
    return extraction
