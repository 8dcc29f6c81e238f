"""Summary tables of special funds (专项资金汇总表): one amount per project and a 合计.

Each named line is a project with its budget; the 合计 line is the department's total
of project spending (项目支出), which the department's budget split states again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.document import Document, Table
from jixiao.extract.rules.projects import split_code
from jixiao.extract.rules.table_cells import cell_fact, is_blank, label, project_name
from jixiao.models import Fact
from jixiao.vocabulary import load_vocabulary

_LABELS = load_vocabulary().project_table_labels
NAME_HEADERS = _LABELS.summary_name
AMOUNT_HEADERS = _LABELS.summary_amount
TOTAL_WORDS = _LABELS.summary_total


@dataclass
class SummaryRead:
    facts: list[Fact] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    end_row: int = 0


def _columns(texts: Sequence[str]) -> tuple[int | None, int | None]:
    keys = [label(t) for t in texts]
    name = next((i for i, k in enumerate(keys) if k in NAME_HEADERS), None)
    amount = next((i for i, k in enumerate(keys) if k in AMOUNT_HEADERS), None)
    return name, amount


def is_summary_header(texts: Sequence[str]) -> bool:
    """序号 | 支出方向（子项） | 金额 | …: a name column and an amount column side by side."""
    name, amount = _columns(texts)
    return (
        name is not None
        and amount is not None
        and amount > name
        and not any(label(t) in _LABELS.indicator_levels for t in texts)
    )


def read_summary(
    doc: Document, table: Table, start: int, year: int | None, section: str | None = None
) -> SummaryRead:
    """One budget fact per named line, the 合计 line as the department's project spending."""
    name_col, amount_col = _columns([c.text for c in table.rows[start]])
    out = SummaryRead(end_row=start + 1)
    assert name_col is not None and amount_col is not None
    width = len(table.rows[start])
    for r in range(start + 1, len(table.rows)):
        cells = table.rows[r]
        if not any(c.text.strip() for c in cells):
            out.end_row = r + 1
            continue
        if len(cells) != width:
            break
        name_cell, amount_cell = cells[name_col], cells[amount_col]
        if is_blank(name_cell.text) or is_blank(amount_cell.text):
            break
        name = name_cell.text.strip()
        if label(name) in TOTAL_WORDS:
            fact = cell_fact(
                doc, table, amount_cell, "budget.project", "department", year, section=section
            )
        else:
            scope = project_name(split_code(name)[1])
            out.projects.append(scope)
            fact = cell_fact(
                doc, table, amount_cell, "budget.initial", scope, year, section=section
            )
        if fact is not None:
            out.facts.append(fact)
        out.end_row = r + 1
    return out
