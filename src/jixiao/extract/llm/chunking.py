"""Cut sections into chunks that fit the model's budget, keeping offsets into `doc.text`.

A chunk is a list of pieces of the document (each a `[start, end)` span of `doc.text`)
joined by newlines. Prose is cut between lines, and a line longer than the budget
between sentences (。；). A long table is cut between rows, and each later part starts
with the table's header rows again, so the model always sees which column is which.
Because a chunk remembers its pieces, a quote found in the chunk maps back to its
offset in the document: that is what makes LLM evidence reviewable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.document import CELL_SEPARATOR, Document, Table
from jixiao.models import Section

_SENTENCE_END = re.compile(r"(?<=[。；！？;])")


@dataclass(frozen=True)
class Chunk:
    section: Section
    index: int
    #: spans of doc.text, in order; the chunk text is their texts joined by "\n"
    pieces: tuple[tuple[int, int], ...]
    text: str
    #: document index of the table the chunk's rows come from, if any
    table: int | None = None

    def to_doc(self, pos: int, length: int) -> tuple[int, int] | None:
        """Doc offsets of chunk text [pos, pos+length), if it lies inside one piece."""
        cursor = 0
        for start, end in self.pieces:
            size = end - start
            if cursor <= pos and pos + length <= cursor + size:
                return start + pos - cursor, start + pos - cursor + length
            cursor += size + 1
        return None

    def locate(self, quote: str, doc_text: str) -> tuple[int, int] | None:
        """Where `quote` is in the document: first within this chunk, else anywhere."""
        if not quote:
            return None
        pos = self.text.find(quote)
        while pos >= 0:
            span = self.to_doc(pos, len(quote))
            if span is not None:
                return span
            pos = self.text.find(quote, pos + 1)
        pos = doc_text.find(quote)
        return (pos, pos + len(quote)) if pos >= 0 else None


@dataclass
class _Line:
    start: int
    end: int
    table: Table | None = None
    header: bool = False


def _lines(doc: Document, start: int, end: int) -> list[_Line]:
    """The section's lines, each marked with its table and whether it is a header row."""
    tables = [t for t in doc.tables if t.start < end and t.end > start]
    lines: list[_Line] = []
    pos = start
    while pos < end:
        nl = doc.text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if stop > pos and doc.text[pos:stop].strip():
            table = next((t for t in tables if t.start <= pos < t.end), None)
            lines.append(_Line(pos, stop, table, table is not None and _is_header(doc, table, pos)))
        pos = stop + 1
    return lines


def _is_header(doc: Document, table: Table, pos: int) -> bool:
    """A header row: among the first two rows, and the first or one without any digit."""
    for n, row in enumerate(table.rows[:2]):
        if row and row[0].start <= pos <= row[-1].end:
            text = CELL_SEPARATOR.join(c.text for c in row)
            return n == 0 or not any(ch.isdigit() for ch in text)
    return False


def _split_long(start: int, end: int, text: str, budget: int) -> list[tuple[int, int]]:
    """Cut one over-long line between sentences (or hard, when a sentence is too long)."""
    parts: list[tuple[int, int]] = []
    cur = start
    for piece in _SENTENCE_END.split(text):
        if not piece:
            continue
        p_end = cur + len(piece)
        if parts and parts[-1][1] == cur and p_end - parts[-1][0] <= budget:
            parts[-1] = (parts[-1][0], p_end)
        else:
            parts.extend((s, min(s + budget, p_end)) for s in range(cur, p_end, budget))
        cur = p_end
    return parts or [(start, end)]


def own_spans(section: Section, sections: list[Section]) -> list[tuple[int, int]]:
    """The parts of a section not inside one of its subsections (so no text is sent twice)."""
    children = sorted((s.start, s.end) for s in sections if s.parent == section.id)
    spans: list[tuple[int, int]] = []
    cursor = section.start
    for start, end in children:
        if start > cursor:
            spans.append((cursor, min(start, section.end)))
        cursor = max(cursor, end)
    if cursor < section.end:
        spans.append((cursor, section.end))
    return spans


def chunk_section(
    doc: Document, section: Section, budget: int, spans: list[tuple[int, int]] | None = None
) -> list[Chunk]:
    """The section's chunks (of `spans`, default all of it), each at most ~`budget` chars."""
    chunks: list[list[tuple[int, int]]] = [[]]
    tables: list[int | None] = [None]
    size = 0
    header: list[_Line] = []
    current_table: Table | None = None
    lines = [ln for s, e in spans or [(section.start, section.end)] for ln in _lines(doc, s, e)]
    for line in lines:
        if line.table is not current_table:
            current_table, header = line.table, []
        if line.header:
            header.append(line)
        spans = [(line.start, line.end)]
        if line.end - line.start > budget:
            spans = _split_long(line.start, line.end, doc.text[line.start : line.end], budget)
        for span in spans:
            length = span[1] - span[0] + 1
            if chunks[-1] and size + length > budget:
                repeat = [(h.start, h.end) for h in header] if not line.header else []
                chunks.append(list(repeat))
                tables.append(current_table.index if current_table else None)
                size = sum(e - s + 1 for s, e in repeat)
            chunks[-1].append(span)
            if current_table is not None and tables[-1] is None:
                tables[-1] = current_table.index
            size += length
    out: list[Chunk] = []
    for pieces, table in zip(chunks, tables, strict=True):
        if pieces:
            text = "\n".join(doc.text[s:e] for s, e in pieces)
            out.append(Chunk(section, len(out), tuple(pieces), text, table))
    return out
