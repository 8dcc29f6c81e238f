"""Projects a sentence lists by name with their money, after counting them.

A 部门预算's 绩效目标设置情况 (and many a 决算's) counts the projects that carry
performance targets and then names them: ``编报绩效目标的项目共4个，涉及项目预算资金
598.46万元。其中：中介机构服务费418.80万元，财政业务费10.00万元，…``. No table names
these projects, and their names are no taxonomy wording, so the sentence readers pass
them by. A list is taken only when it checks against the count before it: as many
entries as projects counted, or entries that add up to the amount stated with the
count. Each entry is a project and its budget (`budget.initial`, stage budget_initial).
The wording is data (`vocabulary.yaml`, project_lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jixiao.document import Document
from jixiao.extract.evidence import evidence_at
from jixiao.extract.rules.context import RulesContext
from jixiao.extract.rules.mentions import find_mentions
from jixiao.extract.rules.numbers import Quantity, find_quantities
from jixiao.extract.rules.prose import prose_runs
from jixiao.extract.rules.prose_fact import unit_decision_of
from jixiao.models import Fact, Section
from jixiao.segment.index import deepest_section
from jixiao.vocabulary import load_vocabulary

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


@cache
def _patterns() -> _Patterns:
    words = load_vocabulary().project_lists
    return _Patterns(
        count=re.compile(words["count"]),
        opening=re.compile(words["opening"]),
        separator=re.compile(words["separator"]),
        connective=re.compile(f"{words['connective']}$"),
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
    return facts, names


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
