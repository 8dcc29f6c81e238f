"""The 绩效目标表 of a generated 部门预算: one per project, and the department's own.

Each project line of the accounts (a 项 with project money) gets the table real budgets
publish after their statement tables: 项目名称, 主管部门, 实施单位, the 项目资金 rows
(年度资金总额, 其中：财政拨款, 其他资金), the 年度总体目标 and the indicator rows (一级,
二级, 三级指标, 指标值). What each project does and which indicators it sets are data
(targets.yaml); the values are drawn with a seed of their own, or are the document's own
figures (a 成本指标 is the project's budget, the department's 成本指标 its totals), so the
tables agree with the rest of the document.

The variant's `TargetLayout` decides what changes between editions: merged or repeated
一级/二级 cells, the operator inside the 指标值 cell or in a 指标性质 column (with a 度量单位
column), amounts in 万元 or 元, the title, and the 2021 template where 成本指标 is a 一级.
The gold records every printed amount as a `budget.*` fact at the project's scope and
every indicator row as it is printed (merged cells filled down, eval/GUIDE.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from juesuan.accounts import Accounts, Line
from juesuan.blocks import Block, Gold, PageBreak, Table, wan, yuan
from juesuan.variant import TargetLayout, Variant

STAGE = "budget_initial"
#: the 一级指标 of each 二级指标 (the pre-2021 template: 成本指标 is an 产出 二级)
LEVEL1 = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}
ORDER = ["产出指标", "效益指标", "满意度指标", "成本指标"]


@cache
def catalogue() -> dict[str, Any]:
    path = Path(__file__).with_name("targets.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Indicator:
    """One indicator row as the generator decided it (before any layout prints it)."""

    level1: str
    level2: str
    level3: str
    op: str  # ≥ ≤ = , "" for a bare number, 定性 for text
    shown: str  # the value as printed, without operator and unit
    value: Decimal | None
    unit: str | None


class Grid:
    """Rows of a table with merged cells: a covered cell is None, each merge a span."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[list[str | None]] = []
        self.spans: list[tuple[int, int, int, int]] = []

    def add(self, *cells: str | tuple[str, int]) -> int:
        row: list[str | None] = []
        r = len(self.rows)
        for cell in cells:
            text, span = cell if isinstance(cell, tuple) else (cell, 1)
            if span > 1:
                self.spans.append((r, len(row), r, len(row) + span - 1))
            row += [text] + [None] * (span - 1)
        assert len(row) == self.width, row
        self.rows.append(row)
        return r

    def down(self, col: int, first: int, last: int) -> None:
        """Merge column `col` from row `first` to `last` (the cells below become None)."""
        if last > first:
            self.spans.append((first, col, last, col))
            for r in range(first + 1, last + 1):
                self.rows[r][col] = None


