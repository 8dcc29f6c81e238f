"""Cut sections into chunks that fit the model's budget, keeping offsets into `doc.text`.

A chunk is a list of pieces of the document (each a `[start, end)` span of `doc.text`)
joined by newlines. Prose is cut between lines, and a line longer than the budget
between sentences (。；). A long table is cut between rows, and each later part starts
with the table's header rows again, so the model always sees which column is which.
Because a chunk remembers its pieces, a quote found in the chunk maps back to its
offset in the document: that is what makes LLM evidence reviewable.

`pack` then puts consecutive small chunks of different sections into one request up to
the budget (a seed has up to ~190 sections, most a few hundred characters: one request
each would repeat the prompt and schema ~190 times). A packed chunk remembers which
section owns each piece, so every answer maps back to its section by where its quote is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.document import CELL_SEPARATOR, Document, Table
from jixiao.models import Section
from jixiao.segment.index import deepest_section

_SENTENCE_END = re.compile(r"(?<=[。；！？;])")


@dataclass(frozen=True)
class Chunk:
    #: the sections the chunk's pieces come from, in document order
    sections: tuple[Section, ...]
    index: int
    #: spans of doc.text, in order; the chunk text is their texts joined by "\n"
    pieces: tuple[tuple[int, int], ...]
    text: str
    #: per piece, the index in `sections` of the section it belongs to
    owners: tuple[int, ...] = ()
    #: per piece, the document index of the table it comes from, if any
    tables: tuple[int | None, ...] = ()

    @property
    def section(self) -> Section:
        """The first section (the only one unless the chunk was packed)."""
        return self.sections[0]

    @property
    def table(self) -> int | None:
        return next((t for t in self.tables if t is not None), None)

    def section_at(self, pos: int) -> Section:
        """The section owning document offset `pos` (a quote's start): the owner of the
        piece holding it, else the deepest of the chunk's sections holding it, else the
        first."""
        for (start, end), owner in zip(self.pieces, self.owners, strict=True):
            if start <= pos < max(end, start + 1):
                return self.sections[owner]
        return deepest_section(self.sections, pos) or self.sections[0]

    def marked_text(self) -> str:
        """The chunk text with a line naming each section where its pieces begin."""
        lines: list[str] = []
        previous = -1
        cursor = 0
        for (start, end), owner in zip(self.pieces, self.owners, strict=True):
            if owner != previous:
                lines.append(section_marker(self.sections[owner]))
                previous = owner
            lines.append(self.text[cursor : cursor + end - start])
            cursor += end - start + 1
        return "\n".join(lines)

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


def section_marker(section: Section) -> str:
    """`§s12 target_table 项目:…`: the id, kind and project of the section that follows."""
    project = f" 项目:{section.project}" if section.project else ""
    return f"§{section.id} {section.kind}{project}"


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


def without(
    spans: list[tuple[int, int]], holes: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`spans` with the `holes` cut out (the hybrid backend leaves out the tables the rules
    read cell by cell, so the model reads only what is left)."""
    out = list(spans)
    for h_start, h_end in sorted(holes):
        cut: list[tuple[int, int]] = []
        for start, end in out:
            if h_end <= start or end <= h_start:
                cut.append((start, end))
                continue
            if start < h_start:
                cut.append((start, h_start))
            if h_end < end:
                cut.append((h_end, end))
        out = cut
    return out


def chunk_section(
    doc: Document, section: Section, budget: int, spans: list[tuple[int, int]] | None = None
) -> list[Chunk]:
    """The section's chunks (of `spans`, default all of it), each at most ~`budget` chars."""
    chunks: list[list[tuple[int, int]]] = [[]]
    tables: list[int | None] = [None]
    size = 0
    header: list[_Line] = []
    current_table: Table | None = None
    whole = [(section.start, section.end)] if spans is None else spans  # [] means no own text
    lines = [ln for s, e in whole for ln in _lines(doc, s, e)]
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
            n = len(pieces)
            out.append(Chunk((section,), len(out), tuple(pieces), text, (0,) * n, (table,) * n))
    return out


def pack(chunks: list[Chunk], budget: int) -> list[Chunk]:
    """Consecutive chunks joined into requests of at most `budget` characters, in order."""
    packed: list[list[Chunk]] = []
    size = 0
    for chunk in chunks:
        length = len(chunk.text) + 1
        if packed and size + length <= budget:
            packed[-1].append(chunk)
            size += length
        else:
            packed.append([chunk])
            size = length
    return [_join(group, n) for n, group in enumerate(packed)]


def _join(group: list[Chunk], index: int) -> Chunk:
    sections: dict[str, tuple[int, Section]] = {}
    owners: list[int] = []
    for chunk in group:
        for owner in chunk.owners:
            section = chunk.sections[owner]
            if section.id not in sections:
                sections[section.id] = (len(sections), section)
            owners.append(sections[section.id][0])
    return Chunk(
        tuple(s for _, s in sections.values()),
        index,
        tuple(p for c in group for p in c.pieces),
        "\n".join(c.text for c in group),
        tuple(owners),
        tuple(t for c in group for t in c.tables),
    )
