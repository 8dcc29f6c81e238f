"""Rubric weights (评价指标体系): the weights of a group add up to its header's points.

A rubric prints each group's points in its header cell ("通用指标（20分）",
"预算编制（30分）") and the whole to 100. The extractor keeps the group's name
(`level1`/`level2`) without the points, so the points are read back from the row's own
evidence, the table row as printed. A group whose weights do not add up to its header is
a slip of the rubric (2 + 2 + 2 + 4 + 4 + 6 + 3 = 23 under "通用指标（20分）"); where no
header states points, the weights of the whole table are held to 100, and only an excess
fires (rows the extractor missed would make any shortfall a false alarm).
"""

from __future__ import annotations

import re
from collections import defaultdict

from jixiao.models import Flag, IndicatorRow, Record
from jixiao.verify.arithmetic.scores import is_total_row, score_interval
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fmt, total

FULL_MARKS = 100.0
_POINTS = re.compile(r"^(.*?)[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]?(.*)$")


def group_name(label: str) -> str:
    """A group's name without its points: "通用指标（20分）不能修改" → "通用指标不能修改"."""
    match = _POINTS.match(label.strip())
    return (match.group(1) + match.group(3)).strip() if match else label.strip()


def header_points(rows: list[IndicatorRow]) -> dict[str, float]:
    """Group name (points removed) → the points its header states, from labels and row quotes."""
    points: dict[str, float] = {}
    for row in rows:
        quoted = row.evidence.quote.split("\t") if row.evidence is not None else []
        for cell in [row.level1 or "", row.level2 or "", *quoted]:
            match = _POINTS.match(cell.strip())
            if match:
                points.setdefault(group_name(cell), float(match.group(2)))
    return points


def _groups(rows: list[IndicatorRow], points: dict[str, float]) -> dict[str, list[IndicatorRow]]:
    groups: dict[str, list[IndicatorRow]] = defaultdict(list)
    for row in rows:
        names = (group_name(x) for x in (row.level1, row.level2) if x)
        for name in dict.fromkeys(names):
            if name in points:
                groups[name].append(row)
    return groups


def check_rubric_weights(record: Record) -> list[Flag]:
    tables: dict[tuple[str, int | None], list[IndicatorRow]] = defaultdict(list)
    for row in record.indicators:
        if row.table == "rubric" and row.weight is not None and not is_total_row(row):
            tables[(row.scope, row.table_index)].append(row)
    flags: list[Flag] = []
    for (scope, _), rows in tables.items():
        flags.extend(_table(scope, rows))
    return flags


def _table(scope: str, rows: list[IndicatorRow]) -> list[Flag]:
    points = header_points(rows)
    flags = [
        flag
        for name, members in _groups(rows, points).items()
        if (flag := _group(scope, name, points[name], members)) is not None
    ]
    level1 = list(dict.fromkeys(group_name(r.level1) for r in rows if r.level1))
    if level1 and all(n in points for n in level1):
        stated = sum(points[n] for n in level1)
        if abs(stated - FULL_MARKS) > 1e-9:
            flags.append(_headers(scope, level1, points, rows))
    elif not flags and len(rows) >= 2:
        weights = sum(r.weight or 0.0 for r in rows)
        if weights > FULL_MARKS + 1e-9:
            flags.append(_excess(scope, rows, weights))
    return flags


def _group(scope: str, name: str, stated: float, rows: list[IndicatorRow]) -> Flag | None:
    computed = total([score_interval(r.weight or 0.0) for r in rows])
    if score_interval(stated).meets(computed):
        return None
    added = sum(r.weight or 0.0 for r in rows)
    terms = " + ".join(fmt(r.weight or 0.0) for r in rows)
    return make_flag(
        "score_sum",
        f"{scope_prefix(scope)}评价指标体系“{name}（{fmt(stated)}分）”下各指标分值 {terms} = "
        f"{fmt(added)} 分，与标明的 {fmt(stated)} 分不符",
        f"{scope_en(scope)}rubric group '{name}' is headed {fmt(stated)} points but the weights "
        f"of its {len(rows)} indicators add up to {terms} = {fmt(added)}",
        indicators=[r.id for r in rows],
        expected=stated,
        actual=added,
        tolerance=computed.radius,
    )


def _headers(
    scope: str, names: list[str], points: dict[str, float], rows: list[IndicatorRow]
) -> Flag:
    terms = " + ".join(fmt(points[n]) for n in names)
    stated = sum(points[n] for n in names)
    return make_flag(
        "score_sum",
        f"{scope_prefix(scope)}评价指标体系各一级指标分值 {terms} = {fmt(stated)} 分，不是满分 100 分",
        f"{scope_en(scope)}the rubric's groups are headed {terms} = {fmt(stated)} points, not 100",
        indicators=[r.id for r in rows],
        expected=FULL_MARKS,
        actual=stated,
        tolerance=0.0,
    )


def _excess(scope: str, rows: list[IndicatorRow], weights: float) -> Flag:
    return make_flag(
        "score_sum",
        f"{scope_prefix(scope)}评价指标体系 {len(rows)} 项指标分值合计 {fmt(weights)} 分，超过满分 100 分",
        f"{scope_en(scope)}the weights of the rubric's {len(rows)} indicators add up to "
        f"{fmt(weights)}, over 100",
        indicators=[r.id for r in rows],
        expected=FULL_MARKS,
        actual=weights,
        tolerance=0.0,
    )
