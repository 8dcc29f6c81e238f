"""Words against figures: a direction a passage states that its own figures contradict.

A 说明 passage states two figures and says how they compare (`claims.py`): "比2023年预算
执行数减少57.14%" (from 60.13 to 25.77), "决算数大于预算数" (164.24 against 158.69), "与
2024年预算持平", or gives the reason in a direction ("主要原因是：…经费增加"). When the
figures go the other way, the wording is the slip: "减少" for a rise, "小于" for a 决算
above its 预算, "持平" for two different figures, "经费增加" for a fall. The figures
are compared with their printed precision, so two figures that round alike are 持平.

A change stated without last year's figure ("“三公”经费预算356600元，同比增加15000元") has
no figure to hold its word to, but its reason says which way the funds went: a reason
that only moves money the other way ("主要原因是…压减公务接待和公务用车运行费用" for an
增加) contradicts the change's word. Which of the two is the slip the text cannot say,
so the flag names both.
"""

from __future__ import annotations

from jixiao.models import Fact, Flag
from jixiao.verify.claims import Amount, Claim
from jixiao.verify.flags import make_flag, short
from jixiao.verify.intervals import Interval
from jixiao.verify.line_names import CHANGE_SUFFIXES, line_of, names_of, related, unquoted
from jixiao.verify.text import sentence_bounds
from jixiao.verify.view import View


def check_wording_numbers(view: View) -> list[Flag]:
    flags: list[Flag] = []
    for claim in view.claims:
        actual = _direction(claim.base, claim.value)
        for word, span in (
            (claim.direction, claim.direction_span),
            (claim.comparison, claim.comparison_span),
            (claim.reason, claim.reason_span),
        ):
            said = view.vocab.direction_of(word) if word else None
            if said is None or span is None or actual is None or said == actual:
                continue
            flags.append(_flag(view, claim, word or "", span, actual))
            break
    return flags + _reasons_against_changes(view)


def _reasons_against_changes(view: View) -> list[Flag]:
    """A change whose reason, the next one its passage gives before another change, moves
    the funds of the changed line or of its parts only the other way."""
    text = view.text
    by_sentence: dict[tuple[int, int], list[Fact]] = {}
    for fact in view.record.facts:
        ev = fact.evidence
        if not fact.concept.endswith(CHANGE_SUFFIXES) or fact.value == 0 or ev.cell is not None:
            continue
        if text[ev.start : ev.end] == ev.quote:
            by_sentence.setdefault(sentence_bounds(text, ev.start, ev.end), []).append(fact)
    sentences = sorted(by_sentence)
    flags = []
    for n, bounds in enumerate(sentences):
        facts = by_sentence[bounds]
        signs = {f.value > 0 for f in facts}
        if len(signs) != 1 or view.vocab.alternatives.search(text, *bounds):
            continue  # 收入增加…，支出减少… or 增加（减少）: which way is not known
        passage_end = next((hi for lo, hi in view.passages if lo <= bounds[0] <= hi), bounds[1])
        limit = max(bounds[1], sentences[n + 1][0] if n + 1 < len(sentences) else passage_end)
        at = max(f.evidence.end for f in facts)
        cue = view.vocab.reason.search(text, at, min(limit, max(passage_end, bounds[1])))
        if cue is None:
            continue
        # what the reason says, after its cue (not the change it names: 支出增加的主要原因是)
        reason = (cue.start(), sentence_bounds(text, cue.start(), cue.end())[1])
        went = _funds_direction(view, facts, reason)
        said = "up" if signs.pop() else "down"
        if went is not None and went != said and not _says(view, said, reason):
            shown = (clause_bounds(text, cue.start(), cue.end(), (at, reason[1]))[0], reason[1])
            flags.append(_reason_flag(view, facts, shown, said, went))
    return flags


def _funds_direction(view: View, facts: list[Fact], reason: tuple[int, int]) -> str | None:
    """The one way the reason moves the funds of the changed line or of its parts (压减公务
    接待和公务用车运行费用: down for the “三公”经费), None when it names none or both."""
    lines = related(view.taxonomy, {line_of(f.concept) for f in facts}, wholes=False)
    names = names_of(view.taxonomy, lines)
    went = set()
    for m in view.vocab.funds_direction.finditer(view.text, *reason):
        clause = unquoted(view.text[slice(*clause_bounds(view.text, m.start(), m.end(), reason))])
        if any(name in clause for name in names):
            went.add(view.vocab.direction_of(m.group("word") or m.group("after")))
    return went.pop() if len(went) == 1 else None


def _says(view: View, direction: str, span: tuple[int, int]) -> bool:
    """Whether the reason has a word of `direction` anywhere (人员增加，同时压减公用经费:
    the increase has its own cause, the cut is a side remark)."""
    words = view.vocab.up if direction == "up" else view.vocab.down
    return any(w in view.text[span[0] : span[1]] for w in words)


def clause_bounds(text: str, start: int, end: int, within: tuple[int, int]) -> tuple[int, int]:
    """The clause (between ，；。) around text[start:end], inside `within`."""
    marks = "，,；;。"
    lo = max((text.rfind(c, within[0], start) for c in marks), default=-1)
    hi = min((i for c in marks if (i := text.find(c, end, within[1])) >= 0), default=within[1])
    return max(lo + 1, within[0]), hi


def _reason_flag(
    view: View, facts: list[Fact], reason: tuple[int, int], said: str, went: str
) -> Flag:
    change = min(facts, key=lambda f: f.evidence.start)
    quote = view.text[reason[0] : reason[1]]
    word, other = view.vocab.shown(said), view.vocab.shown(went)
    return make_flag(
        "wording_number",
        f"{view.page_of(change.evidence.start)}“{short(change.evidence.quote, 40)}”说{word}，"
        f"但其原因“{short(quote, 40)}”说的是经费{other}，两者方向相反",
        f"the change says '{word}' but its reason moves the funds the other way ({went}): "
        f"'{short(quote, 40)}'",
        facts=[f.id for f in facts],
        actual=change.value,
        severity="warning",
        location=[view.at_fact(change), view.at_text(*reason)],
    )


def _direction(base: Amount, value: Amount) -> str | None:
    """up / down / same for value against base, as far as printed precision tells."""
    a = Interval.printed(base.value, base.decimals)
    b = Interval.printed(value.value, value.decimals)
    if b.lo > a.hi:
        return "up"
    if b.hi < a.lo:
        return "down"
    return "same" if base.value == value.value else None


def _flag(view: View, claim: Claim, word: str, span: tuple[int, int], actual: str) -> Flag:
    start, end = span
    quote = view.text[start:end]
    return make_flag(
        "wording_number",
        f"{view.page_of(start)}“{short(quote, 40)}”说{word}，但本段所列 {claim.value.shown} "
        f"对 {claim.base.shown} 实为{view.vocab.shown(actual)}",
        f"the passage says '{word}' but its figures {claim.value.shown} against "
        f"{claim.base.shown} go {actual}",
        expected=claim.base.value,
        actual=claim.value.value,
        severity="warning",
        location=[view.at_text(start, end), view.at_text(claim.base.start, claim.value.end)],
    )
