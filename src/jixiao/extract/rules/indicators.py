"""Indicator tables (绩效目标表, 自评表, 评价指标体系) → one `IndicatorRow` per data row.

A block is read from the row after its header until a total or stop row (合计, 总分,
评价结论 …) or the next header. Which column holds what comes from `indicator_columns`,
where the cells of a short row go from `row_placement`, values from `indicator_values`
and whether a row met its target from `achievement`. Merged name cells are filled down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.document import Cell, Document, Table
from jixiao.extract.rules.achievement import compute_achieved
from jixiao.extract.rules.indicator_columns import ColumnMap, is_indicator_header
from jixiao.extract.rules.indicator_values import (
    clean_level,
    is_distributive,
    number_of,
    operator_of,
    value_of,
)
from jixiao.extract.rules.numbers import parse_quantity
from jixiao.extract.rules.projects import split_code
from jixiao.extract.rules.row_placement import place_row
from jixiao.extract.rules.table_cells import (
    cell_evidence,
    is_blank,
    label,
    project_name,
    row_evidence,
)
from jixiao.models import Evidence, IndicatorRow

#: a row starting with one of these ends the indicator block (totals, conclusions)
STOP_LABELS = (
    "合计",
    "总计",
    "总分",
    "自评总分",
    "得分合计",
    "评价结论",
    "存在问题",
    "改进措施",
    "项目负责人",
    "财务负责人",
    "填表人",
    "绩效结论",
    "主要问题",
    "整改措施",
    "说明",
)
TOTAL_LABELS = ("合计", "总计", "总分", "自评总分", "得分合计", "综合得分", "自评得分")


@dataclass
class BlockResult:
    rows: list[IndicatorRow] = field(default_factory=list)
    data_rows: int = 0
    #: (cell, scope) of a stated total score (总分 / 得分合计)
    total_score: tuple[Cell, str] | None = None
    #: (cell, scope) of a 预算数 column in a target table naming projects per row
    budgets: list[tuple[Cell, str]] = field(default_factory=list)
    #: project names read from a 项目名称 column
    projects: list[str] = field(default_factory=list)
    end_row: int = 0


def is_stop_row(texts: Sequence[str]) -> bool:
    first = next((t for t in texts if t.strip()), "")
    key = label(first)
    return any(key.startswith(w) for w in STOP_LABELS)


def _total_cell(cells: list[Cell], cmap: ColumnMap) -> Cell | None:
    """The score of a total row: the number under 得分 in a full-width row, else its last
    cell when that is a number and is not the weight (a 偏差原因 column may follow 得分)."""
    values = [c for c in cells if re.fullmatch(r"[\d.]+", c.text.strip())]
    if not values:
        return None
    if len(values) == 1 and "weight" in cmap.columns and "score" in cmap.columns:
        return None  # a lone 100 under 权重 is the weights' total, not a score
    score_col = cmap.columns.get("score")
    if score_col is not None and len(cells) == cmap.width and cells[score_col] in values:
        return cells[score_col]
    return values[-1] if cells[-1] is values[-1] else None


def read_block(
    doc: Document,
    table: Table,
    start: int,
    cmap: ColumnMap,
    kind: str,
    scope: str,
    stop_at: int | None = None,
) -> BlockResult:
    """Read data rows from `start` until a total/stop row, another header or `stop_at`."""
    result = BlockResult()
    fill: dict[str, str | None] = {"level1": None, "level2": None}
    current_scope = scope
    end = len(table.rows) if stop_at is None else stop_at
    r = start
    while r < end:
        cells = table.rows[r]
        texts = [c.text for c in cells]
        if not any(t.strip() for t in texts):
            r += 1
            continue
        if is_indicator_header(texts):
            break
        if is_stop_row(texts):
            key = label(next(t for t in texts if t.strip()))
            if any(key.startswith(w) for w in TOTAL_LABELS):
                total = _total_cell(cells, cmap)
                if total is not None:
                    result.total_score = (total, current_scope)
            r += 1
            break
        at = dict(zip(place_row(texts, cmap), cells, strict=True))
        project_cell = at.get(cmap.columns.get("project", -1))
        if project_cell is not None and not is_blank(project_cell.text):
            current_scope = project_name(split_code(project_cell.text)[1])
            result.projects.append(current_scope)
            fill.clear()
            budget_cell = at.get(cmap.columns.get("budget", -1))
            if budget_cell is not None and not is_blank(budget_cell.text):
                result.budgets.append((budget_cell, current_scope))
        row = _row(doc, table, cells, at, cmap, kind, current_scope, fill)
        if row is not None:
            result.data_rows += 1
            result.rows.append(row)
        r += 1
    result.end_row = r
    return result


def _row(
    doc: Document,
    table: Table,
    cells: list[Cell],
    at: dict[int, Cell],
    cmap: ColumnMap,
    kind: str,
    scope: str,
    fill: dict[str, str | None],
) -> IndicatorRow | None:
    def text(name: str) -> str | None:
        cell = get(name)
        return cell.text.strip() if cell is not None and not is_blank(cell.text) else None

    def get(name: str) -> Cell | None:
        if name.startswith("level"):
            n = int(name[5:]) - 1
            return at.get(cmap.levels[n]) if n < len(cmap.levels) else None
        col = cmap.columns.get(name)
        return at.get(col) if col is not None else None

    values = {name: text(name) for name in ("target", "actual", "weight", "score")}
    depth = len(cmap.levels)
    names: list[str | None] = [text(f"level{n}") for n in range(1, depth + 1)]
    for n in range(depth - 1):  # fill merged name cells down; a new parent resets children
        if names[n]:
            fill[f"level{n + 1}"] = clean_level(names[n] or "")
            for deeper in range(n + 1, depth - 1):
                fill[f"level{deeper + 1}"] = None
        else:
            names[n] = fill.get(f"level{n + 1}")
    level3 = names[-1] if names else None
    if not level3 and not values["target"] and not values["actual"]:
        return None  # a name-only row (经济效益指标 with nothing under it) or a scale row
    levels = [clean_level(v) if v else None for v in names]
    if depth == 2:
        levels = [levels[0], None, levels[1]]
    levels = ([None] * (3 - len(levels)) + levels)[-3:]
    target = values["target"]
    actual = values["actual"]
    unit = text("unit")
    target_q = parse_quantity(target) if target and not is_distributive(target) else None
    actual_q = parse_quantity(actual) if actual else None
    row = IndicatorRow(
        id=f"t{table.index}.r{cells[0].row}",
        scope=scope,
        table=kind,
        table_index=table.index,
        level1=levels[0],
        level2=levels[1],
        level3=levels[2],
        operator=operator_of(text("operator"), target, kind),
        target_text=target,
        target_value=target_q.raw_value if target_q and unit else value_of(target_q),
        unit=unit or (target_q.unit if target_q and target_q.raw_unit else None),
        actual_text=actual,
        actual_value=actual_q.raw_value if actual_q and unit else value_of(actual_q),
        weight=number_of(values["weight"]),
        score=number_of(values["score"]),
        note=text("note"),
        evidence=row_evidence(doc, table, cells, get(f"level{len(cmap.levels)}")),
        cells=_cells(doc, table, get),
    )
    row.achieved = compute_achieved(row, unit)
    return row


def _cells(doc: Document, table: Table, get: object) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    for name in (
        "level1",
        "level2",
        "level3",
        "operator",
        "target",
        "unit",
        "actual",
        "weight",
        "score",
        "note",
    ):
        cell = get(name)  # type: ignore[operator]
        if cell is not None and not is_blank(cell.text):
            out[name] = cell_evidence(doc, table, cell)
    return out
