"""Missing reasons: a change from last year stated without the reason the form asks for.

The 部门决算情况说明 form asks, for every figure compared with last year, for the reason
of the change ("主要原因是…"); the 部门预算 form asks it once for the 财政拨款 totals
("财政拨款收入支出增加的主要原因是…") and for each “三公” item. A change is explained when
a reason stands in its sentence or the next one (a PDF's wrapped lines are one
sentence), when a later sentence of the same passage gives the reason of "the increase"
(a back-reference: "…增加的主要原因是"), or when another explained sentence of the
asking sections restates its figures (a total's change explained by its only item). A
change of zero (持平) needs no reason. Only the sections whose form asks are held to it
(`verification.yaml`: reasons.asked_in, by document kind), and in a budget only the
passages of the topics whose form asks in every edition (the “三公” items: reasons.
budget_topics); a budget's totals are asked their reason by some editions, not all. A
warning: the figures may well be right.
"""

from __future__ import annotations

import re

from jixiao.models import Fact, Flag
from jixiao.verify.flags import make_flag, scope_prefix, short
from jixiao.verify.intervals import fact_decimals, fmt
from jixiao.verify.line_names import line_of, names_of, related, unquoted
from jixiao.verify.text import next_sentence, sentence_bounds
from jixiao.verify.view import View

CHANGE_SUFFIXES = (".yoy_change", ".yoy_change_pct")
#: parts of a report whose form asks no reasons: an explanation there is not the 说明's
_OTHER_PARTS = frozenset(
    {"overall_evaluation", "project_evaluation", "self_eval_table", "target_table", "rubric"}
)
#: how far after a change a back-referencing reason may stand (the same passage)
BACK_REFERENCE_CHARS = 800


def check_missing_reasons(view: View) -> list[Flag]:
    kinds = view.vocab.reasons_asked_in.get(view.kind, view.vocab.reasons_asked_in["unknown"])
    spans = [(s.start, s.end) for s in view.record.sections if s.kind in kinds]
    asking = {s.id for s in view.record.sections if s.kind in kinds}
    text = view.text
    by_sentence: dict[tuple[int, int], list[Fact]] = {}
    for fact in view.record.facts:
        if not fact.concept.endswith(CHANGE_SUFFIXES) or fact.value == 0:
            continue
        ev = fact.evidence
        if fact.section not in asking or text[ev.start : ev.end] != ev.quote:
            continue
        bounds = sentence_bounds(text, ev.start, ev.end)
        if view.kind == "budget" and not _budget_topic(view, bounds):
            continue
        by_sentence.setdefault(bounds, []).append(fact)
    flags = []
    for bounds, facts in sorted(by_sentence.items()):
        if _explained(view, bounds) or _referred_back(view, bounds, spans):
            continue
        if _broken_down(view, bounds):
            continue
        if _explained_elsewhere(view, bounds, _printed_numbers(facts), spans):
            continue
        if _explained_in_section(view, bounds, facts):
            continue
        flags.append(_flag(view, facts, bounds))
    return flags


def _budget_topic(view: View, bounds: tuple[int, int]) -> bool:
    """Whether a budget's sentence is about a topic whose reason every edition asks."""
    sentence = view.text[bounds[0] : bounds[1]]
    return any(topic in sentence for topic in view.vocab.budget_reason_topics)


def _explained(view: View, bounds: tuple[int, int]) -> bool:
    """A reason in the sentence or in the one after it."""
    reason = view.vocab.reason
    if reason.search(view.text, bounds[0], bounds[1]):
        return True
    after = next_sentence(view.text, bounds[1])
    return after is not None and bool(reason.search(view.text, *after))