class TargetComposer:
    def __init__(self, variant: Variant, accounts: Accounts, gold: Gold) -> None:
        assert variant.targets is not None
        self.v = variant
        self.layout: TargetLayout = variant.targets
        self.a = accounts
        self.gold = gold
        self.name = variant.profile.name
        self.year = variant.year

    # ------------------------------------------------------------------ amounts
    def money(self, m: int) -> str:
        return yuan(m, decimals=True) if self.layout.unit == "元" else wan(m)

    def fact(self, concept: str, m: int, scope: str, shown: str) -> None:
        self.gold.fact(concept, m, year=self.year, stage=STAGE, scope=scope, quote=shown)

    @property
    def width(self) -> int:
        return 6 if self.layout.operator == "column" else 5

    # ------------------------------------------------------------------ indicators
    def draw(self, spec: dict[str, Any], rng: random.Random, own: dict[str, int]) -> Indicator:
        level2 = spec["level2"]
        level1 = LEVEL1[level2]
        if level2 == "成本指标" and self.layout.cost_first_level:
            level1, level2 = "成本指标", "经济成本指标"
        kind = spec["kind"]
        if kind == "text":
            return Indicator(level1, level2, spec["level3"], "定性", spec["text"], None, None)
        if kind in own:
            value = Decimal(own[kind]) / 100
            shown = f"{value:.2f}"
        elif "value" in spec:
            value = Decimal(spec["value"])
            shown = str(spec["value"])
        else:
            low, high = spec["range"]
            value = Decimal(rng.randint(low, high))
            shown = str(value)
        return Indicator(level1, level2, spec["level3"], spec["op"], shown, value, spec["unit"])

    def rows_of(
        self, specs: list[dict[str, Any]], seed: str, own: dict[str, int]
    ) -> list[Indicator]:
        rng = random.Random(f"{self.v.seed}:{seed}")
        drawn = [self.draw(spec, rng, own) for spec in specs]
        return sorted(drawn, key=lambda i: ORDER.index(i.level1))  # stable within a 一级

    def print_row(self, ind: Indicator) -> tuple[list[str], dict[str, Any]]:
        """The printed cells of an indicator row and its gold (eval/GUIDE.md's rules)."""
        operator: str | None
        if self.layout.operator == "inside":
            if ind.op == "定性":
                cell, operator = ind.shown, "定性"
            else:
                cell = f"{ind.op}{ind.shown}{ind.unit or ''}"
                operator = ind.op or None
            cells = [cell]
            gold = {"operator": operator, "target_text": cell, "unit": ind.unit}
        else:
            nature = ind.op or "="
            cells = [nature, ind.shown, ind.unit or ""]
            gold = {"operator": nature, "target_text": ind.shown, "unit": ind.unit}
        value = ind.value
        number: int | float | None = None
        if value is not None:
            number = int(value) if value == value.to_integral_value() else float(value)
        return cells, {
            "level1": ind.level1,
            "level2": ind.level2,
            "level3": ind.level3,
            "operator": gold["operator"],
            "target_text": gold["target_text"],
            "target_value": number,
            "unit": gold["unit"],
            "actual_text": None,
            "actual_value": None,
            "weight": None,
            "score": None,
        }

    def indicator_block(self, grid: Grid, rows: list[Indicator], scope: str) -> None:
        merged = self.layout.level1 == "merged"
        if self.layout.operator == "inside":
            head = grid.add("绩效指标", "一级指标", "二级指标", "三级指标", "指标值")
        else:
            head = grid.add("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位")
        first = head + 1
        lead = 1 if self.layout.operator == "inside" else 0
        for ind in rows:
            cells, gold = self.print_row(ind)
            grid.add(*([""] * lead), ind.level1, ind.level2, ind.level3, *cells)
            self.gold.indicators.append({"scope": scope, "table": "target", **gold})
        last = len(grid.rows) - 1
        if lead:
            grid.down(0, head, last)
        if merged:  # a 一级 cell spans its rows; a 二级 cell its rows within that 一级
            for col, key in (
                (lead, lambda i: (i.level1,)),
                (lead + 1, lambda i: (i.level1, i.level2)),
            ):
                start = 0
                for k in range(1, len(rows) + 1):
                    if k == len(rows) or key(rows[k]) != key(rows[start]):
                        grid.down(col, first + start, first + k - 1)
                        start = k

    # ------------------------------------------------------------------ tables
    def table(self, title: str, grid: Grid) -> Table:
        w = self.width
        widths = [1.4, 1.4, 1.6, 3.2, 1.6] if w == 5 else [1.4, 1.6, 3.2, 1.0, 1.4, 1.0]
        return Table(
            title=title,
            left=f"编制部门：{self.name}",
            unit=f"单位：{self.layout.unit}",
            header=[],
            rows=grid.rows,
            text_columns=w,
            widths=widths,
            spans=grid.spans,
        )

    def amount_rows(self, grid: Grid, label: str, items: list[tuple[str, int, str, str]]) -> None:
        """The 项目资金 rows: label cell merged down, then (name, amount) per row."""
        w = self.width
        first = len(grid.rows)
        for i, (caption, m, concept, scope) in enumerate(items):
            shown = self.money(m)
            self.fact(concept, m, scope, shown)
            grid.add(label if i == 0 else "", (caption, 2), (shown, w - 3))
        grid.down(0, first, len(grid.rows) - 1)

    def project_table(self, line: Line, index: int) -> list[Block]:
        data = catalogue()
        entry = data["admin"] if line.code == self.v.profile.admin_line else data[line.code]
        name = entry["name"]
        fiscal = line.gb_project + line.gf_project
        own = {"cost": line.project}
        rows = self.rows_of(entry["indicators"], line.code, own)
        printed = {ind.level3: ind.shown for ind in rows}
        goal = entry["goal"].format(**printed)
        grid = Grid(self.width)
        w = self.width
        grid.add("项目名称", (name, w - 1))
        grid.add("主管部门", (self.name, 2), "实施单位", (self.name, w - 4))
        unit = self.layout.unit
        self.amount_rows(
            grid,
            f"项目资金（{unit}）",
            [
                ("年度资金总额", line.project, "budget.initial", name),
                ("其中：财政拨款", fiscal, "budget.fiscal_funds", name),
                ("其他资金", line.other_project, "budget.other_funds", name),
            ],
        )
        grid.add("年度总体目标", (goal, w - 1))
        self.indicator_block(grid, rows, name)
        self.gold.projects.append({"name": name, "code": None})
        title = self.layout.title.format(year=self.year)
        blocks: list[Block] = [PageBreak()] if index else []
        return [*blocks, self.table(title, grid)]

    def department_table(self) -> list[Block]:
        a = self.a
        lines = list(a.lines.values())
        gb = a.total_of("gb")
        gf = a.total_of("gf_project")
        total = a.total_of("total")
        other = total - gb - gf
        basic = sum(ln.basic for ln in lines)
        project = sum(ln.project for ln in lines)
        projects = [ln for ln in lines if ln.gb_project or ln.gf_project]
        own = {
            "total": total,
            "three_public": a.three_budget.total,
            "operating": a.operating,
        }
        specs = catalogue()["department"]["indicators"]
        rng_rows = []
        for spec in specs:
            if spec["kind"] == "projects":
                spec = {**spec, "kind": "count", "value": len(projects)}
            rng_rows.append(spec)
        rows = self.rows_of(rng_rows, "department", own)
        w = self.width
        grid = Grid(w)
        grid.add("部门名称", (self.name, w - 1))
        unit = self.layout.unit
        first = len(grid.rows)
        d = "department"
        grid.add(f"年度预算申请（{unit}）", "资金总额", (self.money(total), w - 2))
        self.fact("budget.initial", total, d, self.money(total))
        grid.add("", ("按收入性质分", 2), ("按支出性质分", w - 3))
        pairs = [
            ("一般公共预算拨款", gb, "budget.general_budget", "基本支出", basic, "budget.basic"),
            ("政府性基金拨款", gf, "budget.gov_fund", "项目支出", project, "budget.project"),
            ("其他资金", other, "budget.other_funds", "", 0, ""),
        ]
        for left, lm, lc, right, rm, rc in pairs:
            ls = self.money(lm)
            self.fact(lc, lm, d, ls)
            rs = self.money(rm) if rc else ""
            if rc:
                self.fact(rc, rm, d, rs)
            if w == 5:
                grid.add("", left, ls, right, rs)
            else:
                grid.add("", left, ls, right, (rs, 2))
        grid.down(0, first, len(grid.rows) - 1)
        grid.add("年度总体目标", (catalogue()["department"]["goal"], w - 1))
        self.indicator_block(grid, rows, d)
        assert self.layout.department_title
        title = self.layout.department_title.format(year=self.year)
        return [PageBreak(), self.table(title, grid)]

    def compose(self) -> list[Block]:
        projects = [ln for ln in self.a.lines.values() if ln.gb_project or ln.gf_project]
        blocks: list[Block] = [PageBreak()]
        for i, line in enumerate(projects):
            blocks += self.project_table(line, i)
        if self.layout.department_title:
            blocks += self.department_table()
        return blocks
