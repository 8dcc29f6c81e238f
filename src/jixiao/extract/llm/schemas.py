"""Response models the LLM must fill, generated from the taxonomy per section kind.

Each concept becomes a field with an ASCII name (``fa.revenue_total`` → ``fa_revenue_total``)
and the Chinese label, synonyms and English name as its description, so adding a concept
to `taxonomy.yaml` adds it to the prompts with no code change. Every value is a `Mention`
{value, unit, quote, year, scope, measure}: the number as printed and the verbatim passage
it was read from.

Validators hold only what a re-ask can fix: a quote that is not verbatim in the chunk, a
quote that does not contain the value as printed, a unit that does not parse. Whether the
document's own figures add up is the verifier's business, never a validation error.
Validation runs only when the chunk is passed as context (``context={"chunk": text}``), so
a cached or salvaged answer can be re-read without it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, create_model, model_validator

from jixiao.extract.rules.numbers import COUNT_UNITS, MONEY_UNITS, PERCENT_UNITS, find_quantities
from jixiao.taxonomy import Concept, load_taxonomy

Measure = Literal["amount", "share_pct", "yoy_change", "yoy_change_pct"]
TABLE_KINDS = ("target_table", "self_eval_table", "rubric")
#: section kinds whose figures belong to one project unless they say otherwise
PROJECT_KINDS = ("project_evaluation", *TABLE_KINDS)
#: answer shape per section kind
SHAPES: dict[str, str] = {
    "profile": "profile",
    "overall_evaluation": "overall",
    "project_evaluation": "project",
    "final_accounts": "final_accounts",
    "target_table": "indicator_table",
    "self_eval_table": "indicator_table",
    "rubric": "indicator_table",
    "glossary": "facts",
    "other": "facts",
}
_EXTRA_UNITS = ("万", "亿", "分", "人数", "万人", "万人次")


def _concepts_for(kind: str) -> list[str]:
    """The concepts a section of this kind may state (a subset keeps prompts short)."""
    names = list(load_taxonomy().concepts)
    fa = [n for n in names if n.startswith("fa.")]
    budget = [n for n in names if n.startswith(("budget.", "eval."))]
    staff = [n for n in names if n.startswith("staff.")]
    if kind == "final_accounts" or kind == "glossary":
        return fa
    if kind == "profile":
        return [*staff, "fa.revenue_total", "fa.expenditure_total"]
    if kind == "overall_evaluation":
        return [
            *budget,
            "fa.revenue_total",
            "fa.expenditure_total",
            "fa.expenditure.basic",
            "fa.expenditure.project",
        ]
    if kind in PROJECT_KINDS:
        return budget
    return names


def field_name(concept: str) -> str:
    """The ASCII field name of a concept (dots become underscores)."""
    return concept.replace(".", "_")


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


class Mention(BaseModel):
    """One figure as the document prints it, with the passage it was read from."""

    value: float = Field(description="the number as printed, without thousands separators")
    unit: str = Field(description="the unit as printed: 元, 万元, 亿元, %, 人, 件, 分 …")
    quote: str = Field(description="verbatim passage of the document containing the number")
    year: int | None = Field(None, description="year the figure belongs to, if stated")
    scope: str | None = Field(None, description="project name; null for the department")
    measure: Measure = Field("amount", description="amount, or a share / change from last year")


class FunctionLine(BaseModel):
    """A 功能分类 类/款/项 line (e.g. 201 一般公共服务支出, 2010308 信访事务)."""

    code: str = Field(description="the code as printed: 201, 20103, 2010308 or 201.03.08")
    name: str = Field(description="the name as printed")
    value: float
    unit: str
    quote: str


class Department(BaseModel):
    name: str | None = Field(None, description="部门全称 as printed")
    province: str | None = None
    city: str | None = None
    county: str | None = None


class ProjectInfo(BaseModel):
    name: str = Field(description="项目名称 as printed")
    code: str | None = Field(None, description="项目编码 as printed")
    managing_department: str | None = Field(None, description="主管部门")
    implementing_unit: str | None = Field(None, description="实施单位")


class NarrativeAnswer(BaseModel):
    conclusion: str | None = Field(None, description="评价结论, verbatim")
    problems: list[str] = Field(default_factory=list, description="存在的问题, verbatim")
    suggestions: list[str] = Field(default_factory=list, description="改进建议, verbatim")


class IndicatorRowAnswer(BaseModel):
    level1: str | None = Field(None, description="一级指标")
    level2: str | None = Field(None, description="二级指标")
    level3: str = Field(description="三级指标 (the indicator's name)")
    target: str | None = Field(None, description="指标值 / 年度指标值 as printed")
    actual: str | None = Field(None, description="实际完成值 as printed")
    weight: float | None = Field(None, description="分值 / 权重")
    score: float | None = Field(None, description="得分")
    quote: str = Field(description="the 三级指标 cell, verbatim")


def _mentions(answer: BaseModel) -> list[tuple[str, Mention | FunctionLine]]:
    found: list[tuple[str, Mention | FunctionLine]] = []
    for name in type(answer).model_fields:
        value = getattr(answer, name)
        if isinstance(value, list):
            found.extend((name, m) for m in value if isinstance(m, Mention | FunctionLine))
    return found


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


def problems_in(answer: BaseModel, chunk: str) -> list[str]:
    """What a re-ask can fix, one line each (in Chinese and English, for the model)."""
    problems: list[str] = []
    kinds: dict[str, str] = getattr(type(answer), "__concept_kinds__", {})
    for name, m in _mentions(answer):
        measure = getattr(m, "measure", "amount")
        if name in kinds and unit_parses(m.unit) and not unit_fits(kinds[name], measure, m.unit):
            problems.append(
                f"{name}: 单位「{m.unit}」与 measure={measure} 不符 / unit does not "
                "fit the measure (amounts in 元/万元, shares and rates in %)"
            )
        if m.quote not in chunk:
            problems.append(f"{name}: quote「{m.quote}」不在原文中 / is not verbatim in the text")
        elif not value_in_quote(m.value, m.unit, m.quote):
            problems.append(
                f"{name}: quote「{m.quote}」不含数值 {m.value:g} / does not print the value"
            )
        if not unit_parses(m.unit):
            problems.append(f"{name}: 单位「{m.unit}」无法识别 / unit does not parse")
    for n, row in enumerate(getattr(answer, "rows", None) or []):
        if row.quote not in chunk:
            problems.append(f"rows[{n}]: quote「{row.quote}」不在原文中 / is not verbatim")
        for label in ("target", "actual"):
            text = getattr(row, label)
            if text and text.strip() and text.strip() not in chunk:
                problems.append(f"rows[{n}].{label}:「{text}」不在原文中 / is not in the table")
    return problems


def _check(answer: BaseModel, info: ValidationInfo) -> BaseModel:
    context = info.context or {}
    chunk = context.get("chunk")
    if chunk is None:
        return answer
    problems = problems_in(answer, chunk)
    if problems:
        raise ValueError("以下取值需要改正 / fix these values:\n" + "\n".join(problems))
    return answer


class _Answer(BaseModel):
    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> _Answer:
        return _check(self, info)  # type: ignore[return-value]


def _describe(concept: Concept) -> str:
    words = "、".join(s for s in concept.synonyms if s != concept.label)
    also = f"；又称 {words}" if words else ""
    return f"{concept.label}{also}（{concept.en}）"


@dataclass(frozen=True)
class AnswerSpec:
    """A response model and what its fields mean."""

    kind: str
    shape: str
    model: type[BaseModel]
    #: field name → concept
    concepts: dict[str, str]
    schema_hash: str


_SHAPE_FIELDS: dict[str, dict[str, Any]] = {
    "profile": {
        "department": (Department, Field(default_factory=Department)),
        "fiscal_year": (int | None, Field(None, description="报告所属年度")),
        "projects": (list[ProjectInfo], Field(default_factory=list)),
    },
    "overall": {
        "department": (Department, Field(default_factory=Department)),
        "fiscal_year": (int | None, Field(None, description="报告所属年度")),
        "projects": (list[ProjectInfo], Field(default_factory=list)),
        "narrative": (NarrativeAnswer, Field(default_factory=NarrativeAnswer)),
    },
    "project": {
        "project": (ProjectInfo | None, Field(None)),
        "narrative": (NarrativeAnswer, Field(default_factory=NarrativeAnswer)),
    },
    "final_accounts": {
        "fiscal_year": (int | None, Field(None, description="决算年度")),
        "by_function": (
            list[FunctionLine],
            Field(default_factory=list, description="功能分类 类/款/项 lines"),
        ),
    },
    "indicator_table": {
        "project": (ProjectInfo | None, Field(None)),
        "rows": (list[IndicatorRowAnswer], Field(default_factory=list)),
    },
    "facts": {},
}
_MODEL_NAMES = {
    "profile": "ProfileAnswer",
    "overall": "OverallEvaluationAnswer",
    "project": "ProjectEvaluationAnswer",
    "final_accounts": "FinalAccountsAnswer",
    "indicator_table": "IndicatorTableAnswer",
    "facts": "FactsAnswer",
}


def answer_spec(kind: str, concepts: tuple[str, ...] | None = None) -> AnswerSpec:
    """The response model for a section kind, optionally restricted to some concepts."""
    chosen = tuple(concepts) if concepts is not None else tuple(_concepts_for(kind))
    return _build_spec(kind, chosen)


@cache
def _build_spec(kind: str, concepts: tuple[str, ...]) -> AnswerSpec:
    taxonomy = load_taxonomy()
    shape = SHAPES.get(kind, "facts")
    fields: dict[str, Any] = dict(_SHAPE_FIELDS[shape])
    mapping: dict[str, str] = {}
    for name in concepts:
        concept = taxonomy.get(name)
        if concept is None:
            continue
        fname = field_name(name)
        if fname in mapping or fname in fields:
            raise ValueError(f"concepts {mapping.get(fname)} and {name} share field {fname}")
        mapping[fname] = name
        fields[fname] = (list[Mention], Field(default_factory=list, description=_describe(concept)))
    model = create_model(_MODEL_NAMES[shape], __base__=_Answer, **fields)
    model.__concept_kinds__ = {f: taxonomy.get(c).kind for f, c in mapping.items()}  # type: ignore[attr-defined,union-attr]
    model.__doc__ = f"Figures stated in a {kind} section of a budget-performance disclosure."
    schema = json.dumps(model.model_json_schema(), ensure_ascii=False, sort_keys=True)
    return AnswerSpec(kind, shape, model, mapping, hashlib.sha256(schema.encode()).hexdigest()[:16])
