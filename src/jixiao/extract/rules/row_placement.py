"""Where the cells of a flattened row shorter than its table belong.

A vertically merged cell's continuation may be an empty string or missing altogether,
so a row shorter than the header is placed at the offset where its cells fit the
columns best (an operator under 指标性质, a level-2 name under 二级指标 …), with right
alignment as the tie-break, since missing cells are usually leading merged ones.
"""

from __future__ import annotations

import re

from jixiao.extract.rules.indicator_columns import ColumnMap
from jixiao.extract.rules.indicator_values import OPERATORS
from jixiao.vocabulary import load_vocabulary

_LEVELS = load_vocabulary().indicator_levels
LEVEL1_WORDS = _LEVELS.level1
#: the level-1 names in full (产出指标 …): never a level-2 cell
LEVEL1_NAMED = _LEVELS.level1_named
LEVEL2_WORDS = _LEVELS.level2


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
        if any(text.startswith(w) for w in LEVEL2_WORDS) and text not in LEVEL1_NAMED:
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
    # fit of cell i in column offset + i, for every shift: a split puts its left part at
    # offset 0 and its right part at offset `gap`, so its score is two partial sums of
    # those rows and each cell is judged against each column once
    fits = {
        offset: [_fit(t, by_col.get(offset + i)) for i, t in enumerate(texts)]
        for offset in range(gap, -1, -1)
    }
    left = [0]
    for value in fits[0]:
        left.append(left[-1] + value)
    right = [0]
    for value in reversed(fits[gap]):
        right.append(right[-1] + value)
    right.reverse()  # right[k]: cells k.. at offset gap
    scored = [(sum(fits[offset]), gap, offset) for offset in range(gap, -1, -1)]
    scored += [(left[k] + right[k], -1, k) for k in range(1, m)]
    best_score, best_kind, best_at = scored[0]
    for score, kind, at in scored[1:]:
        if score > best_score:
            best_score, best_kind, best_at = score, kind, at
    if best_kind >= 0:
        return [best_at + i for i in range(m)]
    return [i if i < best_at else i + gap for i in range(m)]
