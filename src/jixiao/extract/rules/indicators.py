"""Indicator tables (绩效目标表, 自评表, 评价指标体系) → one `IndicatorRow` per data row.

Columns are found by what their header cells say (一级指标, 指标值, 实际完成值, 分值, 得分,
偏差原因 …), never by fixed positions, because templates differ and flattened rows differ
in length: a vertically merged cell's continuation may be an empty string or missing
altogether. A row shorter than the header is therefore placed at the offset where its
cells fit the columns best (an operator under 指标性质, a level-2 name under 二级指标 …),
with right alignment as the tie-break, since missing cells are usually leading merged
ones. A header shorter than the rows (a group cell spanning several columns) anchors its
known labels at the left and at the right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.document import Cell, Document, Table
from jixiao.extract.rules.numbers import parse_quantity
from jixiao.extract.rules.projects import split_code
from jixiao.extract.rules.table_cells import (
    cell_evidence,
    is_blank,
    label,
    project_name,
    row_evidence,
)
from jixiao.models import Evidence, IndicatorRow

LEVEL_LABELS = {
    "分层指标": 0,
    "一级指标": 1,
    "二级指标": 2,
    "三级指标": 3,
    "指标名称": 3,
    "绩效指标名称": 3,
}
#: header words per field, checked in this order (实际完成指标值 before 指标值)
FIELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("project", ("项目名称",)),
    (
        "note",
        (
            "偏差原因分析及改进措施",
            "偏差原因",
            "未完成原因分析",
            "未完成原因",
            "原因分析",
            "扣分原因",
            "评价过程",
            "备注",
            "原因",
        ),
    ),
    ("criteria", ("评分标准", "评分方法", "评分细则", "评分依据", "评分规则")),
    (
        "actual",
        (
            "实际完成指标值",
            "实际完成值",
            "全年实际值",
            "实际完成",
            "完成值",
            "实际值",
            "完成指标值",
        ),
    ),
    (
        "target",
        (
            "年度指标值",
            "预期指标值",
            "预期目标值",
            "年度目标值",
            "指标值",
            "目标值",
            "预期值",
            "标准值",
        ),
    ),
    ("weight", ("分值", "权重", "标准分")),
    ("score", ("自评得分", "评价得分", "得分")),
    ("unit", ("度量单位", "计量单位", "度量", "单位")),
    ("operator", ("指标性质", "比较符", "符号")),
    ("budget", ("预算数", "项目金额", "预算金额")),
)
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
LEVEL1_WORDS = (
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "完成指标",
    "效果指标",
    "通用指标",
    "产出",
    "效益",
    "满意度",
)
LEVEL2_WORDS = (
    "数量",
    "质量",
    "时效",
    "成本",
    "经济效益",
    "社会效益",
    "生态效益",
    "可持续",
    "满意度",
    "服务对象",
    "产出",
    "项目决策",
    "项目实施",
    "预算执行",
    "经济成本",
    "社会成本",
    "生态环境成本",
)
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
ACHIEVED_WORDS = (
    "已完成",
    "完成",
    "达到",
    "已达到",
    "达标",
    "实现",
    "已实现",
    "符合",
    "是",
    "合格",
)
MISSED_WORDS = ("未完成", "未达到", "未达标", "未实现", "不符合", "否", "不合格")
_SCORE_NOTE = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)]?")


# ---------------------------------------------------------------------------- headers
def field_of(text: str) -> str | None:
    """The field a header cell names (level1..3 are 'level:N'), or None."""
    key = label(text)
    if not key:
        return None
    if key in LEVEL_LABELS:
        return f"level:{LEVEL_LABELS[key]}"
    for name, words in FIELD_WORDS:
        if key in words:
            return name
    for name, words in FIELD_WORDS:
        if any(len(w) >= 3 and w in key for w in words):
            return name
    return None


def is_indicator_header(texts: Sequence[str]) -> bool:
    """A header row: it names indicator levels, or several value columns at once."""
    fields = [field_of(t) for t in texts]
    levels = {f for f in fields if f and f.startswith("level:")}
    if "level:3" in levels or len(levels) >= 2:
        return True
    named = set(fields) - {None}
    return (
        len(named) >= 3 and bool(named & {"target", "weight"}) and bool(named & {"actual", "score"})
    )


@dataclass
class ColumnMap:
    """Field → column (in full-width row coordinates) for one indicator block."""

    width: int
    columns: dict[str, int] = field(default_factory=dict)
    levels: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)

    @property
    def has(self) -> set[str]:
        return set(self.columns) | {f"level{i + 1}" for i in range(len(self.levels))}


def _anchor(fields: list[str | None], width: int, lead: int, keep_through: int) -> dict[int, int]:
    """Header index → column: identity when widths agree, else a known prefix and suffix.

    The first cell sits at column 0 and the next ones from `lead` on (a group cell over
    the level columns pushes them right); unknown labels end the prefix only past
    `keep_through`, so a level row keeps its 适用范围 between 分层指标 and 一级指标.
    """
    n = len(fields)
    if n >= width:
        return {i: i for i in range(n)}
    placed: dict[int, int] = {0: 0}
    for i in range(1, n):
        if fields[i] is None and i > keep_through:
            break
        placed[i] = lead + i - 1
    for back, i in enumerate(range(n - 1, -1, -1)):
        if fields[i] is None or i in placed:
            break
        placed[i] = width - 1 - back
    return placed


def build_column_map(header_rows: list[list[str]], row_ids: list[int], width: int) -> ColumnMap:
    """Merge one or more header rows into a column map for rows `width` cells wide."""
    cmap = ColumnMap(width=width, header_rows=row_ids)
    level_cols: dict[int, int] = {}
    parsed = [[field_of(t) for t in row] for row in header_rows]
    level_span = 0
    for fields in parsed:
        if any(f and f.startswith("level:") for f in fields):
            for i, f in enumerate(fields):
                if f and f.startswith("level:"):
                    level_span = max(level_span, i + 1)
    for fields in parsed:
        level_idx = [i for i, f in enumerate(fields) if f and f.startswith("level:")]
        lead = 1 if level_idx or not level_span else level_span
        keep = level_idx[-1] if level_idx else 0
        for i, col in _anchor(fields, width, lead, keep).items():
            f = fields[i]
            if f is None:
                continue
            if f.startswith("level:"):
                level_cols.setdefault(int(f.split(":")[1]), col)
            else:
                cmap.columns.setdefault(f, col)
    cmap.levels = [level_cols[k] for k in sorted(level_cols)][-3:]
    if "note" not in cmap.columns and "criteria" in cmap.columns:
        cmap.columns["note"] = cmap.columns["criteria"]
    return cmap


def infer_column_map(rows: list[list[str]]) -> ColumnMap | None:
    """A headerless indicator table: three name columns, then numeric weight and score."""
    width = max((len(r) for r in rows), default=0)
    if width < 4:
        return None
    full = [[""] * (width - len(r)) + r for r in rows]

    def numeric_share(col: int) -> float:
        values = [r[col] for r in full if r[col].strip()]
        if not values:
            return 0.0
        return sum(bool(re.fullmatch(r"[\d.]+%?", v.strip())) for v in values) / len(values)

    numeric = [c for c in range(3, width) if numeric_share(c) >= 0.6]
    if not numeric:
        return None
    cmap = ColumnMap(width=width, levels=[0, 1, 2])
    cmap.columns["weight"] = numeric[0]
    if len(numeric) > 1:
        cmap.columns["score"] = numeric[-1]
        if numeric[-1] - 1 > numeric[0] and numeric_share(numeric[-1] - 1) < 0.6:
            cmap.columns["note"] = numeric[-1] - 1
    return cmap


# ---------------------------------------------------------------------------- row placement
def _fit(text: str, field_name: str | None) -> int:
    """How well a cell's text fits a column (positive: fits, negative: clashes)."""
    text = text.strip()
    if not text:
        return 0
    if field_name == "operator":
        return 3 if text in OPERATORS else -2
    if field_name == "level1":
        if any(text.startswith(w) for w in LEVEL1_WORDS):
            return 2
        return -1 if any(w in text for w in LEVEL2_WORDS) else 0
    if field_name == "level2":
        if any(text.startswith(w) for w in LEVEL2_WORDS) and text not in LEVEL1_WORDS[:5]:
            return 2
        return -1 if text in LEVEL1_WORDS else 0
    if field_name in ("weight", "score"):
        return 1 if re.fullmatch(r"[\d.]+", text) else -2
    if field_name == "unit":
        return 1 if len(text) <= 4 and not re.search(r"\d", text) else -1
    if field_name in ("target", "actual"):
        return 1 if re.search(r"\d", text) or len(text) <= 6 else 0
    return 0


