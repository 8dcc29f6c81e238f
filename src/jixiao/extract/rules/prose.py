"""Facts stated in sentences: ``本年收入合计416.54万元，其中：…占98.90%``.

Matching is driven by the taxonomy: every concept's label and synonyms (longest first),
the 功能分类 class names, and 类款项 lines ``一般公共服务（201）…（03）…（08）``. Within a
sentence each number is attached to a concept by what stands before it:

* ``占…%`` — a share (``X.share_pct``) of the concept before it; its whole (``of``) is the
  concept named after 占 or else the sentence's head (the concept before 其中);
* ``增加/减少/增长/下降`` — a change from last year (``X.yoy_change`` in 万元, decreases
  negative; ``X.yoy_change_pct`` in %) of the nearest concept before it in the sentence;
* otherwise the nearest concept wording before it in the same clause.

A concept whose clause starts ``比2022年…``/``上年…`` takes that year. Values are taken
as printed; a slip in the report stays a slip for the verifier to flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.document import Document
from jixiao.extract.rules.context import RulesContext
from jixiao.extract.rules.items import NAMED_ITEM_LINE, item_codes
from jixiao.extract.rules.numbers import Quantity, find_quantities
from jixiao.extract.rules.stages import (
    BARE_TOTAL,
    StageWord,
    is_budget_sentence,
    restage,
    signed_adjustment,
    stage_at,
    stage_words,
)
from jixiao.models import Evidence, Fact, Section
from jixiao.taxonomy import Concept, Taxonomy

SENTENCE_END = re.compile(r"[。！？!?\n]")
CLAUSE_END = re.compile(r"[，,；;。！？!?\n]")
SHARE_CUE = re.compile(r"占")
YOY_CUE = re.compile(r"(增加|增长|上升|提高|减少|下降|降低|节约|减)")
DECREASE = ("减少", "下降", "降低", "节约", "减")
#: a comparison that moves the concept after it to another year
PRIOR_CUE = re.compile(
    r"(?:比|较|与|同比|对比)?\s*(?:(?P<year>20\d{2})\s*年度?|(?P<prior>上年度?|上一年度?|去年))"
)
#: what may stand between a concept and its number without weakening the match
CONNECTIVE_WORDS = re.compile(
    r"支出决算数|支出决算|决算数|决算|合计|共计|总计|总额|金额|均为|达到了|达到|为|是|共|计|总|了|约|[\s:：]"
)
MAX_GAP = 15
#: a clause that opens with its comparison: 比2022年…, 较上年度…, 同比…
COMPARISON_OPENING = re.compile(r"\s*(?:比|较|同比)")
_SUFFIXES = (".share_pct", ".yoy_change_pct", ".yoy_change")
#: 类款项 line: 一般公共服务（201）政府办公厅（室）及相关机构事务（03）信访事务（08）
ITEM_LINE = re.compile(
    r"[\u4e00-\u9fff]{2,20}?支?出?[（(](?P<cls>2\d{2})[)）]"
    r"(?:[\u4e00-\u9fff（）()“”、]{2,40}?[（(](?P<kuan>\d{2})[)）])?"
    r"(?:[\u4e00-\u9fff（）()“”、]{2,40}?[（(](?P<xiang>\d{2})[)）])?"
)
#: list item with a project-like title: （1）保安费用：绩效目标为8万元…
LIST_TITLE = re.compile(
    r"^\s*(?:[（(]\d{1,2}[)）]|\d{1,2}[.．、])\s*(?P<title>[^：:，。；]{2,30})[：:]"
)
GENERIC_TITLE = re.compile(
    r"(情况|分析|使用|管理|到位|执行|完成|控制|安排|投入|说明|结论|问题|建议|概况|指标|目标|"
    r"原因|措施|依据|结果|得分|率|度)$|指标|目标|满意"
)
#: counts of staff are printed with 人 or 名
COUNT_UNITS_FOR = {"人": ("人", "名")}
#: 实有 before an 编制 wording means the staff actually in post
ACTUAL_STAFF = {
    "staff.authorized": "staff.actual",
    "staff.authorized_admin": "staff.actual_admin",
    "staff.authorized_institution": "staff.actual_institution",
    "staff.authorized_worker": "staff.actual_worker",
}
#: a generic staff wording in a sentence about the 事业单位 counts that unit's posts
INSTITUTION_STAFF = {
    "staff.authorized": "staff.authorized_institution",
    "staff.actual": "staff.actual_institution",
}
INSTITUTION_SUBJECT = re.compile(r"(?<!行政)事业单位")
#: 其中 parts named like the expenditure split but belonging to the head they follow:
#: 财政拨款支出决算411.94万元，其中：基本支出216.37万元 → fa.fiscal_expenditure.basic
PART_OF_HEAD = {
    ("fa.fiscal_expenditure", "fa.expenditure.basic"): "fa.fiscal_expenditure.basic",
    ("fa.fiscal_expenditure", "fa.expenditure.project"): "fa.fiscal_expenditure.project",
    ("fa.general_budget_expenditure", "fa.expenditure.basic"): "fa.general_budget_basic",
}
#: "全部为一般公共预算财政拨款收入": the figure just given is all of the concept that follows
ALL_OF = re.compile(r"(?:全部|均|全)(?:为|是|来自|属于)$")
#: a label cut short before its number: 卫生健康支,8.36万元
TRUNCATED_LABEL = re.compile(r"支[,，、]$")
#: figures that describe the jurisdiction, not a project, when the paragraph says 全区 …
SURVEY_CONCEPTS = ("eval.satisfaction_rate",)
JURISDICTION_WIDE = re.compile(r"全(?:区|市|县|省|州|旗)|部门|单位")


@dataclass(frozen=True)
class Mention:
    """A concept wording found in the text."""

    concept: str
    start: int
    end: int


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    by_wording: dict[str, str]


_LEXICONS: dict[int, tuple[Taxonomy, _Lexicon]] = {}


def _lexicon(taxonomy: Taxonomy) -> _Lexicon:
    """One alternation of every wording, longest first, so the longest wording wins."""
    cached = _LEXICONS.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    lexicon = _build_lexicon(taxonomy)
    _LEXICONS[id(taxonomy)] = (taxonomy, lexicon)
    return lexicon


def _build_lexicon(taxonomy: Taxonomy) -> _Lexicon:
    by_wording: dict[str, str] = {}
    for concept in taxonomy.concepts.values():
        for wording in concept.wordings:
            # a table row label 其中：财政拨款 would shadow 财政拨款收入 in a sentence
            by_wording.setdefault(re.sub(r"^其中[:：]", "", wording), concept.name)
    for code, name in taxonomy.function_classes.items():
        by_wording.setdefault(name, f"fa.function.{code}")
        stem = name.removesuffix("支出")
        if len(stem) >= 4:
            by_wording.setdefault(stem, f"fa.function.{code}")
    words = sorted(by_wording, key=len, reverse=True)
    return _Lexicon(re.compile("|".join(re.escape(w) for w in words)), by_wording)


def find_mentions(text: str, taxonomy: Taxonomy, offset: int = 0) -> list[Mention]:
    """Concept wordings in `text`, leftmost-longest, 类款项 lines first."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in ITEM_LINE.finditer(text):
        codes = [g for g in (m.group("cls"), m.group("kuan"), m.group("xiang")) if g]
        kind = "item" if len(codes) > 1 else "function"
        mentions.append(
            Mention(f"fa.{kind}.{'.'.join(codes)}", offset + m.start(), offset + m.end())
        )
        taken.append((m.start(), m.end()))
    for m in NAMED_ITEM_LINE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        named = item_codes(
            m.group("cls"), m.group("kuan"), m.group("xiang"), taxonomy.function_classes
        )
        if named:
            mentions.append(
                Mention(f"fa.item.{'.'.join(named)}", offset + m.start(), offset + m.end())
            )
            taken.append((m.start(), m.end()))
    lexicon = _lexicon(taxonomy)
    for m in lexicon.pattern.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        concept = lexicon.by_wording[m.group(0)]
        if concept in ACTUAL_STAFF and "实有" in text[max(0, m.start() - 12) : m.start()]:
            concept = ACTUAL_STAFF[concept]
        mentions.append(Mention(concept, offset + m.start(), offset + m.end()))
    return sorted(mentions, key=lambda x: x.start)


