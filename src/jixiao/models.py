"""The output contract (OUTPUT.md) as pydantic models: one `Record` per input file.

Researchers build on these names: extend freely, rename nothing without bumping
`SCHEMA_VERSION`. `schemas/record.schema.json` is generated from `Record` and a test
fails when the two drift apart (`jixiao schema --write` regenerates it).
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

SectionKind = Literal[
    "profile",
    "final_accounts",
    "overall_evaluation",
    "project_evaluation",
    "target_table",
    "self_eval_table",
    "rubric",
    "glossary",
    "other",
]
SECTION_KINDS: tuple[str, ...] = SectionKind.__args__  # type: ignore[attr-defined]

Check = Literal[
    "sum",
    "share",
    "ratio",
    "yoy",
    "total",
    "cross_mention",
    "table_text",
    "grounding",
    "score_sum",
    "unit_rate",
    "year",
    "range",
    "completeness",
    "function_code",
    "magnitude",
    "department_name",
    "zero_budget_rate",
    "missing_reason",
    "empty_table",
    "duplicate_table",
    "unfilled_template",
    "backend_disagreement",
    "extraction_error",
]
CHECKS: tuple[str, ...] = Check.__args__  # type: ignore[attr-defined]
#: checks raised while extracting; re-verification keeps them and recomputes the rest
EXTRACTION_CHECKS = frozenset({"completeness", "extraction_error", "backend_disagreement"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    path: str
    sha256: str
    format: Literal["pdf", "docx", "txt", "unknown"]
    pages: int | None = None


class Department(_Model):
    name: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: Literal["province", "city", "county"] | None = None


class Section(_Model):
    id: str
    kind: SectionKind
    title: str
    start: int
    end: int
    level: int = 1
    parent: str | None = None
    #: the project this section belongs to (a 项目支出绩效自评报告 and its tables)
    project: str | None = None


class CellRef(_Model):
    table: int = Field(description="0-based index of the table in the document")
    row: int
    col: int


class Evidence(_Model):
    quote: str = Field(description="verbatim text of the normalised source the value was read from")
    start: int = Field(description="offset of the quote in the normalised text")
    end: int
    page: int | None = None
    cell: CellRef | None = None


class Fact(_Model):
    id: str
    concept: str = Field(description="taxonomy concept, e.g. fa.revenue_total")
    scope: str = Field("department", description='"department" or a project name')
    year: int | None = None
    value: float
    unit: str = Field(description="万元 for money, % for percentages, else the count unit")
    text: str = Field(description="the value as printed, e.g. 416.54万元")
    evidence: Evidence
    section: str | None = None
    origin: Literal["rules", "llm", "review"] = "rules"
    confidence: float = 1.0
    #: for a share (`.share_pct`): the concept of the whole, where the text names it
    of: str | None = None
    #: printed decimals of `value` in its unit, for interval arithmetic (None: exact)
    decimals: int | None = None


class Project(_Model):
    name: str
    code: str | None = None
    managing_department: str | None = None
    implementing_unit: str | None = None
    sections: list[str] = Field(default_factory=list)


class IndicatorRow(_Model):
    id: str
    scope: str
    table: Literal["target", "self_eval", "rubric"]
    table_index: int | None = None
    level1: str | None = None
    level2: str | None = None
    level3: str | None = None
    operator: Literal["≥", "≤", "=", ">", "<", "定性"] | None = None
    target_text: str | None = None
    target_value: float | None = None
    unit: str | None = None
    actual_text: str | None = None
    actual_value: float | None = None
    weight: float | None = None
    score: float | None = None
    note: str | None = None
    achieved: bool | None = None
    evidence: Evidence | None = None
    #: evidence per filled field (target, actual, weight, score …)
    cells: dict[str, Evidence] = Field(default_factory=dict)


class Narrative(_Model):
    conclusion: str | None = None
    problems: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)


class Flag(_Model):
    id: str
    check: Check
    severity: Literal["error", "warning"] = "error"
    facts: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)
    expected: float | None = None
    actual: float | None = None
    tolerance: float | None = None
    message: str
    message_en: str | None = None
    #: review state: open until a reviewer accepts the value as extracted or confirms that
    #: the source itself is wrong; a correction that makes the arithmetic hold removes it
    status: Literal["open", "accepted", "source_wrong"] = "open"

    @property
    def key(self) -> str:
        """The finding's identity across re-verification, which renumbers flags: its check
        and what it names (or, for a flag naming no fact, its message)."""
        names = ",".join(sorted(self.facts + self.indicators))
        if names:
            return f"{self.check}:{names}"
        return f"{self.check}:#{hashlib.sha1(self.message.encode()).hexdigest()[:12]}"


class RunInfo(_Model):
    backend: Literal["rules", "llm", "hybrid"] = "rules"
    model: str | None = None
    prompt_version: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    seconds: float = 0.0
    jixiao_version: str | None = None


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    department: Department = Field(default_factory=Department)
    fiscal_year: int | None = None
    sections: list[Section] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    indicators: list[IndicatorRow] = Field(default_factory=list)
    narrative: Narrative = Field(default_factory=Narrative)
    flags: list[Flag] = Field(default_factory=list)
    run: RunInfo = Field(default_factory=RunInfo)
    #: set when the document could not be processed: the one-line reason
    error: str | None = None
