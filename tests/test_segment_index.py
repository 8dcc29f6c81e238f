"""The one section index answers exactly what a scan over every section answers."""

from __future__ import annotations

import random

from jixiao.models import Section
from jixiao.segment.index import SectionIndex, Sections, index_of


def _scan(sections: list[Section], offset: int, with_project: bool) -> Section | None:
    best: Section | None = None
    for s in sections:
        inside = s.start <= offset < s.end
        if inside and (s.project or not with_project) and (best is None or s.start >= best.start):
            best = s
    return best


def _random_sections(rng: random.Random, n: int) -> list[Section]:
    out = []
    for i in range(n):
        start = rng.randrange(0, 200)
        end = start + rng.randrange(0, 80)
        project = rng.choice([None, None, f"项目{i}"])
        out.append(
            Section(id=f"s{i}", kind="other", title="t", start=start, end=end, project=project)
        )
    if rng.random() < 0.5:
        rng.shuffle(out)
    return out


def test_index_matches_a_scan_on_overlapping_unsorted_sections() -> None:
    rng = random.Random(7)
    for _ in range(300):
        sections = _random_sections(rng, rng.randrange(0, 25))
        index = SectionIndex(sections)
        for offset in range(-2, 285, 3):
            for with_project in (False, True):
                expected = _scan(sections, offset, with_project)
                assert index.deepest(offset, with_project=with_project) is expected


def test_index_prefers_the_later_of_two_sections_starting_together() -> None:
    parent = Section(id="s0", kind="other", title="一、", start=0, end=100)
    child = Section(id="s1", kind="other", title="表", start=0, end=50, parent="s0")
    assert SectionIndex([parent, child]).deepest(10) is child
    assert SectionIndex([parent, child]).deepest(60) is parent
    assert SectionIndex([parent, child]).deepest(100) is None


def test_a_sections_list_keeps_its_index_and_rebuilds_it_when_it_grows() -> None:
    sections = Sections([Section(id="s0", kind="other", title="a", start=0, end=10)])
    assert index_of(sections) is index_of(sections)
    assert index_of(sections).deepest(5) is sections[0]
    sections.append(Section(id="s1", kind="other", title="b", start=5, end=10, parent="s0"))
    assert index_of(sections).deepest(6) is sections[1]


def test_a_plain_list_gets_a_fresh_index() -> None:
    sections = [Section(id="s0", kind="other", title="a", start=0, end=10)]
    assert index_of(sections) is not index_of(sections)
    assert index_of(sections).deepest(3) is sections[0]
