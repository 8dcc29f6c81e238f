"""Hand-labelled gold (`eval/fixtures/<id>/gold.json`): loading, sharing and subsetting.

A gold is a subset of the OUTPUT.md record (see `eval/GUIDE.md` for the labelling
rules). A DOCX or PDF rendering of a seed shares the seed's gold through
`{"same_as": "000"}` instead of a copy that would drift, and a rendering that holds only
part of the seed (its tables, say) declares the part it is scored on with `"only"`.
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jixiao.errors import ConfigError
from jixiao.models import DocumentKind, Stage

#: kinds of field a gold can be scored on; `only` selects among them
KINDS: tuple[str, ...] = ("department", "facts", "projects", "indicators", "flags")

#: fixture groups, in the order the eval reports them: the seeds the rules were written
#: against, real documents of other templates, documents we generated, and renderings
#: (DOCX/PDF/scans) of another fixture. The seed score is not the general one.
GROUPS: tuple[str, ...] = ("seeds", "corpus", "generated", "renderings")
Group = Literal["seeds", "corpus", "generated", "renderings"]


class GoldError(ConfigError):
    """A gold file that cannot be used: the message names the file and what to fix."""

    reason = "bad_gold"


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldDepartment(_Gold):
    name: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None


class GoldFact(_Gold):
    concept: str
    scope: str = "department"
    year: int
    #: budget stage (budget_initial, final, prior_final …); when given it is part of the key
    stage: Stage | None = None
    value: float
    unit: str | None = None
    quote: str | None = None
    #: printed decimals when the JSON number does not show them (e.g. 16.50 → 2)
    decimals: int | None = None
    note: str | None = None


class GoldProject(_Gold):
    name: str
    code: str | None = None


class GoldIndicator(_Gold):
    scope: str
    table: str
    level1: str | None = None
    level2: str | None = None
    level3: str | None = None
    operator: str | None = None
    target_text: str | None = None
    target_value: float | None = None
    unit: str | None = None
    actual_text: str | None = None
    actual_value: float | None = None
    weight: float | None = None
    score: float | None = None
    note: str | None = None


class GoldFlag(_Gold):
    """A real problem found by reading the document (eval/GUIDE.md, "Flags")."""

    check: str
    #: concepts of the facts involved; glob patterns allowed (fa.function.*)
    concepts: list[str] = Field(default_factory=list)
    scope: str | None = None
    #: verbatim text at the problem (normalised source), for matching by place
    quote: str | None = None
    #: 1-based page of the quote, for a paged source
    page: int | None = None
    note: str = ""


class Gold(_Gold):
    #: the fixture group (`GROUPS`); the loader's default is `renderings` for a `same_as`
    group: Group = "seeds"
    #: where a corpus document comes from (the public source it was copied from)
    provenance: str | dict[str, Any] | None = None
    #: the document's kind as a reader names it (部门预算 → budget); labelled, not yet scored
    document_kind: DocumentKind | None = None
    department: GoldDepartment | None = None
    fiscal_year: int | None = None
    facts: list[GoldFact] = Field(default_factory=list)
    projects: list[GoldProject] = Field(default_factory=list)
    indicators: list[GoldIndicator] = Field(default_factory=list)
    flags: list[GoldFlag] = Field(default_factory=list)
    #: the kinds this fixture is scored on; `facts:<glob>` restricts facts to concepts
    only: list[str] | None = None
    #: set by the review UI when a reviewed record is saved as a fixture
    reviewed: bool | None = None
    #: free text for the labeller (what is odd about this document)
    comment: str | None = None
    #: fields the department gold states explicitly (null included) — the scored ones
    department_fields: list[str] = Field(default_factory=list, exclude=True)

    def scores(self, kind: str) -> bool:
        """Whether this fixture is scored on `kind` at all."""
        if self.only is None:
            return True
        return any(entry.split(":", 1)[0] == kind for entry in self.only)

    def fact_scored(self, concept: str) -> bool:
        """Whether facts of `concept` are scored (an `only` may name concept globs)."""
        if not self.scores("facts"):
            return False
        globs = [e.split(":", 1)[1] for e in self.only or () if e.startswith("facts:")]
        return not globs or any(fnmatchcase(concept, g) for g in globs)

    def project_names(self) -> list[str]:
        return [p.name for p in self.projects]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(
            f"{path}: cannot read gold ({exc}); fix the JSON or remove the file"
        ) from exc
    if not isinstance(data, dict):
        raise GoldError(f"{path}: gold must be a JSON object")
    return data


def _resolve(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The raw gold of `path`, following `same_as` to the shared gold.

    The group is the fixture's own, never inherited: a rendering of a seed is in
    `renderings` unless its own file says otherwise.
    """
    data = _read_json(path)
    target = data.pop("same_as", None)
    data.setdefault("group", "seeds" if target is None else "renderings")
    if target is None:
        return data
    shared = path.parent.parent / str(target) / "gold.json"
    if shared in seen or shared == path:
        raise GoldError(f"{path}: same_as {target!r} loops back; point it at a seed's gold")
    if not shared.is_file():
        raise GoldError(f"{path}: same_as {target!r} but {shared} does not exist")
    base = _resolve(shared, (*seen, path))
    base.pop("provenance", None)
    base.update(data)  # the rendering's own keys (usually `only`) win
    return base


def _check_only(gold: Gold, path: Path) -> None:
    for entry in gold.only or ():
        if entry.split(":", 1)[0] not in KINDS:
            raise GoldError(f"{path}: `only` entry {entry!r} is not one of {', '.join(KINDS)}")


def _check_unique_facts(gold: Gold, path: Path) -> None:
    """Gold lists each (concept, scope, year, stage) once: a duplicate is a labelling slip."""
    seen: set[tuple[str, str, int, str | None]] = set()
    for fact in gold.facts:
        key = (fact.concept, fact.scope, fact.year, fact.stage)
        if key in seen:
            raise GoldError(f"{path}: fact {key} is listed twice; keep one entry per key")
        seen.add(key)


def load_gold(path: Path) -> Gold:
    """Load and check one `gold.json` (following `same_as`)."""
    raw = _resolve(path)
    department_fields = sorted((raw.get("department") or {}).keys())
    if "fiscal_year" in raw:
        department_fields.append("fiscal_year")
    try:
        gold = Gold.model_validate(raw)
    except ValidationError as exc:
        raise GoldError(f"{path}: gold does not follow eval/GUIDE.md: {exc}") from exc
    gold.department_fields = department_fields
    _check_only(gold, path)
    _check_unique_facts(gold, path)
    return gold
