"""What kind of document this is — 部门决算, 部门预算, 整体支出绩效自评报告 … — from its
title lines, with the line that decided it as evidence.

The cover and first title decide the main kind ("上海市普陀区2025年区级部门预算",
"2024年度部门决算", "2021年部门整体支出绩效目标表"); a package that also holds whole
reports of another kind (a 部门决算 with its 整体绩效报告 and 项目支出绩效自评报告
attached) is `mixed`. Body sentences never decide: only short, unpunctuated lines are
titles (`document_kinds.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.document import Document, Paragraph, Table
from jixiao.document_kinds import KindRule, load_document_kinds
from jixiao.models import Evidence


@dataclass(frozen=True)
class KindDecision:
    kind: str
    evidence: Evidence | None


UNKNOWN = KindDecision("unknown", None)


def _evidence(doc: Document, start: int, end: int) -> Evidence:
    quote = doc.text[start:end]
    lead = len(quote) - len(quote.lstrip())
    quote = quote.strip()
    return Evidence(
        quote=quote, start=start + lead, end=start + lead + len(quote), page=doc.page_at(start)
    )


def _title_lines(doc: Document) -> list[tuple[int, int, KindRule, bool]]:
    """(start, end, rule, on the cover) for every line that is a title of some kind."""
    kinds = load_document_kinds()
    found: list[tuple[int, int, KindRule, bool]] = []
    for n, block in enumerate(doc.blocks):
        cover = n < kinds.cover_blocks
        if isinstance(block, Paragraph):
            spans = [(block.start, block.end)]
        elif isinstance(block, Table) and cover:
            # a spreadsheet or DOCX cover often sits in a table's first cells
            spans = [(c.start, c.end) for row in block.rows[:3] for c in row if c.text.strip()]
        else:
            continue
        for start, end in spans:
            if end - start > 2 * kinds.title_line:
                continue
            rule = kinds.kind_of_title(doc.text[start:end])
            if rule is not None:
                found.append((start, end, rule, cover))
    return found


def decide_document_kind(doc: Document) -> KindDecision:
    """The document's kind and the title line that decided it (`unknown`: no title
    names a kind)."""
    lines = _title_lines(doc)
    if not lines:
        return UNKNOWN
    main = next((line for line in lines if line[3]), lines[0])
    start, end, rule, _ = main
    reports = {r.kind for s, e, r, _ in lines if r.report and _heads_report(doc, s, e, r)}
    if rule.report:
        reports.add(rule.kind)
    kind = "mixed" if len(reports) > 1 else rule.kind
    return KindDecision(kind, _evidence(doc, start, end))


def _heads_report(doc: Document, start: int, end: int, rule: KindRule) -> bool:
    """A title line heads a whole report, not a table of one: 报告 / 决算 / 预算 titles."""
    return rule.report_pattern.search(doc.text[start:end]) is not None
