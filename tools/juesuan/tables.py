"""Table building shared by the 决算 and 预算 composers: code columns, amounts, facts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from juesuan.accounts import Line
from juesuan.blocks import Gold, Table, wan, yuan
from juesuan.catalogue import FUNCTION_NAMES
from juesuan.variant import Variant


@dataclass
class Column:
    """One amount column of a coded table: header, value per line, concept of its cells.

    `concept` None marks the 一般公共预算 合计 column: its class rows are
    fa.function.<类> (department) and its 款/项 rows fa.function.<类> at item scope.
    """

    header: str
    value: Callable[[Line], int]
    concept: str | None
    total: str | None


class Cells:
    """Prints amounts the variant's way and records each printed cell as a fact."""

    def __init__(self, variant: Variant, gold: Gold, stage: str, blank_zero: bool = True) -> None:
        self.v = variant
        self.gold = gold
        self.stage = stage
        self.blank_zero = blank_zero

    def text(self, m: int) -> str:
        if m == 0 and self.blank_zero:
            return ""
        if self.v.unit == "元":
            return yuan(m, decimals=self.v.kind == "budget" and self.v.separators)
        return wan(m, separators=self.v.separators)

    def cell(
        self,
        m: int,
        concept: str | None,
        scope: str = "department",
        *,
        stage: str | None = None,
        year: int | None = None,
    ) -> str:
        shown = self.text(m)
        if shown and concept:
            self.gold.fact(
                concept,
                m,
                year=year or self.v.year,
                stage=stage or self.stage,
                scope=scope,
                quote=shown,
            )
        return shown

    @property
    def unit_label(self) -> str:
        return f"单位：{self.v.unit}"


def code_cells(v: Variant, code: str) -> list[str]:
    """The code/name cells of a 功能分类 line in the variant's code layout."""
    name = FUNCTION_NAMES[code]
    if v.codes == "combined":
        return [code, name]
    if v.codes == "split":
        return [code[:3], code[3:5], code[5:7], name]
    depth = (len(code) - 3) // 2
    return ["\u3000" * (2 * depth) + name]


def code_header(v: Variant) -> list[str]:
    if v.codes == "combined":
        return ["科目编码", "科目名称"]
    if v.codes == "split":
        return ["类", "款", "项", "科目名称"]
    return ["科目名称"]


def nodes(lines: Sequence[Line]) -> list[str]:
    """Class, 款 and 项 codes of the lines, in table order."""
    codes: set[str] = set()
    for line in lines:
        codes |= {line.code[:3], line.code[:5], line.code}
    return sorted(codes)


def coded_table(
    v: Variant,
    cells: Cells,
    *,
    title: str,
    left: str,
    lines: Sequence[Line],
    columns: Sequence[Column],
    total_first: bool,
    total_label: str = "合计",
    blank_columns: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> Table:
    """A 功能分类 table: one row per class, 款 and 项 of `lines`, and its 合计 row."""
    header = [*code_header(v), *(c.header for c in columns), *blank_columns]
    n_text = len(code_header(v))
    total_row = [total_label] + [""] * (n_text - 1)
    for col in columns:
        total_row.append(cells.cell(sum(col.value(ln) for ln in lines), col.total))
    total_row += [""] * len(blank_columns)
    body: list[list[str]] = []
    for code in nodes(lines):
        under = [ln for ln in lines if ln.code.startswith(code)]
        row = code_cells(v, code)
        for col in columns:
            m = sum(col.value(ln) for ln in under)
            if col.concept is None:
                concept = f"fa.function.{code[:3]}"
                scope = "department" if len(code) == 3 else f"item:{code}"
            else:
                concept, scope = col.concept, f"item:{code}"
            row.append(cells.cell(m, concept, scope))
        row += [""] * len(blank_columns)
        body.append(row)
    rows = [total_row, *body] if total_first else [*body, total_row]
    return Table(
        title=title,
        left=left,
        unit=cells.unit_label,
        header=[header],
        rows=rows,
        text_columns=n_text,
        notes=list(notes),
    )