def place_row(texts: list[str], cmap: ColumnMap) -> list[int]:
    """The column of each cell of a row shorter than the block's width.

    Cells may be missing at the start (a merged name cell) or in the middle (a group of
    sub-columns flattened into one cell), so both a shift and a split (left part kept
    left, right part kept right) are tried, and the placement whose cells fit their
    columns best wins; ties go to the right-aligned shift.
    """
    m, gap = len(texts), cmap.width - len(texts)
    if gap <= 0:
        return list(range(m))
    by_col: dict[int, str] = {col: f for f, col in cmap.columns.items()}
    for n, col in enumerate(cmap.levels, 1):
        by_col[col] = f"level{n}"
    candidates = [[offset + i for i in range(m)] for offset in range(gap, -1, -1)]
    candidates += [[i if i < k else i + gap for i in range(m)] for k in range(1, m)]
    best, best_score = candidates[0], None
    for columns in candidates:
        score = sum(_fit(t, by_col.get(c)) for t, c in zip(texts, columns, strict=True))
        if best_score is None or score > best_score:
            best, best_score = columns, score
    return best


# ---------------------------------------------------------------------------- values
def _clean_level(text: str) -> str | None:
    """A level name as printed: a weight note (``产出指标（20分）``) is part of the text.

    The contract keeps text as printed; readers that want the bare name strip the note
    with `bare_level`.
    """
    text = text.strip()
    return text or None


