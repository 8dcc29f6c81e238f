"""Facts stated in sentences: ``本年收入合计416.54万元，其中：…占98.90%``.

Every sentence with a number is read on its own. Concept wordings are found by
`mentions`, and each number is attached to a concept by what stands before it:

* ``占…%`` and ``增加/减少/增长/下降`` — a share or a change (`changes_and_shares`);
* otherwise the nearest concept wording before it in the same clause, when only
  connectives (为, 决算, 共计 …) stand between them;
* a clause with no wording of its own may continue one cut short or named before it.

The fact itself (concept refined by its sentence, year, scope, unit check) is built by
`prose_fact`. Values are taken as printed; a slip in the report stays a slip for the
verifier to flag.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jixiao.document import Document, Paragraph
from jixiao.extract.rules.changes_and_shares import (
    COMPARED_FRAME,
    COMPLETION_BASE,
    COMPLETION_CUE,
    SHARE_CUE,
    YOY_CUE,
    completion_fact,
    continued_line,
    share_fact,
    yoy_fact,
)
from jixiao.extract.rules.context import RulesContext
from jixiao.extract.rules.mentions import Mention, find_mentions
from jixiao.extract.rules.numbers import Quantity, find_quantities
from jixiao.extract.rules.prose_fact import COUNT_UNITS_FOR, make_fact, year_of
from jixiao.extract.rules.sentence import CLAUSE_END, Sentence, split_spans
from jixiao.extract.rules.stages import BARE_TOTAL, is_budget_sentence, stage_words
from jixiao.models import Fact, Section
from jixiao.segment.index import deepest_section
from jixiao.statement_tables import load_statement_forms
from jixiao.vocabulary import alternation, load_vocabulary, numbering_pattern

_LINKS = load_vocabulary().prose_links
_YEAR = rf"20\d{{2}}\s*{load_vocabulary().year_word}"
#: what may stand between a concept and its number without weakening the match
CONNECTIVE_WORDS = re.compile(alternation(_LINKS.connectives) + r"|[\s:：]")
#: words between a wording and its figure that break the link (分别为：…)
BREAKING_WORDS = _LINKS.breaking
#: a budget wording whose gap holds one of these is another measure (财政拨款总支出)
BUDGET_MEASURE = re.compile(alternation(_LINKS.budget_measure_words))
MAX_GAP = 15
#: list item with a project-like title: （1）保安费用：绩效目标为8万元…
LIST_TITLE = numbering_pattern("list_title")
#: a list item's title that is a report's heading or an indicator, not a project
_GENERIC = load_vocabulary().generic_list_titles
GENERIC_TITLE = re.compile(
    "(" + "|".join(_GENERIC["endings"]) + ")$|" + "|".join(_GENERIC["anywhere"])
)
#: "全部为一般公共预算财政拨款收入": the figure just given is all of the concept that follows
ALL_OF = re.compile("".join(alternation(group) for group in _LINKS.all_of) + "$")
#: what may precede a 类款项 line that heads its sentence: a list number
LIST_MARKER_ONLY = numbering_pattern("marker_only")
TOPIC_COLON = re.compile(r"\s*[：:]")
#: a label cut short before its number: 卫生健康支,8.36万元
TRUNCATED_LABEL = re.compile(alternation(_LINKS.truncated_endings) + "[,，、]$")
#: where a list starts inside a sentence: after its colon (如下：1、…)
ENTRY_AFTER_COLON = numbering_pattern("entry_after_colon")
#: the year of a count of projects (编报绩效目标的2024年度项目3个)
PROJECTS_WORD = _LINKS.projects_word
YEAR_OF_PROJECTS = re.compile(_YEAR + re.escape(PROJECTS_WORD))
#: a parenthetical aside between a wording and its figure
ASIDE = re.compile(r"[（(][^（）()\d]{1,20}[)）]")
#: a PDF line this long that stops mid-sentence was wrapped, not ended
WRAPPED_LINE_MIN = 30
SENTENCE_FINAL = ("。", "！", "？", "!", "?")
#: sentence ends inside a run of wrapped lines (the line breaks are not)
RUN_SENTENCE_END = re.compile(r"[。！？!?]")
#: a list entry's number: 1. 1、 （一） 一、 (not 28.89% wrapped onto a new line)
ENTRY_START = numbering_pattern("entry_start")
LEADING_QUOTE = re.compile(r"[“\"「『]\s*")
#: how much of an entry's start is searched for its 类款项 line
ITEM_HEAD = 120
#: what an entry opening with a 类款项 line shows: （类）, a 类 code in brackets, 科目
ITEM_HINT = re.compile(
    rf"[（(]\s*(?:{re.escape(_LINKS.item_class_word)}|2\d{{2}})\s*[)）]|"
    + alternation(_LINKS.item_words)
)
#: a year in a clause, which is no figure of its own
YEAR_WORD = re.compile(_YEAR)
#: wordings that only say a figure's stage when glued to a line (…支出年初预算为)
STAGE_WORDINGS = frozenset({"budget.initial", "budget.adjusted", "budget.executed"})
#: a 部门预算's own wordings of its lines (支出预算 is the budget's 支出, fa.expenditure_total)
BUDGET_DOC_LINES = {"budget.initial_expenditure": "fa.expenditure_total"}
#: the budget sentence's bare 收入/支出 (with_bare_totals)
BARE_SIDES = ("fa.revenue_total", "fa.expenditure_total")


def extract_prose_facts(doc: Document, sections: list[Section], ctx: RulesContext) -> list[Fact]:
    """Facts from every sentence of every paragraph (tables are read elsewhere).

    A list entry that opens with a 类款项 line (1.“…（类）…（款）…（项）”科目43.83万元)
    governs the sentences after it, across the lines a PDF wraps it into, until the next
    entry or heading: their figures (年初预算为…，支出决算为…, 2023年当年预算执行数为…)
    are that line's, not the department's.
    """
    facts: list[Fact] = []
    carried: Mention | None = None
    for run_start, run_end in prose_runs(doc):
        text = doc.text[run_start:run_end]
        lead = _leading_item(text, run_start, ctx, sections)
        if lead is not None:
            carried = lead
        elif ENTRY_START.match(text):
            carried = None
        if not re.search(r"\d", text):
            continue
        scope = _list_scope(text)
        previous = run_start
        for s_start, s_end in split_spans(text, RUN_SENTENCE_END):
            start, end = run_start + s_start, run_start + s_end
            facts.extend(_sentence_facts(doc, sections, ctx, start, end, scope, previous, carried))
            inner = _entry_inside(doc, start, end, ctx, sections)
            if inner is not None:
                carried = inner
            previous = start
    return facts


def _entry_inside(
    doc: Document, start: int, end: int, ctx: RulesContext, sections: list[Section]
) -> Mention | None:
    """A list entry opened inside a sentence (…支出具体情况如下：1、XX（类）XX（款）XX（项）。):
    the sentences after it are that line's."""
    text = doc.text[start:end]
    for m in ENTRY_AFTER_COLON.finditer(text):
        found = _leading_item(text[m.end() :], start + m.end(), ctx, sections)
        if found is not None:
            return found
    return None


