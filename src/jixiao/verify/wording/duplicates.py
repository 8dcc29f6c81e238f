"""Copied tables: one project's indicator table repeated as another project's.

Two indicator tables of different projects whose rows are identical, row for row
(indicator, target, actual). Projects share boilerplate rows (满意度 ≥95%), so one
shared row proves nothing; a whole table repeated with its figures is a copy-paste slip,
and the budget figures it carries then contradict the project's own text.
"""

from __future__ import annotations

import re
from collections import defaultdict

from jixiao.models import Fact, Flag, IndicatorRow, Record
from jixiao.verify.flags import make_flag
from jixiao.verify.view import View

#: fewer identical rows than this is shared boilerplate, not a copied table
MIN_COPIED_ROWS = 3
_DIGIT = re.compile(r"\d")

Signature = tuple[str | None, ...]


def _signature(row: IndicatorRow) -> Signature:
    """What a copied row repeats: its indicator, target and actual (weights may be re-typed)."""
    return (row.level1, row.level2, row.level3, row.target_text, row.actual_text)


def _tables(rows: list[IndicatorRow]) -> dict[tuple[str, str, int | None], list[IndicatorRow]]:
    tables: dict[tuple[str, str, int | None], list[IndicatorRow]] = defaultdict(list)
    for row in rows:
        tables[(row.scope, row.table, row.table_index)].append(row)
    return tables


def _has_figures(rows: list[IndicatorRow]) -> bool:
    return any(_DIGIT.search(f"{r.target_text or ''}{r.actual_text or ''}") for r in rows)


def check_duplicate_tables(view: View) -> list[Flag]:
    """One flag per later table that repeats an earlier table of another project."""
    record = view.record
    flags: list[Flag] = []
    first_seen: dict[tuple[str, tuple[Signature, ...]], tuple[str, list[IndicatorRow]]] = {}
    for (scope, kind, _), rows in _tables(record.indicators).items():
        signature = tuple(_signature(r) for r in rows)
        if len(rows) < MIN_COPIED_ROWS or not _has_figures(rows):
            continue
        original = first_seen.setdefault((kind, signature), (scope, rows))
        if original[0] != scope:
            flags.append(_duplicate_flag(record, original, (scope, rows)))
    return flags


def _same_budget_facts(record: Record, first: str, copy: str) -> list[tuple[Fact, Fact]]:
    """Budget figures read from both tables that are equal: the copied figures."""

    def table_facts(scope: str) -> dict[str, Fact]:
        return {
            f.concept: f
            for f in record.facts
            if f.scope == scope and f.evidence.cell is not None and f.concept.startswith("budget.")
        }

    a, b = table_facts(first), table_facts(copy)
    return [(a[c], b[c]) for c in a if c in b and a[c].value == b[c].value and a[c].value != 0]


def _duplicate_flag(
    record: Record,
    original: tuple[str, list[IndicatorRow]],
    copy: tuple[str, list[IndicatorRow]],
) -> Flag:
    (first, first_rows), (scope, rows) = original, copy
    kind = {"self_eval": "自评表", "target": "绩效目标表", "rubric": "评价指标体系"}
    table = kind.get(rows[0].table, "指标表")
    same = _same_budget_facts(record, first, scope)
    money = "、".join(f"{fa.text}" for _, fa in same[:3])
    money_part = f"，连预算金额（{money}）也相同" if money else ""
    money_en = (
        f", budget figures included ({', '.join(fb.text for _, fb in same[:3])})" if same else ""
    )
    return make_flag(
        "duplicate_table",
        f"【{scope}】的{table}与【{first}】的{table}逐行相同（{len(rows)} 行指标、目标值、"
        f"实际值完全一致{money_part}），疑为复制粘贴，请核对本项目的数字",
        f"the {rows[0].table} table of '{scope}' repeats the one of '{first}' row for row "
        f"({len(rows)} rows: indicators, targets and actuals{money_en}): "
        f"a copy-paste slip",
        facts=[f.id for pair in same for f in pair],
        indicators=[*(r.id for r in rows), *(r.id for r in first_rows)],
        expected=float(len(rows)),
        actual=float(len(rows)),
    )
