"""Missing reasons: a stated change from last year with no reason where the template asks.

The 部门决算情况说明 template asks, for every figure compared with last year, for the
reason of the change ("主要原因是…"). The reason sits in the same sentence or the next
one; a change stated without any is a gap reviewers flag (a warning: the numbers may be
right). Only changes stated in 决算情况说明 sections are held to it, since other
templates do not ask; a change of zero (持平) needs no reason. A summary that restates a
change explained elsewhere (the 三公 total's −0.52万元 / −58.43%, explained where its only
item, 公务接待费, gives the same figures) is not a gap either.
"""

from __future__ import annotations

import re

from jixiao.models import Fact, Flag, Record
from jixiao.verify.flags import make_flag, scope_prefix
from jixiao.verify.intervals import fact_decimals, fmt
from jixiao.verify.sentences import sentence_end, sentence_start

_REASON = re.compile(
    r"原因|由于|因为|主要是|主要系|系(?:因|由于)|导致|所致|致使|用于|受[\u4e00-\u9fff]{1,12}影响"
    r"|因(?!公)[\u4e00-\u9fff]"
)
_SENTENCE_END = "。！？!?\n"
CHANGE_SUFFIXES = (".yoy_change", ".yoy_change_pct")
#: section kinds whose template asks for the reason of every change
ASKING_KINDS = frozenset({"final_accounts"})


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from the last sentence end before to the next one."""
    return sentence_start(text, start, _SENTENCE_END), sentence_end(text, end, _SENTENCE_END)


def _next_sentence(text: str, end: int) -> str:
    """The sentence after the one ending at `end` (the next line when the sentence ends one)."""
    if end >= len(text):
        return ""
    left, right = _sentence_bounds(text, end + 1, end + 1)
    return text[left:right]


def _asking_sections(record: Record) -> set[str]:
    return {s.id for s in record.sections if s.kind in ASKING_KINDS}


def check_missing_reasons(record: Record, text: str) -> list[Flag]:
    asking = _asking_sections(record)
    by_sentence: dict[tuple[int, int], list[Fact]] = {}
    for fact in record.facts:
        if not fact.concept.endswith(CHANGE_SUFFIXES) or fact.value == 0:
            continue
        if fact.section not in asking or text[fact.evidence.start : fact.evidence.end] != (
            fact.evidence.quote
        ):
            continue
        bounds = _sentence_bounds(text, fact.evidence.start, fact.evidence.end)
        by_sentence.setdefault(bounds, []).append(fact)
    spans = [(s.start, s.end) for s in record.sections if s.id in asking]
    flags = []
    for (left, right), facts in sorted(by_sentence.items()):
        if _explained(text, left, right):
            continue
        if _explained_elsewhere(text, (left, right), _printed_numbers(facts), spans):
            continue
        flags.append(_flag(facts, text[left:right].strip()))
    return flags


def _explained(text: str, left: int, right: int) -> bool:
    """A reason in the sentence [left, right) or in the one after it."""
    return bool(_REASON.search(text[left:right]) or _REASON.search(_next_sentence(text, right)))


def _printed_numbers(facts: list[Fact]) -> list[str]:
    """The change figures as printed (0.52, 58.43), without sign or unit."""
    return [fmt(abs(f.value), fact_decimals(f)) for f in facts]


def _explained_elsewhere(
    text: str, sentence: tuple[int, int], numbers: list[str], spans: list[tuple[int, int]]
) -> bool:
    """Another sentence of an asking section states every one of these figures, explained."""
    if not numbers:
        return False
    patterns = [re.compile(rf"(?<![\d.]){re.escape(n)}(?!\.?\d)") for n in numbers]
    for match in patterns[0].finditer(text):
        bounds = _sentence_bounds(text, match.start(), match.end())
        if bounds == sentence or not any(lo <= bounds[0] < hi for lo, hi in spans):
            continue
        other = text[bounds[0] : bounds[1]]
        if all(p.search(other) for p in patterns) and _explained(text, *bounds):
            return True
    return False


def _flag(facts: list[Fact], sentence: str) -> Flag:
    changes = "、".join(
        f"{fmt(f.value, fact_decimals(f))}{f.unit}" for f in sorted(facts, key=lambda f: f.unit)
    )
    quote = sentence if len(sentence) <= 60 else sentence[:60] + "…"
    return make_flag(
        "missing_reason",
        f"{scope_prefix(facts[0].scope)}与上年相比变动 {changes}，本句及下一句未说明变动原因"
        f"（决算情况说明要求写明“主要原因是…”）：“{quote}”",
        f"a change from last year ({changes}) is stated without a reason in its sentence or "
        f"the next, where the final-accounts template asks for one: '{quote}'",
        facts=[f.id for f in facts],
        actual=facts[0].value,
        severity="warning",
    )