def prose_runs(doc: Document) -> list[tuple[int, int]]:
    """Spans of prose to read sentence by sentence: a paragraph, or in a PDF the lines a
    sentence was wrapped into (a long line that stops without its sentence's end, then a
    line that starts no new entry: "…2023年当年预算执行数为" / "348.52万元，…")."""
    runs: list[tuple[int, int]] = []
    open_run: tuple[int, int] | None = None
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            if open_run is not None:
                runs.append(open_run)
            open_run = None
            continue
        text = doc.text[block.start : block.end]
        if (
            open_run is not None
            and doc.format == "pdf"
            and _wraps_into(doc.text[open_run[0] : open_run[1]], text)
        ):
            open_run = (open_run[0], block.end)
            continue
        if open_run is not None:
            runs.append(open_run)
        open_run = (block.start, block.end)
    if open_run is not None:
        runs.append(open_run)
    return runs


def _wraps_into(previous: str, line: str) -> bool:
    last = previous.rsplit("\n", 1)[-1].rstrip()
    return (
        len(last) >= WRAPPED_LINE_MIN
        and not last.endswith(SENTENCE_FINAL)
        and bool(line.strip())
        and ENTRY_START.match(line) is None
    )


def _leading_item(
    text: str, offset: int, ctx: RulesContext, sections: list[Section]
) -> Mention | None:
    """The 类款项 line a list entry opens with (after its number and an opening quote),
    measured as the fund its section is about (政府性基金 … → fa.gov_fund_expenditure)."""
    marker = ENTRY_START.match(text)
    if marker is None or not ITEM_HINT.search(text, marker.end(), marker.end() + ITEM_HEAD):
        return None
    head = LEADING_QUOTE.match(text, marker.end())
    at = head.end() if head else marker.end()
    found = find_mentions(text[at : at + ITEM_HEAD], ctx.taxonomy, offset + at, ctx.item_names)
    first = found[0] if found else None
    if first is None or first.start != offset + at or not first.concept.startswith("fa.function."):
        return None
    measure = _section_measure(sections, offset)
    if measure is not None and first.scope is not None:
        return Mention(measure, first.start, first.end, first.scope, first.label)
    return first


