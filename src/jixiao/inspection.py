"""`jixiao inspect FILE`: the document's kind, its sections, its parsed tables and what
the rules backend read from each (concept, scope, year, stage and unit decision).

Meant for debugging a new template: it shows exactly what segmentation and table
recovery made of the file, and why each figure has the value and stage it has.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.tree import Tree

from jixiao.document import Document, Table
from jixiao.models import Fact, Section
from jixiao.segment.index import Sections


def section_tree(doc: Document, sections: list[Section]) -> Tree:
    root = Tree(
        f"[bold]{escape(doc.path)}[/bold] ({doc.format}, {len(doc.text)} chars, "
        f"{len(doc.tables)} tables{f', {doc.pages} pages' if doc.pages else ''})"
    )
    nodes: dict[str | None, Tree] = {None: root}
    for section in sections:
        project = f" [magenta]⟨{escape(section.project)}⟩[/magenta]" if section.project else ""
        label = (
            f"[cyan]{section.kind}[/cyan] {escape(section.title[:60])}{project} "
            f"[dim]{section.id} {section.start}–{section.end}[/dim]"
        )
        parent = nodes.get(section.parent, root)
        nodes[section.id] = parent.add(label)
    return root


def kind_line(sections: list[Section]) -> str:
    """The document's kind and the title line that decided it."""
    if not isinstance(sections, Sections):
        return "kind: unknown"
    evidence = sections.document_kind_evidence
    where = f" — “{escape(evidence.quote)}”" if evidence else ""
    page = f" (page {evidence.page})" if evidence and evidence.page else ""
    return f"kind: [bold]{sections.document_kind}[/bold]{where}{page}"


def unit_text(fact: Fact) -> str:
    decision = fact.unit_decision
    if decision is None:
        return ""
    return f"{decision.basis}: {decision.unit} ×{decision.factor:g}"


def facts_view(title: str, facts: list[Fact]) -> RichTable:
    """Facts with what decided them: scope, year, stage, the printed text and the unit."""
    view = RichTable(title=title, show_lines=False)
    for name in ("concept", "scope", "year", "stage", "万元", "printed", "unit decision", "cell"):
        view.add_column(name, overflow="fold")
    for fact in facts:
        cell = fact.evidence.cell
        where = f"r{cell.row} c{cell.col}" if cell else f"@{fact.evidence.start}"
        scope = fact.scope + (f" {fact.scope_label}" if fact.scope_label else "")
        view.add_row(
            fact.concept,
            escape(scope),
            str(fact.year or ""),
            fact.stage or "",
            f"{fact.value:g}",
            escape(fact.text),
            unit_text(fact),
            where,
        )
    return view


def table_view(table: Table) -> RichTable:
    page = f", page {table.page}" if table.page else ""
    view = RichTable(title=f"table {table.index} ({len(table.rows)} rows{page})", show_lines=True)
    width = max((len(r) for r in table.rows), default=0)
    view.add_column("#", justify="right", style="dim")
    for col in range(width):
        view.add_column(str(col), overflow="fold")
    for row in table.rows:
        cells = [escape(c.text) + (" ↑" if c.merged_from_above else "") for c in row]
        view.add_row(str(row[0].row if row else ""), *cells, *[""] * (width - len(cells)))
    return view


def inspect_document(
    path: Path, console: Console, *, show_tables: bool, as_json: bool, show_facts: bool = True
) -> None:
    from jixiao.extract.registry import get_backend
    from jixiao.ingest import load
    from jixiao.segment import segment

    doc = load(path)
    sections = segment(doc)
    facts = get_backend("rules").extract(doc, sections).facts if show_facts else []
    if as_json:
        evidence = sections.document_kind_evidence
        payload = {
            "path": doc.path,
            "format": doc.format,
            "pages": doc.pages,
            "notes": doc.notes,
            "document_kind": sections.document_kind,
            "document_kind_evidence": evidence.model_dump() if evidence else None,
            "sections": [s.model_dump() for s in sections],
            "tables": [
                {
                    "index": t.index,
                    "page": t.page,
                    "start": t.start,
                    "end": t.end,
                    "rows": t.row_texts(),
                }
                for t in doc.tables
            ],
            "facts": [f.model_dump(exclude_none=True) for f in facts],
        }
        console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    console.print(kind_line(sections))
    console.print(section_tree(doc, sections))
    for note in doc.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    by_table: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.evidence.cell is not None:
            by_table.setdefault(fact.evidence.cell.table, []).append(fact)
    if show_tables:
        for table in doc.tables:
            console.print(table_view(table))
            if by_table.get(table.index):
                console.print(facts_view(f"read from table {table.index}", by_table[table.index]))
    prose = [f for f in facts if f.evidence.cell is None]
    if prose:
        console.print(facts_view("read from the text", prose))
