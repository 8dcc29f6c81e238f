"""Words → lines (baseline clustering) → segments (the texts a wide gap separates), and
what a text looks like: a figure, a label, a caption, a contents line."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

#: a run of dot leaders (a table of contents line)
_LEADER = re.compile(r"(?:[.．。·•…⋯_\-—－]\s*){4,}|…{2,}|⋯{2,}")
#: the start of a new item: 一、 （一） 1. 1、 a code of three digits or more
ITEM_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+(?:[、.．)）](?!\d)|\s)|\d{3,})"
)
#: a form caption's field: a short label and its value (编制部门：…, 单位：万元)
_CAPTION = re.compile(r"^[^：:\d]{1,14}[：:]\s*\S")
#: a figure as printed in a cell (an amount, a rate, a count or a code)
_FIGURE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
#: a list marker alone (1. （一） ①)
_MARKER = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?|[①-⑳])\s*$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
#: a table's title: a short text ending in 表 (or 表 and a bracketed note), no amount in it
#: (附表2：部门收入预算总表, 一般公共预算支出预算表（按功能分类）, 收入决算表（2023年度）)
_TITLE = re.compile(r"^[^\t]{2,40}表(?:[（(][^）)]{1,12}[)）])?$")
_AMOUNT = re.compile(r"\d[\d,]*\.\d")


@dataclass
class Word:
    """A word or recognised piece: its box (any unit, y growing downwards), its text and
    the caller's key for it."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    key: int

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Segment:
    """Words of a line with no wide gap between them: one cell's text, or a sentence."""

    words: list[Word]
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    segments: list[Segment]
    top: float
    bottom: float
    height: float

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def multi(self) -> bool:
        return len(self.segments) >= 2


def group_lines(words: Sequence[Word], join_gap: float) -> list[Line]:
    """Words grouped by their vertical middles, top to bottom; in a line, words closer
    than `join_gap` × their height are one segment."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if groups:
            last = groups[-1]
            middle = statistics.fmean(w.middle for w in last)
            height = min(w.height for w in last)
            if abs(word.middle - middle) < 0.4 * min(word.height, height):
                last.append(word)
                continue
        groups.append([word])
    lines = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        segments: list[Segment] = []
        for word in group:
            if segments:
                seg = segments[-1]
                if word.x0 - seg.x1 < join_gap * min(word.height, seg.height):
                    seg.words.append(word)
                    seg.x1 = max(seg.x1, word.x1)
                    seg.top = min(seg.top, word.top)
                    seg.bottom = max(seg.bottom, word.bottom)
                    continue
            segments.append(Segment([word], word.x0, word.x1, word.top, word.bottom))
        top, bottom = min(w.top for w in group), max(w.bottom for w in group)
        lines.append(Line(segments, top, bottom, statistics.median(w.height for w in group)))
    lines.sort(key=lambda ln: ln.top)
    return lines


def reading_order(words: list[Word]) -> list[Word]:
    """A cell's words: lines top to bottom, words left to right."""
    return [w for line in group_lines(words, 0.0) for s in line.segments for w in s.words]


def text_of(words: list[Word]) -> str:
    return "".join(w.text for w in words).replace(" ", "")


def is_figure(words: list[Word]) -> bool:
    return bool(_FIGURE.match(text_of(words)))


def is_label(words: list[Word]) -> bool:
    """Two characters or more, one of them Chinese: what a merged label cell holds."""
    text = text_of(words)
    return len(text) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def is_leader_line(line: Line) -> bool:
    return any(_LEADER.search(s.text) for s in line.segments)


def is_caption(line: Line) -> bool:
    """A form caption: every segment a short label with its value (编制部门：…)."""
    return all(_CAPTION.match(s.text) for s in line.segments)


def is_title(line: Line) -> bool:
    """A table title alone on its line. Printed just under the table before it (a page
    that runs its tables on), it is no row of that table but where the next begins."""
    if line.multi:
        return False
    text = line.segments[0].text.replace(" ", "")
    return bool(_TITLE.match(text)) and not _AMOUNT.search(text)


def is_list(lines: list[Line]) -> bool:
    """A numbered list with hanging indents (1. | 名称): the first texts only markers."""
    return all(_MARKER.match(line.segments[0].text) for line in lines)


def is_contents(lines: list[Line]) -> bool:
    """The last text of every line a page number that never decreases: a table of
    contents without leaders."""
    numbers = []
    for line in lines:
        text = line.segments[-1].text.strip()
        if not _PAGE_NUMBER.match(text):
            return False
        numbers.append(int(text))
    return numbers == sorted(numbers)