def _explained_in_section(view: View, bounds: tuple[int, int], facts: list[Fact]) -> bool:
    """A reason given once for the section's topic: a sentence of the change's own section
    (its heading's passage) that gives a reason and names the changed line or a whole
    it is part of ("…决算数小于预算数的主要原因是…从严控制“三公”经费支出" covers the
    “三公” items' changes stated below it). A reason naming another line, or none, does
    not."""
    covering = [s for s in view.record.sections if s.start <= bounds[0] < s.end]
    if not covering:
        return False
    section = min(covering, key=lambda s: s.end - s.start)
    lines = related(view.taxonomy, {line_of(f.concept) for f in facts}, wholes=True)
    names = names_of(view.taxonomy, lines)
    text = view.text
    for cue in view.vocab.reason.finditer(text, section.start, section.end):
        if bounds[0] <= cue.start() < bounds[1]:
            continue
        sentence = unquoted(text[slice(*sentence_bounds(text, cue.start(), cue.end()))])
        if any(name in sentence for name in names):
            return True
    return False


def _broken_down(view: View, bounds: tuple[int, int]) -> bool:
    """A total's change followed by its parts ("…减少16.32万元。其中："): the form asks the
    reason of each part, not of the total."""
    after = view.text[bounds[1] : bounds[1] + 6].lstrip("。；;，, \n")
    return after.startswith("其中")


def _referred_back(view: View, bounds: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """A later sentence of the same section gives the reason of "the change"."""
    end = next((hi for lo, hi in spans if lo <= bounds[0] < hi), bounds[1])
    limit = min(end, bounds[1] + BACK_REFERENCE_CHARS)
    return bool(view.vocab.back_reference.search(view.text, bounds[1], limit))


def _printed_numbers(facts: list[Fact]) -> list[str]:
    """The change figures as printed (0.52, 58.43), without sign or unit."""
    return [fmt(abs(f.value), fact_decimals(f)) for f in facts]


def _explained_elsewhere(
    view: View, sentence: tuple[int, int], numbers: list[str], spans: list[tuple[int, int]]
) -> bool:
    """Another sentence of an asking section, or of the passage that follows, states every
    one of these figures, explained (a total's change explained by its only item)."""
    if not numbers:
        return False
    text = view.text
    patterns = [re.compile(rf"(?<![\d.]){re.escape(n)}(?!\.?\d)") for n in numbers]
    for match in patterns[0].finditer(text):
        bounds = sentence_bounds(text, match.start(), match.end())
        if bounds == sentence or not (
            any(lo <= bounds[0] < hi for lo, hi in spans) or _follows(view, sentence, bounds)
        ):
            continue
        other = text[bounds[0] : bounds[1]]
        if all(p.search(other) for p in patterns) and _explained(view, bounds):
            return True
    return False


def _follows(view: View, sentence: tuple[int, int], other: tuple[int, int]) -> bool:
    """`other` comes shortly after `sentence`, in a part of the report that is not an
    evaluation (a 说明's items are often segmented as sections of their own)."""
    if not sentence[1] <= other[0] <= sentence[1] + BACK_REFERENCE_CHARS:
        return False
    covering = [s for s in view.record.sections if s.start <= other[0] < s.end]
    return bool(covering) and not any(s.kind in _OTHER_PARTS for s in covering)


def _flag(view: View, facts: list[Fact], bounds: tuple[int, int]) -> Flag:
    changes = "、".join(
        f"{fmt(f.value, fact_decimals(f))}{f.unit}" for f in sorted(facts, key=lambda f: f.unit)
    )
    sentence = view.text[bounds[0] : bounds[1]]
    return make_flag(
        "missing_reason",
        f"{scope_prefix(facts[0].scope)}{view.page_of(bounds[0])}“{short(sentence)}”说明了与上年"
        f"相比的变动（{changes}），但本句、下一句及本段均未说明变动原因",
        f"a change from last year ({changes}) is stated without a reason in its sentence, the "
        f"next or its passage, where the form asks for one: '{short(sentence)}'",
        facts=[f.id for f in facts],
        actual=facts[0].value,
        severity="warning",
        location=[view.at_text(*bounds)],
    )
