"""Which money unit a table cell is printed in, decided once and recorded on the fact.

Statement tables print bare numbers under a unit line of their own ("编制部门：…单位：元",
"单位：万元"); project tables put it in a header ("项目资金（元）"); a cell may carry its own
("2,946.25万元"). The decision goes, most specific first: the cell's own unit, its
column header's, the table's 单位 line, the nearest heading's, and only then the
magnitude of the number against the document's own 万元 figures. A thousands separator
is never evidence of a unit: 2,946.25 under 单位：万元 is 2946.25 万元. Exactly one factor
is applied, and the decision is kept as the fact's `unit_decision` so a reviewer sees
why 12,121,164 became 1212.1164 万元.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.document import Cell, Document, Table
from jixiao.extract.rules.numbers import Quantity, parse_quantity, to_halfwidth
from jixiao.models import UnitDecision
from jixiao.statement_tables import load_statement_forms

#: a cell that is one number, maybe signed or with an operator
_BARE_NUMBER = re.compile(r"[≥≤<>=]?\s*[-+]?[\d,]+(?:\.\d+)?")
#: how far before a table its title and unit line are looked for (characters)
TITLE_REACH = 160
#: how many of a table's first rows may carry its unit line or column units
HEADER_ROWS = 6
#: a bare amount this many times the document's largest 万元 figure is not in 万元
MAGNITUDE_RATIO = 10.0
#: the printed money units and their factor to 万元 (`statement_tables.yaml`, units)
_FACTORS = load_statement_forms().unit_factors
#: the unit facts are kept in (factor 1), and the smallest a table may be printed in (元)
WAN = next(unit for unit, factor in _FACTORS.items() if factor == 1.0)
SMALLEST = min(_FACTORS, key=_FACTORS.__getitem__)


@dataclass(frozen=True)
class Unit:
    """A decided unit: the printed unit, where it was read, and its factor to 万元."""

    unit: str
    basis: str
    factor: float

    def decision(self) -> UnitDecision:
        return UnitDecision(basis=self.basis, unit=self.unit, factor=self.factor)


WAN_DEFAULT = Unit(WAN, "default", 1.0)


def factor_of(unit: str) -> float:
    return load_statement_forms().unit_factors[unit]


def declared_in(text: str) -> str | None:
    """The unit a 单位 line declares (单位：元, 金额单位：万元, 单位:万元), if exactly one."""
    units = {m.group("unit") for m in load_statement_forms().declared_unit.finditer(text)}
    return units.pop() if len(units) == 1 else None


def parenthesised_in(text: str) -> str | None:
    """The unit a header names in brackets (预算数（万元）), if exactly one."""
    units = {m.group("unit") for m in load_statement_forms().parenthesised_unit.finditer(text)}
    return units.pop() if len(units) == 1 else None


def lines_before(doc: Document, table: Table, reach: int = TITLE_REACH) -> list[str]:
    """The paragraphs right before a table (nearest last), up to the previous table."""
    lines: list[str] = []
    start = max(0, table.start - reach)
    for block in doc.blocks_in(start, table.start):
        if isinstance(block, Table):
            lines.clear()
            continue
        if block.end <= table.start:
            lines.append(doc.text[block.start : block.end])
    return lines


def table_unit(doc: Document, table: Table, title_lines: list[str] | None = None) -> Unit | None:
    """The unit a table declares: its 单位 line above it or in its first rows."""
    lines = lines_before(doc, table) if title_lines is None else title_lines
    for line in reversed(lines):
        unit = declared_in(line)
        if unit:
            return Unit(unit, "table_header", factor_of(unit))
    for row in table.rows[:HEADER_ROWS]:
        for cell in row:
            unit = declared_in(cell.text)
            if unit:
                return Unit(unit, "table_header", factor_of(unit))
    return None


def column_units(table: Table, header_rows: int) -> dict[int, Unit]:
    """Units named in column headers (预算数（万元）), by grid column."""
    found: dict[int, Unit] = {}
    for row in table.rows[:header_rows]:
        for cell in row:
            unit = parenthesised_in(cell.text)
            if unit:
                for col in range(cell.col, cell.col + max(cell.colspan, 1)):
                    found[col] = Unit(unit, "table_header", factor_of(unit))
    return found


def heading_unit(heading: str | None) -> Unit | None:
    """The unit the nearest heading names (…情况表（单位：万元）)."""
    if not heading:
        return None
    unit = declared_in(heading) or parenthesised_in(heading)
    return Unit(unit, "heading", factor_of(unit)) if unit else None


_WAN_FIGURE = re.compile(rf"(\d[\d,，]*(?:\.\d+)?)\s*{re.escape(WAN)}")


@lru_cache(maxsize=8)
def money_scale(text: str) -> float | None:
    """The largest amount the document states in 万元 in its own words: the scale its
    bare table amounts are held against when nothing else says their unit."""
    values = []
    for m in _WAN_FIGURE.finditer(to_halfwidth(text)):
        try:
            values.append(float(m.group(1).replace(",", "")))
        except ValueError:
            continue
    return max(values) if values else None


def by_magnitude(value: float, scale: float | None) -> Unit | None:
    """元 for a bare amount far beyond anything the document states in 万元, whose 万元
    reading (value ÷ 10⁴) is within that scale; None when the magnitude says nothing."""
    if scale is None or scale <= 0:
        return None
    if abs(value) > MAGNITUDE_RATIO * scale and abs(value) / 1e4 <= 2 * scale:
        return Unit(SMALLEST, "magnitude", factor_of(SMALLEST))
    return None


def read_amount(text: str, unit: Unit) -> Quantity | None:
    """The amount a cell states, in 万元: its own unit when it prints one (one factor,
    never two), else `unit`. None for a cell that is no single number."""
    text = text.strip()
    quantity = parse_quantity(text)
    if quantity is None:
        return None
    if quantity.raw_unit:
        return quantity if quantity.unit == WAN else None
    if not _BARE_NUMBER.fullmatch(text):
        return None
    return parse_quantity(f"{text}{unit.unit}")


def cell_unit(cell: Cell, fallback: Unit) -> Unit:
    """The unit of one cell: the one it prints, else the column's or table's."""
    quantity = parse_quantity(cell.text.strip())
    if quantity is not None and quantity.raw_unit in _FACTORS:
        return Unit(quantity.raw_unit, "cell", factor_of(quantity.raw_unit))
    return fallback
