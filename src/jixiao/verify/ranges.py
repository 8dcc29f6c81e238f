"""Range and year checks: values that cannot be right whatever the other figures say.

Range: a share over 100 %, a negative amount (a decrease is a `.yoy_change`, the only
money allowed below zero), a rate over 100 % (a warning: over-execution happens).
Year: a figure labelled with a year other than the report's where a comparison does
not explain it, a figure whose own sentence names another year than the one it was read
for ("2020年总支出为468.34万元" in a 2021 report, the 2021 figures), a 截至…年12月
date that names another year than the report's, and an evaluation table or rubric
headed with another year (a 2023 self-evaluation attaching "2024年…评价指标体系").
"""

from __future__ import annotations

import re

from jixiao.models import Fact, Flag
from jixiao.verify.facts import FactIndex, is_derived
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fact_decimals, fmt, of_fact
from jixiao.verify.sentences import sentence_start

_COMPARISON = re.compile(r"上年|上一年|同比|相比|比|较|增加|减少|增长|下降|持平|变动")
_YEAR_END = re.compile(r"截[至止](\d{4})年(?:12月|年底|年末)")
#: a year naming the figures that follow it (not a document number 〔2020〕 or a title 《…》)
_YEAR_LABEL = re.compile(r"(?<![〔\[（(﹝\d])(\d{4})年(?!\d|[〕\]）)﹞])")
_SENTENCE_END = "。！？；;!?\n"
_TABLE_HEADING = re.compile(
    r"(?<!\d)(\d{4})年度?[^。，\t\n\d]{0,30}?(?:评价指标体系|绩效自评表|自评得分表|评分表)"
)


def check_ranges(index: FactIndex) -> list[Flag]:
    return [f for fact in index.record.facts if (f := _range(index, fact)) is not None]


def _range(index: FactIndex, fact: Fact) -> Flag | None:
    interval = of_fact(fact)
    label = f"{scope_prefix(fact.scope)}{index.label(fact.concept)}"
    label_en = f"{scope_en(fact.scope)}{index.label_en(fact.concept)}"
    shown = fmt(fact.value, fact_decimals(fact))
    if fact.concept.endswith(".share_pct") and interval.lo > 100:
        return make_flag(
            "range",
            f"{label} {shown}% 超过 100%",
            f"{label_en}: share {shown}% is over 100%",
            facts=[fact.id],
            expected=100.0,
            actual=fact.value,
        )
    if (
        fact.unit == "万元"
        and interval.hi < 0
        and not fact.concept.endswith(".yoy_change")
        and not _is_adjustment(index, fact)
    ):
        return make_flag(
            "range",
            f"{label} 为负数 {shown} 万元",
            f"{label_en}: negative amount {shown} 万元 (10k yuan)",
            facts=[fact.id],
            expected=0.0,
            actual=fact.value,
        )
    derived = fact.concept.endswith((".share_pct", ".yoy_change_pct"))
    if fact.unit == "%" and not derived and interval.lo > 100:
        return make_flag(
            "range",
            f"{label} {shown}% 超过 100%，请核实",
            f"{label_en}: rate {shown}% is over 100%",
            facts=[fact.id],
            expected=100.0,
            actual=fact.value,
            severity="warning",
        )
    return None


def _is_adjustment(index: FactIndex, fact: Fact) -> bool:
    """A negative 调整预算数 is the adjustment (调减) itself, not a budget below zero."""
    if fact.concept.rpartition(".")[2] in ("adjustment", "adjustments"):
        return True  # 预算调整数: a 调减 is negative by nature
    if fact.concept != "budget.adjusted":
        return False
    initial = index.get("budget.initial", fact.scope, index.key(fact)[2])
    return initial is not None and initial.value + fact.value >= 0


def check_years(index: FactIndex, text: str) -> list[Flag]:
    year = index.fiscal_year
    if year is None:
        return []
    flags = [f for fact in index.record.facts if (f := _fact_year(index, fact, year))]
    flagged = {i for f in flags for i in f.facts}
    flags += [
        f
        for fact in index.record.facts
        if fact.id not in flagged and (f := _sentence_year(index, fact, text))
    ]
    flags += _table_headings(text, year)
    for match in _YEAR_END.finditer(text):
        stated = int(match.group(1))
        if stated != year:
            quote = text[max(0, match.start() - 10) : match.end() + 20].replace("\n", " ")
            flags.append(
                make_flag(
                    "year",
                    f"{year} 年度报告中出现“{match.group()}”：“…{quote}…”，年份疑有误",
                    f"a {year} report dates a year-end position {stated} at offset {match.start()}",
                    expected=float(year),
                    actual=float(stated),
                    severity="warning",
                )
            )
    return flags


