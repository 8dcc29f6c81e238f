"""A list of projects against the count and total it states, and against its other list.

"编报绩效目标的项目共4个，涉及项目预算资金598.46万元。其中：中介机构服务费418.80万元，财政
业务费10.00万元，信息化系统日常维护费166.66万元，援滇干部工作经费3.00万元" states a count, a
total and the projects: a full list (as many projects as the count) must add up to the
total, and no list may hold more projects or more money than it states. The 项目经费情况
说明's "年度预算安排" names the same projects again: one project, one amount — only
between lists of one year and stage (a 决算's list of what was spent is no budget's).
Other editions list first, one project a numbered line, and count after: "1.河道水环境综合
治理：2025年预算122.31万元，…" … "上述2个重点项目均已编报绩效目标，涉及项目预算资金178.73
万元" is held to the same rules. The
wording is data (`verification.yaml`, project_list); the 绩效目标 funds above the 项目支出 are the
`target_funds_within_projects` relation (`bounds.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.document import lines_above
from jixiao.models import Flag
from jixiao.verify.flags import make_flag, short
from jixiao.verify.intervals import Interval, fmt, total
from jixiao.verify.text import opens_item, paragraph_break, sentence_bounds
from jixiao.verify.view import View


@dataclass
class Listed:
    name: str
    value: float
    decimals: int
    start: int
    end: int

    @property
    def interval(self) -> Interval:
        return Interval.printed(self.value, self.decimals)


def _number(printed: str) -> tuple[float, int]:
    digits = re.sub(r"[,，]", "", printed)
    return float(digits), len(digits.partition(".")[2])


def _items(view: View, start: int, end: int) -> list[Listed]:
    found = []
    for m in view.vocab.project_item.finditer(view.text, start, end):
        value, decimals = _number(m.group("amount"))
        name = m.group("name").lstrip("其中：:，,、；;")
        found.append(Listed(name, value, decimals, m.start(), m.end()))
    return found


#: a list's year: the last one printed in its heading or sentence
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
#: a line above a list this short is its heading (二、2024年度项目执行情况)
_HEADING_CHARS = 40

#: (year, spent): the cycle a list belongs to
Cycle = tuple[int | None, bool]


def _cycle(view: View, start: int, end: int) -> Cycle:
    """The year and stage of a list: its heading and sentence, the list's own text aside."""
    above = view.text.rfind("\n", 0, max(0, start - 1)) + 1
    window = view.text[above:start]
    if len(window.strip()) > _HEADING_CHARS or "。" in window:
        window = ""
    head = view.text[start:end]
    first = view.vocab.project_item.search(head)
    cue = window + (head[: first.start()] if first else head)
    years = _YEAR.findall(cue)
    year = int(years[-1]) if years else view.year
    return year, bool(view.vocab.project_final_cue.search(cue))


def check_project_lists(view: View) -> list[Flag]:
    flags: list[Flag] = []
    lists: list[tuple[Cycle, list[Listed]]] = []
    for match in view.vocab.project_total.finditer(view.text):
        count = int(match.group("count"))
        value, decimals = _number(match.group("amount"))
        stated = Interval.printed(value, decimals)
        left, right = sentence_bounds(view.text, match.start(), match.end())
        if not view.text[right + 1 : right + 4].startswith("其中"):
            continue
        _, end = sentence_bounds(view.text, right + 1)
        items = _items(view, right + 1, end)
        if not items:
            continue
        lists.append((_cycle(view, left, end), items))
        listed = total([i.interval for i in items])
        full = len(items) == count
        if len(items) > count or listed.lo > stated.hi or (full and not listed.meets(stated)):
            flags.append(_flag(view, left, end, count, value, decimals, items))
    for match in view.vocab.project_total_above.finditer(view.text):
        line = view.text.rfind("\n", 0, match.start()) + 1
        items = _lines_above(view, line)
        if view.text[line : match.start()].strip() or not items:
            continue  # the count opens its own line, right under its list
        count = int(match.group("count"))
        value, decimals = _number(match.group("amount"))
        _, end = sentence_bounds(view.text, match.start(), match.end())
        lists.append((_cycle(view, items[0].start, end), items))
        listed = total([i.interval for i in items])
        if len(items) > count or not listed.meets(Interval.printed(value, decimals)):
            flags.append(_flag(view, items[0].start, end, count, value, decimals, items))
    for arrangement in re.finditer(view.vocab.project_arrangement, view.text):
        _, end = sentence_bounds(view.text, arrangement.end() + 1)
        line = view.text.rfind("\n", 0, arrangement.start()) + 1
        lists.append((_cycle(view, line, end), _items(view, arrangement.end(), end)))
    flags += _disagreeing_amounts(view, lists)
    return flags


#: how many lines above its count a numbered list may reach (wrapped lines included)
_LINES_ABOVE = 40


def _lines_above(view: View, end: int) -> list[Listed]:
    """The numbered lines right above offset `end` (a line start), one project each, in
    text order; a line that opens an item but is no project entry ends the list."""
    text, item = view.text, view.vocab.project_line_item
    found: list[Listed] = []
    block_end = end - 1
    for start, line in lines_above(text, end, _LINES_ABOVE):
        if not opens_item(line):
            if start == 0 or paragraph_break(text, start - 1):
                break  # a paragraph of its own: the list ended above it
            continue  # a wrapped line of the entry above
        m = item.match(text[start:block_end])
        if m is None:
            break
        value, decimals = _number(m.group("amount"))
        found.append(Listed(m.group("name").strip(), value, decimals, start, start + m.end()))
        block_end = start - 1
    return found[::-1]


def _flag(
    view: View, start: int, end: int, count: int, value: float, decimals: int, items: list[Listed]
) -> Flag:
    added = sum(i.value for i in items)
    shown = fmt(added, max(i.decimals for i in items))
    return make_flag(
        "project_list",
        f"{view.page_of(start)}“{short(view.text[start:end], 50)}”称项目 {count} 个、"
        f"{fmt(value, decimals)} 万元，所列 {len(items)} 个项目合计 {shown} 万元，两者不符",
        f"a list of projects states {count} projects and {fmt(value, decimals)}; it lists "
        f"{len(items)} adding up to {shown}",
        expected=value,
        actual=added,
        location=[view.at_text(start, end)],
    )


def _disagreeing_amounts(view: View, lists: list[tuple[Cycle, list[Listed]]]) -> list[Flag]:
    """One project named with two amounts in two lists of one year and stage."""
    flags = []
    seen: dict[tuple[Cycle, str], Listed] = {}
    for cycle, items in lists:
        for item in items:
            first = seen.setdefault((cycle, item.name), item)
            if first is item or first.interval.meets(item.interval):
                continue
            flags.append(
                make_flag(
                    "project_list",
                    f"{view.page_of(item.start)}项目“{item.name}”在此列为 {fmt(item.value, item.decimals)}"
                    f" 万元，{view.page_of(first.start)}却列为 {fmt(first.value, first.decimals)} 万元",
                    f"the project '{item.name}' is listed with {item.value} and {first.value}",
                    expected=first.value,
                    actual=item.value,
                    location=[
                        view.at_text(item.start, item.end),
                        view.at_text(first.start, first.end),
                    ],
                )
            )
    return flags
