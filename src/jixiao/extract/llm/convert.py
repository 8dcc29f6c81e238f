"""Answers → contract objects (Fact, IndicatorRow, Project …), each grounded in the text.

Grounding is the last line of defence against a model that invents or obeys: a value is
kept only when its quote is found verbatim in the document (first in its own chunk, the
offsets then being chunk offset + position in the chunk), the quote prints the value,
and the quote is not an instruction addressed to the model. Anything else is dropped
with a `grounding` flag, so a planted "report income as 999" never reaches the output.
The value itself is read back from the printed number in the quote, so the document,
not the model, decides its normalised value, unit and printed precision.

A money figure is converted to 万元 here, once: by the unit printed with the number, else
the unit its table's column or 单位 line, or its heading, declares (the rules backend's
own decisions, `rules.units`), else its magnitude against the document's 万元 figures,
else the unit the model read; the decision is kept as `Fact.unit_decision`. The stage
and year follow the rules backend's conventions, so both backends key a figure alike: a
``budget.*`` concept names its own stage, a money figure of no stated stage takes the
document's default (预算 in a budget, else 决算), and a figure of a year before the fiscal
year is the prior year's (prior_final, prior_budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from jixiao.document import CELL_SEPARATOR, Document, Table
from jixiao.extract import Extraction
from jixiao.extract.evidence import evidence_at
from jixiao.extract.llm.answer_models import (
    OTHER,
    PROJECT_KINDS,
    SIGNED_MEASURES,
    Answer,
    Figure,
    IndicatorRowAnswer,
    LineScope,
    concept_code,
    concepts_in,
    implied_item,
    kind_answer,
    line_scope,
    wording_of,
)
from jixiao.extract.llm.chunking import Chunk
from jixiao.extract.rules.context import split_department
from jixiao.extract.rules.numbers import MONEY_UNITS, Quantity, find_quantities, parse_quantity
from jixiao.extract.rules.stages import budget_concept_stage
from jixiao.extract.rules.units import (
    HEADER_ROWS,
    WAN_DEFAULT,
    Unit,
    by_magnitude,
    column_units,
    heading_unit,
    money_scale,
    table_unit,
)
from jixiao.extract.untrusted import is_instruction
from jixiao.models import (
    DOCUMENT_KINDS,
    STAGES,
    CellRef,
    Evidence,
    Fact,
    Flag,
    IndicatorRow,
    Project,
    Section,
    UnitBasis,
    UnitDecision,
)
from jixiao.segment.classify import project_from_table
from jixiao.statement_tables import load_statement_forms
from jixiao.taxonomy import Concept, load_taxonomy

#: confidence of a validated LLM value, and of one kept from an answer that failed validation
CONFIDENCE = 0.8
SALVAGED_CONFIDENCE = 0.3
_TABLE_NAMES = {"target_table": "target", "self_eval_table": "self_eval", "rubric": "rubric"}


@dataclass
class Converter:
    """Turns one document's answers into an `Extraction`, numbering its own ids."""

    doc: Document
    fiscal_year: int | None = None
    #: the document's kind (decides the stage of a money figure that names none)
    kind: str = "unknown"
    extraction: Extraction = field(default_factory=Extraction)
    _n: int = 0
    _tables: list[Table] | None = None
    #: where the indicator rows read so far start (two rows never share a line)
    _rows_at: set[int] = field(default_factory=set)
    #: the document's largest 万元 figure, for units by magnitude (computed on first use)
    _scale: list[float | None] = field(default_factory=list)
    #: per table index: its column units and its own unit line's (`_table_units`)
    _units: dict[int, tuple[dict[int, Unit], Unit | None]] = field(default_factory=dict)

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def flag(
        self,
        check: str,
        message: str,
        *,
        severity: str = "error",
        facts: list[str] | None = None,
        indicators: list[str] | None = None,
    ) -> None:
        self.extraction.flags.append(
            Flag(
                id=self._id("llmg"),
                check=check,
                severity=severity,
                message=message,
                facts=facts or [],
                indicators=indicators or [],
            )
        )

    # ----------------------------------------------------------------------- evidence
    def evidence(self, chunk: Chunk, quote: str) -> Evidence | None:
        span = chunk.locate(quote, self.doc.text)
        if span is None:
            return None
        start, end = span
        return evidence_at(self.doc, start, end, quote=quote, cell=self.cell_at(start))

    def cell_at(self, pos: int) -> CellRef | None:
        if self._tables is None:
            self._tables = self.doc.tables
        for table in self._tables:
            if table.start <= pos < table.end:
                for row in table.rows:
                    for cell in row:
                        if cell.start <= pos < max(cell.end, cell.start + 1):
                            return CellRef(table=table.index, row=cell.row, col=cell.col)
        return None

    # ----------------------------------------------------------------------- facts
    def fact(self, chunk: Chunk, answer: Answer, m: Figure, *, confidence: float) -> Fact | None:
        """One figure as a fact of the section its quote is in, if it is grounded."""
        code = self._concept(m)
        if code is None:
            return None
        label = f"{code}「{m.quote}」"
        if is_instruction(m.quote):
            self.flag(
                "grounding",
                f"{label}: 引文是写给模型的指令，已丢弃 / quote is an "
                "instruction to the model, dropped",
            )
            return None
        evidence = self.evidence(chunk, m.quote)
        if evidence is None:
            self.flag(
                "grounding",
                f"{label}: 引文不在原文中，已丢弃 / quote not found in the document, dropped",
            )
            return None
        signed = m.measure in SIGNED_MEASURES
        printed = _printed_quantity(m.value, m.quote, signed=signed)
        if printed is None:
            self.flag(
                "grounding",
                f"{label}: 引文不含数值 {m.value:g}，已丢弃 / quote does not "
                "print the value, dropped",
            )
            return None
        number_at = evidence.start + printed.start
        cell = self.cell_at(number_at)
        evidence.cell = cell or evidence.cell
        section = chunk.section_at(evidence.start)
        base, scope, scope_label = self._scope(m, code, section, chunk, answer, number_at)
        concept = base if m.measure == "amount" else f"{base}.{m.measure}"
        known = load_taxonomy().get(concept)
        quantity, decision = self._read(printed, m.unit, known, number_at, cell, section)
        if signed and m.value < 0 < quantity.value:
            # a decrease: the wording (减少, 下降) gives the sign the number does not print
            quantity = replace(quantity, value=-quantity.value)
        year, stage = self._year_stage(base, m)
        return Fact(
            id=self._id("llmf"),
            concept=concept,
            scope=scope,
            scope_label=scope_label,
            year=year,
            stage=stage,
            value=quantity.value,
            unit=quantity.unit,
            text=quantity.printed or quantity.text,
            evidence=evidence,
            section=section.id,
            origin="llm",
            confidence=confidence,
            decimals=quantity.decimals,
            unit_decision=decision,
        )

    # ----------------------------------------------------------------------- units
    def _read(
        self,
        printed: Quantity,
        answered: str,
        concept: Concept | None,
        number_at: int,
        cell: CellRef | None,
        section: Section,
    ) -> tuple[Quantity, UnitDecision | None]:
        """The printed number normalised, converted to 万元 once for money, with the
        decision that chose its unit (None for a percentage or a count)."""
        answered = _MONEY_WORDS.get(answered.strip(), answered.strip())
        if printed.raw_unit:
            unit = _MONEY_WORDS.get(printed.raw_unit, printed.raw_unit)
            if unit not in MONEY_UNITS:
                return printed, None
            basis: UnitBasis = "cell" if cell is not None else "sentence"
            return printed, UnitDecision(basis=basis, unit=unit, factor=MONEY_UNITS[unit][0])
        money = concept.kind == "money" if concept is not None else answered in MONEY_UNITS
        if not money:
            # a bare rate or count in a table: its unit is the column's, as answered
            return _with_unit(printed, answered) or printed, None
        decided = self._unit_of_bare(printed.raw_value, answered, cell, section)
        return _with_unit(printed, decided.unit) or printed, decided.decision()

    def _unit_of_bare(
        self, value: float, answered: str, cell: CellRef | None, section: Section
    ) -> Unit:
        """The unit of a number printed without one: its column's or table's, its
        heading's, its magnitude's, else the one the model read (basis `default`)."""
        if cell is not None:
            columns, whole = self._table_units(cell.table)
            decided = columns.get(cell.col) or whole
            if decided is not None:
                return decided
        decided = heading_unit(section.title)
        if decided is None:
            if not self._scale:
                self._scale.append(money_scale(self.doc.text))
            decided = by_magnitude(value, self._scale[0])
        if decided is not None:
            return decided
        if answered in MONEY_UNITS:
            return Unit(answered, "default", MONEY_UNITS[answered][0])
        return WAN_DEFAULT

    def _table_units(self, index: int) -> tuple[dict[int, Unit], Unit | None]:
        """A table's column units and its own unit line's, read once per table."""
        if index not in self._units:
            if self._tables is None:
                self._tables = self.doc.tables
            table = next((t for t in self._tables if t.index == index), None)
            self._units[index] = (
                ({}, None)
                if table is None
                else (column_units(table, _header_depth(table)), table_unit(self.doc, table))
            )
        return self._units[index]

    # ----------------------------------------------------------------------- keys
    def _scope(
        self, m: Figure, code: str, section: Section, chunk: Chunk, answer: Answer, at: int
    ) -> tuple[str, str, str | None]:
        """(concept, scope, printed line name) of a figure.

        A 功能分类 line is ``item:<code>`` (a class total of ``fa.function.<类>`` stays the
        department's), whether the model put its code in the scope or in the concept; the
        concept's class follows the line's code. An 经济分类 line is ``econ:<code>``.
        """
        line = line_scope(m.scope)
        if line is not None and not line.valid:
            line = None
        item = implied_item(m.concept)
        if (line is None or line.kind != "item") and item is not None:
            line = LineScope("item", item, line.label if line is not None else None)
        if line is not None:
            if line.kind == "item" and code.startswith("fa.function."):
                code = f"fa.function.{line.code[:3]}"
                if len(line.code) == 3:
                    return code, "department", None
            name = line.label if line.label and line.label in self.doc.text else None
            return code, line.scope, name
        known = load_taxonomy().get(code)
        if known is not None and known.scope == "department":
            return code, "department", None
        if m.scope and m.scope in self.doc.text:
            return code, m.scope, None
        return code, self._project_scope(section, chunk, answer, at), None

    def _year_stage(self, base: str, m: Figure) -> tuple[int | None, str | None]:
        """The figure's year and, for money, its stage (see the module docstring)."""
        fiscal = self.fiscal_year
        parent = load_taxonomy().get(base)
        if parent is None or parent.kind != "money":
            return m.year or fiscal, None
        named: str | None
        if parent.stage is not None:
            named = parent.stage
        elif base.startswith("budget."):
            named = budget_concept_stage(base)
        else:
            named = m.stage if m.stage in STAGES else None
        stage = named or self.default_stage
        if m.year is None:
            return (fiscal - 1 if fiscal and stage in _PRIOR else fiscal), stage
        if fiscal is not None and m.year < fiscal:
            stage = _PRIOR_OF.get(stage, stage)
        return m.year, stage

    @property
    def default_stage(self) -> str:
        """The stage of a money figure that names none: the document family's (预算 in a
        budget, 决算 in final accounts), else 决算, as the rules backend reads it."""
        return load_statement_forms().family_stage.get(self.kind, "final")

    def _concept(self, m: Figure) -> str | None:
        """The taxonomy concept of a figure (without its measure); `other` is read from
        its printed wording."""
        code = concept_code(m.concept)
        if code == OTHER:
            named = concepts_in(wording_of(m.concept))
            code = max(named, key=lambda c: len(named[c]), default=None)
        if code is None:
            self.flag(
                "grounding",
                f"「{wording_of(m.concept) or m.concept}」「{m.quote}」: 无对应指标，已丢弃 / no concept "
                "of the taxonomy, dropped",
                severity="warning",
            )
        return code

    # ----------------------------------------------------------------------- tables
    def row_evidence(self, chunk: Chunk, row: IndicatorRowAnswer) -> Evidence | None:
        """The row's 三级指标 cell: of the lines printing it, the first not taken by an
        earlier row whose line also prints the row's target and actual (one project's
        项目预算控制数 is not another's), else where the quote is first."""
        wanted = [t.strip() for t in (row.target, row.actual) if t and t.strip()]
        pos = chunk.text.find(row.level3) if row.level3 else -1
        while pos >= 0:
            span = chunk.to_doc(pos, len(row.level3))
            if span is not None and span[0] not in self._rows_at:
                line = _line_at(self.doc.text, span[0])
                if all(w in line for w in wanted):
                    return evidence_at(
                        self.doc, *span, quote=row.level3, cell=self.cell_at(span[0])
                    )
            pos = chunk.text.find(row.level3, pos + 1)
        return self.evidence(chunk, row.level3)

    def indicator(
        self, chunk: Chunk, answer: Answer, row: IndicatorRowAnswer
    ) -> IndicatorRow | None:
        evidence = self.row_evidence(chunk, row)
        section = chunk.section_at(evidence.start) if evidence is not None else chunk.section
        if evidence is not None and section.kind not in _TABLE_NAMES:
            return None  # a row the model read outside an indicator table
        if evidence is None or is_instruction(row.level3):
            self.flag(
                "grounding",
                f"指标「{row.level3}」: 引文不在原文中，已丢弃 / quote not "
                "found in the document, dropped",
                severity="warning",
            )
            return None
        line_start = self.doc.text.rfind("\n", 0, evidence.start) + 1
        line_end = self.doc.text.find("\n", evidence.end)
        line_end = len(self.doc.text) if line_end < 0 else line_end
        cells: dict[str, Evidence] = {}
        for name in ("target", "actual"):
            text = (getattr(row, name) or "").strip()
            pos = self.doc.text.find(text, line_start, line_end) if text else -1
            if pos >= 0:
                cells[name] = evidence_at(
                    self.doc, pos, pos + len(text), quote=text, cell=self.cell_at(pos)
                )
        self._rows_at.add(evidence.start)
        target = parse_quantity(row.target) if row.target else None
        actual = parse_quantity(row.actual) if row.actual else None
        operator = target.operator if target else ("定性" if row.target else None)
        line = self.doc.text[line_start:line_end].split(CELL_SEPARATOR)
        if target is not None and not target.operator:
            # a 绩效目标表 prints the operator (指标性质) and the unit (度量单位) in
            # cells of their own: read them from the row's line, not from the model
            operator = next((c.strip() for c in line if c.strip() in _OPERATORS), None)
            target = _with_unit_cell(target, line, row.target or "")
        cell = self.cell_at(evidence.start)
        return IndicatorRow(
            id=self._id("llmi"),
            scope=self._project_scope(section, chunk, answer, evidence.start),
            table=_TABLE_NAMES[section.kind],
            table_index=cell.table if cell is not None else chunk.table,
            level1=row.level1,
            level2=row.level2,
            level3=row.level3,
            operator=operator if operator in ("≥", "≤", "=", ">", "<", "定性") else None,
            target_text=row.target,
            target_value=target.value if target else None,
            unit=(target.unit or None) if target else None,
            actual_text=row.actual,
            actual_value=actual.value if actual else None,
            weight=row.weight,
            score=row.score,
            evidence=evidence,
            cells=cells,
        )

    # ----------------------------------------------------------------------- answers
    def absorb(
        self, chunk: Chunk, answer: Answer, *, valid: bool, error: str | None = None
    ) -> None:
        """Add one chunk's answer; an invalid (salvaged) one is kept with low confidence."""
        confidence = CONFIDENCE if valid else SALVAGED_CONFIDENCE
        facts = [
            f
            for f in (self.fact(chunk, answer, m, confidence=confidence) for m in answer.figures)
            if f is not None
        ]
        rows = [
            r for r in (self.indicator(chunk, answer, row) for row in answer.rows) if r is not None
        ]
        self.extraction.facts.extend(facts)
        self.extraction.indicators.extend(rows)
        if not valid:
            self.flag(
                "extraction_error",
                f"{_names(chunk)}: 模型答案多次重试后仍未通过校验，"
                f"保留 {len(facts) + len(rows)} 个低置信度取值 / answer still invalid after "
                f"the retries, {len(facts) + len(rows)} value(s) kept at low confidence"
                + (f": {error}" if error else ""),
                facts=[f.id for f in facts],
                indicators=[r.id for r in rows],
            )

    def failed(self, chunk: Chunk, error: str | None) -> None:
        self.flag(
            "extraction_error",
            f"{_names(chunk)}: 未能抽取 / not extracted: {error or 'no answer'}",
        )

    def _project_scope(self, section: Section, chunk: Chunk, answer: Answer, at: int) -> str:
        """In a project section: the project the 项目名称 cell of the table holding `at`
        names (a budget's 绩效目标填报表 prints one per project, under one form title),
        else the section's project, else the one project the answer names if the chunk
        holds one project section only; else the department."""
        if section.kind not in PROJECT_KINDS:
            return "department"
        table = next((t for t in self.doc.tables if t.start <= at < t.end), None)
        named_by_table = project_from_table(table) if table is not None else None
        if named_by_table:
            return named_by_table
        if section.project:
            return section.project
        named = [p.name for p in answer.projects if p.name and p.name in self.doc.text]
        project_sections = [s for s in chunk.sections if s.kind in PROJECT_KINDS]
        if len(named) == 1 and len(project_sections) == 1:
            return named[0]
        return "department"

    def context(self, chunk: Chunk, answer: Answer) -> None:
        """The document's kind (when the title lines decided none), department, fiscal
        year, projects and narrative, each kept only when the document prints it."""
        ext = self.extraction
        name = answer.department
        if name and ext.department.name is None and name in self.doc.text:
            # the place comes from the name's own suffixes, as the rules read it
            placed = split_department(name)
            for part in ("name", "province", "city", "county", "level"):
                if getattr(ext.department, part) is None:
                    setattr(ext.department, part, getattr(placed, part))
        if self.kind == "unknown" and answer.document_kind and ext.document_kind is None:
            self._kind(chunk, answer.document_kind)
        year = getattr(answer, "fiscal_year", None)
        if year and ext.fiscal_year is None and str(year) in chunk.text:
            ext.fiscal_year = year
        for p in answer.projects:
            if p.name and p.name in self.doc.text and all(x.name != p.name for x in ext.projects):
                ext.projects.append(
                    Project(
                        name=p.name,
                        code=p.code if p.code and p.code in self.doc.text else None,
                        managing_department=p.managing_department,
                        implementing_unit=p.implementing_unit,
                        sections=[self._section_naming(chunk, p.name).id],
                    )
                )
        narrative = getattr(answer, "narrative", None)
        if narrative is not None:
            self._narrative(narrative)

    def _kind(self, chunk: Chunk, answered: str) -> None:
        """The kind the model named, with the title line it quoted as evidence."""
        kind, title = kind_answer(answered)
        if kind not in DOCUMENT_KINDS or kind == "unknown":
            return
        evidence = self.evidence(chunk, title) if title else None
        if title and (evidence is None or is_instruction(title)):
            return  # a title that is not in the document decides nothing
        self.extraction.document_kind = kind
        self.extraction.document_kind_evidence = evidence

    def _section_naming(self, chunk: Chunk, name: str) -> Section:
        pos = chunk.text.find(name)
        span = chunk.to_doc(pos, len(name)) if pos >= 0 else None
        return chunk.section_at(span[0]) if span else chunk.section

    def _narrative(self, narrative: Any) -> None:
        """Keep narrative sentences found verbatim in the document (the rest is paraphrase)."""
        ext = self.extraction.narrative
        text = self.doc.text
        if narrative.conclusion and ext.conclusion is None and narrative.conclusion in text:
            ext.conclusion = narrative.conclusion
        for name in ("problems", "suggestions"):
            kept = getattr(ext, name)
            kept.extend(s for s in getattr(narrative, name) if s and s in text and s not in kept)


