"""Segmentation: a `Document` → a tree of `Section`s, each classified by kind.

`segment(doc)` returns sections in document order with ids s0, s1 … (a `Sections`
list, which keeps its offset index); a section's parent is the enclosing heading;
`project` names the project a section belongs to. Lookups for extractors:
`sections_of_kind`, `section_at` / `deepest_section` (deepest section holding an
offset, through the one `SectionIndex`) and `table_section` (the section a table
belongs to).
"""

from __future__ import annotations

from jixiao.document import Document
from jixiao.segment.index import SectionIndex, Sections, deepest_section, index_of
from jixiao.segment.sections import section_at, sections_of_kind, table_section

__all__ = [
    "SectionIndex",
    "Sections",
    "deepest_section",
    "index_of",
    "section_at",
    "sections_of_kind",
    "segment",
    "table_section",
]


def segment(doc: Document) -> Sections:
    """Cut a document into classified sections (rule-based; see headings.py, classify.py)."""
    from jixiao.segment.sections import build_sections

    return build_sections(doc)
