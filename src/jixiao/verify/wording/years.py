"""Year checks: a claim about the document's own year dated with another year.

Documents cite other years all the time, and that is no slip: a budget compares its
预算数 with last year's 执行数, states its assets "截至2023年12月31日" or "截至2024年8月31日"
(the budget is written before its year begins), a 决算 compares every total with last
year's. What is a slip:

- a figure of the document's year whose sentence labels it with another year and
  compares it with nothing ("2020年总支出为468.34万元" in a 2021 report, where 468.34 is
  the 2021 total stated elsewhere);
- a year-end position dated with a year that is not the one the kind reports on (a 2023
  决算's "截至2022年12月底"; a 2025 budget's "截至2023年12月31日");
- a title or heading of the document's own tables or sections headed with another year
  ("2024年项目支出绩效评价指标体系" attached to a 2023 report; "2024年部门收支总表" in a
  2025 budget): one flag per wrong year, naming how many titles carry it.
"""

from __future__ import annotations

import re

from jixiao.models import Fact, Flag
from jixiao.verify.facts import is_derived
from jixiao.verify.flags import make_flag, scope_prefix, short
from jixiao.verify.text import sentence_bounds
from jixiao.verify.view import View

#: how long a title line may be
_TITLE_CHARS = 60


def check_years(view: View) -> list[Flag]:
    if view.year is None:
        return []
    flags = [f for fact in view.record.facts if (f := _misdated_figure(view, fact))]
    flags += _year_ends(view)
    flags += _titles(view)
    return flags


def _printed_at(fact: Fact, text: str) -> int | None:
    """Where the fact's number is printed in the text, when its quote sits at its offsets."""
    ev = fact.evidence
    if text[ev.start : ev.end] != ev.quote:
        return None
    number = re.search(r"\d[\d,，.]*", fact.text or "")
    at = ev.quote.find(number.group()) if number else -1
    return ev.start + (at if at >= 0 else 0)


def _misdated_figure(view: View, fact: Fact) -> Flag | None:
    """A figure of the document's year whose own sentence dates it another year."""
    year = view.year
    if year is None or is_derived(fact.concept) or fact.evidence.cell is not None:
        return None
    if fact.stage in ("prior_final", "prior_budget"):
        return None
    at = _printed_at(fact, view.text)
    if at is None:
        return None
    left, right = sentence_bounds(view.text, at)
    before = view.text[left:at]
    labels = [
        m for m in view.vocab.year_label.finditer(before) if "《" not in before[: m.start()][-30:]
    ]
    if not labels:
        return None
    stated = int(labels[-1].group(1))
    if stated == year or view.vocab.comparison.search(view.text[left:right]):
        return None
    twin = view.index.one(fact.concept, fact.scope, view.index.fiscal_year, fact.stage)
    others = [f for f in (twin.facts if twin is not None else []) if f.id != fact.id]
    if not others or others[0].value != fact.value:
        return None
    label = view.index.label(fact.concept)
    sentence = view.text[left : at + len(fact.text or "")]
    return make_flag(
        "year",
        f"{scope_prefix(fact.scope)}{view.page_of(at)}“{short(sentence[-50:], 50)}”把"
        f"{label} {fact.text} 标为 {stated} 年，而该数值是本报告 {year} 年的{label}，年份疑有误",
        f"{view.index.label_en(fact.concept)} {fact.text} is this {year} report's figure but its "
        f"sentence dates it {stated}",
        facts=[fact.id, *(f.id for f in others)],
        expected=float(year),
        actual=float(stated),
        severity="warning",
        location=[view.at_text(left, at + len(fact.text or "")), view.at_fact(others[0])],
    )


def _year_ends(view: View) -> list[Flag]:
    """A year-end position dated other than the year the kind reports on."""
    year = view.year
    assert year is not None
    expected = year - 1 if view.kind == "budget" else year
    # a document of no known kind may be a budget (last year's end) or a report (this one's)
    allowed = {year - 1, year} if view.kind == "unknown" else {expected}
    flags = []
    for match in view.vocab.year_end.finditer(view.text):
        stated = int(match.group(1))
        if stated in allowed:
            continue
        left, right = sentence_bounds(view.text, match.start(), match.end())
        what = "预算" if view.kind == "budget" else "报告"
        flags.append(
            make_flag(
                "year",
                f"{year} 年度{what}{view.page_of(match.start())}写“{match.group()}”"
                f"（“{short(view.text[left:right], 40)}”），应为 {expected} 年末的情况，年份疑有误",
                f"a {year} {view.kind} states a year-end position of {stated}, not {expected}",
                expected=float(expected),
                actual=float(stated),
                severity="warning",
                location=[view.at_text(left, right)],
            )
        )
    return flags


def _titles(view: View) -> list[Flag]:
    """Titles and headings of the document's own parts dated another year: one flag per year."""
    year = view.year
    by_year: dict[int, list[tuple[int, str]]] = {}
    own = 0
    for offset, line in view.body_lines:
        stripped = line.strip()
        if len(stripped) > _TITLE_CHARS or view.vocab.comparison.search(stripped):
            continue
        match = view.vocab.year_title.match(stripped)
        if match is None:
            continue
        stated = int(match.group(1))
        own += stated == year
        if stated != year and 1990 < stated < 2100:
            by_year.setdefault(stated, []).append((offset + line.find(stripped), stripped))
    flags = []
    for stated, titles in sorted(by_year.items()):
        if (own == 0 and len(titles) >= 3) or (own > 0 and len(titles) > 3 * own):
            continue  # most titles name this year: it is the document's year, misread
        at, first = titles[0]
        count = f"共 {len(titles)} 处，" if len(titles) > 1 else ""
        flags.append(
            make_flag(
                "year",
                f"{year} 年度文件中的标题标为 {stated} 年（{count}如{view.page_of(at)}“{first}”），"
                f"年份疑有误",
                f"a {year} document has {len(titles)} title(s) dated {stated}, e.g. '{first}'",
                expected=float(year or 0),
                actual=float(stated),
                severity="warning",
                location=[view.at_text(o, o + len(t)) for o, t in titles[:3]],
            )
        )
    return flags
