"""One prose fact from a number and the concept wording it belongs to.

The wording alone does not fix the concept: a 其中 part takes its head (财政拨款支出…其中：
基本支出 → its basic), a generic staff count in a sentence about the 事业单位 counts that
unit's posts, and a budget-stage sentence turns a 决算 concept into its budget
counterpart. The year comes from a comparison opening the clause (比2022年…), the scope
from the section or list item, and a number whose unit does not fit the concept is no fact.
"""

from __future__ import annotations

import re

from jixiao.extract.evidence import evidence_at
from jixiao.extract.rules.context import RulesContext
from jixiao.extract.rules.mentions import Mention
from jixiao.extract.rules.numbers import MONEY_UNITS, Quantity
from jixiao.extract.rules.sentence import Sentence
from jixiao.extract.rules.stages import (
    FACT_STAGE,
    budget_concept_stage,
    restage,
    signed_adjustment,
    stage_at,
)
from jixiao.models import Fact, Section, UnitDecision
from jixiao.segment.index import deepest_section
from jixiao.taxonomy import Concept
from jixiao.vocabulary import alternation, load_vocabulary

_DATING = load_vocabulary().figure_dating
_YEAR_WORD = load_vocabulary().year_word
_PRIOR = alternation(_DATING.prior_year, escape=False)
_NOT_COMPARED = f"(?<![{re.escape(_DATING.comparison_chars)}])"
#: a comparison that moves the concept after it to another year
PRIOR_CUE = re.compile(
    f"{alternation(_DATING.comparison)}?"
    rf"\s*(?:(?P<year>20\d{{2}})\s*{_YEAR_WORD}|(?P<prior>{_PRIOR}))"
)
_SUFFIXES = (".share_pct", ".yoy_change_pct", ".yoy_change", ".completion_pct")
#: counts of staff are printed with 人 or 名
COUNT_UNITS_FOR = _DATING.count_units
#: a generic staff wording in a sentence about the 事业单位 counts that unit's posts
INSTITUTION_STAFF = {
    "staff.authorized": "staff.authorized_institution",
    "staff.actual": "staff.actual_institution",
}
INSTITUTION_SUBJECT = re.compile(_DATING.institution_subject)
#: 其中 parts named like the expenditure split but belonging to the head they follow:
#: 财政拨款支出决算411.94万元，其中：基本支出216.37万元 → fa.fiscal_expenditure.basic
PART_OF_HEAD = {
    ("fa.fiscal_expenditure", "fa.expenditure.basic"): "fa.fiscal_expenditure.basic",
    ("fa.fiscal_expenditure", "fa.expenditure.project"): "fa.fiscal_expenditure.project",
    ("fa.general_budget_expenditure", "fa.expenditure.basic"): "fa.general_budget_basic",
}
#: figures that describe the jurisdiction, not a project, when the paragraph says 全区 …
SURVEY_CONCEPTS = ("eval.satisfaction_rate",)
#: (the agencies: 部门, 责任单位, 各单位 — not a project's 受益单位 or 服务单位)
JURISDICTION_WIDE = re.compile(_DATING.jurisdiction_wide)


#: a sentence opening on the year before as its frame, a clause of no figure
#: (上年度部门预算中，公务接待费1.2万元): every figure after it is that year's
#: the document's own year, named after such a frame (…，本年收入预算500万元)
CURRENT_YEAR_WORD = re.compile(alternation(_DATING.current_year))
PRIOR_FRAME = re.compile(
    rf"\s*{alternation(_DATING.frame_openers)}?{_PRIOR}[^，,。；;\d]{{0,16}}[，,]"
)


def year_of(s: Sentence, mention: Mention, ctx: RulesContext) -> int | None:
    """The year a clause names right before its concept (``比2022年支出决算总额``), else
    the year the sentence opens on as its frame (``上年度部门预算中，…``)."""
    clause = s.clause_start(mention.start)
    lead = s.doc.text[clause : mention.start]
    found = list(PRIOR_CUE.finditer(lead))
    if not found:
        framed = PRIOR_FRAME.match(s.doc.text, s.start)
        if (
            framed is not None
            and framed.end() <= clause
            and ctx.fiscal_year is not None
            and not CURRENT_YEAR_WORD.search(s.doc.text, framed.end(), mention.end)
        ):
            return ctx.fiscal_year - 1
        return ctx.fiscal_year
    last = found[-1]
    if last.group("prior"):
        return ctx.fiscal_year - 1 if ctx.fiscal_year else None
    return int(last.group("year"))


