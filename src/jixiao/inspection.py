"""`jixiao inspect FILE`: the sections, their kinds and the parsed tables of one document.

Meant for debugging a new template: it shows exactly what segmentation and table
recovery made of the file, before any extraction.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.tree import Tree

from jixiao.document import Document, Table
from jixiao.models import Section


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


def inspect_document(path: Path, console: Console, *, show_tables: bool, as_json: bool) -> None:
    from jixiao.ingest import load
    from jixiao.segment import segment

    doc = load(path)
    sections = segment(doc)
    if as_json:
        payload = {
            "path": doc.path,
            "format": doc.format,
            "pages": doc.pages,
            "notes": doc.notes,
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
        }
        console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    console.print(section_tree(doc, sections))
    for note in doc.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    if show_tables:
        for table in doc.tables:
            console.print(table_view(table))
