"""决算 tables (the nine standard 部门决算表) → the same `fa.*` concepts the prose uses.

Real disclosures state each figure twice, once in a 决算表 and once in the 情况说明, so
table facts must land on the very concepts the prose reader uses for the verifier to
compare them. Rows are read by label: a taxonomy wording (本年收入合计, 基本支出 …) or a
功能分类 code in the first column (201 → fa.function.201, 2010308 → fa.item.201.03.08).
A table whose value cells are all empty or ``XXX`` is a template left unfilled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.document import Cell, Document, Table
from jixiao.extract.rules.table_cells import cell_fact, label
from jixiao.models import Fact, Flag
from jixiao.taxonomy import load_taxonomy

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、|^\d+[、.．]")
_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
#: 功能分类 codes start with 2 (201 一般公共服务 … 233); 3xx are 经济分类 codes
_FUNCTION_CODE = re.compile(r"2\d{2}(?:\d{2}){0,2}")
_PLACEHOLDER = re.compile(r"^(?:X{2,}|x{2,}|…+|\.{3,}|。{3,})$")
_HEADER_WORDS = ("决算数", "本年收入合计", "本年支出合计", "功能分类科目编码", "科目名称")
#: what a 合计 row of a code table totals, by the table's title
_TOTAL_BY_TITLE = (
    ("一般公共预算财政拨款基本支出", "fa.general_budget_basic"),
    ("一般公共预算财政拨款支出", "fa.general_budget_expenditure"),
    ("收入决算表", "fa.revenue_total"),
    ("支出决算表", "fa.expenditure_total"),
)


@dataclass
class AccountsRead:
    facts: list[Fact] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def is_accounts_table(doc: Document, table: Table) -> bool:
    head = [label(c.text) for row in table.rows[:3] for c in row]
    titled = "决算" in _title(doc, table) and "项目" in head
    return titled or any(w in head for w in _HEADER_WORDS)


def _title(doc: Document, table: Table) -> str:
    return doc.text[max(0, table.start - 80) : table.start]


def concept_for_label(text: str) -> str | None:
    """The fa.* concept a row label names, or None (一、一般公共服务支出 → fa.function.201)."""
    key = _ORDINAL.sub("", label(text))
    if not key:
        return None
    taxonomy = load_taxonomy()
    for name, concept in taxonomy.concepts.items():
        if name.startswith("fa.") and key in concept.wordings:
            return name
    for code, class_name in taxonomy.function_classes.items():
        if key == class_name:
            return f"fa.function.{code}"
    return None


def concept_for_code(code: str) -> str | None:
    if not _FUNCTION_CODE.fullmatch(code):
        return None
    if len(code) == 3:
        return f"fa.function.{code}"
    parts = [code[:3], code[3:5], code[5:7]]
    return "fa.item." + ".".join(p for p in parts if p)


def read_accounts(
    doc: Document, table: Table, year: int | None, section: str | None = None
) -> AccountsRead | None:
    """Facts of a 決算 table, or None when `table` is not one."""
    if not is_accounts_table(doc, table):
        return None
    out = AccountsRead()
    title = _title(doc, table)
    values: list[Cell] = []
    for row in table.rows:
        values.extend(_value_cells(row))
        first = row[0].text.strip() if row else ""
        if _CODE.fullmatch(first):
            _add(
                out,
                doc,
                table,
                _first_number(_after_name(row)),
                concept_for_code(first),
                year,
                section,
            )
        elif label(first) == "合计":
            concept = next((c for words, c in _TOTAL_BY_TITLE if words in title), None)
            _add(out, doc, table, _first_number(row[1:]), concept, year, section)
        else:
            for i, cell in enumerate(row[:-1]):
                concept = concept_for_label(cell.text)
                if concept is not None:
                    _add(out, doc, table, _first_number(row[i + 1 : i + 2]), concept, year, section)
    if not out.facts and _unfilled(doc, table, values):
        out.flags.append(
            Flag(
                id=f"t{table.index}.unfilled",
                check="unfilled_template",
                severity="warning",
                message=f"表{table.index + 1}的数值单元格都是空白或XXX占位符：模板未填写",
                message_en=f"table {table.index + 1} holds no figures, only blanks or XXX",
            )
        )
    return out


def _value_cells(row: list[Cell]) -> list[Cell]:
    return [c for c in row if not re.search(r"[\u4e00-\u9fff]", c.text)]


def _after_name(row: list[Cell]) -> list[Cell]:
    """The value cells of a code row: after the code and its name, up to the next code
    (a code is a number followed by a name, as in the two-column 基本支出 table)."""
    cells: list[Cell] = []
    for i, cell in enumerate(row[2:], 2):
        nxt = row[i + 1].text if i + 1 < len(row) else ""
        if _CODE.fullmatch(cell.text.strip()) and re.search(r"[\u4e00-\u9fff]", nxt):
            break
        cells.append(cell)
    return cells


def _first_number(cells: list[Cell]) -> Cell | None:
    return next((c for c in cells if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", c.text.strip())), None)


def _add(
    out: AccountsRead,
    doc: Document,
    table: Table,
    cell: Cell | None,
    concept: str | None,
    year: int | None,
    section: str | None,
) -> None:
    if cell is None or concept is None:
        return
    fact = cell_fact(doc, table, cell, concept, "department", year, section=section)
    if fact is not None:
        out.facts.append(fact)


def _unfilled(doc: Document, table: Table, values: list[Cell]) -> bool:
    """Every value cell blank or a placeholder, and no note saying the table is empty."""
    if any(
        c.text.strip()
        and not _PLACEHOLDER.match(c.text.strip())
        and not _CODE.fullmatch(c.text.strip())
        for c in values
    ):
        return False
    after = doc.text[table.end : table.end + 120]
    return "无数据" not in after and "为空" not in after
