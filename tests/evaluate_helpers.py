"""Builders for predicted records in eval tests (a `Record` from a few keywords or a gold)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from jixiao.evaluate.gold import Gold, GoldFlag
from jixiao.models import (
    Department,
    Evidence,
    Fact,
    Flag,
    IndicatorRow,
    Location,
    Project,
    Record,
    Source,
)


def fact(
    concept: str,
    value: float,
    scope: str = "department",
    year: int | None = 2021,
    fid: str = "",
    *,
    stage: str | None = None,
    quote: str | None = None,
    page: int | None = None,
) -> Fact:
    return Fact(
        id=fid or f"f{concept}{value}{stage}",
        concept=concept,
        scope=scope,
        year=year,
        stage=stage,
        value=value,
        unit="万元",
        text=str(value),
        evidence=Evidence(quote=quote or str(value), start=0, end=1, page=page),
    )


def row(scope: str, level3: str | None, **cells: Any) -> IndicatorRow:
    return IndicatorRow(
        id=cells.pop("id", ""),
        scope=scope,
        table=cells.pop("table", "self_eval"),
        level3=level3,
        **cells,
    )


def flag(
    check: str,
    facts: list[str],
    fid: str = "g",
    *,
    quote: str | None = None,
    page: int | None = None,
    severity: str = "error",
) -> Flag:
    location = [Location(quote=quote, page=page)] if quote else []
    return Flag(
        id=fid,
        check=check,
        facts=facts,
        message=f"{check} does not hold",
        location=location,
        severity=severity,
    )


def record(**fields: Any) -> Record:
    return Record(source=Source(path="x.txt", sha256="", format="txt"), **fields)


def record_from_gold(gold: Gold) -> Record:
    """The record a perfect extractor would produce for `gold` (each fact stated once)."""
    facts = [
        fact(g.concept, g.value, g.scope, g.year, fid=f"f{n}", stage=g.stage)
        for n, g in enumerate(gold.facts)
    ]
    rows = [
        IndicatorRow(id=f"i{n}", **g.model_dump(exclude={"table"}), table=g.table)
        for n, g in enumerate(gold.indicators)
    ]
    return record(
        department=Department(**(gold.department.model_dump() if gold.department else {})),
        fiscal_year=gold.fiscal_year,
        facts=facts,
        projects=[Project(name=p.name, code=p.code) for p in gold.projects],
        indicators=rows,
        flags=[perfect_flag(g, facts, n, rows) for n, g in enumerate(gold.flags)],
    )


def perfect_flag(gold: GoldFlag, facts: list[Fact], n: int, rows: list[IndicatorRow] = ()) -> Flag:
    """The flag a perfect verifier raises for a gold slip: on the facts it names, or, for
    a slip in a table (no concepts), on the indicator rows of its scope."""
    ids = [
        f.id
        for f in facts
        if any(fnmatchcase(f.concept, p) for p in gold.concepts)
        and (gold.scope is None or f.scope == gold.scope)
    ]
    raised = flag(gold.check, ids, f"g{n}", quote=gold.quote, page=gold.page)
    if not gold.concepts and gold.scope is not None:
        raised.indicators = [r.id for r in rows if r.scope == gold.scope]
    return raised