# ---------------------------------------------------------------------------- sections
def deepest_section(sections: list[Section], offset: int) -> Section | None:
    """The innermost section containing `offset` (until `jixiao.segment.section_at` lands)."""
    best: Section | None = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.start >= best.start):
            best = s
    return best


# ---------------------------------------------------------------------------- extraction
def extract_prose_facts(doc: Document, sections: list[Section], ctx: RulesContext) -> list[Fact]:
    """Facts from every sentence of every paragraph (tables are read elsewhere)."""
    facts: list[Fact] = []
    for para in doc.paragraphs:
        text = doc.para_text(para)
        if not re.search(r"\d", text):
            continue
        scope = _list_scope(text)
        previous = para.start
        for s_start, s_end in _spans(text, SENTENCE_END):
            start, end = para.start + s_start, para.start + s_end
            facts.extend(_sentence_facts(doc, sections, ctx, start, end, scope, previous))
            previous = start
    return facts


def _spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in separator.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


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


@dataclass
class _Sentence:
    doc: Document
    start: int
    end: int
    mentions: list[Mention]
    quantities: list[Quantity]
    stages: list[StageWord]
    #: where the previous sentence of the paragraph starts (its subject may carry over)
    previous_start: int | None = None

    def clause_start(self, offset: int) -> int:
        text = self.doc.text[self.start : offset]
        ends = [m.end() for m in CLAUSE_END.finditer(text)]
        return self.start + (ends[-1] if ends else 0)

    def mentions_before(self, offset: int, since: int | None = None) -> list[Mention]:
        lo = self.start if since is None else since
        return [m for m in self.mentions if lo <= m.start and m.end <= offset]

    def head(self) -> Mention | None:
        """The concept a 其中 list belongs to: before 其中, else the first of the sentence."""
        text = self.doc.text[self.start : self.end]
        i = text.find("其中")
        if i >= 0:
            before = self.mentions_before(self.start + i)
            if before:
                return before[-1]
        return self.mentions[0] if self.mentions else None


