"""The output contract (OUTPUT.md) as pydantic models: one `Record` per input file.

Researchers build on these names: extend freely, rename nothing without bumping
`SCHEMA_VERSION`. `schemas/record.schema.json` is generated from `Record` and a test
fails when the two drift apart (`jixiao schema --write` regenerates it).
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "2"

DocumentKind = Literal[
    "final_accounts",
    "budget",
    "overall_self_evaluation",
    "project_self_evaluation",
    "performance_targets",
    "rubric",
    "mixed",
    "unknown",
]
DOCUMENT_KINDS: tuple[str, ...] = DocumentKind.__args__  # type: ignore[attr-defined]

#: which stage of the budget cycle a money figure belongs to, so that a budget's 预算 and
#: the 执行数 it cites for last year are different facts and checks compare like with like
Stage = Literal[
    "budget_initial",
    "budget_adjusted",
    "final",
    "prior_final",
    "prior_budget",
    "target",
]
STAGES: tuple[str, ...] = Stage.__args__  # type: ignore[attr-defined]

#: how a money figure's unit was decided (most specific first)
UnitBasis = Literal["cell", "table_header", "heading", "sentence", "magnitude", "default"]

SourceFormat = Literal[
    "pdf",
    "docx",
    "txt",
    "xlsx",
    "xls",
    "ods",
    "doc",
    "wps",
    "odt",
    "et",
    "html",
    "image",
    "unknown",
]

SectionKind = Literal[
    "profile",
    "final_accounts",
    "final_accounts_tables",
    "budget_notes",
    "budget_tables",
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
    "wording_number",
    "required_tables",
    "rate_precision",
    "operating_expenditure",
    "project_list",
    "procurement",
    "backend_disagreement",
    "extraction_error",
]
CHECKS: tuple[str, ...] = Check.__args__  # type: ignore[attr-defined]
#: checks raised while extracting; re-verification keeps them and recomputes the rest
EXTRACTION_CHECKS = frozenset({"completeness", "extraction_error", "backend_disagreement"})
#: checks over the document's wording (years, names, template remnants, reasons, required
#: tables, 功能分类 names, words against figures) rather than over its figures; every other
#: verifier check is `arithmetic`
WORDING_CHECKS = frozenset(
    {
        "year",
        "department_name",
        "missing_reason",
        "empty_table",
        "duplicate_table",
        "unfilled_template",
        "required_tables",
        "function_code",
        "wording_number",
    }
)


def family_of(check: str) -> str:
    """The family a check belongs to: extraction, wording or arithmetic."""
    if check in EXTRACTION_CHECKS:
        return "extraction"
    return "wording" if check in WORDING_CHECKS else "arithmetic"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    path: str
    sha256: str
    format: SourceFormat
    pages: int | None = None
    #: 1-based pages whose text was recognised by OCR (scanned pages)
    ocr_pages: list[int] = Field(default_factory=list)


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
    bbox: tuple[float, float, float, float] | None = Field(
        None, description="[x0, top, x1, bottom] on the page, in PDF points (72 per inch)"
    )
    ocr_confidence: float | None = Field(
        None, description="recognition confidence (0-1) of OCR'd text; None for a text layer"
    )


class UnitDecision(_Model):
    """Why a money figure has the value it has in 万元: what unit was read, from where,
    and the factor applied (12,121,164 in a table headed 单位：元 → ×0.0001)."""

    basis: UnitBasis
    unit: str = Field(description="the printed unit the figure was read in (元, 万元, 千元, 亿元)")
    factor: float = Field(description="multiplier applied to the printed number to get 万元")


class Fact(_Model):
    id: str
    concept: str = Field(description="taxonomy concept, e.g. fa.revenue_total")
    scope: str = Field(
        "department",
        description='"department", a project name, a 功能分类 item "item:2080505" or an '
        '经济分类 line "econ:30101"',
    )
    #: the item's or line's name as printed, for an item:/econ: scope
    scope_label: str | None = None
    year: int | None = None
    stage: Stage | None = Field(
        None, description="budget stage of a money figure (None: not a stage-bound figure)"
    )
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
    unit_decision: UnitDecision | None = None


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


FlagFamily = Literal["arithmetic", "wording", "extraction"]
Severity = Literal["error", "warning", "info"]


class Location(_Model):
    """Where one side of a finding is: the fact, page, table cell or quoted text."""

    fact: str | None = None
    indicator: str | None = None
    page: int | None = None
    cell: CellRef | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    #: the lowest recognition confidence (0-1) of this side's OCR'd text; None for a text
    #: layer. A reviewer sees why a finding on a scanned page is only a warning.
    ocr_confidence: float | None = None


class Flag(_Model):
    id: str
    check: Check
    #: error: both sides read with confidence; warning: a reading is uncertain, or a
    #: wording rule; info: worth a look, not a finding
    severity: Severity = "error"
    family: FlagFamily | None = None
    facts: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)
    expected: float | None = None
    actual: float | None = None
    tolerance: float | None = None
    message: str
    message_en: str | None = None
    location: list[Location] = Field(default_factory=list)
    #: review state: open until a reviewer accepts the value as extracted or confirms that
    #: the source itself is wrong; a correction that makes the arithmetic hold removes it
    status: Literal["open", "accepted", "source_wrong"] = "open"

    @model_validator(mode="after")
    def _default_family(self) -> Flag:
        if self.family is None:
            self.family = family_of(self.check)  # type: ignore[assignment]
        return self

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
    document_kind: DocumentKind = "unknown"
    #: the title line (or other text) that decided `document_kind`
    document_kind_evidence: Evidence | None = None
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


def upgrade_record_data(data: dict[str, Any]) -> dict[str, Any]:
    """A stored record of an earlier schema version, brought to the current one.

    Version 1 lacks the document kind, stages, unit decisions and flag families; every one
    of them has a default meaning "not decided", so the upgrade only restamps the version
    (flag families are filled from the check by `Flag`). Stored records are migrated on
    read, never discarded.
    """
    if data.get("schema_version") == SCHEMA_VERSION:
        return data
    upgraded = dict(data)
    upgraded["schema_version"] = SCHEMA_VERSION
    return upgraded