def bare_level(text: str) -> str:
    """A level name without its weight note: ``产出指标（20分）`` → ``产出指标``."""
    return _SCORE_NOTE.sub("", text).strip()


def _number(text: str | None) -> float | None:
    if not text or is_blank(text):
        return None
    quantity = parse_quantity(text)
    return quantity.value if quantity else None


def _operator(op_text: str | None, target_text: str | None, kind: str) -> str | None:
    """The printed comparison, else the one the target implies.

    A 评价指标体系 (rubric) states a scoring standard, not a target: it gets an operator
    only where one is printed, never an inferred 定性.
    """
    if op_text and op_text.strip() in OPERATORS:
        return OPERATORS[op_text.strip()]
    if not target_text or is_blank(target_text):
        return None
    quantity = None if _distributive(target_text) else parse_quantity(target_text)
    if quantity is None or quantity.unit in ("年", "月", "日"):
        return None if kind == "rubric" else "定性"
    return quantity.operator


def _distributive(text: str) -> bool:
    """``盾牌、头盔、钢叉各1个``: a list of things with a count each is not one number."""
    return bool(re.search(r"各\s*\d", text))


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
            is_cost = "成本" in f"{row.level1 or ''}{row.level2 or ''}"
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


# ---------------------------------------------------------------------------- block reader
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
    """The score of a total row: its last cell, when it is a number and is not the weight."""
    values = [c for c in cells if re.fullmatch(r"[\d.]+", c.text.strip())]
    if not values or cells[-1] is not values[-1]:
        return None
    if len(values) == 1 and "weight" in cmap.columns and "score" in cmap.columns:
        return None  # a lone 100 under 权重 is the weights' total, not a score
    return values[-1]


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
            fill[f"level{n + 1}"] = _clean_level(names[n] or "")
            for deeper in range(n + 1, depth - 1):
                fill[f"level{deeper + 1}"] = None
        else:
            names[n] = fill.get(f"level{n + 1}")
    level3 = names[-1] if names else None
    if not level3 and not values["target"] and not values["actual"]:
        return None  # a name-only row (经济效益指标 with nothing under it) or a scale row
    levels = [_clean_level(v) if v else None for v in names]
    if depth == 2:
        levels = [levels[0], None, levels[1]]
    levels = ([None] * (3 - len(levels)) + levels)[-3:]
    target = values["target"]
    actual = values["actual"]
    unit = text("unit")
    target_q = parse_quantity(target) if target and not _distributive(target) else None
    actual_q = parse_quantity(actual) if actual else None
    row = IndicatorRow(
        id=f"t{table.index}.r{cells[0].row}",
        scope=scope,
        table=kind,  # type: ignore[arg-type]
        table_index=table.index,
        level1=levels[0],
        level2=levels[1],
        level3=levels[2],
        operator=_operator(text("operator"), target, kind),  # type: ignore[arg-type]
        target_text=target,
        target_value=target_q.raw_value if target_q and unit else _value(target_q),
        unit=unit or (target_q.unit if target_q and target_q.raw_unit else None),
        actual_text=actual,
        actual_value=actual_q.raw_value if actual_q and unit else _value(actual_q),
        weight=_number(values["weight"]),
        score=_number(values["score"]),
        note=text("note"),
        evidence=row_evidence(doc, table, cells, get(f"level{len(cmap.levels)}")),
        cells=_cells(doc, table, get),
    )
    row.achieved = compute_achieved(row, unit)
    return row


def _value(quantity: object) -> float | None:
    if quantity is None or getattr(quantity, "unit", "") in ("年", "月", "日"):
        return None
    return getattr(quantity, "value", None)


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
