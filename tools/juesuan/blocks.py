"""A generated document as blocks (headings, paragraphs, tables), and the gold it carries.

Composers append blocks and, for every figure they print, the fact it is; renderers turn
the blocks into a ruled PDF, an unruled PDF or a DOCX. Formatting lives here so that a
number is printed exactly as its fact's value says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Literal

Unit = Literal["万元", "元"]


@dataclass
class Heading:
    text: str
    level: int = 1  # 0 cover title, 1 part, 2 section


@dataclass
class Para:
    text: str
    align: Literal["left", "center", "right"] = "left"


@dataclass
class Table:
    """A statement table: title, the 编制部门/单位 line, header rows, body rows, notes."""

    title: str
    left: str
    unit: str
    header: list[list[str | None]]
    rows: list[list[str | None]]
    #: columns holding text (codes, names); the rest are right-aligned amounts
    text_columns: int = 1
    notes: list[str] = field(default_factory=list)
    #: relative column widths
    widths: list[float] | None = None
    #: merged cells beyond a header row's None: (first row, first column, last row, last
    #: column) counted over header and body rows together; the covered cells are None
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class PageBreak:
    pass


Block = Heading | Para | Table | PageBreak


def wan(m: int, separators: bool = False) -> str:
    """A money amount (0.01 万元) printed in 万元 with two decimals."""
    value = Decimal(m) / 100
    return f"{value:,.2f}" if separators else f"{value:.2f}"


def yuan(m: int, decimals: bool = False) -> str:
    """A money amount (0.01 万元) printed in 元 with thousands separators."""
    return f"{m * 100:,.2f}" if decimals else f"{m * 100:,}"


def pct(part: int, whole: int, truncate: bool = False) -> Decimal:
    """part / whole in % at two decimals: rounded half up, or truncated (a planted slip)."""
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(Decimal("0.01"), ROUND_DOWN if truncate else ROUND_HALF_UP)


@dataclass
class Gold:
    """Facts and flags of one generated document, keyed as eval/GUIDE.md says."""

    facts: dict[tuple[str, str, int, str | None], dict[str, Any]] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    #: projects with a 绩效目标表 and every indicator row printed (eval/GUIDE.md)
    projects: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)

    def fact(
        self,
        concept: str,
        value: int | Decimal | str,
        *,
        year: int,
        stage: str | None,
        scope: str = "department",
        money: bool = True,
        unit: str = "万元",
        quote: str | None = None,
        note: str | None = None,
        true_value: int | Decimal | None = None,
    ) -> None:
        """Record one printed figure. Money is in 0.01 万元; a percentage or count as printed.

        `true_value` marks a planted slip: the document prints `value`, the fact the
        tables hold is `true_value` (the gold keeps the truth, the flag the slip).
        """
        shown = true_value if true_value is not None else value
        if money:
            number = Decimal(int(shown)) / 100
            decimals = 2
        else:
            number = Decimal(str(shown))
            decimals = (
                -number.as_tuple().exponent if isinstance(number.as_tuple().exponent, int) else 0
            )
            decimals = max(decimals, 0)
        key = (concept, scope, year, stage)
        entry = {
            "concept": concept,
            "scope": scope,
            "year": year,
            "stage": stage,
            "value": number,
            "unit": unit,
            "decimals": decimals,
            "quote": quote,
            "note": note,
        }
        old = self.facts.get(key)
        if old is None:
            self.facts[key] = entry
            return
        if old["value"] != number:
            raise ValueError(
                f"{key}: printed as {old['value']} and {number} (an unplanned mismatch)"
            )
        if quote and not old["quote"]:
            old["quote"] = quote
        if note and not old["note"]:
            old["note"] = note

    def flag(
        self, check: str, concepts: list[str], quote: str, note: str, scope: str | None = None
    ) -> None:
        entry: dict[str, Any] = {"check": check, "concepts": concepts}
        if scope:
            entry["scope"] = scope
        entry.update({"quote": quote, "page": None, "note": note})
        self.flags.append(entry)

    def fact_list(self) -> list[dict[str, Any]]:
        out = []
        for e in self.facts.values():
            value = e["value"]
            number: int | float = (
                int(value)
                if value == value.to_integral_value() and e["decimals"] == 0
                else float(value)
            )
            item: dict[str, Any] = {
                "concept": e["concept"],
                "scope": e["scope"],
                "year": e["year"],
                "stage": e["stage"],
                "value": number,
                "unit": e["unit"],
            }
            printed = 0 if float(number).is_integer() else len(repr(float(number)).split(".")[1])
            if number != 0 and printed != e["decimals"]:
                item["decimals"] = e["decimals"]
            if e["quote"]:
                item["quote"] = e["quote"]
            if e["note"]:
                item["note"] = e["note"]
            out.append(item)
        return out
