"""Small helpers every table reader shares: cell labels, evidence, facts from cells.

Table readers match header and row labels, not positions, so labels are compared in one
canonical form (no spaces, no colon, no parenthesised note such as （万元） or （10分）).
Every value read from a cell carries the cell's own span and `CellRef`, so a reviewer
lands on the exact cell and `doc.text[start:end] == quote` always holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.document import Cell, Document, Table
from jixiao.extract.evidence import evidence_at
from jixiao.extract.rules.numbers import MONEY_UNITS, Quantity, parse_quantity
from jixiao.extract.rules.stages import budget_concept_stage
from jixiao.extract.rules.units import WAN_DEFAULT, Unit, by_magnitude, cell_unit, money_scale
from jixiao.models import CellRef, Evidence, Fact

_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_SPACE = re.compile(r"\s+")
_NAME_STRIP = re.compile(r"[\s\"'“”‘’《》「」『』]")
#: a cell that only repeats a 万元 unit or says 'no figure' is not a value
_BARE_NUMBER = re.compile(r"[≥≤<>=]?\s*[-+]?[\d,]+(?:\.\d+)?")
#: a money unit stated for a whole table or block: 单位：万元, （万元）, （元）
_DECLARED = re.compile(r"(?:单位\s*[:：]\s*|[（(])(?P<unit>万元|元)(?=[)）\s]|$)")
#: how far before a table its title and unit line are looked for
_TITLE_REACH = 80
_NO_VALUE = {"", "/", "-", "—", "——", "无", "xxx", "XXX"}


@lru_cache(maxsize=8192)
def label(text: str) -> str:
    """The canonical form of a header or row label: 其中：财政拨款（万元） → 其中财政拨款.

    Cached: header detection asks for the label of every cell of every row, often twice.
    """
    text = _SPACE.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _PAREN.sub("", text)
    return text.replace("：", "").replace(":", "")


def project_name(text: str) -> str:
    """A project name as stored: no spaces, quotes or book-title marks."""
    return _NAME_STRIP.sub("", text).strip("-—_：:")


def is_blank(text: str) -> bool:
    return text.strip() in _NO_VALUE


def cell_evidence(doc: Document, table: Table, cell: Cell) -> Evidence:
    """Evidence naming one cell: its verbatim text, span and position in the table."""
    return evidence_at(
        doc, cell.start, cell.end, cell=CellRef(table=table.index, row=cell.row, col=cell.col)
    )


def row_evidence(doc: Document, table: Table, cells: list[Cell], anchor: Cell | None) -> Evidence:
    """Evidence for a whole row: the span of its non-empty cells, anchored on one cell."""
    filled = [c for c in cells if c.text.strip()] or cells
    start, end = filled[0].start, filled[-1].end
    ref = None
    if anchor is not None:
        ref = CellRef(table=table.index, row=anchor.row, col=anchor.col)
    return evidence_at(doc, start, end, cell=ref)


def declared_unit(doc: Document, table: Table, upto_row: int) -> str | None:
    """The money unit a table declares above a row: 金额单位：万元, 项目资金（万元） …"""
    texts = [c.text for row in table.rows[: upto_row + 1] for c in row]
    texts.append(doc.text[max(0, table.start - _TITLE_REACH) : table.start])
    units = {m.group("unit") for text in texts for m in _DECLARED.finditer(text)}
    return units.pop() if len(units) == 1 else None


def cell_quantity(
    cell: Cell,
    default_unit: str | None = None,
    declared: str | None = None,
    scale: float | None = None,
) -> Quantity | None:
    """The number a cell states, read with the column's unit when the cell prints none.

    See `cell_amount`; this is the quantity alone.
    """
    found = cell_amount(cell, default_unit, declared, scale)
    return found[0] if found else None


def cell_amount(
    cell: Cell,
    default_unit: str | None = None,
    declared: str | None = None,
    scale: float | None = None,
) -> tuple[Quantity, Unit | None] | None:
    """The number a cell states and, for money, how its unit was decided.

    A cell's own unit wins (8万元); else the table's declared unit (项目资金（元）, 金额单位：
    万元); else, for an amount, its magnitude against the document's own 万元 figures
    (250,000.00 in a table of a department spending 416万元 a year is in 元); else the
    column's default. A thousands separator is never evidence of a unit.
    """
    if is_blank(cell.text):
        return None
    text = cell.text.strip()
    quantity = parse_quantity(text)
    if quantity is None:
        return None
    if quantity.raw_unit:
        return quantity, cell_unit(cell, WAN_DEFAULT) if quantity.unit == "万元" else None
    if not _BARE_NUMBER.fullmatch(text) or not default_unit:
        return quantity, None
    if default_unit != "万元":
        found = parse_quantity(f"{text}{default_unit}")
        return (found, None) if found else None
    if declared is not None and declared in MONEY_UNITS:
        unit = Unit(declared, "table_header", MONEY_UNITS[declared][0])
    else:
        unit = by_magnitude(quantity.value, scale) or WAN_DEFAULT
    found = parse_quantity(f"{text}{unit.unit}")
    return (found, unit) if found else None


def cell_fact(
    doc: Document,
    table: Table,
    cell: Cell,
    concept: str,
    scope: str,
    year: int | None,
    *,
    default_unit: str | None = "万元",
    section: str | None = None,
    declared: str | None = None,
) -> Fact | None:
    """A fact from one cell, or None when the cell holds no number."""
    found = cell_amount(cell, default_unit, declared, money_scale(doc.text))
    if found is None or found[0].unit in ("年", "月", "日"):
        return None
    quantity, unit = found
    printed = quantity.printed if quantity.printed in cell.text else cell.text.strip()
    return Fact(
        id=f"t{table.index}.{cell.row}.{cell.col}.{concept}",
        concept=concept,
        scope=scope,
        year=year,
        stage=budget_concept_stage(concept),
        value=quantity.value,
        unit=quantity.unit or "",
        text=printed,
        evidence=cell_evidence(doc, table, cell),
        section=section,
        decimals=quantity.decimals,
        unit_decision=unit.decision() if unit is not None else None,
    )