def _refine(
    s: Sentence, concept: str, mention: Mention, q: Quantity, ctx: RulesContext
) -> str | None:
    """The concept a wording has in its sentence: its 其中 head, its subject, its stage.

    In a 决算 or an evaluation report a budget-stage figure of a 决算 line becomes its
    budget.* counterpart (None when it has none); in a 部门预算 every line is a budget
    line, so the concept stays and the stage says which cycle it is.
    """
    concept = _part_of_head(s, concept, mention)
    if concept in INSTITUTION_STAFF and INSTITUTION_SUBJECT.search(
        s.doc.text[s.start : mention.start]
    ):
        concept = INSTITUTION_STAFF[concept]
    paired = _paired(s, concept, mention)
    if paired is None:
        return None
    concept = paired
    if ctx.is_budget or mention.scope is not None:
        return concept
    staged = restage(concept, stage_at(s.stages, q.start))
    return signed_adjustment(staged, q.value) if staged else None


#: a year stated between a wording and its figure (2023年当年预算执行数为60.13万元), not a
#: date (截至2024年8月31日) and not a comparison's base (比2023年…)
CLAUSE_YEAR = re.compile(
    rf"{_NOT_COMPARED}(20\d{{2}})\s*{_YEAR_WORD}(?!\s*\d{{1,2}}\s*{re.escape(_DATING.date_month)})"
)
#: the year before, in a figure's own clause (上年:25.77万元, 上年度执行数为…)
PRIOR_YEAR_WORD = re.compile(_NOT_COMPARED + _PRIOR)
#: an "as of" date that dates a count (截至2024年8月31日，共有车辆8辆)
AS_OF = re.compile(rf"{alternation(_DATING.as_of)}\s*(20\d{{2}})\s*{re.escape(_DATING.date_year)}")
#: derived suffixes whose figure keeps the stage of the figure it derives from
_STAGED_SUFFIXES = (".share_pct", ".yoy_change_pct", ".yoy_change", ".completion_pct")


def as_of_year(s: Sentence, q: Quantity) -> int | None:
    """The year an "as of" date before a count dates it to (截至2024年12月31日，共有车辆2辆),
    unless a later clause names its own year (…；2025年预算安排购置车辆1辆: 2025)."""
    dates = list(AS_OF.finditer(s.doc.text, s.start, q.start))
    if not dates:
        return None
    later = list(CLAUSE_YEAR.finditer(s.doc.text, dates[-1].end(), q.start))
    return int((later[-1] if later else dates[-1]).group(1))


def figure_year(
    s: Sentence, mention: Mention, q: Quantity, year: int | None, fiscal_year: int | None
) -> int | None:
    """The year a figure belongs to: one stated between its wording and it (2023年当年预算
    执行数为…), or the year before for 上年 (上年:25.77万元), else `year`."""
    since = max(mention.end, s.clause_start(q.start))
    found = list(CLAUSE_YEAR.finditer(s.doc.text, since, q.start))
    if found:
        return int(found[-1].group(1))
    if fiscal_year is not None and PRIOR_YEAR_WORD.search(s.doc.text, since, q.start):
        return fiscal_year - 1
    return year


def figure_stage(
    s: Sentence, concept: str, q: Quantity, ctx: RulesContext, year: int | None
) -> str | None:
    """Which cycle a money figure is from (Fact.stage), None for a figure of no cycle.

    The wording in the figure's clause decides (年初预算 → budget_initial, 调整预算 →
    budget_adjusted, 决算/执行数 → final), else the document: a 部门预算's figures are its
    budget, every other report's are 决算. A year before the fiscal year makes it the
    prior year's (2023年当年预算执行数 in a 2024 budget: prior_final). A completion rate is
    the 决算's; a change or share keeps the stage of the figure it describes.
    """
    base = concept
    for suffix in (*_STAGED_SUFFIXES, ".completion_pct"):
        if concept.endswith(suffix):
            base = concept.removesuffix(suffix)
            if suffix == ".completion_pct":
                return "final"
            break
    parent = ctx.taxonomy.get(base)
    if parent is None or parent.kind != "money":
        return None
    default = "budget_initial" if ctx.is_budget else "final"
    if parent.stage is not None:
        stage = parent.stage
    elif base.startswith("budget."):
        stage = budget_concept_stage(base) or "budget_initial"
    elif base != concept:  # a change or share of a statement line: the line's own cycle
        stage = default
    else:
        word = stage_at(s.stages, q.start, since=s.clause_start(q.start))
        stage = FACT_STAGE[word] if word else default
    if year is not None and ctx.fiscal_year is not None and year < ctx.fiscal_year:
        return "prior_final" if stage == "final" else "prior_budget"
    return stage


