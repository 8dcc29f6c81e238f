"""The national statement tables (部门决算 / 部门预算 表): every amount cell → one fact.

A table is recognised by its title line (or a title row inside it), else by its header
words, else as the continuation of the statement table before it; `statement_tables.yaml`
says what each of its columns and rows means. Each amount cell becomes a fact with its
table/row/column as evidence, the concept of its column (or row), the scope of its line
(department, item:<code> for a 功能分类 line, econ:<code> for an 经济分类 line), the year
and stage its column header names, and the unit decision that turned it into 万元.

Code cells (201 | 05 | 07, or 2010507) are read as the line's code, never as amounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from jixiao.document import Cell, Document, Table
from jixiao.extract.rules.items import item_codes, name_key
from jixiao.extract.rules.table_cells import cell_evidence
from jixiao.extract.rules.units import (
    WAN_DEFAULT,
    Unit,
    by_magnitude,
    cell_unit,
    column_units,
    factor_of,
    lines_before,
    parenthesised_in,
    read_amount,
    table_unit,
)
from jixiao.models import Fact, Flag
from jixiao.statement_tables import (
    Column,
    Side,
    StatementForms,
    TableForm,
    compact,
    load_statement_forms,
    strip_ordinal,
)
from jixiao.taxonomy import load_taxonomy

DEPARTMENT = "department"
#: a cell that holds no figure: blank, a dash, a placeholder of an unfilled template
_PLACEHOLDER = re.compile(r"^(?:X{2,}|x{2,}|…+|\.{3,}|。{2,}|-{1,2}|—{1,2}|/)$")
_AMOUNT = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:亿元|万元|千元|元)?$")
_YEAR = re.compile(r"(20\d{2})\s*年")
_TOTAL_LABELS = ("合计", "总计", "收入总计", "支出总计")
#: paragraphs between two pieces of one table that say nothing (page numbers, 续表)
_FILLER = re.compile(r"^\s*(?:[-—－]?\s*\d{1,3}\s*[-—－]?|续表\d*|第\s*\d+\s*页.*)\s*$")
#: a line's leading 功能/经济分类 code (its name may follow without a space: 20805行政…)
_LEADING_CODE = re.compile(r"^(\d{3,7})(?!\d)")
_SENTENCE = re.compile(r"[，。；]")
#: how many lines before a table are read for its title
TITLE_LINES = 3


@dataclass
class StatementRead:
    form: TableForm
    facts: list[Fact] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    unit: Unit = WAN_DEFAULT


@dataclass(frozen=True)
class _ColumnMeaning:
    """What one grid column of a read table holds."""

    column: Column
    stage: str | None
    year: int | None


@dataclass
class _Layout:
    """A table's header read once: which rows are header, what each column means."""

    depth: int
    stacks: dict[int, list[str]]
    width: int


@dataclass
class _Previous:
    form: TableForm
    unit: Unit
    layout: _Layout
    end: int