def _section_measure(sections: list[Section], offset: int) -> str | None:
    """The fund a section (or one around it) is about, when its title names one."""
    measures = load_statement_forms().item_section_measures
    section = deepest_section(sections, offset) if sections else None
    by_id = {s.id: s for s in sections} if section is not None else {}
    while section is not None:
        found = next((c for word, c in measures.items() if word in section.title), None)
        if found is not None:
            return found
        section = by_id.get(section.parent) if section.parent else None
    return None


def _only_stage_wordings(mentions: list[Mention]) -> bool:
    """A sentence naming no line of its own: only stage wordings (年初预算, 执行数 …)
    and the bare 收入/支出 of a budget sentence."""
    return all(m.concept.startswith("budget.") or m.concept in BARE_SIDES for m in mentions)


def _list_scope(text: str) -> str | None:
    """The title of a list item such as ``（1）保安费用：…`` when it looks like a project.

    Generic headings (资金使用, 产出指标完成情况 …) and indicator names (群众满意度,
    项目完成及时率 …) are not projects.
    """
    m = LIST_TITLE.match(text)
    if not m:
        return None
    title = m.group("title").strip()
    if GENERIC_TITLE.search(title):
        return None
    return title


def _sentence_facts(
    doc: Document,
    sections: list[Section],
    ctx: RulesContext,
    start: int,
    end: int,
    list_scope: str | None,
    previous_start: int | None = None,
    carried: Mention | None = None,
) -> list[Fact]:
    text = doc.text[start:end]
    quantities = [q for q in find_quantities(text, start, wrapped=True) if _usable(q)]
    if not quantities:
        return []
    mentions = find_mentions(text, ctx.taxonomy, start, ctx.item_names, wrapped=True)
    stages = stage_words(text, start)
    if is_budget_sentence(stages):
        mentions = with_bare_totals(text, start, mentions)
    topic = _item_topic(doc, start, mentions) if mentions else None
    if topic is not None:
        mentions = [topic]
    elif carried is not None and carried.start < start and _only_stage_wordings(mentions):
        topic, mentions = carried, []
    elif carried is not None and mentions and mentions[0] == carried:
        topic = carried  # the entry's own first sentence: its line is its subject
    if not mentions and topic is None and not COMPARED_FRAME.match(doc.text, start):
        return []
    sentence = Sentence(doc, start, end, mentions, quantities, stages, previous_start, topic)
    read: list[tuple[Quantity, Fact]] = []
    previous_end = start
    for q in quantities:
        if any(m.start <= q.start < m.end for m in mentions):
            continue
        fact = _attach(sentence, q, previous_end, ctx, sections, list_scope)
        previous_end = q.end
        if fact is not None:
            read.append((q, fact))
    facts = [f for _, f in read]
    return facts + _all_of(sentence, read, ctx, sections, list_scope)