def unit_decision_of(q: Quantity) -> UnitDecision | None:
    """How a sentence's money figure was scaled: the unit printed after it."""
    unit = q.raw_unit if q.raw_unit in MONEY_UNITS else "万元" if q.raw_unit == "万" else None
    if q.unit != "万元" or unit is None:
        return None
    return UnitDecision(basis="sentence", unit=unit, factor=MONEY_UNITS[unit][0])


#: an amount wording whose concept is set by the count before it: "绩效自评的…项目3个，
#: 涉及预算金额586.72万元" is the self-evaluated projects' money, not the targeted ones'
PAIRED_AMOUNTS = {("perf.self_eval_projects", "perf.target_funds"): "perf.self_eval_funds"}
PAIRED_CONCEPTS = frozenset(amount for _, amount in PAIRED_AMOUNTS)


def _paired(s: Sentence, concept: str, mention: Mention) -> str | None:
    """The concept of an amount wording that belongs to the count before it; None when
    that count is of another kind (绩效跟踪评价的…项目…，涉及预算金额…: no concept)."""
    if concept not in PAIRED_CONCEPTS:
        return concept
    before = [m for m in s.mentions if m.end <= mention.start and m.concept.startswith("perf.")]
    if not before or re.search(r"[；;]", s.doc.text[before[-1].end : mention.start]):
        return None
    return PAIRED_AMOUNTS.get((before[-1].concept, concept), concept)


def _part_of_head(s: Sentence, concept: str, mention: Mention) -> str:
    """A 其中 part takes the head it belongs to (财政拨款支出…其中：基本支出 → its basic)."""
    base = next((c for c in (concept.removesuffix(x) for x in _SUFFIXES) if c != concept), concept)
    suffix = concept[len(base) :]
    at = s.doc.text.find("其中", s.start, mention.start)
    head = s.head()
    if at < 0 or head is None or head.end > at:
        return concept
    part = PART_OF_HEAD.get((head.concept, base))
    return part + suffix if part else concept


def _subject_of(s: Sentence, mention: Mention) -> str:
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
        # a bare 0 is nothing in any unit (政府性基金拨款支出预算为0)
        return q.unit == "万元" or (q.unit == "" and q.value == 0 and q.operator is None)
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


def make_fact(
    s: Sentence,
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
    refined = _refine(s, concept_name, mention, q, ctx)
    if refined is None:
        return None
    concept_name = refined
    concept = ctx.taxonomy.get(concept_name)
    if not _compatible(concept, q):
        return None
    assert concept is not None
    # a wording carried from an earlier sentence (a list entry's 类款项 line) is not quoted
    start = min(mention.start, q.start) if mention.start >= s.start else s.clause_start(q.start)
    end = max(mention.end, q.end)
    quote = s.doc.text[start:end]
    section = deepest_section(sections, q.start)
    unit = q.unit if concept.kind != "count" else (concept.unit or q.unit)
    if concept.kind == "money":
        unit = "万元"
    if concept.kind == "count" and (as_of := as_of_year(s, q)) is not None:
        year = as_of
    elif not concept_name.endswith(_STAGED_SUFFIXES):
        year = figure_year(s, mention, q, year, ctx.fiscal_year)
    scope = mention.scope or _scope(concept, q.start, sections, list_scope, _subject_of(s, mention))
    return Fact(
        id="",
        concept=concept_name,
        scope=scope,
        scope_label=mention.label if mention.scope else None,
        stage=figure_stage(s, concept_name, q, ctx, year),
        unit_decision=unit_decision_of(q),
        year=year,
        value=sign * q.value,
        unit=unit,
        text=q.printed or q.text,
        evidence=evidence_at(s.doc, start, end, quote=quote),
        section=section.id if section else None,
        origin="rules",
        confidence=confidence,
        decimals=q.decimals,
    )
