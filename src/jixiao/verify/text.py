"""The document's text as the wording checks read it: lines, tables and title lines.

Verification works on the normalised text alone (a stored record is re-verified from
its text), where a table row is one line of TAB-joined cells and every other block is
a line. A PDF's line breaks also fall inside sentences (a wrapped line), so "the
sentence" here ends at 。！？ or at a line break that closes a paragraph: one after a
sentence mark, or before a line that opens a new item (（二）, 2., 二、…). The marks and
patterns are `verification.yaml`'s `text` section.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.verify.vocabulary import load_vocabulary

#: a PDF line shorter than this is not a wrapped line (headings, titles, list items)
_WRAP_MIN = 20


@dataclass
class Line:
    start: int
    end: int
    text: str


def lines(text: str) -> Iterator[Line]:
    offset = 0
    for raw in text.split("\n"):
        yield Line(offset, offset + len(raw), raw)
        offset += len(raw) + 1


@dataclass
class TextTable:
    """A table as the normalised text holds it: consecutive lines with TAB-joined cells."""

    start: int
    end: int
    rows: list[list[str]]


def text_tables(text: str) -> list[TextTable]:
    tables: list[TextTable] = []
    current: TextTable | None = None
    for line in lines(text):
        if "\t" in line.text:
            if current is None:
                current = TextTable(line.start, line.end, [])
                tables.append(current)
            current.rows.append(line.text.split("\t"))
            current.end = line.end
        else:
            current = None
    return tables


def is_toc_line(line: str) -> bool:
    return bool(load_vocabulary().toc_line.search(line.strip()))


def opens_item(line: str) -> bool:
    return bool(load_vocabulary().item_start.match(line))


def paragraph_break(text: str, newline: int) -> bool:
    """True when the line break at `newline` ends a paragraph rather than wrapping one."""
    marks = load_vocabulary().sentence_marks
    at = newline - 1
    while at >= 0 and text[at] in " \t":
        at -= 1
    if at < 0 or text[at] in marks or text[at] == "\n":
        return True
    line_start = text.rfind("\n", 0, newline) + 1
    if newline - line_start < _WRAP_MIN:
        return True  # a heading or a short line: wrapped lines run the page's width
    after = text[newline + 1 : newline + 40]
    return not after.strip() or opens_item(after) or "\t" in after.split("\n", 1)[0]


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The sentence holding [start, end): from just after the previous sentence end to the
    next one (its mark excluded). Wrapped lines are part of their sentence."""
    end = start if end is None else end
    marks = load_vocabulary().sentence_marks
    left = start
    while left > 0:
        c = text[left - 1]
        if c in marks or (c == "\n" and paragraph_break(text, left - 1)):
            break
        left -= 1
    right = end
    while right < len(text):
        c = text[right]
        if c in marks or (c == "\n" and paragraph_break(text, right)):
            break
        right += 1
    return left, right


def next_sentence(text: str, right: int) -> tuple[int, int] | None:
    """The sentence after the one ending at `right`, within the same paragraph."""
    if right >= len(text) or (text[right] == "\n" and not text[right + 1 : right + 2].strip()):
        return None
    at = right + 1
    while at < len(text) and text[at] in " \t":
        at += 1
    if at >= len(text) or (text[right] == "\n" and opens_item(text[at : at + 40])):
        return None
    return sentence_bounds(text, at)
