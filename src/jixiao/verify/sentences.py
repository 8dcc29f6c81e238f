"""Sentence bounds around an offset, found outwards from it.

Checks that read "the sentence a figure sits in" used to ask `rfind`/`find` for every
end mark over the whole text; a mark the document never uses (``!``) sent each search
to the start or end of the text, once per fact: quadratic on a long document. Every
mark set here holds the line break, so the search first finds the line and looks for
the other marks inside it only: the cost is the line's length, the answer the same.
"""

from __future__ import annotations


def sentence_start(text: str, at: int, marks: str) -> int:
    """Offset just after the last mark of `marks` (which holds "\\n") before `at`."""
    line = text.rfind("\n", 0, at)
    return max(line, *(text.rfind(c, line + 1, at) for c in marks if c != "\n")) + 1


def sentence_end(text: str, at: int, marks: str) -> int:
    """Offset of the first mark of `marks` (which holds "\\n") at or after `at`, or the end."""
    line = text.find("\n", at)
    limit = len(text) if line < 0 else line
    found = [p for c in marks if c != "\n" and (p := text.find(c, at, limit)) >= 0]
    return min(found, default=limit)
