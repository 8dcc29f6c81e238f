"""The table half of the rules backend: every table of a document, read by its headers.

`extract_tables` walks the tables in order and each row in order, because one table may
hold several sub-tables (a 部门整体目标表, a 汇总表 and two 支出方向 tables in one grid) and
one logical table may arrive cut in two (a wrapped header cell ends a flattened table, its
rows continue in the next). Which project a table belongs to comes, strongest first, from
its own header cells (项目名称, 支出方向), from the table it continues, from the title line
right above it, then from the section segmentation gave it; else it is the department's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.document import Document, Table
from jixiao.extract.rules.budget_tables import (
    is_column_header,
    is_pair_header,
    is_source_header,
    read_columns,
    read_pairs,
    read_source_columns,
)
from jixiao.extract.rules.indicator_columns import (
    LEVEL_LABELS,
    ColumnMap,
    build_column_map,
    infer_column_map,
    is_header_continuation,
    is_indicator_header,
)
from jixiao.extract.rules.indicators import read_block
from jixiao.extract.rules.projects import ProjectRegistry, read_project_cells
from jixiao.extract.rules.row_placement import LEVEL1_NAMED
from jixiao.extract.rules.statements import StatementReader
from jixiao.extract.rules.summary_tables import is_summary_header, read_summary
from jixiao.extract.rules.table_cells import cell_fact, label, project_name
from jixiao.extract.rules.units import money_scale
from jixiao.models import Fact, Flag, IndicatorRow, Project, Section
from jixiao.segment.index import index_of
from jixiao.vocabulary import load_vocabulary

DEPARTMENT = "department"
_TITLE_PAREN = re.compile(r"(?:指标体系|目标表|自评表|评价表|自评)[（(](?P<name>.+)[）)]\s*$")
_TITLE_WORDS = re.compile(r"绩效|自评|目标表|指标体系|附表|附件|单位[:：]|年度）|决算|预算表|汇总")
_CN = load_vocabulary().list_numerals
_LIST_MARKER = re.compile(rf"^(?:[（(]?[{_CN}\d]+[)）、．.]|第[{_CN}]+)")
#: a paragraph this short between two tables is a wrapped cell's tail, not new content
_FRAGMENT_CHARS = 8


@dataclass
class TableExtraction:
    facts: list[Fact] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    #: the tables read as statement forms (`StatementReader`)
    statement_tables: set[int] = field(default_factory=set)


@dataclass
class _Carry:
    """An indicator block still open at the end of a table (its rows continue in the next)."""

    cmap: ColumnMap
    kind: str
    scope: str


def extract_tables(doc: Document, sections: list[Section], ctx: object) -> TableExtraction:
    """Facts, projects, indicator rows and flags from every table of `doc`."""
    reader = _TableReader(doc, sections, getattr(ctx, "fiscal_year", None))
    for table in doc.tables:
        reader.read(table)
    reader.out.projects = reader.registry.all()
    return reader.out


class _TableReader:
    def __init__(self, doc: Document, sections: list[Section], year: int | None) -> None:
        self.doc = doc
        self.sections = sections
        self.section_index = index_of(sections)
        self.year = year
        self.registry = ProjectRegistry()
        self.out = TableExtraction()
        self.carry: _Carry | None = None
        self.last_scope: str = DEPARTMENT
        self.last_end: int = 0
        self.statements = StatementReader(doc, year, self._section_id, money_scale(doc.text))

    # ------------------------------------------------------------------ one table
    def read(self, table: Table) -> None:
        statement = self.statements.read(table)
        if statement is not None:
            self.out.facts.extend(statement.facts)
            self.out.flags.extend(statement.flags)
            self.out.statement_tables.add(table.index)
            self._finish(table, DEPARTMENT, None)
            return
        joined = self._joins_previous(table)
        scope = self._initial_scope(table, joined)
        carry, self.carry = self.carry, None
        before = len(self.out.indicators)
        read_any = False
        r = 0
        if joined and carry is not None and not self._has_header(table):
            cmap = ColumnMap(carry.cmap.width, dict(carry.cmap.columns), list(carry.cmap.levels))
            r = self._indicator_block(table, 0, cmap, carry.kind, carry.scope)
            read_any = True
        elif not self._has_header(table) and self._context_kind(table):
            inferred = infer_column_map([row_texts for row_texts in table.row_texts()])
            if inferred is not None:
                kind = self._context_kind(table) or "rubric"
                r = self._indicator_block(table, 0, inferred, kind, scope)
                read_any = True
        while r < len(table.rows):
            r, scope = self._row(table, r, scope)
        if not read_any:
            self._flag_unread(table, before)
        self._finish(table, scope, None)

    def _row(self, table: Table, r: int, scope: str) -> tuple[int, str]:
        """Read what starts at row `r`; return the next row to read and the scope after it."""
        cells = table.rows[r]
        texts = [c.text for c in cells]
        filled = [t for t in texts if t.strip()]
        if not filled:
            return r + 1, scope
        if len(filled) == 1 and _is_title(filled[0]):
            if "部门整体" in filled[0] or "汇总" in filled[0]:
                scope = DEPARTMENT
            return r + 1, scope
        if is_summary_header(texts):
            summary = read_summary(self.doc, table, r, self.year, self._section_id(cells[0].start))
            self.out.facts.extend(summary.facts)
            for name in summary.projects:
                self.registry.add(name)
            return max(summary.end_row, r + 1), scope
        details = read_project_cells(cells)
        if not details.empty and not is_indicator_header(texts):
            if details.name:
                scope = details.name
            if scope != DEPARTMENT:
                self.registry.add(scope, details)
            return r + 1, scope
        if label(filled[0]) in ("部门名称", "单位名称"):
            return r + 1, DEPARTMENT
        section = self._section_id(cells[0].start)
        if is_pair_header(texts):
            read = read_pairs(self.doc, table, r, scope, self.year, section)
            self._add_facts(read.facts, scope)
            return max(read.end_row, r + 1), scope
        if is_column_header(texts) and not _names_levels(texts):
            read = read_columns(self.doc, table, r, scope, self.year, section)
            self._add_facts(read.facts, scope)
            return max(read.end_row, r + 1), scope
        below = [c.text for c in table.rows[r + 1]] if r + 1 < len(table.rows) else []
        if is_source_header(texts, below):
            read = read_source_columns(self.doc, table, r, scope, self.year, section)
            self._add_facts(read.facts, scope)
            return max(read.end_row, r + 1), scope
        if is_indicator_header(texts):
            headers = [r]
            while headers[-1] + 1 < len(table.rows) and _continues_header(
                [c.text for c in table.rows[headers[-1] + 1]]
            ):
                headers.append(headers[-1] + 1)
            width = max(len(table.rows[i]) for i in range(r, len(table.rows)))
            cmap = build_column_map(
                [[c.text for c in table.rows[i]] for i in headers], headers, width
            )
            kind = self._kind(cmap, table)
            return self._indicator_block(table, headers[-1] + 1, cmap, kind, scope), scope
        return r + 1, scope

    def _indicator_block(
        self, table: Table, start: int, cmap: ColumnMap, kind: str, scope: str
    ) -> int:
        block = read_block(self.doc, table, start, cmap, kind, scope)
        if scope != DEPARTMENT:
            self.registry.add(scope)
        for name in block.projects:
            self.registry.add(name)
        self.out.indicators.extend(block.rows)
        for cell, owner in block.budgets:
            fact = cell_fact(
                self.doc,
                table,
                cell,
                "budget.initial",
                owner,
                self.year,
                section=self._section_id(cell.start),
            )
            if fact is not None:
                self.out.facts.append(fact)
        if block.total_score is not None:
            cell, owner = block.total_score
            fact = cell_fact(
                self.doc,
                table,
                cell,
                "eval.self_score",
                owner,
                self.year,
                default_unit="分",
                section=self._section_id(cell.start),
            )
            if fact is not None:
                self.out.facts.append(fact)
        if len(block.rows) < block.data_rows:
            self._completeness(table, block.data_rows, len(block.rows), scope)
        if block.end_row >= len(table.rows) and block.total_score is None:
            self.carry = _Carry(cmap, kind, block.rows[-1].scope if block.rows else scope)
        return block.end_row

    # ------------------------------------------------------------------ scope
    def _initial_scope(self, table: Table, joined: bool) -> str:
        if joined:
            return self.last_scope
        for row in table.rows[:4]:
            details = read_project_cells(row)
            if details.name and not is_indicator_header([c.text for c in row]):
                return details.name
        name = _preceding_name(self.doc, table, self.last_end)
        if name:
            return name
        section = self._section_at(table.start, with_project=True)
        if section is not None and section.project:
            return project_name(section.project)
        return DEPARTMENT

    def _joins_previous(self, table: Table) -> bool:
        """True when only wrapped-cell fragments separate this table from the previous one,
        and this table does not open with its own title or project rows."""
        if table.index == 0 or not self.last_end:
            return False
        for block in self.doc.blocks_in(self.last_end, table.start):
            text = self.doc.text[block.start : block.end].strip()
            if isinstance(block, Table) or len(text) > _FRAGMENT_CHARS:
                return False
        for row in table.rows[:2]:
            texts = [c.text for c in row if c.text.strip()]
            if not texts:
                continue
            if not read_project_cells(row).empty or (len(texts) == 1 and _is_title(texts[0])):
                return False
            if is_pair_header([c.text for c in row]):
                return False
        return True

    def _finish(self, table: Table, scope: str, _unused: object) -> None:
        self.last_scope = scope
        self.last_end = table.end

    # ------------------------------------------------------------------ classification
    def _has_header(self, table: Table) -> bool:
        return any(is_indicator_header(texts) for texts in table.row_texts())

    def _context_kind(self, table: Table) -> str | None:
        """The indicator-table kind the title line or the section names, if any."""
        title = _preceding_text(self.doc, table, self.last_end)
        for words, kind in (("指标体系", "rubric"), ("目标表", "target"), ("自评表", "self_eval")):
            if words in title:
                return kind
        section = self._section_at(table.start)
        if section is not None and section.kind in ("rubric", "target_table", "self_eval_table"):
            return {"target_table": "target", "self_eval_table": "self_eval"}.get(
                section.kind, section.kind
            )
        return None

    def _kind(self, cmap: ColumnMap, table: Table) -> str:
        has = cmap.has
        if "criteria" in has or (
            self._context_kind(table) == "rubric" and {"weight", "score"} & has
        ):
            return "rubric"
        if {"actual", "score"} & has:
            return "self_eval"
        return "target"

    # ------------------------------------------------------------------ sections
    def _section_at(self, offset: int, with_project: bool = False) -> Section | None:
        return self.section_index.deepest(offset, with_project=with_project)

    def _section_id(self, offset: int) -> str | None:
        section = self._section_at(offset)
        return section.id if section else None

    # ------------------------------------------------------------------ output
    def _add_facts(self, facts: list[Fact], scope: str) -> None:
        if scope != DEPARTMENT and facts:
            self.registry.add(scope)
        self.out.facts.extend(facts)

    def _completeness(self, table: Table, expected: int, actual: int, scope: str) -> None:
        self.out.flags.append(
            Flag(
                id=f"t{table.index}.completeness.{len(self.out.flags)}",
                check="completeness",
                severity="warning",
                expected=float(expected),
                actual=float(actual),
                message=f"表{table.index + 1}（{_scope_label(scope)}）有{expected}行指标，"
                f"只读出{actual}行",
                message_en=f"table {table.index + 1}: {actual} of {expected} indicator rows read",
            )
        )

    def _flag_unread(self, table: Table, before: int) -> None:
        """A table whose rows name indicator levels but that no reader could align."""
        if len(self.out.indicators) > before:
            return
        rows = [t for t in table.row_texts() if any(c.strip().startswith(LEVEL1_NAMED) for c in t)]
        if len(rows) >= 2:
            self._completeness(table, len(rows), 0, self.last_scope)


def _continues_header(texts: list[str]) -> bool:
    return is_indicator_header(texts) or is_header_continuation(texts)


def _names_levels(texts: list[str]) -> bool:
    return any(label(t) in LEVEL_LABELS for t in texts)


def _scope_label(scope: str) -> str:
    return "部门" if scope == DEPARTMENT else scope


def _is_title(text: str) -> bool:
    return (
        len(text) <= 60
        and "表" in text
        and bool(re.search(r"绩效|汇总|决算|指标体系|自评|目标", text))
    )


def _preceding_paragraphs(doc: Document, table: Table, floor: int) -> list[str]:
    texts = []
    for block in doc.blocks_in(floor, table.start):
        if not isinstance(block, Table):
            texts.append(doc.text[block.start : block.end].strip())
    return [t for t in texts if t][-3:]


def _preceding_text(doc: Document, table: Table, floor: int) -> str:
    return "\n".join(_preceding_paragraphs(doc, table, floor))


def _preceding_name(doc: Document, table: Table, floor: int) -> str | None:
    """The project a title line right above a table names: a short line of its own,
    or the parenthesis of '…评价指标体系（项目名）'."""
    for text in reversed(_preceding_paragraphs(doc, table, floor)):
        match = _TITLE_PAREN.search(text)
        if match and not re.fullmatch(r"\d{4}年度?", match.group("name")):
            return project_name(match.group("name"))
        if _TITLE_WORDS.search(text) or len(text) <= 2:
            continue
        if (
            len(text) <= 30
            and not re.search(r"[。；！？，,:：]", text)
            and not _LIST_MARKER.match(text)
        ):
            return project_name(text)
        return None
    return None
