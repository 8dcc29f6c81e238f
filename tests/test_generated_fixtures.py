"""The generated fixtures (tools/make_juesuan.py): their gold is what the generator knows.

A clean variant's gold facts satisfy every identity of the form, recomputed here from the
gold alone (not through the generator's code); each planted slip breaks exactly what its
flag says; the committed gold.json files are what the generator writes today; and the
gold's indicator rows are the rows of the 绩效目标表 as printed, read back from the tables
the generator renders (and from the DOCX files themselves) with merged cells filled down.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from juesuan.accounts import build  # noqa: E402
from juesuan.blocks import Table  # noqa: E402
from make_juesuan import VARIANTS, composer_of, prepare  # noqa: E402

Key = tuple[str, str, int, str | None]


def compose_blocks(variant):
    accounts = build(variant.profile, variant.year, variant.seed)
    prepare(variant, accounts)
    return composer_of(variant)(variant, accounts).compose()


def compose(variant):
    return compose_blocks(variant)[1]


def facts_of(items: list[dict]) -> dict[Key, Decimal]:
    """Gold facts by key, each value with the decimals it is printed with."""
    out = {}
    for f in items:
        value = Decimal(str(f["value"]))
        if "decimals" in f:
            value = value.quantize(Decimal(1).scaleb(-f["decimals"]))
        out[(f["concept"], f["scope"], f["year"], f["stage"])] = value
    return out


def two(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), ROUND_HALF_UP)


def like(x: Decimal, printed: Decimal) -> Decimal:
    """x rounded as `printed` is (an edition prints one-decimal percentages)."""
    exponent = printed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 2
    return x.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


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
    if v("fa.personnel") is not None or v("fa.public") is not None:  # the 经济分类 printed
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
    procurement = [v(f"fa.procurement.{p}") for p in ("goods", "works", "services")]
    if v("fa.procurement_total") is not None and None not in procurement:
        same(v("fa.procurement_total"), sum(procurement, zero), "政府采购 货物 + 工程 + 服务")
    projects = [
        value
        for (concept, scope, y, st), value in facts.items()
        if concept == "budget.initial" and scope != "department" and y == year and st == stage
    ]
    if projects and v("perf.target_funds") is not None:
        same(v("perf.target_funds"), sum(projects, zero), "Σ 项目 = 涉及项目预算资金")
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
                rate = like(change * 100 / (now - change), value)
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
            elif final is not None and budget is not None:
                rate = like(final * 100 / budget, value)
                if rate != value:
                    problems.append(f"{concept} {scope}: {value} vs {rate}")
    return problems


def target_problems(facts: dict[Key, Decimal], indicators: list[dict], year: int) -> list[str]:
    """The 绩效目标表 against the rest of the document, recomputed from the gold alone."""
    problems: list[str] = []
    stage = "budget_initial"

    def v(concept: str, scope: str = "department") -> Decimal | None:
        return facts.get((concept, scope, year, stage))

    zero = Decimal(0)
    projects = sorted({k[1] for k in facts if k[0] == "budget.initial" and k[1] != "department"})
    for name in projects:
        total = v("budget.initial", name)
        parts = (v("budget.fiscal_funds", name) or zero) + (v("budget.other_funds", name) or zero)
        if total != parts:
            problems.append(f"{name}: 年度资金总额 {total} ≠ 财政拨款 + 其他资金 {parts}")
        costs = [r for r in indicators if r["scope"] == name and r["unit"] == "万元"]
        if [Decimal(str(r["target_value"])) for r in costs] != [total]:
            problems.append(f"{name}: 成本指标 {costs} against 年度资金总额 {total}")
        if not [r for r in indicators if r["scope"] == name]:
            problems.append(f"{name}: a project without indicator rows")
    if projects:
        funds = sum((v("budget.initial", name) or zero for name in projects), zero)
        if funds != v("perf.target_funds"):
            problems.append(f"Σ 项目 {funds} ≠ 涉及项目预算资金 {v('perf.target_funds')}")
        counted = facts.get(("perf.target_projects", "department", year, None))
        if counted != len(projects):
            problems.append(f"{len(projects)} 绩效目标表 ≠ 编报绩效目标的项目{counted}个")
    total = v("budget.initial")
    if total is not None:
        by_source = sum(
            (
                v(c) or zero
                for c in ("budget.general_budget", "budget.gov_fund", "budget.other_funds")
            ),
            zero,
        )
        by_use = (v("budget.basic") or zero) + (v("budget.project") or zero)
        if not total == by_source == by_use == v("fa.revenue_total"):
            problems.append(f"部门整体 资金总额 {total}: 按收入 {by_source}, 按支出 {by_use}")
        own = {total, v("fa.three_public.total"), v("fa.operating_expenditure")}
        for row in indicators:
            if row["scope"] != "department":
                continue
            if row["unit"] == "万元" and Decimal(str(row["target_value"])) not in own:
                problems.append(
                    f"部门整体 {row['level3']} {row['target_value']}: not a document figure"
                )
            if row["unit"] == "个" and row["target_value"] != len(projects):
                problems.append(f"部门整体 {row['level3']} {row['target_value']} ≠ {len(projects)}")
    return problems


CLEAN = [v for v in VARIANTS if not v.slips]
ARITHMETIC_SLIPS = {
    "sum_three": "三公 final",
    "yoy_wrong": "yoy_change_pct",
    "rate_trunc": "completion_pct",
    "zero_rate": "zero budget",
    "operating_over": "机关运行经费",
    "procurement_sum": "政府采购",
    "project_sum": "Σ 项目",
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
    assert committed["projects"] == gold.projects
    assert committed["indicators"] == gold.indicators
    assert committed["group"] == "generated"


TARGETS = [v for v in VARIANTS if v.targets]


def test_the_budgets_print_their_targets_in_more_than_one_layout_and_rendering():
    layouts = {v.targets for v in TARGETS}
    assert len(layouts) >= 2
    assert {v.layout for v in TARGETS} == {"ruled", "plain", "docx"}
    assert {t.level1 for t in layouts} == {"merged", "repeated"}
    assert {t.operator for t in layouts} == {"inside", "column"}
    assert {t.unit for t in layouts} == {"万元", "元"}
    assert len({t.title for t in layouts}) == len(layouts)


@pytest.mark.parametrize("variant", TARGETS, ids=lambda v: v.id)
def test_the_targets_agree_with_the_rest_of_the_budget(variant):
    gold = compose(variant)
    facts = facts_of(gold.fact_list())
    assert gold.indicators and gold.projects
    assert {p["name"] for p in gold.projects} | {"department"} >= {
        r["scope"] for r in gold.indicators
    }
    assert target_problems(facts, gold.indicators, variant.year) == []


def test_a_target_table_that_disagrees_with_the_budget_is_caught():
    variant = TARGETS[0]
    gold = compose(variant)
    facts = facts_of(gold.fact_list())
    name = gold.projects[0]["name"]
    key = ("budget.initial", name, variant.year, "budget_initial")
    facts[key] += Decimal("0.01")
    problems = target_problems(facts, gold.indicators, variant.year)
    assert any("财政拨款 + 其他资金" in p for p in problems)
    assert any("成本指标" in p for p in problems)
    assert any("涉及项目预算资金" in p for p in problems)


def filled(rows: list[list[str | None]], spans) -> list[list[str]]:
    """A table's cells with every merged cell's text copied into the cells it covers."""
    grid = [[c or "" for c in row] for row in rows]
    for r0, c0, r1, c1 in spans:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[r][c] = rows[r0][c0] or ""
    return grid


NUMBER = re.compile(r"([≥≤=<>]?)(\d+(?:\.\d+)?)(.*)")


def read_targets(grid: list[list[str]]) -> tuple[str, list[dict]] | None:
    """The scope and indicator rows of one printed 绩效目标表, as a reader of it would take them."""
    if not grid or grid[0][0] not in ("项目名称", "部门名称"):
        return None
    scope = grid[0][1] if grid[0][0] == "项目名称" else "department"
    head = next(i for i, row in enumerate(grid) if "三级指标" in row)
    col = {name: i for i, name in enumerate(grid[head])}
    rows = []
    for row in grid[head + 1 :]:
        if "指标性质" in col:
            text, unit = row[col["指标值"]], row[col["度量单位"]] or None
            operator = row[col["指标性质"]]
            number = NUMBER.fullmatch(text)
        else:
            text = row[col["指标值"]]
            number = NUMBER.fullmatch(text)
            operator = (number.group(1) or None) if number else "定性"
            unit = (number.group(3) or None) if number else None
        value = Decimal(number.group(2)) if number else None
        rows.append(
            {
                "level1": row[col["一级指标"]],
                "level2": row[col["二级指标"]],
                "level3": row[col["三级指标"]],
                "operator": operator,
                "target_text": text,
                "target_value": value,
                "unit": unit,
            }
        )
    return scope, rows


def gold_rows(gold_indicators: list[dict], scope: str) -> list[dict]:
    keys = ("level1", "level2", "level3", "operator", "target_text", "target_value", "unit")
    out = []
    for r in gold_indicators:
        if r["scope"] == scope:
            row = {k: r[k] for k in keys}
            if row["target_value"] is not None:
                row["target_value"] = Decimal(str(row["target_value"]))
            out.append(row)
    return out


@pytest.mark.parametrize("variant", TARGETS, ids=lambda v: v.id)
def test_the_gold_indicator_rows_are_the_rows_the_generator_printed(variant):
    blocks, gold = compose_blocks(variant)
    tables = [b for b in blocks if isinstance(b, Table)]
    printed = [read_targets(filled(t.rows, t.spans)) for t in tables]
    printed = [p for p in printed if p]
    assert [scope for scope, _ in printed] == list(
        dict.fromkeys(r["scope"] for r in gold.indicators)
    )
    for scope, rows in printed:
        assert rows == gold_rows(gold.indicators, scope), scope
    if variant.layout == "docx":  # the file itself, merged cells as Word stores them
        document = Document(str(ROOT / "eval" / "fixtures" / variant.id / "source.docx"))
        grids = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
        in_file = [p for p in (read_targets(g) for g in grids) if p]
        assert in_file == printed


WILD = [v for v in VARIANTS if v.edition]


def test_the_wild_fixtures_print_distinct_editions_of_both_kinds():
    from juesuan.compose_wild import edition

    editions = [v.edition for v in WILD]
    assert len(WILD) >= 6 and len(set(editions)) == len(editions)
    assert {v.kind for v in WILD} == {"final", "budget"}
    assert {v.layout for v in WILD} >= {"ruled", "plain", "docx", "html"}
    assert {edition(e)["unit"] for e in editions} == {"万元", "元"}
    assert len({edition(e)["order"] for e in editions}) == 2
    assert all(v.id.startswith("gen-wild-") for v in WILD)


@pytest.mark.parametrize("variant", WILD, ids=lambda v: v.id)
def test_a_wild_fixture_titles_its_tables_as_its_edition_does(variant):
    """The tables are the edition's, under its titles, in its order (a planted missing
    table excepted), and each printed figure's quote is a clause of the document."""
    from juesuan.compose_wild import edition

    e = edition(variant.edition)
    blocks, gold = compose_blocks(variant)
    titles = [b.title for b in blocks if isinstance(b, Table) and b.title]
    expected = [
        title.format(year=variant.year)  # a title may carry the year
        for role, title in e["tables"]
        if not ("missing_table" in variant.slips and role == "econ")
    ]
    assert len(titles) >= len(expected)
    assert all(title.endswith(t) for title, t in zip(titles, expected, strict=False)), titles
    text = "".join(b.text if hasattr(b, "text") else "" for b in blocks if not isinstance(b, Table))
    prose = [f["quote"] for f in gold.fact_list() if f.get("quote") and f["quote"] in text]
    assert len(prose) > 40


def test_the_web_editions_are_written_as_government_sites_serve_them():
    """The 广东 page declares GB2312 (its bytes GB18030), the 北京 page is 繁體."""
    pages = {
        v.edition: ROOT / "eval" / "fixtures" / v.id / "source.html"
        for v in WILD
        if v.layout == "html"
    }
    gd = pages["guangdong_web"].read_bytes()
    assert b"charset=gb2312" in gd
    assert "部门决算" in gd.decode("gb18030")
    bj = pages["beijing_traditional"].read_text(encoding="utf-8")
    assert "部門預算" in bj and "部门预算" not in bj
