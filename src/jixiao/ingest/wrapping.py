"""Joining prose lines a layout hard-wrapped back into their paragraphs (TXT and PDF).

A text export or a PDF page breaks a paragraph wherever the line was full; the readers
downstream need one paragraph per line (a sentence cut in two loses its figures'
context). The width a layout wrapped at is measured from the document itself.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from jixiao.document import RawParagraph, RawTable, RawText
from jixiao.vocabulary import load_vocabulary

SENTENCE_END = tuple("。；;！!？?：:")

_CN = load_vocabulary().list_numerals
HEADING_START = re.compile(
    rf"^\s*(?:第[{_CN}]+[部分章节]|[{_CN}]+[、.．]|[（(][{_CN}\d]+[）)]|\d+[、.．](?!\d)|附件|附表)"
)
_WRAP_MIN = 15


def _width(text: str) -> int:
    """Length of a line as laid out: leading indentation takes room, trailing does not."""
    return len(text.rstrip())


def wrap_width(lines: list[str]) -> int | None:
    """The width a layout hard-wrapped prose at: the commonest length of unended lines.

    None when no width recurs (at least three lines within one character of it):
    such a document was not hard-wrapped and no lines are joined.
    """
    lengths = [
        _width(t)
        for t in lines
        if len(t.strip()) >= _WRAP_MIN and not t.rstrip().endswith(SENTENCE_END)
    ]
    per_length = Counter(lengths)  # one pass: a width's count is its own and its neighbours'
    best, best_count = None, 0
    for width in per_length:
        count = per_length[width - 1] + per_length[width] + per_length[width + 1]
        if count > best_count or (count == best_count and best is not None and width > best):
            best, best_count = width, count
    return best if best_count >= 3 else None


def _is_wrapped(prev: str, nxt: str, width: int) -> bool:
    """A prose line cut by the layout: full width, not ended, followed by no new heading."""
    return (
        len(prev.strip()) >= _WRAP_MIN
        and _width(prev) >= width - 2
        and not prev.rstrip().endswith(SENTENCE_END)
        and not HEADING_START.match(nxt)
        and bool(nxt.strip())
    )


def join_wrapped_paragraphs(
    blocks: list[RawParagraph | RawTable], *, hard_breaks: set[int] | None = None
) -> list[RawParagraph | RawTable]:
    """Join hard-wrapped prose lines back into the paragraph they belong to.

    `hard_breaks` holds the indexes of blocks known to start a paragraph (a blank line
    came before them in a text file); only lines that follow one another directly are
    measured for the wrap width and joined.
    """
    breaks = hard_breaks or set()
    candidates = [
        b.text.text
        for k, b in enumerate(blocks)
        if isinstance(b, RawParagraph)
        and k + 1 < len(blocks)
        and isinstance(blocks[k + 1], RawParagraph)
        and k + 1 not in breaks
    ]
    width = wrap_width(candidates)
    if width is None:
        return blocks
    out: list[RawParagraph | RawTable] = []
    for k, block in enumerate(blocks):
        prev = out[-1] if out else None
        if (
            k not in breaks
            and isinstance(block, RawParagraph)
            and isinstance(prev, RawParagraph)
            and prev.page == block.page
            and _is_wrapped(prev.text.text, block.text.text, width)
        ):
            prev.text = concat_raw(prev.text, block.text)
            continue
        out.append(block)
    return out


def _offsets(raw: RawText) -> list[int]:
    if raw.source_offsets is not None:
        return list(raw.source_offsets)
    if raw.source_start is not None:
        return list(range(raw.source_start, raw.source_start + len(raw.text)))
    return [-1] * len(raw.text)


def concat_raw(a: RawText, b: RawText) -> RawText:
    """Join two pieces of one paragraph, keeping each character's source offset."""
    left = a.text.rstrip()
    right = b.text.lstrip()
    la, lb = _offsets(a)[: len(left)], _offsets(b)[len(b.text) - len(right) :]
    boxes = None
    if a.boxes or b.boxes:
        shift = len(left) - (len(b.text) - len(right))
        boxes = [
            replace(x, end=min(x.end, len(left))) for x in a.boxes or [] if x.start < len(left)
        ]
        boxes += [
            replace(x, start=max(x.start + shift, len(left)), end=x.end + shift)
            for x in b.boxes or []
            if x.end + shift > len(left)
        ]
    return RawText(left + right, source_offsets=la + lb, boxes=boxes)