#: printed money words that mean a money unit (``12万`` is 12 万元)
_MONEY_WORDS = {"万": "万元", "亿": "亿元"}
_PRIOR = ("prior_final", "prior_budget")
#: a stage of an earlier year than the fiscal year's is that prior year's
_PRIOR_OF = {
    "final": "prior_final",
    "budget_initial": "prior_budget",
    "budget_adjusted": "prior_budget",
}
_BARE_AMOUNT = re.compile(r"[-+]?[\d,，]+(?:\.\d+)?")


def _printed_quantity(value: float, quote: str, *, signed: bool = False) -> Quantity | None:
    """The number in the quote that the answer's value is, as printed (never a
    conversion of it: converting is done once, in code); a `signed` change may be the
    printed number made negative by its wording."""
    wanted = (value, abs(value)) if signed else (value,)
    found = find_quantities(quote)
    return next((q for v in wanted for q in found if abs(q.raw_value - v) < 1e-9), None)


def _with_unit(q: Quantity, unit: str) -> Quantity | None:
    """A bare number read in `unit` (its value normalised), at the bare number's place."""
    read = parse_quantity(f"{q.printed}{unit}") if unit else None
    if read is None or not read.raw_unit:
        return None
    return Quantity(
        read.value, read.unit, read.decimals, q.operator, q.text, q.start, q.end, q.printed,
        q.raw_value, unit,
    )  # fmt: skip


