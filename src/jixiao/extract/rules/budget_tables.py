"""Budget figures in tables: a project's 预算/执行 block and a department's budget split.

Two layouts occur and both are read by label, not position:

* label/value pairs — ``预算数： 8 | 执行数： 8`` with ``其中：财政拨款`` and ``其他资金`` rows
  below; a label standing under or right of ``执行数`` is an executed figure;
* columns — ``年初预算 | 调整后预算数 | 预算执行数 | 预算执行率`` with one row per source of
  funds (总额, 其中：财政资金, 其他资金).

Executed and adjusted amounts of the fund sources get their own concepts
(``budget.fiscal_funds.executed`` …) so the verifier's sum over the initial budget is
not confused by them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.document import Cell, Document, Table
from jixiao.extract.rules.indicator_columns import is_indicator_header
from jixiao.extract.rules.table_cells import cell_fact, declared_unit, is_blank, label
from jixiao.models import Fact
from jixiao.vocabulary import alternation, load_vocabulary

#: (what a label says) → (stage, concept) ; stage None: the label fixes the concept itself
_TOTAL = "total"
_FISCAL = "fiscal"
_OTHER = "other"
_LABELS = load_vocabulary().budget_table_labels
STAGE_WORDS: tuple[tuple[str, str], ...] = _LABELS.stages
SOURCE_WORDS: tuple[tuple[str, str], ...] = _LABELS.sources
#: a cell holding only an amount, maybe with its unit (8.00, 1,200万元)
AMOUNT_CELL = re.compile(rf"[\d.,]+{alternation(_LABELS.amount_units)}?")
_BASE = {
    "initial": "budget.initial",
    "adjusted": "budget.adjusted",
    "executed": "budget.executed",
    "rate": "budget.execution_rate",
}
_SOURCE_CONCEPT = {
    _FISCAL: "budget.fiscal_funds",
    _OTHER: "budget.other_funds",
    "general_budget": "budget.general_budget",
    "gov_fund": "budget.gov_fund",
    "basic": "budget.basic",
    "project": "budget.project",
}


def concept_for(stage: str, source: str) -> str | None:
    """The concept of a figure of one stage (initial, adjusted, executed, rate) and source."""
    if source == _TOTAL:
        return _BASE.get(stage)
    if stage == "rate":
        return None  # a fund source's own execution rate adds nothing the verifier checks
    base = _SOURCE_CONCEPT.get(source)
    if base is None:
        return None
    if source in (_FISCAL, _OTHER) and stage in ("adjusted", "executed"):
        return f"{base}.{stage}"
    return base


def stage_of(text: str) -> str | None:
    key = label(text)
    return next((stage for word, stage in STAGE_WORDS if word in key), None)


def source_of(text: str) -> str | None:
    key = label(text)
    return next((source for word, source in SOURCE_WORDS if word in key), None)


# ---------------------------------------------------------------------------- detection
def is_column_header(texts: Sequence[str]) -> bool:
    """年初预算 | 调整后预算数 | 预算执行数 | 执行率: at least two budget stages as columns."""
    stages = {stage_of(t) for t in texts if t.strip() and len(label(t)) <= 8}
    return len(stages - {None}) >= 2


def is_pair_header(texts: Sequence[str]) -> bool:
    """预算数： 8 | 执行数： 8, or 资金总额：173.4271万元: a stage label followed by its value."""
    for i, text in enumerate(texts):
        if stage_of(text) is None:
            continue
        inline = re.search(r"[：:]\s*[\d.,]+", text)
        nxt = texts[i + 1] if i + 1 < len(texts) else ""
        if inline or (text.strip().endswith(("：", ":")) and re.match(r"\s*[\d.]", nxt)):
            return True
        # 项目金额 | 1.878, or 项目资金（万元）| 年度资金总额 | 1,200.00: a label in a short
        # row, its value a bare number, nothing before it but a group label
        filled = [t for t in texts if t.strip()]
        before = [t for t in texts[:i] if t.strip()]
        if (
            len(filled) <= 4
            and len(before) <= 1
            and not any(re.search(r"\d", t) for t in before)
            and re.fullmatch(r"[\d.,]+", nxt.strip())
        ):
            return True
    return False


def is_source_header(texts: Sequence[str], below: Sequence[str]) -> bool:
    """资金总额 | 财政拨款 | 其他资金 over a row of amounts: fund sources as columns.

    Ex-ante target tables print the budget split this way round, one stage (the
    budget) and one column per source, instead of one row per source.
    """
    sources = [t for t in texts if t.strip() and len(label(t)) <= 10 and source_of(t)]
    amounts = [t for t in below if AMOUNT_CELL.fullmatch(t.strip())]
    no_digits = not any(re.search(r"\d", t) for t in texts)
    return len(sources) >= 2 and no_digits and len(amounts) >= 2


# ---------------------------------------------------------------------------- readers
@dataclass
class BudgetRead:
    facts: list[Fact]
    end_row: int


def read_pairs(
    doc: Document,
    table: Table,
    start: int,
    scope: str,
    year: int | None,
    section: str | None = None,
) -> BudgetRead:
    """Label/value pairs from the header row on, until a row with no budget pair."""
    facts: list[Fact] = []
    declared = declared_unit(doc, table, start)
    executed_col: int | None = None
    misses = 0
    r = start
    while r < len(table.rows):
        cells = table.rows[r]
        if r > start and is_indicator_header([c.text for c in cells]):
            break  # the indicator block right below a budget block is not a missed pair
        found = False
        for i, cell in enumerate(cells):
            stage, source = stage_of(cell.text), source_of(cell.text)
            if stage == "executed" and executed_col is None:
                executed_col = cell.col
            if stage is None and source is None:
                continue
            value_cell = _value_cell(cell, cells[i + 1] if i + 1 < len(cells) else None)
            if value_cell is None:
                continue
            if stage is None:
                on_exec = executed_col is not None and cell.col >= executed_col
                stage = "executed" if on_exec else "initial"
            concept = concept_for(stage, source or _TOTAL)
            if concept is None:
                continue
            fact = cell_fact(
                doc, table, value_cell, concept, scope, year, section=section, declared=declared
            )
            if fact is not None:
                facts.append(fact)
                found = True
        if not found and r > start:
            misses += 1
            texts = [c.text for c in cells]
            if misses > 1 or any(len(t) > 30 or re.search(r"\d", t) for t in texts):
                break
        else:
            misses = 0
        r += 1
    return BudgetRead(facts, r)


def read_source_columns(
    doc: Document,
    table: Table,
    start: int,
    scope: str,
    year: int | None,
    section: str | None = None,
) -> BudgetRead:
    """A source-columns block: sources in the header at `start`, one row per stage below.

    A row's stage is what its own label cell says (执行数 …), else the header's group
    label's, else the budget (initial) stage.
    """
    header = table.rows[start]
    header_stage = next((stage_of(c.text) for c in header if not source_of(c.text)), None)
    declared = declared_unit(doc, table, start)
    facts: list[Fact] = []
    r = start + 1
    while r < len(table.rows):
        cells = table.rows[r]
        values = [c for c in cells if AMOUNT_CELL.fullmatch(c.text.strip())]
        if not values:
            break
        width = max(len(header), len(cells))
        columns = {i + width - len(header): source_of(c.text) for i, c in enumerate(header)}
        row_stage = next((stage_of(c.text) for c in cells if stage_of(c.text)), None)
        stage = row_stage or header_stage or "initial"
        for i, cell in enumerate(cells):
            source = columns.get(i + width - len(cells))
            concept = concept_for(stage, source) if source and cell in values else None
            if concept is None:
                continue
            fact = cell_fact(
                doc, table, cell, concept, scope, year, section=section, declared=declared
            )
            if fact is not None:
                facts.append(fact)
        r += 1
    return BudgetRead(facts, r)


def _value_cell(label_cell: Cell, nxt: Cell | None) -> Cell | None:
    """The cell holding a label's value: the label's own cell ('资金总额：173万元') or the next."""
    if re.search(r"[：:]\s*[\d.,]+", label_cell.text):
        head = re.split(r"[：:]", label_cell.text, maxsplit=1)[0]
        offset = len(head) + 1
        value = label_cell.text[offset:].strip()
        start = label_cell.start + label_cell.text.index(value, offset)
        return Cell(
            row=label_cell.row, col=label_cell.col, text=value, start=start, end=start + len(value)
        )
    if nxt is not None and not is_blank(nxt.text) and re.match(r"\s*[\d.,]+", nxt.text):
        return nxt
    return None


def read_columns(
    doc: Document,
    table: Table,
    start: int,
    scope: str,
    year: int | None,
    section: str | None = None,
) -> BudgetRead:
    """A budget-columns block: header at `start`, one row per source of funds below."""
    header = table.rows[start]
    width = max(len(header), *(len(r) for r in table.rows[start + 1 :]), 1)
    stages = {i + width - len(header): stage_of(c.text) for i, c in enumerate(header)}
    declared = declared_unit(doc, table, start)
    facts: list[Fact] = []
    r = start + 1
    while r < len(table.rows):
        cells = table.rows[r]
        shift = width - len(cells)
        source = next((source_of(c.text) for c in cells if source_of(c.text)), None)
        if source is None:
            # another fund source (财政专户管理资金, 单位资金) has no concept: skip it;
            # any other row (the indicator header below) ends the block
            if any(w in label(c.text) for c in cells for w in _LABELS.other_sources):
                r += 1
                continue
            break
        for i, cell in enumerate(cells):
            stage = stages.get(i + shift)
            concept = concept_for(stage, source) if stage else None
            if concept is None or is_blank(cell.text):
                continue
            unit = "%" if stage == "rate" else "万元"
            fact = cell_fact(
                doc,
                table,
                cell,
                concept,
                scope,
                year,
                default_unit=unit,
                section=section,
                declared=declared,
            )
            if fact is not None:
                facts.append(fact)
        r += 1
    return BudgetRead(facts, r)
