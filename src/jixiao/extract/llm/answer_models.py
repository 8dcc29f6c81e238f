"""The one response model every request fills, and the menus sent with each chunk.

Every request uses the same model (`Answer`), so its JSON schema, instructor's tool
definition and the system prompt are an identical prefix of every request (a provider's
prompt cache applies) and are built once per process. What differs per request is in
the user message: the document's kind (`kind_line`, decided once per document), the
stages the chunk's wordings name (`stage_menu`, labels from ``stages.yaml``), the
concepts it names (`concept_menu`: only the concepts whose label or synonym, or whose
功能分类 name, occurs in the chunk, each with the wording found) and, for a document whose
kind the title lines did not decide, the kinds to choose from (`kinds_menu`). A figure
names its concept by code; ``other`` and the printed wording (``other 本年支出合计``) is
the generic fallback, so nothing is unaskable. A 功能分类 or 经济分类 line is a scope,
``item:<code> <name>`` or ``econ:<code> <name>``, the name as printed.

Units: the model reports the number as printed and the unit printed with it or over its
table; the conversion to 万元 is done once, in code (`convert`), and recorded on the fact.
A value the model converted itself is sent back.

Validators hold only what a re-ask can fix: a quote (or an indicator row's 三级指标 cell)
that is not verbatim in the chunk, a quote that does not print the value as printed, a unit that does not parse or does not
fit the concept, a concept code, stage, scope code or document kind that does not exist.
Whether the document's own figures add up is the verifier's business, never a
validation error. Validation runs only when there is a chunk to check against:
``context={"chunk": text}`` (a cached answer), or `GROUNDING_CHUNK`, which the call
layer sets around a live request. The chunk is not given to instructor as its
``context``: instructor would then render every message as a Jinja template, so a
document that prints ``{{`` or ``{%`` failed or was rewritten (and each request paid for
a template compile). A salvaged answer is read with neither.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextvars import ContextVar
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from instructor.v2.core.function_calls import ResponseSchema
from pydantic import BaseModel, Field, ValidationInfo, model_validator

from jixiao.document_kinds import load_document_kinds
from jixiao.extract.rules.numbers import COUNT_UNITS, MONEY_UNITS, PERCENT_UNITS, find_quantities
from jixiao.models import DOCUMENT_KINDS, STAGES
from jixiao.stages import load_stage_names
from jixiao.taxonomy import load_taxonomy

#: the chunk a live answer is checked against; set per request by the call layer
GROUNDING_CHUNK: ContextVar[str | None] = ContextVar("jixiao_grounding_chunk", default=None)

Measure = Literal["amount", "share_pct", "yoy_change", "yoy_change_pct"]
TABLE_KINDS = ("target_table", "self_eval_table", "rubric")
#: section kinds whose figures belong to one project unless they say otherwise
PROJECT_KINDS = ("project_evaluation", *TABLE_KINDS)
#: section kinds that state the department, the fiscal year, projects or a conclusion
CONTEXT_KINDS = ("profile", "overall_evaluation", "project_evaluation")
#: the fallback concept code: a figure whose concept is not in the menu
OTHER = "other"
_EXTRA_UNITS = ("万", "亿", "分", "人数", "万人", "万人次")


def unit_parses(unit: str) -> bool:
    unit = unit.strip()
    return (
        unit in MONEY_UNITS or unit in PERCENT_UNITS or unit in COUNT_UNITS or unit in _EXTRA_UNITS
    )


#: measures whose value carries the sign of the wording (减少 990万元 is −990)
SIGNED_MEASURES = ("yoy_change", "yoy_change_pct")


def value_in_quote(value: float, quote: str, *, signed: bool = False) -> bool:
    """The quote prints `value` as is (separators aside): never a conversion of it. A
    `signed` value (a change) may be the printed number made negative by its wording."""
    wanted = (value, abs(value)) if signed else (value,)
    return any(abs(q.raw_value - v) < 1e-9 for q in find_quantities(quote) for v in wanted)


def converted_in_quote(value: float, quote: str) -> bool:
    """`value` is a number of the quote scaled between 元, 千元, 万元 and 亿元 (by the
    model, which is asked for the number as printed)."""
    factors = [f for f, _ in MONEY_UNITS.values() if f != 1.0]
    for q in find_quantities(quote):
        scaled = [q.raw_value * f for f in factors] + [q.raw_value / f for f in factors]
        if any(abs(value - x) <= 1e-9 * max(1.0, abs(x)) for x in scaled if x):
            return True
    return False


def unit_fits(kind: str, measure: str, unit: str) -> bool:
    """The unit suits what is measured: money in 元/万元, a share or change rate in %."""
    unit = unit.strip()
    money = unit in MONEY_UNITS or unit in ("万", "亿")
    percent = unit in PERCENT_UNITS
    if measure in ("share_pct", "yoy_change_pct") or kind == "percent":
        return percent
    if kind == "money":
        return money
    return not money and not percent


# ------------------------------------------------------------------------- the model
def _compact(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with what costs tokens and tells the model nothing left out.

    Titles repeat the field names; ``default`` and the ``null`` branch of an optional
    field only say that it may be omitted, which not being ``required`` says already;
    each sub-model is used once, so it is written in place rather than referenced; the
    sub-models' docstrings are for code readers (the system prompt explains the fields).
    """
    if isinstance(node, list):
        return [_compact(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _compact(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    options = node.get("anyOf")
    if options and len(options) == 2 and {"type": "null"} in options:
        kept = next(o for o in options if o != {"type": "null"})
        return _compact({**kept, **{k: v for k, v in node.items() if k != "anyOf"}}, defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("title", "default", "description", "$defs"):
            continue
        if key == "properties":
            out[key] = {k: _compact(v, defs) for k, v in value.items()}
        else:
            out[key] = _compact(value, defs)
    return out


class Figure(BaseModel):
    """One figure as printed, with the passage it was read from."""

    #: a code from the chunk's menu, ``fa.function.<类 code>`` for a 功能分类 line, or
    #: ``other`` and the wording as printed (``other 本年支出合计``)
    concept: str
    #: the number as printed (separators left out), never converted
    value: float
    #: the unit printed with the number, else the one its table or heading prints
    unit: str
    quote: str
    year: int | None = None
    #: a code from the chunk's <stages> menu (money figures); code fills the default
    stage: str | None = None
    #: ``item:<code> <name>`` (功能分类 line), ``econ:<code> <name>`` (经济分类 line),
    #: a project's name, or none (the department)
    scope: str | None = None
    measure: Measure = "amount"


class ProjectInfo(BaseModel):
    name: str
    code: str | None = None
    managing_department: str | None = None
    implementing_unit: str | None = None


class NarrativeAnswer(BaseModel):
    conclusion: str | None = None
    problems: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)


class IndicatorRowAnswer(BaseModel):
    level1: str | None = None
    level2: str | None = None
    #: the 三级指标 cell, verbatim (the row's evidence)
    level3: str
    target: str | None = None
    actual: str | None = None
    weight: float | None = None
    score: float | None = None


class Answer(ResponseSchema):
    """Facts of a budget disclosure."""

    figures: list[Figure] = Field(default_factory=list)
    rows: list[IndicatorRowAnswer] = Field(default_factory=list)
    #: the department's name as printed; its place is read from the name in code
    department: str | None = None
    fiscal_year: int | None = None
    projects: list[ProjectInfo] = Field(default_factory=list)
    narrative: NarrativeAnswer | None = None
    #: asked only with a <kinds> menu: the kind's code, a space, the title line naming it
    document_kind: str | None = None

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Built once: instructor asks for it on every request in the JSON modes."""
        return deepcopy(_schema(cls))

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Answer:
        chunk = (info.context or {}).get("chunk") or GROUNDING_CHUNK.get()
        if chunk is None:
            return self
        problems = problems_in(self, chunk)
        if problems:
            raise ValueError("以下取值需要改正 / fix these values:\n" + "\n".join(problems))
        return self


def wording_of(concept: str) -> str:
    """The printed wording an ``other`` concept carries after its code."""
    return concept.strip().partition(" ")[2].strip()


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    full = BaseModel.model_json_schema.__func__(model)  # type: ignore[attr-defined]
    compact = _compact(full, full.get("$defs", {}))
    # the four measures are listed in the system prompt; as an enum here they cost ~25
    # tokens a request, and a wrong one is still refused by validation (and re-asked)
    compact["properties"]["figures"]["items"]["properties"]["measure"] = {"type": "string"}
    # the title (the tool's name in tools mode) and description stay at the top
    return {"title": full["title"], "type": "object", **compact, "description": full["description"]}


def problems_in(answer: Answer, chunk: str) -> list[str]:
    """What a re-ask can fix, one line each (in Chinese and English, for the model)."""
    taxonomy = load_taxonomy()
    problems: list[str] = []
    for n, m in enumerate(answer.figures):
        name = f"figures[{n}]"
        code = concept_code(m.concept)
        concept = taxonomy.get(code) if code else None
        if code is None:
            problems.append(f"{name}: concept「{m.concept}」不存在 / unknown: use a code or other")
        fits = concept is None or unit_fits(concept.kind, m.measure, m.unit)
        if unit_parses(m.unit) and not fits:
            problems.append(
                f"{name}: 单位「{m.unit}」与 measure={m.measure} 不符 / unit does not "
                "fit the measure (amounts in 元/万元, shares and rates in %)"
            )
        if m.stage is not None and m.stage not in STAGES:
            problems.append(f"{name}: stage「{m.stage}」不存在 / unknown: use a code of <stages>")
        line = line_scope(m.scope)
        if line is not None and not line.valid:
            problems.append(
                f"{name}: scope「{m.scope}」: 编码应为 item:<3/5/7位> 或 econ:<3/5位> / "
                "item:<code> or econ:<code> with the code's digits"
            )
        problems += _grounding_problems(name, m, chunk)
    for n, row in enumerate(answer.rows):
        if row.level3 not in chunk:
            problems.append(f"rows[{n}]: level3「{row.level3}」不在原文中 / is not verbatim")
        for label in ("target", "actual"):
            text = getattr(row, label)
            if text and text.strip() and text.strip() not in chunk:
                problems.append(f"rows[{n}].{label}:「{text}」不在原文中 / is not in the table")
    if answer.document_kind:
        kind, title = kind_answer(answer.document_kind)
        if kind not in DOCUMENT_KINDS:
            problems.append(f"document_kind「{kind}」不存在 / unknown: use a code of <kinds>")
        elif title and title not in chunk:
            problems.append(f"document_kind: 标题「{title}」不在原文中 / is not verbatim")
    return problems


def _grounding_problems(name: str, m: Figure, chunk: str) -> list[str]:
    problems: list[str] = []
    if m.quote not in chunk:
        problems.append(f"{name}: quote「{m.quote}」不在原文中 / is not verbatim in the text")
    elif not value_in_quote(m.value, m.quote, signed=m.measure in SIGNED_MEASURES):
        if converted_in_quote(m.value, m.quote):
            problems.append(
                f"{name}: value {m.value:g} 是换算后的数，请照印填写 / give the number as "
                "printed in the quote, unconverted, with the unit printed"
            )
        else:
            problems.append(
                f"{name}: quote「{m.quote}」不含数值 {m.value:g} / does not print the value"
            )
    if not unit_parses(m.unit):
        problems.append(f"{name}: 单位「{m.unit}」无法识别 / unit does not parse")
    return problems


_FUNCTION_CODE = re.compile(r"fa\.(?:function|item)\.([\d.]+)")


def concept_code(concept: str) -> str | None:
    """The taxonomy code of an answer's concept (its first word: a copied menu line's
    wording is left out): ``other`` as is, a 功能分类 line's ``fa.function.2010308`` as
    its class ``fa.function.201`` (the line is its scope, `implied_item`), an unknown
    code None."""
    concept = concept.strip().partition(" ")[0]
    if concept == OTHER:
        return OTHER
    match = _FUNCTION_CODE.fullmatch(concept)
    if match:
        digits = match.group(1).replace(".", "")
        return f"fa.function.{digits[:3]}" if len(digits) in ITEM_DIGITS else None
    return concept if load_taxonomy().get(concept) is not None else None


def implied_item(concept: str) -> str | None:
    """The 款/项 code a concept names in place of a scope (``fa.function.2010308``)."""
    match = _FUNCTION_CODE.fullmatch(concept.strip().partition(" ")[0])
    digits = match.group(1).replace(".", "") if match else ""
    return digits if len(digits) in ITEM_DIGITS[1:] else None


#: digits of a 功能分类 类/款/项 code and of an 经济分类 类/款 code
ITEM_DIGITS = (3, 5, 7)
ECON_DIGITS = (3, 5)
_LINE_SCOPE = re.compile(
    r"\s*(?P<kind>item|econ)\s*[:：]\s*(?P<code>[\d.\-]*)\s*(?P<label>.*)", re.S
)


@dataclass(frozen=True)
class LineScope:
    """A scope naming a classification line: ``item:2010308 信访事务``."""

    kind: str
    code: str
    label: str | None

    @property
    def valid(self) -> bool:
        digits = ITEM_DIGITS if self.kind == "item" else ECON_DIGITS
        return self.code.isdigit() and len(self.code) in digits

    @property
    def scope(self) -> str:
        return f"{self.kind}:{self.code}"


def line_scope(scope: str | None) -> LineScope | None:
    """The classification line a scope names, or None for a project or the department."""
    match = _LINE_SCOPE.fullmatch(scope or "")
    if match is None:
        return None
    code = re.sub(r"[.\-]", "", match.group("code"))
    return LineScope(match.group("kind"), code, match.group("label").strip() or None)


def kind_answer(text: str) -> tuple[str, str | None]:
    """An answered document kind: its code and the title line quoted after it."""
    code, _, title = text.strip().partition(" ")
    return code, title.strip() or None


@dataclass(frozen=True)
class AnswerSpec:
    """The response model of a request and the concepts its menu offers."""

    model: type[BaseModel]
    #: concept codes offered in the chunk's menu, in menu order
    concepts: tuple[str, ...]
    schema_hash: str


@cache
def schema_hash(model: type[BaseModel] = Answer) -> str:
    schema = json.dumps(model.model_json_schema(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def answer_spec(concepts: tuple[str, ...] = ()) -> AnswerSpec:
    return AnswerSpec(Answer, tuple(concepts), schema_hash())


# ------------------------------------------------------------------------- the menu
@cache
def _entries() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every askable concept code with its wordings, the usual label first."""
    taxonomy = load_taxonomy()
    # wordings sorted by length, then text: `Concept.wordings` orders ties as a set does,
    # which differs between processes and would change the menu, hence the cache key
    entries = [
        (name, (c.label, *sorted(set(c.wordings) - {c.label}, key=lambda w: (-len(w), w))))
        for name, c in taxonomy.concepts.items()
    ]
    # a 功能分类 by its full name only: stems such as 其他 (of 其他支出) match everywhere
    entries += [
        (f"fa.function.{code}", (name,)) for code, name in taxonomy.function_classes.items()
    ]
    return tuple(entries)


def concepts_in(text: str, among: frozenset[str] | None = None) -> dict[str, str]:
    """Concept code → the wording `text` prints (the label when present), in taxonomy order.

    `among` restricts the codes (the hybrid backend asks only what the rules missed).
    """
    found: dict[str, str] = {}
    for code, wordings in _entries():
        if among is not None and code not in among:
            continue
        hit = next((w for w in wordings if w in text), None)
        if hit is not None:
            found[code] = hit
    return found


def concept_menu(found: dict[str, str]) -> str:
    """The menu lines, `code wording`, one per concept the chunk can state."""
    return "\n".join(f"{code} {wording}" for code, wording in found.items())


def stage_menu(text: str, default: str | None = None) -> str:
    """The menu lines, `code label`, of the document's default stage (first) and of the
    stages the chunk's wordings name."""
    named = load_stage_names().named_in(text, default)
    return "\n".join(f"{code} {label}" for code, label in named.items())


@cache
def kinds_menu() -> str:
    """The kinds to choose from when the title lines decided none (`document_kinds.yaml`)."""
    return "\n".join(f"{r.kind} {r.label}" for r in load_document_kinds().rules)
