"""Projects a sentence lists by name with their money, after counting them.

A 部门预算's 绩效目标设置情况 (and many a 决算's) counts the projects that carry
performance targets and then names them: ``编报绩效目标的项目共4个，涉及项目预算资金
598.46万元。其中：中介机构服务费418.80万元，财政业务费10.00万元，…``. No table names
these projects, and their names are no taxonomy wording, so the sentence readers pass
them by. A list is taken only when it checks against the count before it: as many
entries as projects counted, or entries that add up to the amount stated with the
count. Each entry is a project and its budget (`budget.initial`, stage budget_initial).

Other editions print the list first, one project a numbered line, and count it after:
``1.河道水环境综合治理：2025年预算122.31万元，主要用于…`` … ``上述2个重点项目均已编报绩效
目标，涉及项目预算资金178.73万元。``. There the entry is the line's title before its
colon and the one amount of the clause after it, and the same check against the count
holds. The wording is data (`vocabulary.yaml`, project_lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jixiao.document import Document, lines_above
from jixiao.extract.evidence import evidence_at
from jixiao.extract.rules.context import RulesContext
from jixiao.extract.rules.mentions import find_mentions
from jixiao.extract.rules.numbers import Quantity, find_quantities
from jixiao.extract.rules.prose import prose_runs
from jixiao.extract.rules.prose_fact import unit_decision_of
from jixiao.models import Fact, Section
from jixiao.segment.index import deepest_section
from jixiao.vocabulary import load_vocabulary, numbering_pattern

#: how far after the count its list may open (the rest of the count's sentence)
OPENING_WITHIN = 80
#: a project name: some Chinese, no digits, no sentence punctuation
NAME_CHARS = re.compile(r"[^\d。：:；;，,]{2,40}")
HAN = re.compile(r"[\u4e00-\u9fff]")
#: tolerance per entry when the entries are added up against the stated amount (万元)
SUM_TOLERANCE = 0.006


@dataclass(frozen=True)
class _Patterns:
    count: re.Pattern[str]
    opening: re.Pattern[str]
    separator: re.Pattern[str]
    connective: re.Pattern[str]
    count_above: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    words = load_vocabulary().project_lists
    return _Patterns(
        count=re.compile(words["count"]),
        opening=re.compile(words["opening"]),
        separator=re.compile(words["separator"]),
        connective=re.compile(f"{words['connective']}$"),
        count_above=re.compile(words["count_above"]),
    )


@dataclass(frozen=True)
class ListedProject:
    name: str
    amount: Quantity
    #: where the entry is printed (name and amount)
    start: int


def read_project_lists(
    doc: Document, sections: list[Section], ctx: RulesContext
) -> tuple[list[Fact], list[str]]:
    """The budget facts and names of the projects listed after a count of projects."""
    facts: list[Fact] = []
    names: list[str] = []
    for run_start, run_end in prose_runs(doc):
        text = doc.text[run_start:run_end]
        for listed in _lists_in(text, run_start, ctx):
            for entry in listed:
                if entry.name not in names:
                    names.append(entry.name)
                facts.append(_fact(doc, sections, ctx, entry))
    for listed in _lists_above(doc.text, ctx):
        for entry in listed:
            if entry.name not in names:
                names.append(entry.name)
            facts.append(_fact(doc, sections, ctx, entry))
    facts += _counts_above(doc, sections, ctx)
    return facts, names


def _counts_above(doc: Document, sections: list[Section], ctx: RulesContext) -> list[Fact]:
    """The count a "上述2个重点项目均已编报绩效目标" sentence states, as the count concept
    the taxonomy finds named in it: its number is printed before the wording, where the
    sentence readers do not look for it."""
    facts = []
    for count in _patterns().count_above.finditer(doc.text):
        end = doc.text.find("。", count.end())
        clause = re.split("[，,；;]", doc.text[count.end() : None if end < 0 else end])[0]
        named = [
            (m, concept)
            for m in find_mentions(clause, ctx.taxonomy, count.end(), ctx.item_names)
            if (concept := ctx.taxonomy.get(m.concept)) is not None and concept.kind == "count"
        ]
        if len(named) != 1:
            continue
        mention, concept = named[0]
        section = deepest_section(sections, count.start()) if sections else None
        facts.append(
            Fact(
                id="",
                concept=mention.concept,
                scope="department",
                year=ctx.fiscal_year,
                value=float(count.group("count")),
                unit=concept.default_unit,
                text=count.group(0),
                evidence=evidence_at(doc, count.start(), mention.end),
                section=section.id if section else None,
                origin="rules",
                confidence=0.8,
                decimals=0,
            )
        )
    return facts


#: how many lines above its count a numbered list may reach (wrapped lines included)
LINES_ABOVE = 40


def _lists_above(text: str, ctx: RulesContext) -> list[list[ListedProject]]:
    """Numbered lists a later sentence counts ("上述2个重点项目…涉及项目预算资金178.73万元")."""
    found: list[list[ListedProject]] = []
    for count in _patterns().count_above.finditer(text):
        line_start = text.rfind("\n", 0, count.start()) + 1
        if text[line_start : count.start()].strip():
            continue  # the count opens its sentence on its own line
        sentence_end = text.find("。", count.end())
        between = text[count.end() : len(text) if sentence_end < 0 else sentence_end]
        entries = _numbered_above(text, line_start, ctx)
        if entries and _checks(entries, int(count.group("count")), between):
            found.append(entries)
    return found


def _numbered_above(text: str, end: int, ctx: RulesContext) -> list[ListedProject]:
    """The numbered lines right above `end`, each ``<n>.<name>：…<amount>…``, in order; none
    when a line of the run is no such entry."""
    titled = numbering_pattern("list_title")
    entries: list[ListedProject] = []
    wrapped = ""
    for start, line in lines_above(text, end, LINES_ABOVE):
        title = titled.match(line)
        if title is None:
            at = max(start - 1, 0)
            above = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
            if numbering_pattern("entry_start").match(line) or not above or above[-1] in "。；;":
                break  # a heading, another list's item or a paragraph of its own
            wrapped = line + wrapped
            continue
        entry = _titled_entry(line + wrapped, start, title, ctx)
        if entry is None:
            return []
        entries.append(entry)
        wrapped = ""
    return entries[::-1]


def _titled_entry(
    line: str, start: int, title: re.Match[str], ctx: RulesContext
) -> ListedProject | None:
    name = title.group("title").strip()
    if len(HAN.findall(name)) < 2 or _is_wording(name, ctx):
        return None
    clause = re.split("[，,；;。]", line[title.end() :], maxsplit=1)[0]
    money = [q for q in find_quantities(clause, start + title.end()) if q.is_money]
    if len(money) != 1:
        return None
    return ListedProject(name, money[0], start + title.start("title"))


def _lists_in(text: str, offset: int, ctx: RulesContext) -> list[list[ListedProject]]:
    p = _patterns()
    found: list[list[ListedProject]] = []
    for count in p.count.finditer(text):
        window = text[count.end() : count.end() + OPENING_WITHIN]
        opening = p.opening.search(window)
        if opening is None or p.count.search(window, 0, opening.start()):
            continue
        list_start = count.end() + opening.end()
        list_end = text.find("。", list_start)
        list_end = len(text) if list_end < 0 else list_end
        entries = _entries(text, list_start, list_end, offset, ctx)
        if entries and _checks(entries, int(count.group("count")), window[: opening.start()]):
            found.append(entries)
    return found


def _entries(
    text: str, start: int, end: int, offset: int, ctx: RulesContext
) -> list[ListedProject]:
    """Every entry of the list, or none when one entry is no ``<name><amount>``."""
    p = _patterns()
    entries: list[ListedProject] = []
    at = start
    for part in [*p.separator.split(text[start:end])]:
        part_start = at
        at += len(part) + 1
        stripped = part.strip()
        if not stripped:
            continue
        lead = part_start + (len(part) - len(part.lstrip()))
        quantities = find_quantities(stripped, offset + lead)
        if len(quantities) != 1 or not quantities[0].is_money:
            return []
        amount = quantities[0]
        if stripped[amount.end - offset - lead :].strip():
            return []  # words after the amount: no plain entry
        name = p.connective.sub("", stripped[: amount.start - offset - lead]).strip()
        if not NAME_CHARS.fullmatch(name) or len(HAN.findall(name)) < 2:
            return []
        if _is_wording(name, ctx):
            return []
        entries.append(ListedProject(name, amount, offset + lead))
    return entries


def _is_wording(name: str, ctx: RulesContext) -> bool:
    """A name the taxonomy knows from its start (一般公共预算拨款, 基本支出) is a part of
    the money, not a project."""
    return any(m.start == 0 for m in find_mentions(name, ctx.taxonomy, 0, ctx.item_names))


def _checks(entries: list[ListedProject], count: int, between: str) -> bool:
    """As many entries as counted, or entries adding up to the amount stated with the
    count (涉及项目预算资金598.46万元)."""
    if len(entries) == count:
        return True
    stated = [q for q in find_quantities(between) if q.is_money]
    total = sum(e.amount.value for e in entries)
    return len(stated) == 1 and abs(stated[0].value - total) <= SUM_TOLERANCE * len(entries)


def _fact(doc: Document, sections: list[Section], ctx: RulesContext, entry: ListedProject) -> Fact:
    section = deepest_section(sections, entry.start) if sections else None
    return Fact(
        id="",
        concept="budget.initial",
        scope=entry.name,
        year=ctx.fiscal_year,
        stage="budget_initial",
        value=entry.amount.value,
        unit="万元",
        text=entry.amount.printed or entry.amount.text,
        evidence=evidence_at(doc, entry.start, entry.amount.end),
        section=section.id if section else None,
        origin="rules",
        confidence=0.8,
        decimals=entry.amount.decimals,
        unit_decision=unit_decision_of(entry.amount),
    )
