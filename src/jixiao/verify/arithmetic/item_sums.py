"""A 功能分类 line against the lines one level below it, in the same table and column.

A statement table lists a 类 and, under it, its 款; under each 款, its 项 (201 一般公共服务支出
| 20103 政府办公厅（室）及相关机构事务 | 2010301 行政运行 …). In every money column (合计,
基本支出, 项目支出; 预算数 or 决算数) a 类 is the sum of its 款 and a 款 the sum of its 项.
The lines are the reading's facts of one table, column, stage and year: a line's code is
its scope (`item:20103`), a 类 of the 一般公共预算 table is `fa.function.<类>` of the
department; its 款/项 lines are the same concept at their `item:` scopes.

Only a complete reading is a finding: every line between the parent and the next line
that is not below it must be read in that column (a line the reading missed, or a 项
read without its 款, makes the sum partial), and the next line must be read too (a
table that ends under a parent may go on on the next page). The relation is the
taxonomy's `check: lines` one: its label and the check it raises are data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jixiao.models import Fact, Flag
from jixiao.taxonomy import Relation
from jixiao.verify.facts import looks_like_code
from jixiao.verify.flags import make_flag
from jixiao.verify.intervals import fact_decimals, fmt, of_fact, total
from jixiao.verify.view import View

_FUNCTION = "fa.function."
#: 类 → 款 → 项: each level adds two digits to its parent's code
_STEP = 2


@dataclass(frozen=True)
class _Column:
    """One column of one table, in one stage and year: the facts a sum adds up."""

    table: int
    col: int
    stage: str | None
    year: int | None


def line_code(fact: Fact) -> str | None:
    """The 功能分类 code of the line a fact is on, or None for a line of no code."""
    if fact.scope.startswith("item:"):
        code = fact.scope.partition(":")[2]
        return code if code.isdigit() else None
    if fact.scope == "department" and fact.concept.startswith(_FUNCTION):
        code = fact.concept[len(_FUNCTION) :]
        return code if code.isdigit() and len(code) == 3 else None
    return None


def check_item_sums(view: View) -> list[Flag]:
    relation = next((r for r in view.taxonomy.relations if r.check == "lines"), None)
    if relation is None:
        return []
    cells = [
        f
        for f in view.record.facts
        if f.evidence.cell is not None and f.unit == "万元" and not looks_like_code(f, view.text)
    ]
    # what each row of each table is: the codes of its lines ("" for a row of no code,
    # such as 合计), from every fact read on it in any column
    rows: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    columns: dict[_Column, dict[int, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in cells:
        cell = fact.evidence.cell
        assert cell is not None
        rows[cell.table][cell.row].add(line_code(fact) or "")
        year = fact.year if fact.year is not None else view.record.fiscal_year
        columns[_Column(cell.table, cell.col, fact.stage, year)][cell.row].append(fact)
    flags = []
    for column, by_row in columns.items():
        table_rows = rows[column.table]
        for row, facts in sorted(by_row.items()):
            if len(facts) != 1:
                continue  # one cell read twice: nothing to pick
            parent = facts[0]
            code = line_code(parent)
            if code is None or len(code) not in view.vocab.level_below:
                continue
            children = _children(code, row, parent, table_rows, by_row)
            if children:
                flag = _check(view, relation, parent, code, children)
                if flag is not None:
                    flags.append(flag)
    return flags


def _below(line: str, code: str) -> bool:
    return line != code and line.startswith(code)


def _children(
    code: str,
    row: int,
    parent: Fact,
    table_rows: dict[int, set[str]],
    column: dict[int, list[Fact]],
) -> list[Fact] | None:
    """The lines one level below a parent, when the reading holds all of them; else None."""
    below: list[Fact] = []
    at = row + 1
    while True:
        codes = table_rows.get(at)
        if not codes:
            return None  # a row not read at all, or the table's end: the sum may be partial
        if not any(_below(c, code) for c in codes):
            break  # the next line of the parent's level or above: the parent's lines end
        facts = [f for f in column.get(at, []) if f.concept == parent.concept]
        if len(facts) != 1 or not _below(line_code(facts[0]) or "", code):
            return None  # a line below the parent not read in this column
        below.append(facts[0])
        at += 1
    size = len(code) + _STEP
    children = [f for f in below if len(line_code(f) or "") == size]
    heads = {line_code(f) for f in children}
    if not children or any((line_code(f) or "")[:size] not in heads for f in below):
        return None  # a 项 read without its 款: the 款 cannot be added up
    return children


def _check(
    view: View, relation: Relation, parent: Fact, code: str, children: list[Fact]
) -> Flag | None:
    stated = of_fact(parent)
    computed = total([of_fact(f) for f in children])
    if stated.meets(computed):
        return None
    decimals = max((_decimals(f) for f in children), default=2)
    added = fmt(sum(f.value for f in children), decimals)
    shown = fmt(parent.value, _decimals(parent))
    level = view.vocab.level_below[len(code)]
    name = parent.scope_label or view.taxonomy.function_classes.get(code, "")
    first, last = children[0].evidence, children[-1].evidence
    return make_flag(
        relation.raises or "sum",
        f"{view.place(parent)}“{code} {name}”为 {shown} 万元，而其下 {len(children)} 个{level}"
        f"之和为 {added} 万元，两者不符（{relation.label}）",
        f"the 功能分类 line {code} reads {shown} but its {len(children)} lines one level "
        f"below add up to {added} (relation {relation.id})",
        facts=[parent.id, *(f.id for f in children)],
        expected=parent.value,
        actual=sum(f.value for f in children),
        tolerance=stated.radius + computed.radius,
        location=[view.at_fact(parent), view.at_text(first.start, last.end)],
    )


def _decimals(fact: Fact) -> int:
    """Decimals to show a figure in 万元 with (a table in 元 prints 6 of them): at most 2."""
    return min(fact_decimals(fact) or 0, 2)
