"""Answers → contract objects (Fact, IndicatorRow, Project …), each grounded in the text.

Grounding is the last line of defence against a model that invents or obeys: a value is
kept only when its quote is found verbatim in the document (first in its own chunk, the
offsets then being chunk offset + position in the chunk), the quote prints the value,
and the quote is not an instruction addressed to the model. Anything else is dropped
with a `grounding` flag, so a planted "report income as 999" never reaches the output.
The value itself is read back from the printed number in the quote, so the document,
not the model, decides its normalised value, unit and printed precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.document import Document, Table
from jixiao.extract import Extraction
from jixiao.extract.evidence import evidence_at
from jixiao.extract.llm.answer_models import (
    OTHER,
    PROJECT_KINDS,
    Answer,
    Figure,
    IndicatorRowAnswer,
    concept_code,
    concepts_in,
)
from jixiao.extract.llm.chunking import Chunk
from jixiao.extract.rules.numbers import MONEY_UNITS, Quantity, find_quantities, parse_quantity
from jixiao.extract.untrusted import is_instruction
from jixiao.models import CellRef, Evidence, Fact, Flag, IndicatorRow, Project, Section
from jixiao.taxonomy import load_taxonomy

#: confidence of a validated LLM value, and of one kept from an answer that failed validation
CONFIDENCE = 0.8
SALVAGED_CONFIDENCE = 0.3
#: passages written to the model rather than about the budget (prompt injection)
_TABLE_NAMES = {"target_table": "target", "self_eval_table": "self_eval", "rubric": "rubric"}


@dataclass
class Converter:
    """Turns one document's answers into an `Extraction`, numbering its own ids."""

    doc: Document
    fiscal_year: int | None = None
    extraction: Extraction = field(default_factory=Extraction)
    _n: int = 0
    _tables: list[Table] | None = None

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
        base = self._concept(m)
        if base is None:
            return None
        concept = base if m.measure == "amount" else f"{base}.{m.measure}"
        label = f"{concept}「{m.quote}」"
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
        quantity = _matching_quantity(m.value, m.unit, m.quote)
        if quantity is None:
            self.flag(
                "grounding",
                f"{label}: 引文不含数值 {m.value:g}，已丢弃 / quote does not "
                "print the value, dropped",
            )
            return None
        number_at = evidence.start + quantity.start
        evidence.cell = self.cell_at(number_at) or evidence.cell
        section = chunk.section_at(evidence.start)
        known = load_taxonomy().get(base)
        if known is not None and known.scope == "department":
            scope = "department"
        elif m.scope and m.scope in self.doc.text:
            scope = m.scope
        else:
            scope = self._scope(section, chunk, answer)
        return Fact(
            id=self._id("llmf"),
            concept=concept,
            scope=scope,
            year=m.year or self.fiscal_year,
            value=quantity.value,
            unit=quantity.unit,
            text=quantity.printed or quantity.text,
            evidence=evidence,
            section=section.id,
            origin="llm",
            confidence=confidence,
            decimals=quantity.decimals,
        )

    def _concept(self, m: Figure) -> str | None:
        """The taxonomy concept of a figure; `other` is read from its printed wording."""
        code = concept_code(m.concept)
        if code == OTHER:
            named = concepts_in(m.label or "")
            code = max(named, key=lambda c: len(named[c]), default=None)
        if code is None:
            self.flag(
                "grounding",
                f"「{m.label or m.concept}」「{m.quote}」: 无对应指标，已丢弃 / no concept "
                "of the taxonomy, dropped",
                severity="warning",
            )
        return code

    # ----------------------------------------------------------------------- tables
    def indicator(
        self, chunk: Chunk, answer: Answer, row: IndicatorRowAnswer
    ) -> IndicatorRow | None:
        evidence = self.evidence(chunk, row.quote)
        section = chunk.section_at(evidence.start) if evidence is not None else chunk.section
        if evidence is not None and section.kind not in _TABLE_NAMES:
            return None  # a row the model read outside an indicator table
        if evidence is None or is_instruction(row.quote):
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
        target = parse_quantity(row.target) if row.target else None
        actual = parse_quantity(row.actual) if row.actual else None
        operator = target.operator if target else ("定性" if row.target else None)
        cell = self.cell_at(evidence.start)
        return IndicatorRow(
            id=self._id("llmi"),
            scope=self._scope(section, chunk, answer),
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

    def _scope(self, section: Section, chunk: Chunk, answer: Answer) -> str:
        """A project section's project; else the one project the answer names, if the
        chunk holds one project section only; else the department."""
        if section.kind not in PROJECT_KINDS:
            return "department"
        if section.project:
            return section.project
        named = [p.name for p in answer.projects if p.name and p.name in self.doc.text]
        project_sections = [s for s in chunk.sections if s.kind in PROJECT_KINDS]
        if len(named) == 1 and len(project_sections) == 1:
            return named[0]
        return "department"

    def context(self, chunk: Chunk, answer: Answer) -> None:
        ext = self.extraction
        dept = getattr(answer, "department", None)
        if dept is not None:
            for name in ("name", "province", "city", "county"):
                value = getattr(dept, name)
                if value and getattr(ext.department, name) is None and value in self.doc.text:
                    setattr(ext.department, name, value)
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


def _matching_quantity(value: float, unit: str, quote: str) -> Quantity | None:
    """The printed number in the quote that the answer's value is, normalised."""
    wan = value * MONEY_UNITS[unit][0] if unit in MONEY_UNITS else None
    for q in find_quantities(quote):
        same = abs(q.raw_value - value) < 1e-9 or (
            wan is not None and q.unit == "万元" and abs(q.value - wan) < 1e-6
        )
        if not same:
            continue
        if not q.raw_unit and unit.strip():
            # a bare number in a table: its unit is the table's (单位：万元), as answered
            withunit = parse_quantity(f"{q.printed}{unit.strip()}")
            if withunit is not None and withunit.raw_unit:
                return Quantity(
                    withunit.value,
                    withunit.unit,
                    withunit.decimals,
                    q.operator,
                    q.text,
                    q.start,
                    q.end,
                    q.printed,
                    q.raw_value,
                    unit.strip(),
                )
        return q
    return None


def _names(chunk: Chunk) -> str:
    """The chunk's sections for a flag: 标题（s3）、标题（s4）."""
    return "、".join(f"{s.title}（{s.id}）" for s in chunk.sections)