def _item_topic(doc: Document, start: int, mentions: list[Mention]) -> Mention | None:
    """A 类款项 line opening its sentence with a colon: what the whole sentence is about.

    ``1.社会保障和就业支出（208）…（05）：年初预算为300万元，支出决算为290万元``: the budget
    and 决算 wordings after it describe that line, not the department's totals, so the
    line is the sentence's only concept and its 决算 figure is the line's amount.
    """
    first = mentions[0]
    if not first.concept.startswith(("fa.item.", "fa.function.")):
        return None
    if not LIST_MARKER_ONLY.fullmatch(doc.text[start : first.start]):
        return None
    return first if TOPIC_COLON.match(doc.text, first.end) else None


def with_bare_totals(text: str, offset: int, mentions: list[Mention]) -> list[Mention]:
    """A budget sentence's bare 收入/支出 as concept wordings (调整预算后，收入为494.03万元).

    Glued to a wording before it (调整预算数总支出, 其他资金支出), the word only says
    which side that wording is on, so it extends that wording instead.
    """
    out = list(mentions)
    for m in BARE_TOTAL.finditer(text):
        start, end = offset + m.start(), offset + m.end()
        if any(x.start < end and start < x.end for x in out):
            continue
        # …支出年初预算为1.20万元，支出决算为0.88万元: the same line's 决算, not the total
        if text.startswith("决算", m.end()) and any(
            x.end <= start and x.concept.startswith("fa.") for x in out
        ):
            continue
        glued = next((x for x in out if x.end == start), None)
        if glued is not None:
            out[out.index(glued)] = Mention(glued.concept, glued.start, end)
            continue
        side = "fa.revenue_total" if m.group("side") == "收入" else "fa.expenditure_total"
        out.append(Mention(side, start, end))
    return sorted(out, key=lambda x: x.start)


