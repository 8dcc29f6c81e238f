"""Cross-mention checks: one (concept, scope, year) stated with values that cannot agree.

When one side of a department figure's disagreement is read from a table cell and the
other from prose, the flag is `table_text`: in 部门决算 every figure of the 情况说明
restates a cell of the 决算表, and that pair disagreeing is one of the most common slips.
A project's self-evaluation table against its own report is a plain `cross_mention`
(OUTPUT.md keeps `table_text` for the 决算 pair).
"""

from __future__ import annotations

from jixiao.models import Fact, Flag
from jixiao.verify.facts import FactIndex
from jixiao.verify.flags import make_flag, scope_en, scope_prefix
from jixiao.verify.intervals import fact_decimals, fmt


def check_mentions(index: FactIndex) -> list[Flag]:
    flags: list[Flag] = []
    for (concept, scope, year), clusters in index.conflicts.items():
        flags.append(_flag(index, concept, scope, year, clusters))
    return flags


def _where(facts: list[Fact]) -> tuple[str, str]:
    """Where a group of agreeing mentions stands: table cells, prose, or both."""
    cells = {f.evidence.cell is not None for f in facts}
    if cells == {True}:
        return "表", "table"
    if cells == {False}:
        return "正文", "text"
    return "表、正文", "table and text"


def _shown(facts: list[Fact]) -> str:
    best = facts[0]
    where = _where(facts)[0]
    return f"{fmt(best.value, fact_decimals(best))}（{where}，{len(facts)} 处）"


def _shown_en(facts: list[Fact]) -> str:
    best = facts[0]
    where = _where(facts)[1]
    return f"{fmt(best.value, fact_decimals(best))} ({where}, {len(facts)}x)"


def _is_table_text(scope: str, clusters: list[list[Fact]]) -> bool:
    if scope != "department":
        return False
    in_table = [all(f.evidence.cell is not None for f in c) for c in clusters]
    in_prose = [all(f.evidence.cell is None for f in c) for c in clusters]
    return any(in_table) and any(in_prose)


def _flag(
    index: FactIndex, concept: str, scope: str, year: int | None, clusters: list[list[Fact]]
) -> Flag:
    label = index.label(concept)
    when = "" if year in (None, index.fiscal_year) else f"（{year}年）"
    when_en = "" if year in (None, index.fiscal_year) else f" ({year})"
    values = " vs ".join(_shown(c) for c in clusters)
    check = "table_text" if _is_table_text(scope, clusters) else "cross_mention"
    head, *rest = clusters
    other = rest[0]
    return make_flag(
        check,
        f"{scope_prefix(scope)}{label}{when}前后不一致：{values}",
        f"{scope_en(scope)}{index.label_en(concept)}{when_en} is stated with different values that no rounding "
        f"reconciles: " + " vs ".join(_shown_en(c) for c in clusters),
        facts=[f.id for c in clusters for f in c],
        expected=head[0].value,
        actual=other[0].value,
        tolerance=0.0,
    )
