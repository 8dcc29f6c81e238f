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
from jixiao.vocabulary import alternation, load_vocabulary

_CUES = load_vocabulary().figure_cues
SHARE_CUE = re.compile(alternation(_CUES.share))
#: 完成年初预算的100%, 完成预算的86.44%, 完成全年预算8.92万元的75.4%: the figure before it
#: against its budget (whose amount the cue may print)
COMPLETION_CUE = re.compile(f"(?:{_CUES.completion})$")
#: a stage wording right after 完成 is the budget a completion rate is taken against
#: (完成全年预算8.92万元的75.4%): its figure's base, never the subject of the sentence
COMPLETION_BASE = re.compile(f"(?:{_CUES.completion_base})$")
YOY_CUE = re.compile(f"({alternation(_CUES.change)})")
DECREASE = _CUES.decrease
#: a clause that opens with its comparison: 比2022年…, 较上年度…, 同比…
COMPARISON_OPENING = re.compile(r"\s*" + alternation(_CUES.comparison_opening))


def share_fact(
    s: Sentence,
    q: Quantity,
    cue_at: int,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    clause = s.clause_start(cue_at)
    subject = line_subject(
        s.mentions_before(cue_at, since=s.clause_start(max(clause - 1, s.start)))
    )
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


#: wordings that only name a stage: glued to a line (“三公”经费|预算数), the line is
#: the subject
_STAGE_ONLY = ("budget.initial", "budget.adjusted", "budget.executed")


def line_subject(mentions: list[Mention]) -> list[Mention]:
    """The subject a change or rate is about: a stage wording glued to a statement line
    (…支出年初预算为, “三公”经费预算数为) stands for that line."""
    if len(mentions) < 2:
        return mentions
    last, before = mentions[-1], mentions[-2]
    if (
        last.concept in _STAGE_ONLY
        and before.end == last.start
        and before.concept.startswith("fa.")
    ):
        return [*mentions[:-2], before]
    return mentions


def continued_line(s: Sentence, mention: Mention, ctx: RulesContext) -> Mention | None:
    """In a 部门决算, the statement line an earlier clause named, which a clause opening on
    a bare stage wording continues (“三公”经费财政拨款支出预算9.89万元，实际支出8.09万元，
    完成预算的81.80%: the 实际支出 and the rate are the 三公 line's, not the department's
    budget execution). None elsewhere, and where no earlier clause names a line."""
    if ctx.document_kind != "final_accounts" or mention.concept not in _STAGE_ONLY:
        return None
    clause = s.clause_start(mention.start)
    if s.mentions_before(mention.start, since=clause):
        return None
    earlier = [m for m in s.mentions if m.end <= clause]
    line = next((m for m in reversed(earlier) if m.concept.startswith("fa.")), None)
    if line is None:
        return None
    return Mention(line.concept, mention.start, mention.end, line.scope, line.label)


def completion_fact(
    s: Sentence,
    q: Quantity,
    cue_at: int,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    """``…支出决算为0.88万元，完成年初预算的100%``: the completion rate of the line the
    sentence is about (its last wording before the cue, else the list entry's line)."""
    subject = s.mentions_before(cue_at) or ([s.topic] if s.topic is not None else [])
    if not subject:
        return None
    if s.topic is not None and all(m.concept.startswith("budget.") for m in subject):
        subject = [s.topic]  # 年初预算为…，支出决算为…，完成年初预算的…: the entry's line
    else:
        subject = line_subject(subject)
        continued = continued_line(s, subject[-1], ctx)
        if continued is not None:
            subject = [*subject[:-1], continued]
    # a project's 执行数 against its budget is its execution rate
    budgeted = subject[-1].concept.startswith("budget.")
    return make_fact(
        s,
        "budget.execution_rate" if budgeted else f"{subject[-1].concept}.completion_pct",
        q,
        subject[-1],
        ctx,
        sections,
        list_scope,
        0.85,
        year=ctx.fiscal_year,
    )


def yoy_fact(
    s: Sentence,
    q: Quantity,
    cue: str,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    own = _not_wholes(s.doc.text, s.mentions_before(q.start))
    if not own and s.topic is not None and s.topic.start < s.start:
        subject = [s.topic]  # a sentence about the list entry's 类款项 line
    elif not s.mentions and COMPARED_FRAME.match(s.doc.text, s.start):
        subject = line_subject(_previous_subject(s, ctx))
    else:
        subject = line_subject(_not_wholes(s.doc.text, _compared_subject(s, q, ctx)) or own)
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


#: a wording right after 占 is a share's whole (占本年支出合计的100%), one right after 完成
#: the budget a completion rate is taken against (完成全年预算8.92万元的75.4%): neither is
#: a subject
WHOLE_BEFORE = re.compile(f"(?:{_CUES.whole_before})$")


def _not_wholes(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that may be a change's subject: not the whole a share is taken of
    (一般公共预算财政拨款支出880.45万元，占本年支出合计的100%，较上年增加67.10万元: the
    change is the 一般公共预算 expenditure's, not 本年支出合计's), nor the budget a
    completion rate is taken against (“三公”经费…决算为6.73万元，完成全年预算8.92万元的
    75.4%，比上年决算数减少0.30万元: the change is the 决算's)."""
    return [m for m in mentions if not WHOLE_BEFORE.search(text, max(0, m.start - 4), m.start)]


#: a sentence that opens on its comparison and names no figure of its own:
#: 与2022年度相比，减少96.66万元，下降7.1%。 (its subject is the previous sentence's)
COMPARED_FRAME = re.compile(rf"\s*(?:{_CUES.compared_frame})")


def _previous_subject(s: Sentence, ctx: RulesContext) -> list[Mention]:
    """The wordings of the paragraph's previous sentence, but a share's whole."""
    if s.previous_start is None or s.previous_start >= s.start:
        return []
    text = s.doc.text[s.previous_start : s.start]
    return _not_wholes(s.doc.text, find_mentions(text, ctx.taxonomy, s.previous_start))


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
