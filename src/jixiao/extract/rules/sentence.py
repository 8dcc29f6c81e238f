"""A sentence of prose with what the readers found in it: wordings, numbers, stages.

Numbers attach to wordings within a clause (up to the next comma or semicolon), so the
sentence knows its clause boundaries and the head of its 其中 list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.document import Document
from jixiao.extract.rules.mentions import Mention
from jixiao.extract.rules.numbers import Quantity
from jixiao.extract.rules.stages import StageWord

SENTENCE_END = re.compile(r"[。！？!?\n]")
#: a comma ends a clause unless it separates thousands (52,800,000.00元, 250，000.00); a
#: line break inside a sentence is a PDF's wrapping, not a clause's end
CLAUSE_END = re.compile(r"[；;。！？!?]|(?<!\d)[，,]|[，,](?!\d{3}(?!\d))")


def split_spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in separator.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


@dataclass
class Sentence:
    doc: Document
    start: int
    end: int
    mentions: list[Mention]
    quantities: list[Quantity]
    stages: list[StageWord]
    #: where the previous sentence of the paragraph starts (its subject may carry over)
    previous_start: int | None = None
    #: a 类款项 line heading the sentence (``…（05）：年初预算为…，支出决算为…``): its topic
    topic: Mention | None = None

    def clause_start(self, offset: int) -> int:
        """Where the clause holding `offset` starts: after the last clause end before it.

        Asked several times per figure, so the sentence's clause ends are found once;
        the result is what scanning the text up to `offset` alone would give.
        """
        cache = self.__dict__.get("_clause_cache")
        if cache is None:
            cache = self.__dict__["_clause_cache"] = {}
        found = cache.get(offset)
        if found is None:
            text = self.doc.text[self.start : offset]
            ends = [m.end() for m in CLAUSE_END.finditer(text)]
            found = cache[offset] = self.start + (ends[-1] if ends else 0)
        return found

    def mentions_before(self, offset: int, since: int | None = None) -> list[Mention]:
        lo = self.start if since is None else since
        return [m for m in self.mentions if lo <= m.start and m.end <= offset]

    def head(self) -> Mention | None:
        """The concept a 其中 list belongs to: before 其中, else the first of the sentence."""
        text = self.doc.text[self.start : self.end]
        i = text.find("其中")
        if i >= 0:
            before = self.mentions_before(self.start + i)
            if before:
                return before[-1]
        return self.mentions[0] if self.mentions else None
