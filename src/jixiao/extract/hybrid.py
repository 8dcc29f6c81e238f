"""The `hybrid` backend: rules where they are sure, the LLM for what they leave empty.

Rules run first (offline, deterministic). The tables they read cell by cell — the
statement tables (收支总表 … “三公”经费表, every amount cell a fact with its stage, line
scope and unit decision) and the indicator tables whose rows they read — are sent to no
model: the model could only repeat those cells or misread them. The LLM is asked about
what is left: the sections the rules found nothing in, and in the others only about the
concepts their prose names and the rules missed, so a document the rules read well
costs few calls; a document whose kind the title lines did not decide is asked about
its beginning too, where its title is. Both answers go into one
`Extraction`. They are compared like with like: where the two backends state the same
(concept, scope, year, stage, unit) with values that differ beyond their printed
precision, a `backend_disagreement` flag names both facts for a reviewer, so a budget's
预算 and the 执行数 it cites for last year (another stage and year) are never set
against each other. An LLM fact reading the same printed number as a rules fact of the
same concept is dropped as a duplicate: the rules' scope, stage and unit stand.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from jixiao.config import Settings
from jixiao.document import Document
from jixiao.extract import Backend, Extraction
from jixiao.extract.llm.answer_models import CONTEXT_KINDS, TABLE_KINDS, concepts_in
from jixiao.extract.llm.backend import UNKNOWN_KIND, LLMBackend, Wanted, document_kind_of, run_sync
from jixiao.extract.llm.chunking import own_spans, without
from jixiao.extract.llm.client import CallResult, CallRunner
from jixiao.extract.llm.requests import Prepared
from jixiao.extract.rules.numbers import find_quantities
from jixiao.models import Fact, Flag, RunInfo, Section
from jixiao.taxonomy import DERIVED_SUFFIXES


def base_concept(concept: str) -> str:
    head, _, suffix = concept.rpartition(".")
    return head if suffix in DERIVED_SUFFIXES and head else concept


def _in(section: Section, start: int) -> bool:
    return section.start <= start < section.end


#: section kinds whose text states the report's conclusion
CONCLUDING_KINDS = ("overall_evaluation", "project_evaluation")


def _states_a_figure(text: str) -> bool:
    """The text prints a quantity with its unit (a table's title, 3. 2025年…表, prints
    none: an ordinal and a year)."""
    return any(q.unit not in ("", "年") for q in find_quantities(text))


def settled_spans(doc: Document, rules: Extraction) -> list[tuple[int, int]]:
    """The tables no model is asked to read again: those the rules read cell by cell as a
    statement form (every amount cell a fact with its row, column, stage and unit), and
    indicator tables the rules read rows of. A model re-reading them could only repeat the
    rules' exact cells or misread them; it reads the prose and the tables left over."""
    rows = [r.evidence.start for r in rules.indicators if r.evidence is not None]
    return [
        (t.start, t.end)
        for t in doc.tables
        if t.index in rules.statement_tables or any(t.start <= at < t.end for at in rows)
    ]


def wanted_from(
    doc: Document,
    rules: Extraction,
    sections: Sequence[Section],
    skip: Sequence[tuple[int, int]] | None = None,
) -> Wanted:
    """Per section, what the LLM should still be asked (absent: nothing), about its text
    without the `skip` spans (default: `settled_spans`).

    A table section is asked about when a table in it is left unread, or when the rules
    read no indicator row in it at all. A text section is asked only about the concepts
    its remaining text names (by label or synonym) that the rules did not read there, and
    only when that text prints a number; a profile or evaluation section also when the
    department or the fiscal year is still unknown, an evaluation when its conclusion is.
    """
    if skip is None:
        skip = settled_spans(doc, rules)
    wanted: Wanted = {}
    context_missing = rules.fiscal_year is None or rules.department.name is None
    if document_kind_of(sections) == UNKNOWN_KIND and sections:
        # the kind is asked in the request holding the document's beginning
        first = min(sections, key=lambda s: (s.start, -s.end))
        wanted[first.id] = ()
    for section in sections:
        spans = without(own_spans(section, list(sections)), skip)
        text = "\n".join(doc.text[a:b] for a, b in spans)
        unread = any(a <= t.start < b for t in doc.tables for a, b in spans)
        if section.kind in TABLE_KINDS:
            rows = any(r.evidence and _in(section, r.evidence.start) for r in rules.indicators)
            if unread or (not rows and text.strip()):
                wanted[section.id] = None
            continue
        found = {
            base_concept(f.concept)
            for f in rules.facts
            if f.section == section.id or _in(section, f.evidence.start)
        }
        missing = tuple(c for c in concepts_in(text) if c not in found)
        if missing and not unread and not _states_a_figure(text):
            missing = ()  # a name without a figure (a title, a definition) states nothing
        concluding = section.kind in CONCLUDING_KINDS and rules.narrative.conclusion is None
        if missing or (section.kind in CONTEXT_KINDS and context_missing) or concluding:
            wanted[section.id] = missing
    return wanted


Key = tuple[str, str, int | None, str | None, str]


def fact_key(fact: Fact) -> Key:
    """What two readings must share to be the same figure: concept, scope, year, stage
    and unit."""
    return (fact.concept, fact.scope, fact.year, fact.stage, fact.unit)


def _tolerance(a: Fact, b: Fact) -> float:
    return (
        sum(0.5 * 10 ** -(f.decimals or 0) if f.decimals is not None else 0.0 for f in (a, b))
        + 1e-9
    )


