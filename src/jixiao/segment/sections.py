"""Headings → a tree of classified `Section`s, and the lookups extractors use on it.

Sections nest by heading rank (headings.py): a heading closes every open section of
the same or a deeper rank. Top-level sections tile the document (a preamble "s0"
takes the text before the first heading), and every offset lies in some section;
`section_at` finds the deepest one (through `index.SectionIndex`).

Kinds: a section takes the kind its title names (classify.py), else its parent's.
A title naming a table kind (绩效目标表, 自评表, 评价指标体系) counts only when the
section holds a table: "（二）评价指标体系" over a paragraph of prose stays part of
the report around it. A table titled by no keyword ("保安费用") takes the kind its
columns show when the section around it does not already say.

Everything is linear in the size of the document (plus a sort of the headings).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from jixiao.document import Document, Table
from jixiao.models import Section
from jixiao.segment.classify import (
    TABLE_KINDS,
    classify_table,
    classify_title,
    clean_project_name,
    project_from_table,
    project_from_title,
)
from jixiao.segment.document_kind import decide_document_kind
from jixiao.segment.headings import Heading, detect_headings
from jixiao.segment.index import Sections, index_of
from jixiao.statement_tables import load_statement_forms


@dataclass
class _Node:
    heading: Heading
    start: int
    end: int = -1
    parent: _Node | None = None
    depth: int = 1
    children: list[_Node] = field(default_factory=list)
    kind: str = "other"
    project: str | None = None
    index: int = 0


def build_sections(doc: Document) -> Sections:
    """Cut `doc` into sections: ids s0, s1 … in document order, parents before children."""
    text_len = len(doc.text)
    headings = detect_headings(doc)
    if headings and not doc.text[: headings[0].start].strip():
        headings[0].start = 0
    nodes: list[_Node] = []
    if not headings or headings[0].start > 0:
        first_line = doc.text[: headings[0].start if headings else text_len].strip()
        first_line = first_line.split("\n", 1)[0][:40]
        nodes.append(_Node(Heading(0, -1, first_line), start=0))
    _nest(nodes, headings, text_len)
    tables = doc.tables
    table_starts = [t.start for t in tables]
    for node in nodes:
        _classify(node, tables, table_starts)
    decision = decide_document_kind(doc)
    _refine_for_document(nodes, decision.kind)
    sections = Sections(_to_section(node, i) for i, node in enumerate(nodes))
    sections.document_kind = decision.kind
    sections.document_kind_evidence = decision.evidence
    return sections


def _refine_for_document(nodes: list[_Node], document_kind: str) -> None:
    """Kinds that depend on the document: a section titled by a statement table's name
    is that family's tables section (final_accounts_tables / budget_tables), and in a
    部门预算 the explanatory sections that name 决算-like lines (“三公”经费, 机关运行经费,
    国有资产) are the budget's notes, not final accounts."""
    forms = load_statement_forms()
    budget = document_kind == "budget"
    for node in nodes:
        form = forms.form_for_title(node.heading.title) if node.heading.rank >= 0 else None
        if form is not None:
            node.kind = forms.family_section_kind[form.family]
        elif budget and node.kind == "final_accounts":
            parent = node.parent.kind if node.parent is not None else None
            node.kind = parent if parent in ("glossary", "profile") else "budget_notes"
        elif budget and node.kind == "final_accounts_tables":
            node.kind = "budget_tables"


def _nest(nodes: list[_Node], headings: list[Heading], text_len: int) -> None:
    """Append a node per heading, setting parent, depth and end from the heading ranks."""
    if nodes:  # the preamble stays a top-level leaf
        nodes[0].end = headings[0].start if headings else text_len
    stack: list[_Node] = []
    for heading in headings:
        while stack and stack[-1].heading.rank >= heading.rank:
            stack.pop().end = heading.start
        parent = stack[-1] if stack else None
        node = _Node(
            heading, start=heading.start, parent=parent, depth=parent.depth + 1 if parent else 1
        )
        if parent:
            parent.children.append(node)
        nodes.append(node)
        stack.append(node)
    for node in stack:
        node.end = text_len
    for i, node in enumerate(nodes):
        node.index = i


def _holds_table(node: _Node, table_starts: list[int]) -> bool:
    if node.heading.table_index is not None:
        return True
    i = bisect.bisect_left(table_starts, node.start)
    return i < len(table_starts) and table_starts[i] < node.end


def _classify(node: _Node, tables: list[Table], table_starts: list[int]) -> None:
    """Kind and project of one node; its parent is already done (document order)."""
    heading = node.heading
    inherited_kind = node.parent.kind if node.parent else "other"
    own = classify_title(heading.title) if heading.rank >= 0 else None
    if own in TABLE_KINDS and not _holds_table(node, table_starts):
        own = None
    table = tables[heading.table_index] if heading.table_index is not None else None
    if own is None and table is not None and inherited_kind not in TABLE_KINDS:
        own = classify_table(table)
    node.kind = own or inherited_kind

    project = project_from_table(table) if table is not None else None
    if project is None:
        project = project_from_title(heading.name_text)
    if project is None and heading.lead and node.kind in TABLE_KINDS:
        project = clean_project_name(heading.lead)
    if project is None and node.parent is not None:
        project = node.parent.project
    node.project = project


def _to_section(node: _Node, i: int) -> Section:
    return Section(
        id=f"s{i}",
        kind=node.kind,
        title=node.heading.title,
        start=node.start,
        end=node.end,
        level=node.depth,
        parent=f"s{node.parent.index}" if node.parent else None,
        project=node.project,
    )


# ---------------------------------------------------------------------------- lookups
def sections_of_kind(sections: list[Section], kind: str) -> list[Section]:
    """The sections of one kind, in document order."""
    return [s for s in sections if s.kind == kind]


def section_at(sections: list[Section], offset: int) -> Section:
    """The deepest section containing `offset` (the document's end counts as inside the
    last section). O(log n + depth). Raises ValueError when no section holds it."""
    if not sections:
        raise ValueError("no sections: segment the document first")
    index = index_of(sections)
    found = index.deepest(offset)
    if found is None and offset > 0 and offset == max(s.end for s in sections):
        found = index.deepest(offset - 1)
    if found is None:
        raise ValueError(f"offset {offset} lies in no section")
    return found


def table_section(doc: Document, sections: list[Section], table: Table) -> Section:
    """The section a table belongs to: the deepest section holding its first character.

    A title line right before the table, or a title row inside it ("附件3" then
    "…绩效目标表"), opens a section at or before the table's start, so this is the
    section that title opened. `doc` is taken so callers need not know that.
    """
    del doc  # the table carries its own offsets
    return section_at(sections, table.start)