class StatementReader:
    """Reads the statement tables of one document, in order (continuations need the
    table before)."""

    def __init__(
        self,
        doc: Document,
        year: int | None,
        section_of: Callable[[int], str | None],
        scale: float | None,
    ) -> None:
        self.doc = doc
        self.year = year
        self.section_of = section_of
        self.scale = scale
        self.forms: StatementForms = load_statement_forms()
        self.previous: _Previous | None = None
        self.classes = _class_codes()

    # ------------------------------------------------------------------ recognising
    def read(self, table: Table) -> StatementRead | None:
        """The facts of `table` when it is a statement table, else None."""
        lines = lines_before(self.doc, table)
        form = self._form_by_title(lines[-TITLE_LINES:], table)
        continued = None
        if form is None:
            continued = self._continues(table)
            form = continued.form if continued else self._form_by_header(table)
        if form is None:
            self.previous = None
            return None
        unit = table_unit(self.doc, table, lines[-TITLE_LINES:])
        if unit is None and continued is not None:
            unit = continued.unit
        layout = self._layout(table, form)
        if layout.depth == 0 and continued is not None:
            layout = _Layout(0, continued.layout.stacks, continued.layout.width)
        read = StatementRead(form, unit=unit or WAN_DEFAULT)
        reader = {"two_sided": self._two_sided, "code_rows": self._code_rows}.get(
            form.layout, self._single_row
        )
        reader(table, form, layout, unit, read)
        if not read.facts and self._unfilled(table, layout):
            read.flags.append(_unfilled_flag(table))
        self.previous = _Previous(form, read.unit, layout, table.end)
        return read

    def _form_by_title(self, lines: list[str], table: Table) -> TableForm | None:
        for line in reversed(lines):
            form = self.forms.form_for_title(line)
            if form is not None:
                return form
        for row in table.rows[:2]:
            filled = [c.text for c in row if c.text.strip()]
            if len(filled) == 1:
                form = self.forms.form_for_title(filled[0])
                if form is not None:
                    return form
        return None

    def _form_by_header(self, table: Table) -> TableForm | None:
        """A table with no title line, told by the header words only its form prints."""
        raw = "".join(c.text for row in table.rows[:4] for c in row)
        if "科目" not in raw:  # every code header names its 科目 (科目编码, 功能分类科目)
            return None
        head = compact(raw)
        for form in self.forms.tables:
            if (
                form.headers
                and form.codes
                and form.headers[0] in head
                and any(h in head for h in self.forms.code_headers[form.codes])
            ):
                return form
        return None

    def _continues(self, table: Table) -> _Previous | None:
        """The statement table this one continues: only page furniture between them, and
        its rows are lines of the same kind (a code in the first cells, or a side label)."""
        previous = self.previous
        if previous is None:
            return None
        for block in self.doc.blocks_in(previous.end, table.start):
            text = self.doc.text[block.start : block.end].strip()
            if isinstance(block, Table) or (
                text and not _FILLER.match(text) and not self._row_line(text, previous.form)
            ):
                return None
        first = next((row for row in table.rows if any(c.text.strip() for c in row)), None)
        if first is None:
            return None
        if previous.form.layout == "code_rows":
            joined = "".join(c.text.strip() for c in first[:3])
            if not (self._code_of(first, previous.layout) or "项目" in joined or "科目" in joined):
                return None
        return previous

    def _row_line(self, text: str, form: TableForm) -> bool:
        """Whether a line between two tables is a row of the first that the page gave as
        text: a line label with no figure (十二、农林水支出) at the top of the next page,
        where a table continued without its header repeated is not told from the prose."""
        label = next((p.strip() for p in text.split("\t") if p.strip()), "")
        if not label:
            return False
        if form.layout == "two_sided":
            if any(side.row_concept(label) is not None for side in form.sides):
                return True
        elif form.layout == "code_rows":
            lead = _LEADING_CODE.match(label)
            if lead and self._is_code_text(lead.group(1)) and not _SENTENCE.search(text):
                return True
        else:
            return False
        return self._class_code(label) is not None

    # ------------------------------------------------------------------ header
    def _layout(self, table: Table, form: TableForm) -> _Layout:
        width = max((sum(max(c.colspan, 1) for c in row) for row in table.rows), default=0)
        depth = 0
        for row in table.rows:
            if self._is_data_row(row, form):
                break
            depth += 1
        if depth == len(table.rows):
            depth = min(depth, 4)
        stacks: dict[int, list[str]] = {}
        for row in table.rows[:depth]:
            for cell in row:
                if cell.merged_from_above or not cell.text.strip():
                    continue
                for col in range(cell.col, cell.col + max(cell.colspan, 1)):
                    stacks.setdefault(col, []).append(cell.text.strip())
        return _Layout(depth, stacks, width)

    def _is_data_row(self, row: list[Cell], form: TableForm) -> bool:
        texts = [c.text.strip() for c in row]
        if form.layout == "single_row":
            return any(_AMOUNT.match(t) for t in texts)
        if form.layout == "code_rows":
            if any(self._is_code_text(t) for t in texts[:3]):
                return True
            first = next((compact(t) for t in texts if t), "")
            if first in _TOTAL_LABELS or first in form.total_rows:
                return True
            return any(_AMOUNT.match(t) and not self._is_code_text(t) for t in texts)
        if form.layout == "two_sided":
            filled = [t for t in texts if t]
            if not filled or compact(filled[0]) in ("项目", *(s.header for s in form.sides)):
                return False
            return (
                any(side.row_concept(filled[0]) is not None for side in form.sides)
                or self._class_code(filled[0]) is not None
            )
        return False

    def _meaning(
        self, form: TableForm, stack: list[str], columns: tuple[Column, ...] | None = None
    ) -> _ColumnMeaning | None:
        """The measure, stage and year of a column from its header texts (lowest first)."""
        column = None
        for text in reversed(stack):
            column = form.column_for(text, columns)
            if column is not None:
                break
        if column is None:
            # a column headed by its stage only (2025年预算数 | 2024年执行数) holds the
            # table's headline measure
            named = any(self.forms.stage_of(t) for t in stack)
            candidates = form.columns if columns is None else columns
            if not named or not candidates:
                return None
            column = candidates[0]
        return _ColumnMeaning(column, *self._stage(form, stack))

    def _stage(self, form: TableForm, stack: list[str]) -> tuple[str | None, int | None]:
        stage = next(
            (s for s in (self.forms.stage_of(t) for t in reversed(stack)) if s is not None),
            None,
        )
        stage = stage or self.forms.family_stage[form.family]
        years = [int(m.group(1)) for t in stack for m in _YEAR.finditer(t)]
        year = years[-1] if years else self.year
        if self.year is not None and year is not None and year < self.year:
            stage = {"final": "prior_final", "budget_initial": "prior_budget"}.get(stage, stage)
        return stage, year

    # ------------------------------------------------------------------ layouts
    def _single_row(
        self, table: Table, form: TableForm, layout: _Layout, unit: Unit | None, read: StatementRead
    ) -> None:
        if self._label_rows(table, form, layout):
            self._transposed(table, form, layout, unit, read)
            return
        meanings = {
            col: m
            for col, stack in layout.stacks.items()
            if (m := self._meaning(form, stack)) is not None
        }
        units = column_units(table, layout.depth)
        for row in table.rows[layout.depth :]:
            for cell in row:
                meaning = meanings.get(cell.col)
                if meaning is None or meaning.column.concept is None:
                    continue
                self._fact(
                    table,
                    cell,
                    meaning.column.concept,
                    DEPARTMENT,
                    None,
                    meaning,
                    units.get(cell.col, unit),
                    read,
                )

    def _label_rows(self, table: Table, form: TableForm, layout: _Layout) -> bool:
        """A one-row form printed down a column (云南's 情况表: 一、“三公”经费支出（万元） |
        38.88 on one row, 1.因公出国（境）费 | 5.74 on the next): its rows, not its header
        cells, name the form's measures, at least two of them."""
        named = 0
        for row in table.rows[layout.depth :]:
            first = next((c.text for c in row if c.text.strip()), "")
            if first and not _AMOUNT.match(first) and form.column_for(_row_label(first)):
                named += 1
        header = [t for stack in layout.stacks.values() for t in stack]
        return named >= 2 and not any(form.column_for(t) for t in header)

    def _transposed(
        self, table: Table, form: TableForm, layout: _Layout, unit: Unit | None, read: StatementRead
    ) -> None:
        """Read a form's measures by row: the label cell names the measure (and may name
        the unit, （万元）), each other column a stage as its header says (统计数: the
        document's own). A row counted in another unit (公务用车保有量（辆）) is no amount."""
        units = column_units(table, layout.depth)
        for row in table.rows[layout.depth :]:
            cells = [c for c in row if c.text.strip()]
            if len(cells) < 2 or _AMOUNT.match(cells[0].text.strip()):
                continue
            text = cells[0].text.strip()
            if _COUNTED.search(text):
                continue
            column = form.column_for(_row_label(text))
            if column is None or column.concept is None:
                continue
            named = parenthesised_in(text)
            row_unit = Unit(named, "table_header", factor_of(named)) if named else None
            for cell in cells[1:]:
                stage, year = self._stage(form, layout.stacks.get(cell.col, []))
                meaning = _ColumnMeaning(column, stage, year)
                cell_unit_ = row_unit or units.get(cell.col, unit)
                self._fact(table, cell, column.concept, DEPARTMENT, None, meaning, cell_unit_, read)

    def _code_rows(
        self, table: Table, form: TableForm, layout: _Layout, unit: Unit | None, read: StatementRead
    ) -> None:
        units = column_units(table, layout.depth)
        groups = self._groups(form, layout)
        for group in groups:
            context: list[str] = []
            for row in table.rows[layout.depth :]:
                if len(groups) == 1:
                    row = _right_aligned(row, layout.width)
                cells = [c for c in row if group.first <= c.col < group.end]
                self._code_row(table, form, group, cells, context, units, unit, read)

    def _code_row(
        self,
        table: Table,
        form: TableForm,
        group: _Group,
        cells: list[Cell],
        context: list[str],
        units: dict[int, Unit],
        unit: Unit | None,
        read: StatementRead,
    ) -> None:
        code = self._group_code(cells, group)
        name_cell = next((c for c in cells if c.col == group.name), None)
        label = (name_cell.text.strip() if name_cell else "") or next(
            (c.text.strip() for c in cells if c.text.strip() and not _AMOUNT.match(c.text.strip())),
            "",
        )
        total = self._total_concept(form, label, cells, group)
        if code is None and total is None and label:
            if form.codes == "function":
                code = self._named_code(label, context)
            elif form.codes == "economic":
                code = self._named_economic_code(label, context)
        if code is None and total is None:
            return
        for cell in cells:
            meaning = group.meanings.get(cell.col)
            if meaning is None:
                continue
            if total is not None:
                concept = total if total != "*" else meaning.column.total
                scope, scope_label = DEPARTMENT, None
            else:
                assert code is not None
                concept, scope = self._line_concept(form, meaning.column, code)
                scope_label = label or None
            if concept:
                self._fact(
                    table,
                    cell,
                    concept,
                    scope,
                    scope_label,
                    meaning,
                    units.get(cell.col, unit),
                    read,
                )

    def _line_concept(self, form: TableForm, column: Column, code: str) -> tuple[str | None, str]:
        if form.codes == "economic":
            return column.concept, f"econ:{code}"
        if column.function:
            return f"fa.function.{code[:3]}", DEPARTMENT if len(code) == 3 else f"item:{code}"
        return column.concept, f"item:{code}"

    def _total_concept(
        self, form: TableForm, label: str, cells: list[Cell], group: _Group
    ) -> str | None:
        """The concept of a total row: the row's own (人员经费合计 → fa.personnel) or, for a
        plain 合计/总计, '*' (each column's total concept)."""
        key = compact(label)
        if key in form.total_rows:
            return form.total_rows[key]
        if key in _TOTAL_LABELS:
            return "*"
        return None

    def _two_sided(
        self, table: Table, form: TableForm, layout: _Layout, unit: Unit | None, read: StatementRead
    ) -> None:
        units = column_units(table, layout.depth)
        sides = self._sides(table, form, layout)
        skipping = False
        for row in table.rows[layout.depth :]:
            for side, label_col, values in sides:
                label_cell = next((c for c in row if c.col == label_col), None)
                label = label_cell.text.strip() if label_cell else ""
                if not label:
                    continue
                if compact(label) in form.carryover_parts:
                    skipping = True
                concept = side.row_concept(label)
                if skipping and compact(label) not in (*form.carryover_parts, "总计"):
                    continue
                code = None if concept else self._class_code(label)
                if concept is None and code is None:
                    continue
                for n, (col, meaning) in enumerate(values):
                    cell = next((c for c in row if c.col == col), None)
                    if cell is None:
                        continue
                    if concept is not None:
                        name = concept if n == 0 else self._other_total(values, meaning, concept)
                        scope, scope_label = DEPARTMENT, None
                    else:
                        assert code is not None
                        name, scope = self._class_concept(side, meaning, code, n)
                        scope_label = strip_ordinal(compact(label))
                    stage_meaning = meaning or values[0][1]
                    if name and stage_meaning is not None:
                        self._fact(
                            table,
                            cell,
                            name,
                            scope,
                            scope_label,
                            stage_meaning,
                            units.get(col, unit),
                            read,
                        )

    @staticmethod
    def _other_total(
        values: list[tuple[int, _ColumnMeaning | None]],
        meaning: _ColumnMeaning | None,
        concept: str,
    ) -> str | None:
        """A total row's figure in a column beside the headline: that column's total, but
        only on the row that totals the headline's own measure (本年支出合计, not 总计,
        which adds the carry-over)."""
        headline = values[0][1]
        if meaning is None or headline is None or headline.column.total != concept:
            return None
        return meaning.column.total

    def _class_concept(
        self, side: Side, meaning: _ColumnMeaning | None, code: str, n: int
    ) -> tuple[str | None, str]:
        if meaning is not None and meaning.column.function:
            return f"fa.function.{code}", DEPARTMENT
        if n == 0 or meaning is None:
            return side.classes, f"item:{code}"
        return meaning.column.concept, f"item:{code}"

    def _sides(
        self, table: Table, form: TableForm, layout: _Layout
    ) -> list[tuple[Side, int, list[tuple[int, _ColumnMeaning | None]]]]:
        """Per side: its label column and its value columns with their meaning."""
        starts: list[tuple[int, Side]] = []
        for row in table.rows[: layout.depth]:
            for cell in row:
                side = next((s for s in form.sides if compact(cell.text) == s.header), None)
                if side is not None and all(s is not side for _, s in starts):
                    starts.append((cell.col, side))
        if len(starts) < len(form.sides):
            label_cols = sorted(
                col for col, stack in layout.stacks.items() if "项目" in map(compact, stack)
            )
            if len(label_cols) == len(form.sides):
                starts = list(zip(label_cols, form.sides, strict=True))
            else:
                half = layout.width // 2
                starts = [(0, form.sides[0]), (half, form.sides[-1])]
        starts.sort(key=lambda pair: pair[0])
        out = []
        for i, (start, side) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else layout.width
            values: list[tuple[int, _ColumnMeaning | None]] = []
            for col in range(start + 1, end):
                stack = [t for t in layout.stacks.get(col, []) if compact(t) != side.header]
                meaning = self._meaning(form, stack, side.columns) if side.columns else None
                if meaning is None:
                    if col > start + 1:
                        continue
                    meaning = _ColumnMeaning(Column(("",)), *self._stage(form, stack))
                values.append((col, meaning))
            out.append((side, start, values))
        return out

    # ------------------------------------------------------------------ codes
    def _groups(self, form: TableForm, layout: _Layout) -> list[_Group]:
        """The column groups of a code-rows table: usually one; two side by side in the
        决算 基本支出表 (301 … | 302 …). A group: code columns, name column, amount columns."""
        code_words = set(self.forms.code_headers[form.codes or "function"])
        split = set(self.forms.split_headers)
        code_cols = sorted(
            col
            for col, stack in layout.stacks.items()
            if any(compact(t) in code_words or compact(t) in split for t in stack)
        )
        if not code_cols:  # names only (indented by level): each name column opens a group
            name_words = set(self.forms.name_headers)
            names = [
                c
                for c, stack in sorted(layout.stacks.items())
                if any(compact(t) in name_words for t in stack)
            ] or [0]
            named_groups = []
            for n, name in enumerate(names):
                end = names[n + 1] if n + 1 < len(names) else layout.width
                meanings = {
                    col: m
                    for col in range(name + 1, end)
                    if (m := self._meaning(form, layout.stacks.get(col, []))) is not None
                }
                named_groups.append(_Group(name, end, (), name, meanings))
            return named_groups
        starts = [c for c in code_cols if c - 1 not in code_cols]
        groups = []
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else max(layout.width, start + 1)
            codes = [c for c in code_cols if start <= c < end]
            name = max(codes) + 1
            meanings = {
                col: m
                for col in range(name + 1, end)
                if (m := self._meaning(form, layout.stacks.get(col, []))) is not None
            }
            split_cols = [
                c for c in codes if any(compact(t) in split for t in layout.stacks.get(c, []))
            ]
            groups.append(_Group(start, end, tuple(split_cols or codes[:1]), name, meanings))
        return groups

    def _group_code(self, cells: list[Cell], group: _Group) -> str | None:
        parts = [_code_text(c.text) for col in group.codes for c in cells if c.col == col]
        parts = [p for p in parts if p]
        if not parts:
            return None
        if len(group.codes) > 1:
            head, rest = parts[0], parts[1:]
            if not re.fullmatch(r"\d{3}", head) or any(
                not re.fullmatch(r"\d{1,2}", p) for p in rest
            ):
                return None
            code = head + "".join(p.zfill(2) for p in rest)
        else:
            code = parts[0]
        valid = self.forms.function_code.fullmatch(code) or self.forms.economic_code.fullmatch(code)
        return code if valid else None

    def _code_of(self, row: list[Cell], layout: _Layout) -> bool:
        return any(self._is_code_text(c.text) for c in row[:3])

    def _is_code_text(self, text: str) -> bool:
        code = _code_text(text)
        return bool(
            code
            and (
                self.forms.function_code.fullmatch(code) or self.forms.economic_code.fullmatch(code)
            )
        )

    def _class_code(self, label: str) -> str | None:
        """The 类 code a row label names: 六、社会保障和就业支出 → 208."""
        return self.classes.get(name_key(strip_ordinal(compact(label))))

    def _named_code(self, label: str, context: list[str]) -> str | None:
        """The code of a line printed by name only (indented, no code column): a class
        name, else a 款 under the last class, else a 项 under the last 款."""
        code = self._class_code(label)
        if code is not None:
            context[:] = [code]
            return code
        if not context:
            return None
        classes = load_taxonomy().function_classes
        cls = context[0]
        if len(context) >= 2:
            codes = item_codes(classes[cls], context[1], label, classes)
            if codes:
                return "".join(codes)
        codes = item_codes(classes.get(cls, cls), label, None, classes)
        if codes:
            context[1:] = [label]
            return "".join(codes)
        return None

    def _named_economic_code(self, label: str, context: list[str]) -> str | None:
        """The 经济分类 code of a line printed by name only: a 类 name (工资福利支出 →
        301), else a 款 under the last 类 (基本工资 → 30101)."""
        codes = _economic_codes().get(name_key(strip_ordinal(compact(label))), ())
        if not codes:
            return None
        under = [c for c in codes if context and len(c) == 5 and c.startswith(context[0])]
        code = under[0] if under else codes[0]
        if len(code) == 3:
            context[:] = [code]
        return code

    # ------------------------------------------------------------------ facts
    def _fact(
        self,
        table: Table,
        cell: Cell,
        concept: str,
        scope: str,
        scope_label: str | None,
        meaning: _ColumnMeaning,
        unit: Unit | None,
        read: StatementRead,
    ) -> None:
        text = cell.text.strip()
        if not text or _PLACEHOLDER.match(text) or not _AMOUNT.match(text.replace("，", ",")):
            return
        decided = cell_unit(cell, unit or WAN_DEFAULT)
        if decided.basis == "default":
            number = float(re.sub(r"[^\d.\-]", "", text) or 0)
            decided = by_magnitude(number, self.scale) or decided
        quantity = read_amount(text, decided)
        if quantity is None:
            return
        confident = decided.basis in ("cell", "table_header", "heading")
        read.facts.append(
            Fact(
                id=f"t{table.index}.{cell.row}.{cell.col}.{concept}",
                concept=concept,
                scope=scope,
                scope_label=scope_label,
                year=meaning.year,
                stage=meaning.stage,
                value=quantity.value,
                unit="万元",
                text=text,
                evidence=cell_evidence(self.doc, table, cell),
                section=self.section_of(cell.start),
                confidence=0.95 if confident else 0.75,
                decimals=quantity.decimals,
                unit_decision=decided.decision(),
            )
        )

    def _unfilled(self, table: Table, layout: _Layout) -> bool:
        """Every value cell blank or a placeholder, and no note saying the table is empty."""
        values = [
            c.text.strip()
            for row in table.rows[layout.depth :]
            for c in row
            if not re.search(r"[\u4e00-\u9fff]", c.text) and not self._is_code_text(c.text)
        ]
        if any(v and not _PLACEHOLDER.match(v) for v in values):
            return False
        after = self.doc.text[table.end : table.end + 120]
        return "无数据" not in after and "为空" not in after