def _all_of(
    s: Sentence,
    read: list[tuple[Quantity, Fact]],
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> list[Fact]:
    """``收入是346.38万元，全部为一般公共预算财政拨款收入``: the figure is also that concept's."""
    out: list[Fact] = []
    for mention in s.mentions:
        clause = s.clause_start(mention.start)
        if not ALL_OF.search(s.doc.text[clause : mention.start]):
            continue
        before = [(q, f) for q, f in read if q.end <= clause and q.unit == "万元"]
        if not before or before[-1][1].concept == mention.concept:
            continue
        q = before[-1][0]
        fact = make_fact(
            s, mention.concept, q, mention, ctx, sections, list_scope, 0.7, ctx.fiscal_year
        )
        if fact is not None:
            out.append(fact)
    return out


def _usable(q: Quantity) -> bool:
    """Drop dates and codes: 2023年, 12月, (201)."""
    if q.unit in ("年", "月", "日", "周"):
        return False
    return not (q.unit == "" and q.value >= 1900 and q.decimals == 0)


def _attach(
    s: Sentence,
    q: Quantity,
    previous_end: int,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    text = s.doc.text
    clause = s.clause_start(q.start)
    before_in_clause = s.mentions_before(q.start, since=clause)
    gap_from = max(previous_end, before_in_clause[-1].end if before_in_clause else clause)
    lead = text[clause : q.start]

    done = COMPLETION_CUE.search(lead)
    if done and q.unit == "%":
        return completion_fact(s, q, clause + done.start(), ctx, sections, list_scope)
    share = SHARE_CUE.search(lead)
    if share and q.unit == "%":
        return share_fact(s, q, clause + share.start(), ctx, sections, list_scope)
    cue = YOY_CUE.search(text[gap_from : q.start])
    if cue and q.unit in ("万元", "%"):
        return yoy_fact(s, q, cue.group(1), ctx, sections, list_scope)

    if s.topic is not None:
        return _topic_fact(s, q, clause, ctx, sections, list_scope)
    if not before_in_clause:
        carried = _carried_mention(s, clause, q)
        if carried is not None:
            year = year_of(s, carried, ctx)
            return make_fact(s, carried.concept, q, carried, ctx, sections, list_scope, 0.7, year)
        return _number_before_concept(s, q, ctx, sections, list_scope)
    mention = before_in_clause[-1]
    if _qualified(s, mention):
        head = _staged_head(s, mention)
        if head is None:
            return None
        mention = head  # 一般公共预算财政拨款支出年初预算为…: that line, at that stage
    elif ctx.is_budget and mention.concept in BUDGET_DOC_LINES:
        mention = Mention(BUDGET_DOC_LINES[mention.concept], mention.start, mention.end)
    elif mention.concept in STAGE_WORDINGS and COMPLETION_BASE.search(
        text, max(clause, mention.start - 3), mention.start
    ):
        # 支出决算为6.73万元，完成全年预算8.92万元的75.4%: that line's budget, at its stage
        line = _line_before(s, clause)
        if line is None:
            return None
        mention = Mention(line.concept, mention.start, mention.end, line.scope, line.label)
    elif (continued := continued_line(s, mention, ctx)) is not None:
        mention = continued  # a 决算's 预算…，实际支出…: the line's 决算
    elif ctx.is_budget and mention.concept in STAGE_WORDINGS:
        line = _line_before(s, clause)
        if line is None:
            return None  # a bare 执行数 of no line is no budget figure of the department
        mention = Mention(line.concept, mention.start, mention.end, line.scope, line.label)
    if previous_end > mention.end:  # a second number for one wording: 分别 lists, ranges
        return None
    confidence = _gap_confidence(text[mention.end : q.start], mention.concept)
    if confidence is None:
        return None
    return make_fact(
        s,
        mention.concept,
        q,
        mention,
        ctx,
        sections,
        list_scope,
        confidence,
        year=year_of(s, mention, ctx),
    )


def _line_before(s: Sentence, clause: int) -> Mention | None:
    """The statement line an earlier clause of a budget's sentence named, which a clause
    holding only a stage wording continues (“三公”经费预算2.5万元，上年执行数2.1万元):
    the figure is that line's at the wording's stage, not a budget.* figure."""
    earlier = [m for m in s.mentions if m.end <= clause and m.start >= s.start]
    return next((m for m in reversed(earlier) if m.concept.startswith("fa.")), None)


def _carried_mention(s: Sentence, clause: int, q: Quantity) -> Mention | None:
    """The wording a clause with none of its own continues, in two printed shapes.

    * a label cut short before its number, ``卫生健康支,8.36万元``: the 功能分类 name
      ends right before 支 and punctuation that split the clause;
    * ``公用经费年初预算数为22.32万元，年末决算数为21.24万元``: the 决算 clause reports the
      same item (公用经费) as the budget clause before it.
    """
    text = s.doc.text
    lead = text[clause : q.start]
    if not CONNECTIVE_WORDS.sub("", lead).strip():
        cut = TRUNCATED_LABEL.search(text[s.start : clause])
        if cut is not None:
            label_end = s.start + cut.start()
            found = [m for m in s.mentions if m.end == label_end]
            if found and found[-1].concept.startswith("fa.function."):
                return found[-1]
    if "决算" in lead and not re.search(r"\d", lead):
        earlier = [m for m in s.mentions if m.end <= clause]
        for budget in reversed(earlier):
            item = next((m for m in earlier if m.end == budget.start), None)
            if budget.concept.startswith("budget.") and item and item.concept.startswith("fa."):
                return item
    return None


def _topic_fact(
    s: Sentence,
    q: Quantity,
    clause: int,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
) -> Fact | None:
    """An amount of a sentence about one 类款项 line is the line's, whatever its stage
    (年初预算为…，支出决算为…); a year in its clause dates it (2023年当年预算执行数为…),
    any other number between the line and it (a second amount, a count) breaks the link."""
    topic = s.topic
    assert topic is not None
    lead = s.doc.text[max(clause, topic.end) : q.start]
    if re.search(r"\d", YEAR_WORD.sub("", lead)):
        return None
    if q.unit == "" and q.decimals == 2:
        # 2023年当年预算执行数为20.00。: the entry's other amounts say 万元
        q = replace(q, unit="万元")
    if q.unit != "万元":
        return None
    confidence = 0.9 if topic.start >= s.start else 0.8
    return make_fact(
        s, topic.concept, q, topic, ctx, sections, list_scope, confidence, ctx.fiscal_year
    )


def _staged_head(s: Sentence, mention: Mention) -> Mention | None:
    """The statement line a stage wording is glued to (一般公共预算财政拨款支出|年初预算),
    when the wording only says the figure's stage: the figure is that line's, at that
    stage (a 决算 report's restage then decides whether the budget has such a line)."""
    if mention.concept not in STAGE_WORDINGS:
        return None
    head = next((m for m in s.mentions if m.end == mention.start), None)
    if head is None or not head.concept.startswith("fa.") or head.scope is not None:
        return None
    return Mention(head.concept, head.start, mention.end)


def _qualified(s: Sentence, mention: Mention) -> bool:
    """A wording glued to another (``公用经费年初预算数``) is about that other concept's
    budget, not the department's: no taxonomy concept says which, so it is skipped."""
    return any(m.end == mention.start for m in s.mentions)


def _gap_confidence(gap: str, concept: str) -> float | None:
    """How surely a number belongs to the wording before it, from the words between.

    Connectives (为, 决算, 共计 …) keep it sure; a few other characters weaken it; a new
    label (``分别为：处非专项经费``), another number or 分别 break the link.
    """
    gap = ASIDE.sub("", gap)  # 政府采购金额（以合同签订为准）为…: an aside says nothing
    gap = YEAR_OF_PROJECTS.sub(PROJECTS_WORD, gap)  # 绩效自评的2024年度项目3个
    if len(gap) > MAX_GAP or re.search(r"\d", gap) or any(w in gap for w in BREAKING_WORDS):
        return None
    residual = CONNECTIVE_WORDS.sub("", gap)
    if not residual.strip():
        return 0.9
    if len(re.findall(r"[\u4e00-\u9fff]", residual)) >= 4 or re.search(r"[：:]", residual):
        return None
    # 财政拨款总支出: a budget wording turned into another measure
    if concept.startswith("budget.") and BUDGET_MEASURE.search(residual):
        return None
    return 0.7


def _counts_in(ctx: RulesContext, concept: str, q: Quantity) -> bool:
    """The count's unit is one the concept is counted in (人/名 for staff, 个 for projects)."""
    known = ctx.taxonomy.get(concept)
    if known is None or known.kind != "count":
        return q.unit in ("人", "名")
    return q.unit in COUNT_UNITS_FOR.get(known.unit or "", (known.unit or "",))


def _number_before_concept(
    s: Sentence, q: Quantity, ctx: RulesContext, sections: list[Section], list_scope: str | None
) -> Fact | None:
    """``共11名工作人员``, ``3个项目开展了绩效自评``: a count right before the wording it
    counts, in a unit that wording's concept counts in."""
    after = [
        m
        for m in s.mentions
        if q.end <= m.start <= q.end + 1 and not CLAUSE_END.search(s.doc.text[q.end : m.start])
    ]
    if not after or not _counts_in(ctx, after[0].concept, q):
        return None
    return make_fact(
        s, after[0].concept, q, after[0], ctx, sections, list_scope, 0.7, year=ctx.fiscal_year
    )