def _fact_year(index: FactIndex, fact: Fact, year: int) -> Flag | None:
    if fact.year is None or fact.year == year:
        return None
    if fact.year == year - 1 and (
        _COMPARISON.search(fact.evidence.quote)
        or index.get(fact.concept + ".yoy_change", fact.scope, year)
        or index.get(fact.concept + ".yoy_change_pct", fact.scope, year)
    ):
        return None
    return make_flag(
        "year",
        f"{index.label(fact.concept)} {fact.text} 标为 {fact.year} 年，而报告年度为 {year} 年："
        f"“{fact.evidence.quote[:40]}”",
        f"{index.label_en(fact.concept)} {fact.text} is labelled {fact.year} in a {year} report "
        f"and no comparison with last year explains it",
        facts=[fact.id],
        expected=float(year),
        actual=float(fact.year),
        severity="warning",
    )


def _printed_at(fact: Fact, text: str) -> int | None:
    """Where the fact's number is printed in the text, when its quote sits at its offsets."""
    ev = fact.evidence
    if text[ev.start : ev.end] != ev.quote:
        return None
    number = re.search(r"\d[\d,，.]*", fact.text or "")
    at = ev.quote.find(number.group()) if number else -1
    return ev.start + (at if at >= 0 else 0)


def _sentence_year(index: FactIndex, fact: Fact, text: str) -> Flag | None:
    """A figure whose own sentence names, before it and with no comparison, another year."""
    if is_derived(fact.concept) or fact.evidence.cell is not None:
        return None
    at = _printed_at(fact, text)
    if at is None:
        return None
    left = sentence_start(text, at, _SENTENCE_END)
    before = text[left:at]
    labels = [m for m in _YEAR_LABEL.finditer(before) if "《" not in before[: m.start()][-30:]]
    if not labels:
        return None
    label = labels[-1]
    stated, read_as = int(label.group(1)), index.key(fact)[2]
    if read_as is None or stated == read_as or _COMPARISON.search(before[label.end() :]):
        return None
    same = index.get(fact.concept, fact.scope, stated)
    twin = index.get(fact.concept, fact.scope, read_as)
    note = ""
    if twin is not None and same is None and twin.value == fact.value:
        note = f"，与 {read_as} 年{index.label(fact.concept)}数值相同"
    sentence = text[left : at + len(fact.text or "")].strip()
    return make_flag(
        "year",
        f"{scope_prefix(fact.scope)}“{sentence[-50:]}”：句中标为 {stated} 年，"
        f"该数值却是 {read_as} 年的{index.label(fact.concept)} {fact.text}{note}，年份疑有误",
        f"{index.label_en(fact.concept)} {fact.text} is read as {read_as} but its sentence labels it "
        f"{stated}: '{sentence[-50:]}'",
        facts=[fact.id],
        expected=float(read_as),
        actual=float(stated),
        severity="warning",
    )


def _table_headings(text: str, year: int) -> list[Flag]:
    """Evaluation tables and rubrics headed with another year: one flag per such year."""
    by_year: dict[int, list[str]] = {}
    for match in _TABLE_HEADING.finditer(text):
        stated = int(match.group(1))
        if stated != year and 1990 < stated < 2100:
            by_year.setdefault(stated, []).append(match.group())
    return [
        make_flag(
            "year",
            f"{year} 年度报告所附评价表/指标体系标为 {stated} 年（{len(titles)} 处，"
            f"如“{titles[0]}”），年份疑有误",
            f"a {year} report attaches {len(titles)} evaluation table(s) or rubric(s) headed "
            f"{stated}, e.g. '{titles[0]}'",
            expected=float(year),
            actual=float(stated),
            severity="warning",
        )
        for stated, titles in sorted(by_year.items())
    ]
