"""The innermost section holding an offset, in O(log n + depth) instead of a scan.

Prose and table readers ask "which section is this in?" for every sentence, fact and
table; scanning all sections each time made a long document quadratic. `SectionIndex`
sorts the sections by start once per document and answers each question with a
bisect plus a short walk over enclosing sections.

It gives exactly what the scan gave for *any* list of sections, nested or not: among
the sections with ``start <= offset < end`` (and, when asked, a project), the one with
the greatest start, the later in the list on a tie.
"""

from __future__ import annotations

import bisect

from jixiao.models import Section


class SectionIndex:
    """Sections sorted by (start, position in the list), with jump links for the walk."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
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


_last: SectionIndex | None = None


def index_for(sections: list[Section]) -> SectionIndex:
    """The index of `sections`, reused while the same list is asked about again.

    Readers pass the document's section list down by argument; keeping the last index
    means one sort per document without changing every signature on the way.
    """
    global _last
    cached = _last
    if cached is not None and cached.sections is sections and cached.size == len(sections):
        return cached
    cached = SectionIndex(sections)
    _last = cached
    return cached
