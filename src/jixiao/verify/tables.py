"""Whole-table checks: a table copied from another project, and a table left empty.

Duplicate: two indicator tables of different projects whose rows are identical, row for
row (indicator, target, actual). Projects share boilerplate rows (满意度 ≥95%), so one
shared row proves nothing; a whole table repeated with its figures is a copy-paste slip,
and the budget figures it carries then contradict the project's own text.

Empty: a table whose value cells are all blank, with no note saying why ("本部门无政府性
基金预算收入，故本表为空"). Read from the normalised text (a table row is one line, its
cells joined by TAB), so a stored record re-verified from its text gets the same check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from jixiao.models import Fact, Flag, IndicatorRow, Record
from jixiao.verify.flags import make_flag

#: fewer identical rows than this is shared boilerplate, not a copied table
MIN_COPIED_ROWS = 3
_DIGIT = re.compile(r"\d")

Signature = tuple[str | None, ...]


def _signature(row: IndicatorRow) -> Signature:
    """What a copied row repeats: its indicator, target and actual (weights may be re-typed)."""
    return (row.level1, row.level2, row.level3, row.target_text, row.actual_text)


def _tables(rows: list[IndicatorRow]) -> dict[tuple[str, str, int | None], list[IndicatorRow]]:
    tables: dict[tuple[str, str, int | None], list[IndicatorRow]] = defaultdict(list)
    for row in rows:
        tables[(row.scope, row.table, row.table_index)].append(row)
    return tables


def _has_figures(rows: list[IndicatorRow]) -> bool:
    return any(_DIGIT.search(f"{r.target_text or ''}{r.actual_text or ''}") for r in rows)


def check_duplicate_tables(record: Record) -> list[Flag]:
    """One flag per later table that repeats an earlier table of another project."""
    flags: list[Flag] = []
    first_seen: dict[tuple[str, tuple[Signature, ...]], tuple[str, list[IndicatorRow]]] = {}
    for (scope, kind, _), rows in _tables(record.indicators).items():
        signature = tuple(_signature(r) for r in rows)
        if len(rows) < MIN_COPIED_ROWS or not _has_figures(rows):
            continue
        original = first_seen.setdefault((kind, signature), (scope, rows))
        if original[0] != scope:
            flags.append(_duplicate_flag(record, original, (scope, rows)))
    return flags


def _same_budget_facts(record: Record, first: str, copy: str) -> list[tuple[Fact, Fact]]:
    """Budget figures read from both tables that are equal: the copied figures."""

    def table_facts(scope: str) -> dict[str, Fact]:
        return {
            f.concept: f
            for f in record.facts
            if f.scope == scope and f.evidence.cell is not None and f.concept.startswith("budget.")
        }

    a, b = table_facts(first), table_facts(copy)
    return [(a[c], b[c]) for c in a if c in b and a[c].value == b[c].value and a[c].value != 0]


def _duplicate_flag(
    record: Record,
    original: tuple[str, list[IndicatorRow]],
    copy: tuple[str, list[IndicatorRow]],
) -> Flag:
    (first, first_rows), (scope, rows) = original, copy
    kind = {"self_eval": "自评表", "target": "绩效目标表", "rubric": "评价指标体系"}
    table = kind.get(rows[0].table, "指标表")
    same = _same_budget_facts(record, first, scope)
    money = "、".join(f"{fa.text}" for _, fa in same[:3])
    money_part = f"，连预算金额（{money}）也相同" if money else ""
    money_en = (
        f", budget figures included ({', '.join(fb.text for _, fb in same[:3])})" if same else ""
    )
    return make_flag(
        "duplicate_table",
        f"【{scope}】的{table}与【{first}】的{table}逐行相同（{len(rows)} 行指标、目标值、"
        f"实际值完全一致{money_part}），疑为复制粘贴，请核对本项目的数字",
        f"the {rows[0].table} table of '{scope}' repeats the one of '{first}' row for row "
        f"({len(rows)} rows: indicators, targets and actuals{money_en}): "
        f"a copy-paste slip",
        facts=[f.id for pair in same for f in pair],
        indicators=[*(r.id for r in rows), *(r.id for r in first_rows)],
        expected=float(len(rows)),
        actual=float(len(rows)),
    )


# ---------------------------------------------------------------------------- empty tables

#: a note that explains an empty table: 无…收入/支出, 本表为空, 未发生, 不涉及 …
_EXPLAINED = re.compile(
    r"为空|空表|无数据|无此项|不涉及|未发生|无相关|没有(?:相关)?(?:收入|支出|数据)"
    r"|(?:本|我|该)(?:部门|单位|局|委|办)?(?:\d{4}年度?)?(?:无|没有)"
    r"|无[\u4e00-\u9fff“”]{0,12}(?:收入|支出|收支|经费|资金|安排|预算)"
)
_BLANK = re.compile(r"^[\s\-—－/／─]*$")
_COLUMN_NUMBERS = re.compile(r"^(?:栏次|\d{1,2})$")
#: a text cell this long is content (a qualitative target), not a header
_CONTENT_CHARS = 16
_NOTE_WINDOW = 300


@dataclass
class TextTable:
    """A table as the normalised text holds it: consecutive lines with TAB-joined cells."""

    start: int
    end: int
    rows: list[list[str]]


def text_tables(text: str) -> list[TextTable]:
    tables: list[TextTable] = []
    offset = 0
    current: TextTable | None = None
    for line in text.split("\n"):
        end = offset + len(line)
        if "\t" in line:
            if current is None:
                current = TextTable(offset, end, [])
                tables.append(current)
            current.rows.append(line.split("\t"))
            current.end = end
        else:
            current = None
        offset = end + 1
    return tables


def _value_cells(table: TextTable) -> list[str] | None:
    """The cells that would hold the figures; None when some cell shows content."""
    values: list[str] = []
    for row in table.rows[1:]:
        cells = [c.strip() for c in row[1:]]
        if all(_COLUMN_NUMBERS.match(c) for c in cells if c) and any(cells):
            continue  # the 栏次 1 2 3 … row under a 决算表 header
        for cell in cells:
            if _DIGIT.search(cell) or len(cell) >= _CONTENT_CHARS:
                return None
            values.append(cell)
    return values


def is_empty(table: TextTable) -> bool:
    if len(table.rows) < 2 or max(len(r) for r in table.rows) < 2:
        return False
    values = _value_cells(table)
    return values is not None and any(_BLANK.match(c) for c in values)


def _title(text: str, table: TextTable) -> str:
    before = text[: table.start].rstrip("\n").rpartition("\n")[2].strip()
    return before[:40] or "\u3000".join(c for c in table.rows[0] if c.strip())[:40]


def _explained(text: str, table: TextTable, title: str) -> bool:
    near = text[max(0, table.start - _NOTE_WINDOW) : table.end + _NOTE_WINDOW]
    if _EXPLAINED.search(near):
        return True
    topic = re.search(r"政府性基金|国有资本经营|“?三公”?经费|政府采购|国有资产", title)
    if topic is None:
        return False
    for sentence in re.split(r"[。\n]", text):
        if topic.group() in sentence and _EXPLAINED.search(sentence):
            return True
    return False


def check_empty_tables(text: str) -> list[Flag]:
    flags: list[Flag] = []
    for table in text_tables(text):
        if not is_empty(table):
            continue
        title = _title(text, table)
        if _explained(text, table, title):
            continue
        flags.append(
            make_flag(
                "empty_table",
                f"表格“{title}”（第 {table.start} 字起，{len(table.rows)} 行）数据单元格全部为空，"
                f"前后未说明原因（如“本部门无…收入，故本表为空”）",
                f"the table '{title}' at offset {table.start} ({len(table.rows)} rows) has every "
                f"value cell empty and no note explaining why",
                severity="warning",
            )
        )
    return flags
