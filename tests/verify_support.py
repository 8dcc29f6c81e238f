"""Small builders for verifier tests: hand-made facts, rows and records."""

from __future__ import annotations

from itertools import count

from jixiao.models import CellRef, Department, Evidence, Fact, IndicatorRow, Record, Source
from jixiao.verify.view import View

_ids = count(1)


def fact(
    concept: str,
    value: float,
    text: str | None = None,
    *,
    scope: str = "department",
    year: int | None = 2023,
    unit: str = "万元",
    decimals: int | None = None,
    cell: bool = False,
    of: str | None = None,
    quote: str | None = None,
    start: int = 0,
) -> Fact:
    """A fact whose printed text defaults to the value as Python prints it, plus the unit."""
    printed = text if text is not None else f"{value:g}{unit}"
    quoted = quote if quote is not None else printed
    return Fact(
        id=f"f{next(_ids)}",
        concept=concept,
        scope=scope,
        year=year,
        value=value,
        unit=unit,
        text=printed,
        evidence=Evidence(
            quote=quoted,
            start=start,
            end=start + len(quoted),
            cell=CellRef(table=0, row=1, col=1) if cell else None,
        ),
        of=of,
        decimals=decimals,
    )


def row(scope: str = "department", table: str = "self_eval", **fields: object) -> IndicatorRow:
    return IndicatorRow(id=f"i{next(_ids)}", scope=scope, table=table, **fields)  # type: ignore[arg-type]


def record(
    facts: list[Fact] | None = None,
    indicators: list[IndicatorRow] | None = None,
    *,
    fiscal_year: int | None = 2023,
    department: str | None = None,
) -> Record:
    return Record(
        source=Source(path="t.txt", sha256="0", format="txt"),
        department=Department(name=department),
        fiscal_year=fiscal_year,
        facts=facts or [],
        indicators=indicators or [],
    )


def grounded_text(facts: list[Fact]) -> str:
    """A text holding every fact's quote at its offsets (facts laid out one per line)."""
    text = ""
    for f in facts:
        f.evidence.start = len(text)
        f.evidence.end = len(text) + len(f.evidence.quote)
        text += f.evidence.quote + "\n"
    return text


def view_of(text: str, rec: Record | None = None) -> View:
    """The checks' view of a text (and a record, empty by default)."""
    return View(rec if rec is not None else record([]), text)
