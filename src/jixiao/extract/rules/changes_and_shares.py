"""Derived wordings: shares (``占…%``) and changes from last year (``增加/减少…``).

``占…%`` is a share (``X.share_pct``) of the concept before it, whose whole (``of``) is
the concept named after 占 or else the sentence's head. ``增加/减少/增长/下降`` is a change
from last year (``X.yoy_change`` in 万元, decreases negative; ``X.yoy_change_pct`` in %)
of the nearest concept before it, or of the subject a comparison clause leaves out.
"""

from __future__ import annotations

import re

from jixiao.extract.rules.context import RulesContext
from jixiao.extract.rules.mentions import Mention, find_mentions
from jixiao.extract.rules.numbers import Quantity
from jixiao.extract.rules.prose_fact import make_fact, year_of
from jixiao.extract.rules.sentence import Sentence
from jixiao.models import Fact, Section

SHARE_CUE = re.compile(r"占")
YOY_CUE = re.compile(r"(增加|增长|上升|提高|减少|下降|降低|节约|减)")
DECREASE = ("减少", "下降", "降低", "节约", "减")
#: a clause that opens with its comparison: 比2022年…, 较上年度…, 同比…
COMPARISON_OPENING = re.compile(r"\s*(?:比|较|同比)")


def share_fact(
    s: Sentence,
    q: Quantity,
    cue_at: int,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    clause = s.clause_start(cue_at)
    subject = s.mentions_before(cue_at, since=s.clause_start(max(clause - 1, s.start)))
    if not subject:
        return None
    named_whole = [m for m in s.mentions if cue_at <= m.start and m.end <= q.start]
    head = s.head()
    whole = named_whole[-1] if named_whole else head
    of = whole.concept if whole and whole.concept != subject[-1].concept else None
    confidence = 0.9 if of else 0.6
    fact = make_fact(
        s,
        f"{subject[-1].concept}.share_pct",
        q,
        subject[-1],
        ctx,
        sections,
        list_scope,
        confidence,
        year=year_of(s, subject[-1], ctx),
    )
    if fact is not None:
        fact.of = of
    return fact


def yoy_fact(
    s: Sentence,
    q: Quantity,
    cue: str,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    subject = _compared_subject(s, q, ctx) or s.mentions_before(q.start)
    if not subject:
        return None
    suffix = "yoy_change_pct" if q.unit == "%" else "yoy_change"
    sign = -1.0 if cue in DECREASE else 1.0
    return make_fact(
        s,
        f"{subject[-1].concept}.{suffix}",
        q,
        subject[-1],
        ctx,
        sections,
        list_scope,
        0.85,
        year=ctx.fiscal_year,
        sign=sign,
    )


def _compared_subject(s: Sentence, q: Quantity, ctx: RulesContext) -> list[Mention]:
    """The subject of a clause that opens with its comparison (``，比2022年年初预算增加…``).

    Such a clause omits its subject and names only the comparison base, often shortened
    (支出年初预算 → 年初预算), so the subject is the wording before the clause: earlier in
    the sentence, else in the paragraph's previous sentence.
    """
    clause = s.clause_start(q.start)
    if not COMPARISON_OPENING.match(s.doc.text[clause : q.start]):
        return []
    before = s.mentions_before(clause)
    if not before and s.previous_start is not None and s.previous_start < s.start:
        text = s.doc.text[s.previous_start : s.start]
        before = find_mentions(text, ctx.taxonomy, s.previous_start)
    return before
