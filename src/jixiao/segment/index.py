"""The innermost section holding an offset, in O(log n + depth) instead of a scan.

The one answer to "which section is this in?": segmentation's `section_at`, the rules'
readers (every sentence, fact and table) and the LLM chunks all ask it. Scanning all
sections each time made a long document quadratic, so `SectionIndex` sorts the
sections by start once and answers each question with a bisect plus a short walk over
enclosing sections. `segment()` returns a `Sections` list, which builds its index on
first use and keeps it, so the readers passing the list down share one index per
document without a cache kept anywhere else.

It gives exactly what the scan gave for *any* list of sections, nested or not: among
the sections with ``start <= offset < end`` (and, when asked, a project), the one with
the greatest start, the later in the list on a tie.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from jixiao.models import Evidence, Section


class SectionIndex:
    """Sections sorted by (start, position in the list), with jump links for the walk."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self.size = len(sections)
        order = sorted(range(self.size), key=lambda i: (sections[i].start, i))
        self._sorted = [sections[i] for i in order]
        self._starts = [s.start for s in self._sorted]
        self._ends = [s.end for s in self._sorted]
        self._up = _previous_greater(self._ends)

    def deepest(self, offset: int, *, with_project: bool = False) -> Section | None:
        """The innermost section holding `offset` (with a project, when asked)."""
        k = bisect.bisect_right(self._starts, offset) - 1
        while k >= 0:
            k = self._holding(k, offset)
            if k < 0:
                return None
            section = self._sorted[k]
            if not with_project or section.project:
                return section
            k -= 1
        return None

    def _holding(self, k: int, offset: int) -> int:
        """The last position at or before `k` whose section ends after `offset`, or -1.

        Every position between `up[k]` and `k` ends no later than `k` does, so when `k`
        ends too early they do too and the walk jumps over them.
        """
        ends, up = self._ends, self._up
        while k >= 0 and ends[k] <= offset:
            k = up[k]
        return k


def _previous_greater(values: list[int]) -> list[int]:
    """For each position, the last earlier position holding a greater value (or -1)."""
    out = [-1] * len(values)
    stack: list[int] = []
    for i, value in enumerate(values):
        while stack and values[stack[-1]] <= value:
            stack.pop()
        out[i] = stack[-1] if stack else -1
        stack.append(i)
    return out


class Sections(list[Section]):
    """A document's sections in order, with its `SectionIndex` built once, on first use.

    A plain list, so pydantic models, JSON and pickling take it as one; the index is
    rebuilt if the list changes length.
    """

    _index: SectionIndex | None = None
    #: what kind of document the sections belong to (`segment` decides it from the
    #: title lines) and the line that decided it
    document_kind: str = "unknown"
    document_kind_evidence: Evidence | None = None

    @classmethod
    def of(cls, sections: Iterable[Section]) -> Sections:
        """`sections` itself when it is already a `Sections`, else a `Sections` of it."""
        return sections if isinstance(sections, Sections) else cls(sections)

    def section_index(self) -> SectionIndex:
        index = self._index
        if index is None or index.size != len(self):
            index = self._index = SectionIndex(self)
        return index


def index_of(sections: Sequence[Section]) -> SectionIndex:
    """The index of `sections`: kept by a `Sections` list, built anew for any other."""
    if isinstance(sections, Sections):
        return sections.section_index()
    return SectionIndex(list(sections))


def deepest_section(sections: Sequence[Section], offset: int) -> Section | None:
    """The innermost section containing `offset` (None when none does)."""
    return index_of(sections).deepest(offset)