@dataclass(frozen=True)
class _Group:
    first: int
    end: int
    codes: tuple[int, ...]
    name: int
    meanings: dict[int, _ColumnMeaning]


@cache
def _economic_codes() -> dict[str, tuple[str, ...]]:
    """经济分类 codes by name key (a name may recur under two 类: 医疗费)."""
    found: dict[str, tuple[str, ...]] = {}
    for code, name in load_statement_forms().economic_classes.items():
        key = name_key(compact(name))
        found[key] = (*found.get(key, ()), code)
    return found


@cache
def _class_codes() -> dict[str, str]:
    """功能分类 类 codes by name key (一般公共服务 → 201)."""
    return {name_key(name): code for code, name in load_taxonomy().function_classes.items()}


def item_names(facts: list[Fact]) -> dict[tuple[str, str], str]:
    """款/项 codes by (parent code, name) as the document's own tables print them, so a
    sentence naming 统计信息事务（款）专项普查活动（项） is coded as its tables code it."""
    names: dict[tuple[str, str], str] = {}
    for fact in facts:
        if fact.scope.startswith("item:") and fact.scope_label:
            code = fact.scope[5:]
            if len(code) in (5, 7):
                names.setdefault((code[:-2], name_key(fact.scope_label)), code)
    return names


#: a row label's trailing unit of a count, not of money (公务用车保有量（辆）, 接待批次（个）)
_COUNTED = re.compile(r"[（(]\s*(?!亿元|万元|千元|元)[\u4e00-\u9fff]{1,2}\s*[）)]\s*$")