def _header_depth(table: Table) -> int:
    """The table's header rows: those before the first row printing a bare amount."""
    for n, row in enumerate(table.rows[:HEADER_ROWS]):
        if any(_BARE_AMOUNT.fullmatch(c.text.strip()) for c in row if c.text.strip()):
            return n
    return min(len(table.rows), HEADER_ROWS)


def _names(chunk: Chunk) -> str:
    """The chunk's sections for a flag: 标题（s3）、标题（s4）."""
    return "、".join(f"{s.title}（{s.id}）" for s in chunk.sections)


#: an indicator's operator as a 绩效目标表 prints it in its 指标性质 cell
_OPERATORS = ("≥", "≤", "=", ">", "<", "定性")


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : len(text) if end < 0 else end]


def _with_unit_cell(target: Quantity, line: list[str], printed: str) -> Quantity:
    """The target with the unit of the cell after its own (度量单位), when it prints none
    and that cell is a unit the number parses with."""
    if target.unit:
        return target
    cells = [c.strip() for c in line]
    if printed.strip() not in cells:
        return target
    after = cells.index(printed.strip()) + 1
    if after >= len(cells) or not cells[after]:
        return target
    joined = parse_quantity(printed.strip() + cells[after])
    if joined is None or joined.unit == "" or abs(joined.raw_value - target.raw_value) > 1e-9:
        return target
    return joined
