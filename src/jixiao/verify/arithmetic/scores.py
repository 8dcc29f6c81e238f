"""Score checks on indicator tables: a row's score ≤ its weight; scores add up to the total.

The total is the table's own 合计/总分 row where one was extracted, else the stated
自评得分 (`eval.self_score`) of the table's scope. Scores are assigned, not measured:
an integer score is exact and a score printed with decimals stands for its rounding.
"""

from __future__ import annotations

from collections import defaultdict

from jixiao.models import Flag, IndicatorRow
from jixiao.verify.facts import FactIndex
from jixiao.verify.flags import make_flag, scope_prefix
from jixiao.verify.intervals import Interval, fmt, total
from jixiao.verify.vocabulary import load_vocabulary


def score_interval(value: float) -> Interval:
    decimals = len(f"{value:.6f}".rstrip("0").partition(".")[2])
    return Interval.exact(value) if decimals == 0 else Interval.printed(value, decimals)


def is_total_row(row: IndicatorRow) -> bool:
    labels = [x for x in (row.level1, row.level2, row.level3) if x]
    total_row = load_vocabulary().total_row
    return bool(labels) and all(total_row.match(x) for x in labels)


def check_scores(index: FactIndex) -> list[Flag]:
    rows = index.record.indicators
    flags = [f for row in rows if (f := _over_weight(row)) is not None]
    tables: dict[tuple[str, str, int | None], list[IndicatorRow]] = defaultdict(list)
    for row in rows:
        tables[(row.scope, row.table, row.table_index)].append(row)
    for (scope, _, _), members in tables.items():
        flag = _table_total(index, scope, members)
        if flag is not None:
            flags.append(flag)
    return flags


def _over_weight(row: IndicatorRow) -> Flag | None:
    if row.score is None or row.weight is None or is_total_row(row):
        return None
    if score_interval(row.score).lo <= score_interval(row.weight).hi:
        return None
    name = row.level3 or row.level2 or row.level1 or ""
    return make_flag(
        "score_sum",
        f"{scope_prefix(row.scope)}指标“{name}”得分 {fmt(row.score)} 超过分值 {fmt(row.weight)}",
        f"indicator '{name}' scored {fmt(row.score)} above its weight {fmt(row.weight)}",
        indicators=[row.id],
        expected=row.weight,
        actual=row.score,
        tolerance=0.0,
    )


def _table_total(index: FactIndex, scope: str, rows: list[IndicatorRow]) -> Flag | None:
    scored = [r for r in rows if r.score is not None and not is_total_row(r)]
    if len(scored) < 2:
        return None
    total_rows = [r for r in rows if is_total_row(r) and r.score is not None]
    stated_ids: list[str] = []
    row_ids = [r.id for r in scored]
    if total_rows:
        stated_value = total_rows[0].score or 0.0
        row_ids.append(total_rows[0].id)
        what = "合计行"
    else:
        entry = index.one("eval.self_score", scope, index.fiscal_year)
        if entry is None:
            return None
        stated_value, stated_ids, what = entry.value, entry.ids, "自评得分"
    stated = score_interval(stated_value)
    computed = total([score_interval(r.score or 0.0) for r in scored])
    if stated.meets(computed):
        return None
    added = sum(r.score or 0.0 for r in scored)
    return make_flag(
        "score_sum",
        f"{scope_prefix(scope)}{what} {fmt(stated_value)} 分 ≠ 各指标得分之和 {fmt(added)} 分"
        f"（{len(scored)} 项）",
        f"stated total score {fmt(stated_value)} but the {len(scored)} indicator scores add up "
        f"to {fmt(added)}",
        facts=stated_ids,
        indicators=row_ids,
        expected=stated_value,
        actual=added,
        tolerance=stated.radius + computed.radius,
    )