def _row_label(text: str) -> str:
    """A row label as a form names its measure: no ordinal, no trailing unit."""
    return compact(_TRAILING_UNIT.sub("", strip_ordinal(text.strip())))


_TRAILING_UNIT = re.compile(r"[（(][^（）()]{1,4}[）)]\s*$")


def _right_aligned(row: list[Cell], width: int) -> list[Cell]:
    """A total row shorter than its table (合计 | 189,767,551 | 101,341,746 | 88,425,805
    under a seven-column header, its label spanning the code columns without saying so)
    sits against the right edge: its amounts are the last columns' amounts."""
    used = sum(max(c.colspan, 1) for c in row)
    shift = width - used
    first = next((compact(c.text) for c in row if c.text.strip()), "")
    if shift <= 0 or first not in _TOTAL_LABELS:
        return row
    return [
        Cell(c.row, c.col + shift, c.text, c.start, c.end, c.colspan, c.merged_from_above)
        for c in row
    ]


def _code_text(text: str) -> str:
    """A code cell's digits: 2010308, 201.03.08 → 2010308; 205.0 (a spreadsheet's float) → 205."""
    text = text.strip()
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    text = re.sub(r"[.\-－—_ ]", "", text)
    return text if text.isdigit() else ""


def _unfilled_flag(table: Table) -> Flag:
    return Flag(
        id=f"t{table.index}.unfilled",
        check="unfilled_template",
        severity="warning",
        message=f"表{table.index + 1}的数值单元格都是空白或XXX占位符：模板未填写",
        message_en=f"table {table.index + 1} holds no figures, only blanks or XXX",
    )