def _overlap(a: Fact, b: Fact) -> bool:
    return a.evidence.start < b.evidence.end and b.evidence.start < a.evidence.end


def _same_value(a: Fact, b: Fact) -> bool:
    return abs(a.value - b.value) <= _tolerance(a, b)


def _disagreement(rules: Fact, llm: Fact) -> Flag:
    stage = f", {llm.stage}" if llm.stage else ""
    return Flag(
        id="",
        check="backend_disagreement",
        severity="warning",
        facts=[rules.id, llm.id],
        expected=rules.value,
        actual=llm.value,
        message=f"{llm.concept}（{llm.scope}, {llm.year}{stage}）: rules 读出 {rules.text}，"
        f"LLM 读出 {llm.text} / the backends disagree",
    )


def merge(rules: Extraction, llm: Extraction) -> Extraction:
    """Rules' answer completed by the LLM's, with disagreements flagged."""
    out = rules
    for n, fact in enumerate(out.facts, 1):
        fact.id = fact.id or f"rf{n}"
    for name in ("name", "province", "city", "county", "level"):
        if getattr(out.department, name) is None:
            setattr(out.department, name, getattr(llm.department, name))
    out.fiscal_year = out.fiscal_year or llm.fiscal_year
    out.document_kind = out.document_kind or llm.document_kind
    out.document_kind_evidence = out.document_kind_evidence or llm.document_kind_evidence
    by_key: dict[Key, list[Fact]] = defaultdict(list)
    by_concept: dict[str, list[Fact]] = defaultdict(list)
    for fact in out.facts:
        by_key[fact_key(fact)].append(fact)
        by_concept[base_concept(fact.concept)].append(fact)
    disagreements: list[Flag] = []
    for fact in llm.facts:
        read = by_concept.get(base_concept(fact.concept), [])
        if any(_overlap(fact, r) and _same_value(r, fact) for r in read):
            continue  # the same printed number: the rules' reading stands
        out.facts.append(fact)
        same = by_key.get(fact_key(fact), [])
        other = next((r for r in same if not _same_value(r, fact)), None)
        if other is not None:
            disagreements.append(_disagreement(other, fact))
    names = {p.name for p in out.projects}
    out.projects += [p for p in llm.projects if p.name not in names]
    out.indicators += llm.indicators
    if out.narrative.conclusion is None:
        out.narrative.conclusion = llm.narrative.conclusion
    out.narrative.problems = out.narrative.problems or llm.narrative.problems
    out.narrative.suggestions = out.narrative.suggestions or llm.narrative.suggestions
    out.flags = out.flags + llm.flags + disagreements
    out.run = RunInfo(
        backend="hybrid",
        model=llm.run.model,
        prompt_version=llm.run.prompt_version,
        tokens_in=llm.run.tokens_in,
        tokens_out=llm.run.tokens_out,
        calls=llm.run.calls,
        seconds=round(rules.run.seconds + llm.run.seconds, 4),
    )
    return out


class HybridBackend:
    name = "hybrid"

    def __init__(self, llm: LLMBackend, rules: Backend | None = None) -> None:
        if rules is None:
            from jixiao.extract.rules import RulesBackend

            rules = RulesBackend()
        self.llm = llm
        self.rules = rules

    @property
    def settings(self) -> Settings:
        return self.llm.settings

    @property
    def runner(self) -> CallRunner:
        return self.llm.runner

    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.llm.calls

    def drain_calls(self) -> list[dict[str, Any]]:
        return self.llm.drain_calls()

    def prepare(self, doc: Document, sections: list[Section]) -> Prepared:
        """The rules' reading, and the requests for what it left (see `RequestBackend`)."""
        started = time.perf_counter()
        ruled = self.rules.extract(doc, sections)
        ruled.run.seconds = time.perf_counter() - started
        skip = settled_spans(doc, ruled)
        wanted = wanted_from(doc, ruled, sections, skip)
        requests = self.llm.plan(doc, sections, wanted, skip)
        return Prepared(requests, ruled, document_kind_of(sections))

    def complete(
        self, doc: Document, prepared: Prepared, results: Sequence[CallResult]
    ) -> Extraction:
        """The rules' reading completed by the answers (see `RequestBackend`)."""
        assert prepared.ruled is not None
        year = prepared.ruled.fiscal_year
        answers = self.llm.assemble(doc, prepared.requests, results, prepared.kind, year)
        return merge(prepared.ruled, answers)

    async def aextract(self, doc: Document, sections: list[Section]) -> Extraction:
        started = time.perf_counter()
        ruled = self.rules.extract(doc, sections)
        ruled.run.seconds = time.perf_counter() - started
        skip = settled_spans(doc, ruled)
        wanted = wanted_from(doc, ruled, sections, skip)
        answers = await self.llm.aextract(
            doc, sections, wanted=wanted, skip=skip, fiscal_year=ruled.fiscal_year
        )
        return merge(ruled, answers)

    def extract(self, doc: Document, sections: list[Section]) -> Extraction:
        return run_sync(self.llm._closing(self.aextract(doc, sections)))

    async def aextract_many(
        self, items: Sequence[tuple[Document, list[Section]]]
    ) -> list[Extraction]:
        import asyncio

        return list(await asyncio.gather(*(self.aextract(d, s) for d, s in items)))

    def extract_many(self, items: Sequence[tuple[Document, list[Section]]]) -> list[Extraction]:
        return run_sync(self.llm._closing(self.aextract_many(items)))

    async def aclose(self) -> None:
        await self.llm.aclose()
