"""The generated fixtures (tools/make_juesuan.py): their gold is what the generator knows.

A clean variant's gold facts satisfy every identity of the form, recomputed here from the
gold alone (not through the generator's code); each planted slip breaks exactly what its
flag says; the committed gold.json files are what the generator writes today.
"""

from __future__ import annotations

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from juesuan.accounts import build  # noqa: E402
from juesuan.compose_budget import BudgetComposer  # noqa: E402
from juesuan.compose_final import FinalComposer  # noqa: E402
from make_juesuan import VARIANTS, prepare  # noqa: E402

Key = tuple[str, str, int, str | None]


def compose(variant):
    accounts = build(variant.profile, variant.year, variant.seed)
    prepare(variant, accounts)
    composer = FinalComposer if variant.kind == "final" else BudgetComposer
    _, gold = composer(variant, accounts).compose()
    return gold


def facts_of(items: list[dict]) -> dict[Key, Decimal]:
    return {
        (f["concept"], f["scope"], f["year"], f["stage"]): Decimal(str(f["value"])) for f in items
    }


def two(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), ROUND_HALF_UP)


def identity_problems(facts: dict[Key, Decimal], year: int, stage: str) -> list[str]:
    """Every identity the gold's own figures must meet, as a reviewer would recompute it."""

    def v(concept: str, scope: str = "department", st: str = stage) -> Decimal | None:
        return facts.get((concept, scope, year, st))

    problems: list[str] = []

    def same(a: Decimal | None, b: Decimal | None, what: str) -> None:
        if a is not None and b is not None and abs(a - b) > Decimal("0.001"):
            problems.append(f"{what}: {a} vs {b}")

    zero = Decimal(0)
    same(
        v("fa.total"),
        (v("fa.revenue_total") or zero) + (v("fa.carryover_begin") or zero),
        "收入侧总计",
    )
    same(
        v("fa.total"),
        (v("fa.expenditure_total") or zero) + (v("fa.carryover_end") or zero),
        "支出侧总计",
    )
    same(
        v("fa.expenditure_total"),
        (v("fa.expenditure.basic") or zero) + (v("fa.expenditure.project") or zero),
        "基本 + 项目",
    )
    same(
        v("fa.general_budget_basic"),
        (v("fa.personnel") or zero) + (v("fa.public") or zero),
        "人员 + 公用",
    )
    classes = [
        k
        for k in facts
        if k[0].startswith("fa.function.")
        and k[0].count(".") == 2
        and k[1] == "department"
        and k[2] == year
        and k[3] == stage
    ]
    same(v("fa.general_budget_expenditure"), sum((facts[k] for k in classes), zero), "Σ 类")
    for k in classes:
        items = [
            i
            for i in facts
            if i[0] == k[0]
            and i[1].startswith("item:")
            and len(i[1]) == 12
            and i[2] == year
            and i[3] == stage
        ]
        if items:
            same(facts[k], sum((facts[i] for i in items), zero), f"{k[0]} = Σ 项")
    for st in ("final", "budget_initial"):
        total = v("fa.three_public.total", st=st)
        parts = [v(f"fa.three_public.{p}", st=st) for p in ("overseas", "vehicle", "reception")]
        if total is not None and None not in parts:
            same(total, sum(parts, zero), f"三公 {st}")
    operating, public = v("fa.operating_expenditure"), v("fa.public")
    if operating is not None and public is not None and operating > public:
        problems.append(f"机关运行经费 {operating} > 公用经费 {public}")
    for (concept, scope, y, st), value in facts.items():
        if concept.endswith(".yoy_change_pct"):
            base = concept.removesuffix(".yoy_change_pct")
            now, change = (
                facts.get((base, scope, y, st)),
                facts.get((f"{base}.yoy_change", scope, y, st)),
            )
            if now is not None and change is not None and now != change:
                rate = two(change * 100 / (now - change))
                if rate != value:
                    problems.append(f"{concept}: {value} vs {rate}")
        if concept.endswith(".completion_pct"):
            base = concept.removesuffix(".completion_pct")
            final, budget = (
                facts.get((base, scope, y, "final")),
                facts.get((base, scope, y, "budget_initial")),
            )
            if budget == 0:
                problems.append(f"{concept} {scope}: a rate on a zero budget")
            elif final is not None and budget is not None and two(final * 100 / budget) != value:
                problems.append(f"{concept} {scope}: {value} vs {two(final * 100 / budget)}")
    return problems


CLEAN = [v for v in VARIANTS if not v.slips]
ARITHMETIC_SLIPS = {
    "sum_three": "三公 final",
    "yoy_wrong": "yoy_change_pct",
    "rate_trunc": "completion_pct",
    "zero_rate": "zero budget",
    "operating_over": "机关运行经费",
}


@pytest.mark.parametrize("variant", CLEAN, ids=lambda v: v.id)
def test_a_clean_variant_meets_every_identity_and_has_no_flag(variant):
    gold = compose(variant)
    stage = "final" if variant.kind == "final" else "budget_initial"
    assert identity_problems(facts_of(gold.fact_list()), variant.year, stage) == []
    assert gold.flags == []


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.slips], ids=lambda v: v.id)
def test_each_planted_slip_is_one_flag_and_breaks_what_it_says(variant):
    gold = compose(variant)
    assert len(gold.flags) == len(variant.slips)
    stage = "final" if variant.kind == "final" else "budget_initial"
    problems = identity_problems(facts_of(gold.fact_list()), variant.year, stage)
    planted = [ARITHMETIC_SLIPS[s] for s in variant.slips if s in ARITHMETIC_SLIPS]
    # the identities fail exactly where an arithmetic slip was planted, nowhere else
    assert all(any(p in problem for p in planted) for problem in problems)
    assert all(any(p in problem for problem in problems) for p in planted)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_the_committed_gold_is_what_the_generator_writes(variant):
    path = ROOT / "eval" / "fixtures" / variant.id / "gold.json"
    committed = json.loads(path.read_text(encoding="utf-8"))
    gold = compose(variant)
    assert facts_of(committed["facts"]) == facts_of(gold.fact_list())
    assert [(f["check"], f["concepts"]) for f in committed["flags"]] == [
        (f["check"], f["concepts"]) for f in gold.flags
    ]
    assert committed["group"] == "generated"