def _sentence_facts(
    doc: Document,
    sections: list[Section],
    ctx: RulesContext,
    start: int,
    end: int,
    list_scope: str | None,
    previous_start: int | None = None,
) -> list[Fact]:
    text = doc.text[start:end]
    quantities = [q for q in find_quantities(text, start) if _usable(q)]
    if not quantities:
        return []
    mentions = find_mentions(text, ctx.taxonomy, start)
    stages = stage_words(text, start)
    if is_budget_sentence(stages):
        mentions = with_bare_totals(text, start, mentions)
    if not mentions:
        return []
    sentence = _Sentence(doc, start, end, mentions, quantities, stages, previous_start)
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
        glued = next((x for x in out if x.end == start), None)
        if glued is not None:
            out[out.index(glued)] = Mention(glued.concept, glued.start, end)
            continue
        side = "fa.revenue_total" if m.group("side") == "收入" else "fa.expenditure_total"
        out.append(Mention(side, start, end))
    return sorted(out, key=lambda x: x.start)


def _all_of(
    s: _Sentence,
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
        fact = _fact(
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
    s: _Sentence,
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

    share = SHARE_CUE.search(lead)
    if share and q.unit == "%":
        return _share_fact(s, q, clause + share.start(), ctx, sections, list_scope)
    cue = YOY_CUE.search(text[gap_from : q.start])
    if cue and q.unit in ("万元", "%"):
        return _yoy_fact(s, q, cue.group(1), ctx, sections, list_scope)

    if not before_in_clause:
        carried = _carried_mention(s, clause, q)
        if carried is not None:
            year = _year_of(s, carried, ctx)
            return _fact(s, carried.concept, q, carried, ctx, sections, list_scope, 0.7, year)
        return _number_before_concept(s, q, ctx, sections, list_scope)
    mention = before_in_clause[-1]
    if _qualified(s, mention):
        return None
    if previous_end > mention.end:  # a second number for one wording: 分别 lists, ranges
        return None
    confidence = _gap_confidence(text[mention.end : q.start], mention.concept)
    if confidence is None:
        return None
    return _fact(
        s,
        mention.concept,
        q,
        mention,
        ctx,
        sections,
        list_scope,
        confidence,
        year=_year_of(s, mention, ctx),
    )


def _carried_mention(s: _Sentence, clause: int, q: Quantity) -> Mention | None:
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


def _qualified(s: _Sentence, mention: Mention) -> bool:
    """A wording glued to another (``公用经费年初预算数``) is about that other concept's
    budget, not the department's: no taxonomy concept says which, so it is skipped."""
    return any(m.end == mention.start for m in s.mentions)


def _gap_confidence(gap: str, concept: str) -> float | None:
    """How surely a number belongs to the wording before it, from the words between.

    Connectives (为, 决算, 共计 …) keep it sure; a few other characters weaken it; a new
    label (``分别为：处非专项经费``), another number or 分别 break the link.
    """
    if len(gap) > MAX_GAP or re.search(r"\d", gap) or "分别" in gap:
        return None
    residual = CONNECTIVE_WORDS.sub("", gap)
    if not residual.strip():
        return 0.9
    if len(re.findall(r"[\u4e00-\u9fff]", residual)) >= 4 or re.search(r"[：:]", residual):
        return None
    # 财政拨款总支出: a budget wording turned into another measure
    if concept.startswith("budget.") and re.search(r"收入|支出", residual):
        return None
    return 0.7


def _number_before_concept(
    s: _Sentence, q: Quantity, ctx: RulesContext, sections: list[Section], list_scope: str | None
) -> Fact | None:
    """``共11名工作人员``: a count right before the wording it counts."""
    after = [
        m
        for m in s.mentions
        if q.end <= m.start <= q.end + 1 and not CLAUSE_END.search(s.doc.text[q.end : m.start])
    ]
    if not after or q.unit not in ("人", "名"):
        return None
    return _fact(
        s, after[0].concept, q, after[0], ctx, sections, list_scope, 0.7, year=ctx.fiscal_year
    )


def _share_fact(
    s: _Sentence,
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
    fact = _fact(
        s,
        f"{subject[-1].concept}.share_pct",
        q,
        subject[-1],
        ctx,
        sections,
        list_scope,
        confidence,
        year=_year_of(s, subject[-1], ctx),
    )
    if fact is not None:
        fact.of = of
    return fact


def _yoy_fact(
    s: _Sentence,
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
    return _fact(
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


def _compared_subject(s: _Sentence, q: Quantity, ctx: RulesContext) -> list[Mention]:
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


def _year_of(s: _Sentence, mention: Mention, ctx: RulesContext) -> int | None:
    """The year a clause names right before its concept (``比2022年支出决算总额``)."""
    clause = s.clause_start(mention.start)
    lead = s.doc.text[clause : mention.start]
    found = list(PRIOR_CUE.finditer(lead))
    if not found:
        return ctx.fiscal_year
    last = found[-1]
    if last.group("prior"):
        return ctx.fiscal_year - 1 if ctx.fiscal_year else None
    return int(last.group("year"))


def _refine(s: _Sentence, concept: str, mention: Mention, q: Quantity) -> str | None:
    """The concept a wording has in its sentence: its 其中 head, its subject, its stage.

    None when the figure is a budget-stage one with no budget counterpart.
    """
    concept = _part_of_head(s, concept, mention)
    if concept in INSTITUTION_STAFF and INSTITUTION_SUBJECT.search(
        s.doc.text[s.start : mention.start]
    ):
        concept = INSTITUTION_STAFF[concept]
    staged = restage(concept, stage_at(s.stages, q.start))
    return signed_adjustment(staged, q.value) if staged else None


def _part_of_head(s: _Sentence, concept: str, mention: Mention) -> str:
    """A 其中 part takes the head it belongs to (财政拨款支出…其中：基本支出 → its basic)."""
    base = next((c for c in (concept.removesuffix(x) for x in _SUFFIXES) if c != concept), concept)
    suffix = concept[len(base) :]
    at = s.doc.text.find("其中", s.start, mention.start)
    head = s.head()
    if at < 0 or head is None or head.end > at:
        return concept
    part = PART_OF_HEAD.get((head.concept, base))
    return part + suffix if part else concept


def _subject_of(s: _Sentence, mention: Mention) -> str:
    """What the clause says before a wording: its subject (信访部门和责任单位满意率)."""
    return s.doc.text[s.clause_start(mention.start) : mention.start]


def _jurisdiction_wide(concept: Concept, subject: str) -> bool:
    """A survey figure whose subject is the agencies or the whole 区/市/县 (信访部门和责任
    单位满意率均为99.2%) is the department's, even inside a project's report, which often
    copies the department's year summary; 群众对处非工作满意度 stays the project's."""
    return concept.name in SURVEY_CONCEPTS and bool(JURISDICTION_WIDE.search(subject))


def _compatible(concept: Concept | None, q: Quantity) -> bool:
    if concept is None:
        return False
    if concept.kind == "money":
        return q.unit == "万元"
    if concept.kind == "percent":
        return q.unit == "%"
    if concept.kind == "score":
        return q.unit in ("分", "")
    expected = concept.unit or ""
    return q.unit in COUNT_UNITS_FOR.get(expected, (expected,))


def _scope(
    concept: Concept, at: int, sections: list[Section], list_scope: str | None, subject: str
) -> str:
    if concept.scope == "department" or _jurisdiction_wide(concept, subject):
        return "department"
    if list_scope:
        return list_scope
    section = deepest_section(sections, at)
    return section.project if section and section.project else "department"


def _fact(
    s: _Sentence,
    concept_name: str,
    q: Quantity,
    mention: Mention,
    ctx: RulesContext,
    sections: list[Section],
    list_scope: str | None,
    confidence: float,
    year: int | None,
    sign: float = 1.0,
) -> Fact | None:
    refined = _refine(s, concept_name, mention, q)
    if refined is None:
        return None
    concept_name = refined
    concept = ctx.taxonomy.get(concept_name)
    if not _compatible(concept, q):
        return None
    assert concept is not None
    start = min(mention.start, q.start)
    end = max(mention.end, q.end)
    quote = s.doc.text[start:end]
    section = deepest_section(sections, q.start)
    unit = q.unit if concept.kind != "count" else (concept.unit or q.unit)
    return Fact(
        id="",
        concept=concept_name,
        scope=_scope(concept, q.start, sections, list_scope, _subject_of(s, mention)),
        year=year,
        value=sign * q.value,
        unit=unit,
        text=q.printed or q.text,
        evidence=Evidence(quote=quote, start=start, end=end, page=s.doc.page_at(start)),
        section=section.id if section else None,
        origin="rules",
        confidence=confidence,
        decimals=q.decimals,
    )
