"""The one response model every request fills, and the concept menu sent with each chunk.

Every request uses the same model (`Answer`), so its JSON schema, instructor's tool
definition and the system prompt are an identical prefix of every request (a provider's
prompt cache applies) and are built once per process. Which concepts a chunk can state
is not in the schema but in a short menu in the user message (`concept_menu`): only the
concepts whose label or synonym, or whose 功能分类 name, occurs in the chunk, each with
the wording found. A figure names its concept by code; ``other`` with the printed
wording (`label`) is the generic fallback, so nothing is unaskable.

Validators hold only what a re-ask can fix: a quote that is not verbatim in the chunk, a
quote that does not contain the value as printed, a unit that does not parse or does not
fit the concept, a concept code that does not exist. Whether the document's own figures
add up is the verifier's business, never a validation error. Validation runs only when
there is a chunk to check against: ``context={"chunk": text}`` (a cached answer), or
`GROUNDING_CHUNK`, which the call layer sets around a live request. The chunk is not
given to instructor as its ``context``: instructor would then render every message as
a Jinja template, so a document that prints ``{{`` or ``{%`` failed or was rewritten
(and each request paid for a template compile). A salvaged answer is read with neither.
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

from jixiao.extract.rules.numbers import COUNT_UNITS, MONEY_UNITS, PERCENT_UNITS, find_quantities
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


def value_in_quote(value: float, unit: str, quote: str) -> bool:
    """The quote prints `value`: as is, or the same amount after 元/万元/亿元 normalising."""
    wan = value * MONEY_UNITS[unit][0] if unit in MONEY_UNITS else None
    for q in find_quantities(quote):
        if abs(q.raw_value - value) < 1e-9:
            return True
        if wan is not None and q.unit == "万元" and abs(q.value - wan) < 1e-6:
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

    #: a code from the chunk's menu, ``fa.function.<code as printed>`` for a 功能分类
    #: 类/款/项 line, or ``other`` (then `label` is the wording as printed)
    concept: str
    label: str | None = None
    value: float
    unit: str
    quote: str
    year: int | None = None
    scope: str | None = None
    measure: Measure = "amount"


class Department(BaseModel):
    name: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None


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
    level3: str
    target: str | None = None
    actual: str | None = None
    weight: float | None = None
    score: float | None = None
    #: the 三级指标 cell, verbatim
    quote: str


class Answer(ResponseSchema):
    """Facts of a budget disclosure."""

    figures: list[Figure] = Field(default_factory=list)
    rows: list[IndicatorRowAnswer] = Field(default_factory=list)
    department: Department | None = None
    fiscal_year: int | None = None
    projects: list[ProjectInfo] = Field(default_factory=list)
    narrative: NarrativeAnswer | None = None

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
        problems += _grounding_problems(name, m, chunk)
    for n, row in enumerate(answer.rows):
        if row.quote not in chunk:
            problems.append(f"rows[{n}]: quote「{row.quote}」不在原文中 / is not verbatim")
        for label in ("target", "actual"):
            text = getattr(row, label)
            if text and text.strip() and text.strip() not in chunk:
                problems.append(f"rows[{n}].{label}:「{text}」不在原文中 / is not in the table")
    return problems


def _grounding_problems(name: str, m: Figure, chunk: str) -> list[str]:
    problems: list[str] = []
    if m.quote not in chunk:
        problems.append(f"{name}: quote「{m.quote}」不在原文中 / is not verbatim in the text")
    elif not value_in_quote(m.value, m.unit, m.quote):
        problems.append(
            f"{name}: quote「{m.quote}」不含数值 {m.value:g} / does not print the value"
        )
    if not unit_parses(m.unit):
        problems.append(f"{name}: 单位「{m.unit}」无法识别 / unit does not parse")
    return problems


_FUNCTION_CODE = re.compile(r"fa\.(?:function|item)\.([\d.]+)")


def concept_code(concept: str) -> str | None:
    """The taxonomy code of an answer's concept: ``other`` as is, a 功能分类 line's
    ``fa.function.2010308`` as ``fa.item.201.03.08``, an unknown code None."""
    if concept == OTHER:
        return OTHER
    match = _FUNCTION_CODE.fullmatch(concept.strip())
    if match:
        digits = match.group(1).replace(".", "")
        if len(digits) == 3:
            return f"fa.function.{digits}"
        if len(digits) in (5, 7):
            return _item(digits)
        return None
    return concept if load_taxonomy().get(concept) is not None else None


def _item(digits: str) -> str:
    parts = [digits[:3], digits[3:5]] + ([digits[5:7]] if len(digits) == 7 else [])
    return "fa.item." + ".".join(parts)


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
