"""Which column of an indicator table holds which field, read from its header cells.

Columns are found by what their header cells say (一级指标, 指标值, 实际完成值, 分值, 得分,
偏差原因 …), never by fixed positions, because templates differ. A header may span two
rows (``绩效指标`` over ``一级指标 | 二级指标 | 三级指标``) and be shorter than the rows under
it (a group cell spanning several columns), so its known labels are anchored at the left
and at the right. A table with no header at all is read from the shape of its columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.extract.rules.table_cells import label

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


#: a label equal to a header word → its field (the first field listing it wins)
_EXACT_FIELD: dict[str, str] = {}
for _name, _words in FIELD_WORDS:
    for _word in _words:
        _EXACT_FIELD.setdefault(_word, _name)
#: per field, one pattern for its words of three characters or more found inside a label
_CONTAINED_FIELD = [
    (name, re.compile("|".join(re.escape(w) for w in words if len(w) >= 3)))
    for name, words in FIELD_WORDS
    if any(len(w) >= 3 for w in words)
]


@lru_cache(maxsize=8192)
def field_of(text: str) -> str | None:
    """The field a header cell names (level1..3 are 'level:N'), or None.

    Cached: every row of every table is tested as a possible header, and the same cell
    texts (一级指标, 分值, 得分 …) come back all through a batch.
    """
    key = label(text)
    if not key:
        return None
    if key in LEVEL_LABELS:
        return f"level:{LEVEL_LABELS[key]}"
    exact = _EXACT_FIELD.get(key)
    if exact is not None:
        return exact
    for name, pattern in _CONTAINED_FIELD:
        if pattern.search(key):
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
    parsed = _expand_groups([[field_of(t) for t in row] for row in header_rows], width)
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


def is_header_continuation(texts: Sequence[str]) -> bool:
    """The second row of a two-row header: only field labels under a group cell
    (``年度目标值 | 实际完成值`` under ``指标值``), no data."""
    filled = [t for t in texts if t.strip()]
    return bool(filled) and all(field_of(t) is not None and not re.search(r"\d", t) for t in filled)


def _expand_groups(parsed: list[list[str | None]], width: int) -> list[list[str | None]]:
    """Widen a header row whose group cell spans the labelled run of the row below it.

    ``一级指标 | … | 指标值 | 分值`` over ``… | 年度目标值 | 实际完成值 | …``: the flattened
    upper row has one cell where the lower one has two, so every label right of the
    group would land one column too far left. The group cell is the one above the
    start of the lower row's labelled run; it is widened to cover the run.
    """
    out = [list(row) for row in parsed]
    for k, upper in enumerate(out[:-1]):
        lower = out[k + 1]
        if len(upper) >= width or len(lower) != width:
            continue
        labelled = [i for i, f in enumerate(lower) if f is not None]
        if not labelled or labelled != list(range(labelled[0], labelled[-1] + 1)):
            continue
        start, extra = labelled[0], len(labelled) - 1
        if start < len(upper) and len(upper) + extra == width:
            out[k] = upper[: start + 1] + [None] * extra + upper[start + 1 :]
    return out


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
