"""Generated documents in the editions real disclosures show (editions.yaml, gen-wild-*).

The national 部门决算 form and the corpus 部门预算 form are one template each; the
documents jixiao is measured on follow their province's edition instead: other table
sets and titles (收入支出决算表, 一般公共预算财政拨款收入支出决算表, a “三公” table with
会议费 and 培训费, one listing its figures down a column), the text before the tables or
after them, other wordings of totals, changes, shares and rates (收、支总计均为…, 较上年…,
完成全年预算X万元的Y%, 增长--（基数为0，不可比）), one-decimal percentages, amounts in 元
in the prose, 繁體 pages, covers dated 二〇二四年. An edition (editions.yaml) says which;
these composers print the same invented accounts (juesuan.accounts) that way.

The statement tables come from the national composers (the same cells, the same facts),
renamed, renumbered and re-placed as the edition prints them; the tables only some
editions have are built here. The prose is written here from the edition's phrases: every
figure a phrase prints is recorded as the fact it is (concept, scope, year, stage), with
the clause around it as its quote, so the gold stays what the generator knows.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from juesuan.accounts import Accounts, Line, ThreePublic
from juesuan.blocks import Block, Gold, Heading, PageBreak, Para, Table, wan
from juesuan.catalogue import (
    ECON_NAMES,
    FUNCTION_NAMES,
    PURPOSES,
    REASONS_LESS,
    REASONS_MORE,
)
from juesuan.compose_budget import BudgetComposer
from juesuan.compose_final import CN_NUMBERS_LONG, GLOSSARY, FinalComposer, project_budget
from juesuan.compose_targets import TargetComposer, catalogue
from juesuan.tables import Cells, Column, coded_table
from juesuan.variant import Variant

FINAL = "final"
BUDGET = "budget_initial"
ADJUSTED = "budget_adjusted"
CN_DIGITS = "〇一二三四五六七八九"
CLAUSE_ENDS = "，。；："

#: a printed figure and the fact it is: (shown, (concept, value, keyword arguments)) or
#: (shown, None) for a figure that is no fact (a count the gold leaves unlabelled)
Field = tuple[str, tuple[str, Any, dict[str, Any]] | None]

BUDGET_GLOSSARY = [
    "一、财政拨款收入：指本级财政当年拨付的资金，包括一般公共预算、政府性基金预算和国有资本经营预算拨款。",
    "二、基本支出：指为保障机构正常运转、完成日常工作任务而编列的人员经费和公用经费。",
    "三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所安排的支出。",
    "四、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "五、机关运行经费：指行政单位和参照公务员法管理的事业单位用一般公共预算安排的基本支出中的公用经费。",
]


@cache
def _editions() -> dict[str, Any]:
    path = Path(__file__).with_name("editions.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def edition(name: str) -> dict[str, Any]:
    """An edition with the defaults filled in (phrases merged key by key)."""
    data = _editions()
    own = data["editions"][name]
    merged = {**data["defaults"], **own}
    merged["phrases"] = {**data["defaults"]["phrases"], **own.get("phrases", {})}
    return merged


def edition_names() -> list[str]:
    return list(_editions()["editions"])


def year_cn(year: int) -> str:
    """2024 → 二〇二四 (the year form of some covers)."""
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def clause(text: str, needle: str) -> str:
    """The clause of `text` (between ，。；：) that holds `needle`: a figure's quote."""
    i = text.find(needle)
    if i < 0:
        raise ValueError(f"{needle!r} is not in {text!r}")
    start = max(text.rfind(d, 0, i) for d in CLAUSE_ENDS) + 1
    ends = [j for j in (text.find(d, i + len(needle)) for d in CLAUSE_ENDS) if j >= 0]
    return text[start : min(ends) if ends else len(text)]


class Printer:
    """Figures in the prose, printed the edition's way."""

    def __init__(self, e: dict[str, Any]) -> None:
        self.e = e

    def money(self, m: int) -> str:
        e = self.e
        if m == 0:
            number = e["zero_money"]
        elif e["text_unit"] == "万元":
            number = wan(m, separators=e["text_separators"])
        else:  # whole 元 (the accounts are kept in 100 元)
            number = f"{m * 100:,}" if e["text_separators"] else str(m * 100)
        return number + (" " if e["money_space"] else "") + e["text_unit"]

    def rate(self, part: int, whole: int) -> Decimal:
        quantum = Decimal(1).scaleb(-self.e["pct_decimals"])
        return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, ROUND_HALF_UP)

    def pct(self, value: Decimal, sign: bool = True) -> str:
        e = self.e
        n = e["pct_decimals"]
        if value == 0:
            number = e["zero_pct"]
        else:
            number = f"{value:,.{n}f}" if e["text_separators"] else f"{value:.{n}f}"
        return number + ((" %" if e["pct_space"] else "%") if sign else "")

    def pct_value(self, value: Decimal) -> Decimal:
        """The value a printed percentage stands for (a zero printed as 0 is exact)."""
        return Decimal(0) if value == 0 and self.e["zero_pct"] == "0" else value


class EditionCells(Cells):
    """Table cells in the edition's unit, decimals and separators."""

    def __init__(
        self,
        variant: Variant,
        gold: Gold,
        stage: str,
        e: dict[str, Any],
        blank_zero: bool = True,
    ) -> None:
        super().__init__(variant, gold, stage, blank_zero)
        self.e = e

    def text(self, m: int) -> str:
        if m == 0 and self.blank_zero:
            return ""
        e = self.e
        if e["unit"] == "万元":
            return wan(m, separators=e["table_separators"])
        comma = "," if e["table_separators"] else ""
        return f"{Decimal(m * 100):{comma}.{e['table_decimals']}f}"

    @property
    def unit_label(self) -> str:
        return self.e["unit_label"].format(unit=self.e["unit"])


class EditionMixin:
    """What both composers share: the edition's cover, 目录, phrases and table placement."""

    v: Variant
    e: dict[str, Any]
    p: Printer
    name: str
    year: int
    prior: int
    blocks: list[Block]
    gold: Gold
    slips: set[str]
    add: Callable[..., None]
    fact: Callable[..., None]

    # ------------------------------------------------------------------ text
    def fmt(self, template: str, **extra: Any) -> str:
        return template.format(
            name=self.name,
            suffix=self.e["name_suffix"],
            year=self.year,
            prior=self.prior,
            year1=self.year + 1,
            year_cn=year_cn(self.year),
            seed=self.v.seed % 10,
            **extra,
        )

    def emit(self, key: str, fields: dict[str, Field], stage: str) -> str:
        """The edition's phrase `key` with `fields` printed, and the facts it states."""
        template = self.e["phrases"][key]
        if not template:
            return ""
        shown = {k: s for k, (s, _) in fields.items()}
        text = template.format(self=self.e["self_ref"], year=self.year, prior=self.prior, **shown)
        for k, (s, spec) in fields.items():
            if spec is None or "{" + k + "}" not in template:
                continue
            concept, value, kw = spec
            self.fact(concept, value, clause(text, s), **{"stage": stage, **kw})
        return text

    def money(self, concept: str, m: int, **kw: Any) -> Field:
        return self.p.money(m), (concept, m, kw)

    def share(self, concept: str, part: int, whole: int, **kw: Any) -> Field:
        r = self.p.rate(part, whole) if whole else Decimal(0)
        value = self.p.pct_value(r)
        return self.p.pct(r), (concept, value, {"money": False, "unit": "%", **kw})

    def change(self, concept: str, now: int, before: int, **kw: Any) -> dict[str, Field]:
        """word / delta / rword / rate of 比上年增加…，增长…% and their facts."""
        delta = now - before
        word, rword = ("增加", "增长") if delta >= 0 else ("减少", "下降")
        fields: dict[str, Field] = {
            "word": (word, None),
            "delta": (self.p.money(abs(delta)), (f"{concept}.yoy_change", delta, kw)),
        }
        if before == 0:
            fields["rword"] = ("", None)
            fields["rate"] = (self.fmt(self.e["no_base"]), None)
            return fields
        r = self.p.rate(abs(delta), before)
        value = self.p.pct_value(r)
        fields["rword"] = (rword, None)
        fields["rate"] = (
            self.p.pct(r),
            (
                f"{concept}.yoy_change_pct",
                value if delta >= 0 else -value,
                {"money": False, "unit": "%", **kw},
            ),
        )
        return fields

    # ------------------------------------------------------------------ layout
    def part(self, role: str) -> str:
        return self.fmt(self.e["parts"][role])

    def section(self, role: str) -> bool:
        """Print the section heading of `role` if the edition has that section."""
        if role not in self.e["sections"]:
            return False
        self.add(Heading(self.fmt(self.e["sections"][role]), 2))
        return True

    def cover(self) -> None:
        for line in self.e["header_lines"]:
            self.add(Para(line))
        for style, text in self.e["cover"]:
            self.add(
                Heading(self.fmt(text), 0) if style == "title" else Para(self.fmt(text), "center")
            )
        self.add(PageBreak())

    def toc(self) -> None:
        self.add(Heading("目　录", 1))
        for role, heading in self.e["parts"].items():
            self.add(Para(self.fmt(heading)))
            if role == "tables":
                for n, (_, title) in enumerate(self.e["tables"], 1):
                    title = self.fmt(title)
                    shown = f"《{title}》" if self.e.get("toc_quotes") else title
                    self.add(Para(f"{CN_NUMBERS_LONG[n - 1]}、{shown}"))
        self.add(PageBreak())

    def left_line(self) -> str:
        return self.fmt(self.e["left"]) if self.e["left"] else ""

    def place(self, table: Table, n: int, title: str) -> list[Block]:
        """A built table titled, numbered and labelled as the edition prints it."""
        e = self.e
        style = e["table_number"]
        title = self.fmt(title)  # a title may carry the year (2025年部门收支总体情况表)
        table.title = title
        if "{cn}" in style:
            table.title = style.format(cn=CN_NUMBERS_LONG[n - 1]) + title
        elif style.startswith("表"):
            table.title = f"{style.format(n=n)} {title}"
        elif "{n}" in style:  # 附表1：…
            table.title = style.format(n=n) + title
        unit = re.search(r"万元|元", table.unit or "")
        label = e["unit_label"].format(unit=unit.group(0)) if unit else table.unit
        if style.startswith("公开"):
            label = f"{style.format(n=n)}　{label}"
        table.unit = label
        table.left = self.left_line()
        return [PageBreak(), table] if e["page_breaks"] and n > 1 else [table]


# ---------------------------------------------------------------------------- 部门决算
class WildFinalComposer(EditionMixin, FinalComposer):
    def __init__(self, variant: Variant, accounts: Accounts) -> None:
        super().__init__(variant, accounts)
        assert variant.edition
        self.e = edition(variant.edition)
        self.p = Printer(self.e)
        self.cells = EditionCells(variant, self.gold, FINAL, self.e)
        self.rng = random.Random(f"wild:{variant.seed}")
        a = accounts
        self.meeting = (a.econ.get("30215", 0), a.econ.get("30215", 0) + self.rng.randint(0, 150))
        self.training = (a.econ.get("30216", 0), a.econ.get("30216", 0) + self.rng.randint(0, 150))

    def left(self) -> str:
        return self.left_line()

    def compose(self) -> tuple[list[Block], Gold]:
        self.cover()
        if self.e["toc"]:
            self.toc()
        self.overview()
        if self.e["order"] == "tables_first":
            self.tables()
            self.notes()
            self.glossary()
        else:
            self.notes()
            self.glossary()
            self.tables()
        return self.blocks, self.gold

    # ------------------------------------------------------------------ 概况
    def overview(self) -> None:
        p = self.v.profile
        place = p.county or p.city or p.province
        self.add(
            Heading(self.part("overview"), 1),
            Heading("一、主要职能", 2),
            Para(
                f"{self.name}是{place}负责相关领域行政管理的工作部门，承担本行政区域内的政策执行、"
                "行业监管、公共服务和上级交办的其他工作。"
            ),
            Heading("二、机构设置", 2),
            Para(
                f"{self.name}内设综合办公室、业务科室和财务室，纳入本年度决算编制范围的为{self.name}本级。"
            ),
        )
        if self.e["self_ref"] == "本单位":
            staff = p.staff
            self.fact(
                "staff.authorized",
                staff,
                f"核定编制{staff}名",
                stage=None,
                money=False,
                unit="人",
            )
            actual = staff - 2
            self.fact(
                "staff.actual",
                actual,
                f"年末实有在职人员{actual}名",
                stage=None,
                money=False,
                unit="人",
            )
            self.add(Para(f"本单位核定编制{staff}名，年末实有在职人员{actual}名。"))
        self.add(PageBreak())

    def glossary(self) -> None:
        self.add(PageBreak(), Heading(self.part("glossary"), 1), *[Para(t) for t in GLOSSARY])
        if "attachments" in self.e["parts"]:
            self.add(
                Heading(self.part("attachments"), 1),
                Para("本单位整体支出绩效自评情况和项目支出绩效自评结果另行公开。"),
            )

    # ------------------------------------------------------------------ tables
    def tables(self) -> None:
        self.add(PageBreak(), Heading(self.part("tables"), 1))
        for n, (builder, title) in enumerate(self.e["tables"], 1):
            start = len(self.blocks)
            getattr(self, f"build_{builder}")()
            built = [b for b in self.blocks[start:] if isinstance(b, Table)]
            del self.blocks[start:]
            assert len(built) == 1, builder
            table = built[0]
            self.add(*self.place(table, n, title))
            if "other_department" in self.slips and builder == "expenditure":
                other = self.other_department()
                table.left = self.e["left"].format(name=other)
                self.gold.flag(
                    "department_name",
                    [],
                    table.left,
                    f"the {title} names its 编制单位 {other}; the cover, the other tables and the "
                    f"text are {self.name}'s.",
                )

    def other_department(self) -> str:
        p = self.v.profile
        return f"{p.city or ''}{p.county or ''}财政局"

    def build_summary(self) -> None:
        self.summary_table()

    def build_revenue(self) -> None:
        self.revenue_table()

    def build_expenditure(self) -> None:
        self.expenditure_table()

    def build_fiscal(self) -> None:
        self.fiscal_table()

    def build_general_budget(self) -> None:
        self.general_budget_table()

    def build_basic(self) -> None:
        self.basic_table()

    def build_fund(self) -> None:
        self.fund_table()

    def build_state_capital(self) -> None:
        self.state_capital_table()

    def three_stage(self) -> tuple[str, str]:
        """The stage and column word of the “三公” budget (年初预算 or 全年预算)."""
        if self.e["three_budget"] == "全年预算":
            return ADJUSTED, "全年预算数"
        return BUDGET, "预算数"

    def build_three(self) -> None:
        """The national “三公” table: 预算数 and 决算数 of the total and each part."""
        a = self.a
        cells = EditionCells(self.v, self.gold, FINAL, self.e, blank_zero=False)
        stage, word = self.three_stage()
        b, f = a.three_budget, a.three_final
        pairs = [
            ("fa.three_public.total", b.total, f.total),
            ("fa.three_public.overseas", b.overseas, f.overseas),
            ("fa.three_public.vehicle", b.vehicle, f.vehicle),
            ("fa.three_public.vehicle_purchase", b.purchase, f.purchase),
            ("fa.three_public.vehicle_running", b.running, f.running),
            ("fa.three_public.reception", b.reception, f.reception),
        ]
        row = []
        for concept, budget, final in pairs:
            row += [cells.cell(budget, concept, stage=stage), cells.cell(final, concept)]
        none = [None] * 5
        header = [
            [
                "合计",
                None,
                "因公出国（境）费",
                None,
                "公务用车购置及运行维护费",
                *none,
                "公务接待费",
                None,
            ],
            [
                "",
                None,
                "",
                None,
                "小计",
                None,
                "公务用车购置费",
                None,
                "公务用车运行维护费",
                None,
                "",
                None,
            ],
            [word, "决算数"] * 6,
        ]
        self.add(
            Table(
                title="",
                left=self.left(),
                unit=cells.unit_label,
                header=header,
                rows=[row],
                text_columns=0,
                notes=["注：本表反映本年度“三公”经费财政拨款支出预决算情况。"],
            )
        )

    def build_three_meeting(self) -> None:
        """The 陕西 table: “三公” parts, 会议费 and 培训费, 预算数 then 决算数."""
        a = self.a
        cells = EditionCells(self.v, self.gold, FINAL, self.e, blank_zero=False)
        b, f = a.three_budget, a.three_final
        columns = [
            ("fa.three_public.total", b.total, f.total),
            ("fa.three_public.overseas", b.overseas, f.overseas),
            ("fa.three_public.vehicle", b.vehicle, f.vehicle),
            ("fa.three_public.vehicle_purchase", b.purchase, f.purchase),
            ("fa.three_public.vehicle_running", b.running, f.running),
            ("fa.three_public.reception", b.reception, f.reception),
            ("fa.meeting_expenditure", self.meeting[1], self.meeting[0]),
            ("fa.training_expenditure", self.training[1], self.training[0]),
        ]
        row = [cells.cell(budget, concept, stage=BUDGET) for concept, budget, _ in columns]
        row += [cells.cell(final, concept) for concept, _, final in columns]
        names = ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费", None, None]
        names += ["公务接待费", "会议费", "培训费"]
        sub = ["", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""]
        header = [
            ["预算数", *[None] * 7, "决算数", *[None] * 7],
            names + names,
            sub + sub,
        ]
        self.add(
            Table(
                title="",
                left=self.left(),
                unit=cells.unit_label,
                header=header,
                rows=[row],
                text_columns=0,
            )
        )

    def build_three_vertical(self) -> None:
        """The 云南 情况表: the “三公” figures and 机关运行经费 down one column, counts mixed in."""
        a = self.a
        cells = EditionCells(self.v, self.gold, FINAL, self.e, blank_zero=False)
        f = a.three_final
        batches, persons = a.reception_batches
        money = [
            ("一、“三公”经费支出（万元）", "fa.three_public.total", f.total),
            ("1.因公出国（境）费", "fa.three_public.overseas", f.overseas),
            ("2.公务用车购置及运行维护费", "fa.three_public.vehicle", f.vehicle),
            ("（1）公务用车购置费", "fa.three_public.vehicle_purchase", f.purchase),
            ("（2）公务用车运行维护费", "fa.three_public.vehicle_running", f.running),
            ("3.公务接待费", "fa.three_public.reception", f.reception),
            ("二、行政参公单位机关运行经费（万元）", "fa.operating_expenditure", a.operating),
        ]
        rows: list[list[str | None]] = [[label, cells.cell(m, c)] for label, c, m in money]
        rows += [
            ["三、公务用车购置数（辆）", "1" if f.purchase else "0"],
            ["四、公务用车保有量（辆）", str(sum(a.vehicles.values()))],
            ["五、国内公务接待批次（个）", str(batches)],
            ["六、国内公务接待人次（人）", str(persons)],
        ]
        self.add(
            Table(
                title="",
                left=self.left(),
                unit="单位：万元",
                header=[["项目", "统计数"]],
                rows=rows,
                text_columns=1,
                widths=[4, 1.5],
            )
        )

    def project_econ(self) -> dict[str, int]:
        """The 一般公共预算 project spending by 经济分类 款 (a seeded split of its total)."""
        total = self.a.total_of("gb_project")
        rng = random.Random(f"{self.v.seed}:project-econ")
        codes = sorted(rng.sample(["30201", "30213", "30226", "30227", "31002"], 3))
        weights = [rng.uniform(1, 5) for _ in codes]
        parts = [total * w // sum(weights) for w in weights]
        parts = [int(x) for x in parts]
        parts[-1] = total - sum(parts[:-1])
        return {c: m for c, m in zip(codes, parts, strict=True) if m}

    def build_project_econ(self) -> None:
        """一般公共预算财政拨款项目支出决算表: project spending by 经济分类."""
        c = self.cells
        econ = self.project_econ()
        rows = []
        for cls in sorted({k[:3] for k in econ}):
            members = [k for k in econ if k.startswith(cls)]
            for code in [cls, *members]:
                m = sum(econ[k] for k in members) if code == cls else econ[code]
                shown = c.cell(m, "fa.general_budget_project", f"econ:{code}")
                if self.v.codes == "names":
                    rows.append(
                        [("\u3000\u3000" if len(code) > 3 else "") + ECON_NAMES[code], shown]
                    )
                else:
                    rows.append([code, ECON_NAMES[code], shown])
        total = c.cell(sum(econ.values()), "fa.general_budget_project")
        lead = ["合计"] if self.v.codes == "names" else ["合计", ""]
        rows.append([*lead, total])
        head = (
            ["科目名称", "决算数"]
            if self.v.codes == "names"
            else ["科目编码", "科目名称", "决算数"]
        )
        self.add(
            Table(
                title="",
                left=self.left(),
                unit=c.unit_label,
                header=[head],
                rows=rows,
                text_columns=len(head) - 1,
            )
        )

    def build_gb_revenue_expenditure(self) -> None:
        """The 云南 一般公共预算 table: 结转 and 收入 per line beside 本年支出 (小计 基本 项目)."""
        a = self.a
        lines = [ln for ln in self.lines if ln.gb]
        big = sorted(a.lines.values(), key=lambda ln: ln.gb_project, reverse=True)[0]

        def begin(ln: Line) -> int:
            return a.carry_begin_gb if ln is big else 0

        def end(ln: Line) -> int:
            return a.carry_end_gb if ln is big else 0

        cols = [
            Column(
                "年初结转和结余",
                begin,
                "fa.general_budget.carryover_begin",
                "fa.general_budget.carryover_begin",
            ),
            Column(
                "本年收入",
                lambda ln: ln.fiscal_revenue,
                "fa.revenue.general_budget",
                "fa.revenue.general_budget",
            ),
            Column("小计", lambda ln: ln.gb, None, "fa.general_budget_expenditure"),
            Column(
                "基本支出",
                lambda ln: ln.gb_basic,
                "fa.general_budget_basic",
                "fa.general_budget_basic",
            ),
            Column(
                "项目支出",
                lambda ln: ln.gb_project,
                "fa.general_budget_project",
                "fa.general_budget_project",
            ),
            Column(
                "年末结转和结余",
                end,
                "fa.general_budget.carryover_end",
                "fa.general_budget.carryover_end",
            ),
        ]
        assert all(begin(ln) + ln.fiscal_revenue == ln.gb + end(ln) for ln in lines)
        table = coded_table(
            self.v,
            self.cells,
            title="",
            left=self.left(),
            lines=lines,
            columns=cols,
            total_first=True,
        )
        codes = table.header[0][: table.text_columns]
        table.header = [
            [*codes, "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"],
            [*[""] * len(codes), "", "", "小计", "基本支出", "项目支出", ""],
        ]
        self.add(table)

    # ------------------------------------------------------------------ 情况说明
    def notes(self) -> None:
        self.add(PageBreak(), Heading(self.part("notes"), 1))
        a = self.a
        if self.section("totals"):
            self.totals()
        if self.section("revenue"):
            self.revenue()
        if self.section("expenditure"):
            self.expenditure()
        if self.section("fiscal"):
            self.fiscal()
        if self.section("gb"):
            self.gb()
        if self.section("basic"):
            self.basic()
        if self.section("three"):
            self.three()
        if self.section("fund"):
            fund = [ln for ln in self.lines if ln.gf_project]
            if fund:
                spent = sum(ln.gf_project for ln in fund)
                fields = {
                    "revenue": self.money("fa.revenue.gov_fund", a.revenue_gf),
                    "spent": self.money("fa.gov_fund_expenditure", spent),
                    "purpose": (PURPOSES[fund[0].code], None),
                }
                self.add(Para(self.emit("fund_some", fields, FINAL)))
            else:
                self.add(Para(self.emit("fund_none", {}, FINAL)))
        if self.section("capital"):
            self.add(Para(self.emit("capital_none", {}, FINAL)))
        if "other" in self.e["parts"]:
            self.add(PageBreak(), Heading(self.part("other"), 1))
        else:
            self.section("other")
        other_matters = {
            "operating": self.operating,
            "procurement": self.procurement,
            "assets": self.assets,
            "performance": self.performance,
        }
        for role in self.e["sections"]:  # in the edition's own order and numbering
            if role in other_matters and self.section(role):
                other_matters[role]()

    def figure(self, n: int, what: str, chart: str) -> None:
        if self.e["figures"]:
            self.add(Para(f"（图{n}：{what}）（{chart}）"))

    def totals(self) -> None:
        a = self.a
        total = a.grand_total
        shown = total
        if "total_scaled" in self.slips:
            shown = round(total / 10000)
        fields: dict[str, Field] = {
            "total": (
                self.p.money(shown),
                ("fa.total", shown, {"true_value": total if shown != total else None}),
            ),
            "reason": (self.reason(total - a.prior_total), None),
            **self.change("fa.total", total, a.prior_total),
        }
        text = self.emit("totals", fields, FINAL)
        self.add(Para(text))
        if shown != total:
            self.gold.flag(
                "table_text",
                ["fa.total"],
                clause(text, self.p.money(shown)),
                f"收入支出总计 is {self.p.money(shown)} in the text and {wan(total)}万元 "
                f"({total * 100:,}元) in the 收入支出决算总表: the 元 figure divided by 10,000 twice.",
            )
        self.figure(1, "收、支决算总计变动情况图", "柱状图")

    def prior_of(self, now: int) -> int:
        """Last year's figure of a total that moved with the 收支总计."""
        return now + self.a.prior_total - self.a.grand_total

    def listing(
        self,
        head_key: str,
        part_key: str,
        head: dict[str, Field],
        parts: list[tuple[str, str, int]],
        whole: int,
    ) -> str:
        text = self.emit(head_key, head, FINAL)
        pieces = []
        for label, concept, m in parts:
            if not m and not self.e["list_zero_parts"]:
                continue
            fields = {
                "label": (label, None),
                "amount": self.money(concept, m),
                "share": self.share(f"{concept}.share_pct", m, whole),
            }
            pieces.append(self.emit(part_key, fields, FINAL))
        return text + "；".join(pieces) + "。"

    def revenue(self) -> None:
        a = self.a
        revenue = a.revenue_total
        parts = [
            ("一般公共预算财政拨款收入", "fa.revenue.general_budget", a.revenue_gb),
            ("政府性基金预算财政拨款收入", "fa.revenue.gov_fund", a.revenue_gf),
            ("国有资本经营预算财政拨款收入", "fa.revenue.state_capital", 0),
            ("上级补助收入", "fa.revenue.higher_subsidy", 0),
            ("事业收入", "fa.revenue.business", a.revenue_business),
            ("经营收入", "fa.revenue.operating", 0),
            ("附属单位上缴收入", "fa.revenue.affiliated", 0),
            ("其他收入", "fa.revenue.other", a.revenue_other),
        ]
        head = {
            "revenue": self.money("fa.revenue_total", revenue),
            **self.change("fa.revenue_total", revenue, self.prior_of(revenue)),
        }
        self.add(Para(self.listing("revenue_head", "revenue_part", head, parts, revenue)))
        self.figure(2, "收入决算结构图", "饼状图")

    def expenditure(self) -> None:
        a = self.a
        spent = a.expenditure
        parts = [
            ("基本支出", "fa.expenditure.basic", a.total_of("basic")),
            ("项目支出", "fa.expenditure.project", a.total_of("project")),
            ("上缴上级支出", "fa.expenditure.to_higher", 0),
            ("经营支出", "fa.expenditure.operating", 0),
            ("对附属单位补助支出", "fa.expenditure.affiliated", 0),
        ]
        head = {
            "spent": self.money("fa.expenditure_total", spent),
            **self.change("fa.expenditure_total", spent, self.prior_of(spent)),
        }
        self.add(Para(self.listing("expenditure_head", "expenditure_part", head, parts, spent)))
        self.figure(3, "支出决算结构图", "饼状图")

    def fiscal(self) -> None:
        a = self.a
        fiscal = a.fiscal_total
        fields = {
            "fiscal": self.money("fa.fiscal_total", fiscal),
            "reason": (self.reason(fiscal - a.prior_fiscal_total), None),
            **self.change("fa.fiscal_total", fiscal, a.prior_fiscal_total),
        }
        self.add(Para(self.emit("fiscal", fields, FINAL)))

    def item_name(self, code: str) -> str:
        names = f"{FUNCTION_NAMES[code[:3]]}（类）{FUNCTION_NAMES[code[:5]]}（款）{FUNCTION_NAMES[code]}（项）"
        return f"“{names}”科目" if self.e["item_style"] == "quoted" else names

    def gb(self) -> None:
        a = self.a
        gb = a.total_of("gb")
        self.section("gb_total")
        fields = {
            "gb": self.money("fa.general_budget_expenditure", gb),
            "share": self.share("fa.general_budget_expenditure.share_pct", gb, a.expenditure),
            "reason": (self.reason(gb - a.prior_gb), None),
            **self.change("fa.general_budget_expenditure", gb, a.prior_gb),
        }
        self.add(Para(self.emit("gb_total", fields, FINAL)))

        self.section("gb_structure")
        pieces = []
        for cls in sorted({ln.code[:3] for ln in self.lines if ln.gb}):
            m = a.prefix_total("gb", cls)
            fields = {
                "name": (FUNCTION_NAMES[cls], None),
                "amount": self.money(f"fa.function.{cls}", m),
                "share": self.share(f"fa.function.{cls}.share_pct", m, gb),
            }
            pieces.append(self.emit("gb_class", fields, FINAL))
        self.add(
            Para(
                f"一般公共预算财政拨款支出{self.p.money(gb)}，主要用于：" + "；".join(pieces) + "。"
            )
        )

        self.section("gb_detail")
        lines = [ln for ln in self.lines if ln.gb or ln.budget]
        budget = sum(ln.budget for ln in lines)
        rate = self.p.rate(gb, budget)
        signless = "rate_no_sign" in self.slips
        fields = {
            "gb": (self.p.money(gb), None),
            "budget": self.money("fa.general_budget_expenditure", budget, stage=BUDGET),
            "rate": (
                self.p.pct(rate, sign=not signless),
                (
                    "fa.general_budget_expenditure.completion_pct",
                    rate,
                    {"money": False, "unit": "%"},
                ),
            ),
        }
        text = self.emit("gb_detail", fields, FINAL)
        if signless:
            self.gold.flag(
                "rate_precision",
                ["fa.general_budget_expenditure.completion_pct"],
                clause(text, self.p.pct(rate, sign=False)),
                f"完成年初预算的{self.p.pct(rate, sign=False)}: the rate ({wan(gb)} ÷ {wan(budget)}) is "
                "printed without its % sign.",
            )
        self.add(Para(text))
        for i, line in enumerate(lines, 1):
            self.add(Para(self.item(i, line)))

    def item(self, i: int, line: Line) -> str:
        code, scope = line.code, f"item:{line.code}"
        concept = f"fa.function.{code[:3]}"
        budget, final = line.budget, line.gb
        fields: dict[str, Field] = {
            "i": (str(i), None),
            "item": (self.item_name(code), None),
            "purpose": (PURPOSES[code], None),
            "budget": self.money(concept, budget, stage=BUDGET, scope=scope),
            "final": self.money(concept, final, scope=scope),
        }
        if budget:
            fields["rate"] = self.share(f"{concept}.completion_pct", final, budget, scope=scope)
            text = self.emit("gb_item", fields, FINAL)
        else:
            text = self.emit("gb_item_nobudget", fields, FINAL)
        if final > budget:
            reason = REASONS_MORE[i % len(REASONS_MORE)]
            text += self.emit("gb_item_more", {"reason": (reason, None)}, FINAL)
        elif final < budget:
            reason = REASONS_LESS[i % len(REASONS_LESS)]
            text += self.emit("gb_item_less", {"reason": (reason, None)}, FINAL)
        else:
            text += self.emit("gb_item_equal", {}, FINAL)
        return text

    def basic(self) -> None:
        a = self.a
        personnel = "、".join(ECON_NAMES[k] for k in a.econ if k[:3] in ("301", "303"))
        public = "、".join(ECON_NAMES[k] for k in a.econ if k[:3] in ("302", "310"))
        fields = {
            "basic": self.money("fa.general_budget_basic", a.total_of("gb_basic")),
            "personnel": self.money("fa.personnel", a.personnel),
            "public": self.money("fa.public", a.public),
            "pnames": (personnel, None),
            "cnames": (public, None),
        }
        self.add(Para(self.emit("basic", fields, FINAL)))

    def three(self) -> None:
        a = self.a
        b, f, p = a.three_budget, a.three_final, a.three_prior
        stage, _ = self.three_stage()
        word = self.e["three_budget"]
        change = self.change("fa.three_public.total", f.total, p.total)
        fields: dict[str, Field] = {
            "stage": (word, None),
            "budget": self.money("fa.three_public.total", b.total, stage=stage),
            "final": self.money("fa.three_public.total", f.total),
            "rate": self.share("fa.three_public.total.completion_pct", f.total, b.total),
            **{("yrate" if k == "rate" else k): v for k, v in change.items()},
        }
        text = self.emit("three_total", fields, FINAL)
        cmp = "大于" if f.total > b.total else "小于" if f.total < b.total else "等于"
        reason = (
            "严格执行中央八项规定精神，从严控制“三公”经费支出"
            if cmp != "大于"
            else "年中新增公务用车购置"
        )
        text += self.emit(
            "three_total_reason", {"cmp": (cmp, None), "reason": (reason, None)}, FINAL
        )
        self.add(Para(text))
        blank = "blank_reason" in self.slips
        yoy_reason = (
            ""
            if blank
            else "公务活动安排调整，从严压减公务接待和公务用车支出"
            if f.total <= p.total
            else "按规定更新公务用车，公务活动有所增加"
        )
        yoy = self.emit(
            "three_yoy",
            {**change, "reason": (yoy_reason, None)},
            FINAL,
        )
        if yoy:
            self.add(Para(yoy))
            if blank:
                self.gold.flag(
                    "unfilled_template",
                    ["fa.three_public.total.yoy_change"],
                    yoy,
                    "the “三公” change's reason is left empty (主要原因是。).",
                )
        parts = self.three_parts(f)
        pieces = [
            self.emit(
                "three_part",
                {
                    "label": (label, None),
                    "amount": self.money(concept, m),
                    "share": self.share(f"{concept}.share_pct", m, f.total),
                },
                FINAL,
            )
            for label, concept, m in parts
        ]
        self.add(Para(f"{self.year}年度“三公”经费财政拨款支出决算中，" + "；".join(pieces) + "。"))
        changes = []
        for label, concept, now, before in self.three_changes(f, p):
            if not now and not before:
                continue
            fields = {
                "label": (label, None),
                "amount": self.money(concept, now),
                **self.change(concept, now, before),
            }
            changes.append(self.emit("three_change_part", fields, FINAL))
        if any(changes):
            self.add(Para("；".join(changes) + "。"))
        groups, persons = a.overseas_groups
        if f.overseas:
            fields = {
                "amount": self.money("fa.three_public.overseas", f.overseas),
                "groups": (str(groups), None),
                "persons": (str(persons), None),
            }
            self.add(Para(self.emit("three_overseas", fields, FINAL)))
        else:
            self.add(Para(self.emit("three_overseas_none", {}, FINAL)))
        batches, visitors = a.reception_batches
        fields = {
            "amount": self.money("fa.three_public.vehicle", f.vehicle),
            "purchase": self.money("fa.three_public.vehicle_purchase", f.purchase),
            "running": self.money("fa.three_public.vehicle_running", f.running),
            "held": (str(sum(a.vehicles.values())), None),
        }
        self.add(Para(self.emit("three_vehicle", fields, FINAL)))
        fields = {
            "amount": self.money("fa.three_public.reception", f.reception),
            "batches": (str(batches), None),
            "persons": (str(visitors), None),
        }
        self.add(Para(self.emit("three_reception", fields, FINAL)))
        fields = {
            "meeting": self.money("fa.meeting_expenditure", self.meeting[0]),
            "meeting_budget": self.money("fa.meeting_expenditure", self.meeting[1], stage=BUDGET),
            "training": self.money("fa.training_expenditure", self.training[0]),
            "training_budget": self.money(
                "fa.training_expenditure", self.training[1], stage=BUDGET
            ),
        }
        extra = self.emit("meeting_training", fields, FINAL)
        if extra:
            self.add(Para(extra))

    def three_parts(self, f: ThreePublic) -> list[tuple[str, str, int]]:
        return [
            ("因公出国（境）费", "fa.three_public.overseas", f.overseas),
            ("公务用车购置及运行维护费", "fa.three_public.vehicle", f.vehicle),
            ("公务接待费", "fa.three_public.reception", f.reception),
        ]

    def three_changes(self, f: ThreePublic, p: ThreePublic) -> list[tuple[str, str, int, int]]:
        return [
            ("因公出国（境）费", "fa.three_public.overseas", f.overseas, p.overseas),
            ("公务用车购置费", "fa.three_public.vehicle_purchase", f.purchase, p.purchase),
            ("公务用车运行维护费", "fa.three_public.vehicle_running", f.running, p.running),
            ("公务接待费", "fa.three_public.reception", f.reception, p.reception),
        ]

    def operating(self) -> None:
        a = self.a
        fields = {
            "amount": self.money("fa.operating_expenditure", a.operating),
            "reason": (self.reason(a.operating - a.operating_prior), None),
            **self.change("fa.operating_expenditure", a.operating, a.operating_prior),
        }
        text = self.emit("operating", fields, FINAL)
        if "no_reason" in self.slips:
            text = text[: text.index("主要原因")]
            self.gold.flag(
                "missing_reason",
                ["fa.operating_expenditure.yoy_change"],
                clause(text, fields["delta"][0]),
                "机关运行经费 changed from last year; the passage gives no reason for it.",
            )
        self.add(Para(text))

    def procurement(self) -> None:
        a = self.a
        goods, works, services = a.procurement
        total = goods + works + services
        shown = total + 100 if "procurement_sum" in self.slips else total
        fields = {
            "total": self.money("fa.procurement_total", shown),
            "goods": self.money("fa.procurement.goods", goods),
            "works": self.money("fa.procurement.works", works),
            "services": self.money("fa.procurement.services", services),
        }
        text = self.emit("procurement", fields, FINAL)
        if shown != total:
            self.gold.flag(
                "procurement",
                [
                    "fa.procurement_total",
                    "fa.procurement.goods",
                    "fa.procurement.works",
                    "fa.procurement.services",
                ],
                clause(text, self.p.money(shown)),
                f"政府采购支出总额 {self.p.money(shown)} ≠ 货物 {self.p.money(goods)} + 工程 "
                f"{self.p.money(works)} + 服务 {self.p.money(services)} = {self.p.money(total)}.",
            )
        sme, small = a.sme_reserved, a.small_micro_reserved
        fields = {
            "sme": self.money("fa.procurement.sme", sme),
            "share": self.share("fa.procurement.sme.share_pct", sme, shown),
            "small": self.money("fa.procurement.small_micro", small),
            "share2": self.share("fa.procurement.small_micro.share_pct", small, sme),
        }
        self.add(Para(text + self.emit("procurement_sme", fields, FINAL)))

    def assets(self) -> None:
        a = self.a
        held = sum(a.vehicles.values())
        count = {"stage": None, "money": False}
        fields = {
            "vehicles": (str(held), ("asset.vehicles", held, {**count, "unit": "辆"})),
            "enforce": (str(a.vehicles["执法执勤用车"]), None),
            "other": (str(a.vehicles["其他用车"]), None),
            "equipment": (
                str(a.equipment),
                ("asset.large_equipment", a.equipment, {**count, "unit": "台（套）"}),
            ),
        }
        self.add(Para(self.emit("assets", fields, FINAL)))

    def performance(self) -> None:
        a = self.a
        projects = [ln for ln in self.lines if ln.gb_project or ln.gf_project]
        funds = sum(project_budget(ln) for ln in projects)
        n = len(projects)
        fields = {
            "n": (
                str(n),
                ("perf.self_eval_projects", n, {"stage": None, "money": False, "unit": "个"}),
            ),
            "funds": self.money("perf.self_eval_funds", funds, stage=BUDGET),
            "score": (
                a.self_eval_score,
                (
                    "perf.self_eval_score",
                    Decimal(a.self_eval_score),
                    {"stage": None, "money": False, "unit": "分"},
                ),
            ),
        }
        self.add(Para(self.emit("performance", fields, FINAL)))


# ---------------------------------------------------------------------------- 部门预算
#: the national budget composer's table titles → the edition's table roles
BUDGET_ROLES = [
    ("财务收支预算总表", "summary"),
    ("财政拨款收支预算总表", "fiscal"),
    ("收入预算总表", "revenue"),
    ("支出预算总表", "expenditure"),
    ("一般公共预算支出功能分类预算表", "general_budget"),
    ("政府性基金预算支出功能分类预算表", "fund"),
    ("国有资本经营预算支出功能分类预算表", "state_capital"),
    ("经济分类预算表", "econ"),
    ("“三公”经费和机关运行经费预算表", "three"),
]


class WildBudgetComposer(EditionMixin, BudgetComposer):
    def __init__(self, variant: Variant, accounts: Accounts) -> None:
        super().__init__(variant, accounts)
        assert variant.edition
        self.e = edition(variant.edition)
        self.p = Printer(self.e)
        self.cells = EditionCells(variant, self.gold, BUDGET, self.e)

    def left(self) -> str:
        return self.left_line()

    def compose(self) -> tuple[list[Block], Gold]:
        self.cover()
        if self.e["toc"]:
            self.toc()
        if self.e["order"] == "tables_first":
            self.add(Heading(self.part("overview"), 1))
            self.duties()
            self.tables()
            self.notes()
            self.glossary()
        else:
            self.notes()
            self.tables()
        return self.blocks, self.gold

    def reason(self, delta: int) -> str:
        """Why a budget total moved (a budget speaks of what it arranges, not of what it spent)."""
        if delta > 0:
            return "人员经费调标及新增专项工作安排"
        if delta < 0:
            return "压减一般性支出，部分项目到期不再安排"
        return "收支规模与上年基本持平"

    def duties(self) -> None:
        p = self.v.profile
        place = p.county or p.city or p.province
        self.add(
            Para(
                f"{self.name}是{place}主管相关领域工作的政府工作部门，主要职责是贯彻执行有关法律法规和"
                "方针政策，拟订并组织实施本行业发展规划，承担行业监督管理和公共服务工作。"
            )
        )

    def glossary(self) -> None:
        self.add(
            PageBreak(), Heading(self.part("glossary"), 1), *[Para(t) for t in BUDGET_GLOSSARY]
        )

    # ------------------------------------------------------------------ tables
    def tables(self) -> None:
        self.add(PageBreak(), Heading(self.part("tables"), 1))
        start = len(self.blocks)
        super().tables()
        built = [b for b in self.blocks[start:] if isinstance(b, Table)]
        del self.blocks[start:]
        by_role = {}
        for table in built:
            role = next(r for words, r in BUDGET_ROLES if words in table.title)
            by_role[role] = table
        for n, (role, title) in enumerate(self.e["tables"], 1):
            if role in by_role:
                self.add(*self.place(by_role[role], n, title))
        if self.v.targets:
            self.add(*TargetComposer(self.v, self.a, self.gold).compose())

    def econ_table(self) -> None:
        """The 经济分类 table; a planted missing table is built aside (its cells no facts)."""
        if "missing_table" not in self.slips:
            super().econ_table()
            return
        kept, scratch = self.cells.gold, Gold()
        self.cells.gold = scratch
        start = len(self.blocks)
        super().econ_table()
        del self.blocks[start:]
        self.cells.gold = kept
        title = next(t for role, t in self.e["tables"] if role == "econ")
        self.gold.flag(
            "required_tables",
            [],
            title,
            f"the 目录 lists the {title} and the 部门预算 form requires it; the document does not "
            "print it.",
        )

    # ------------------------------------------------------------------ 情况说明
    def revenue_parts(self) -> tuple[int, int, int, int]:
        return super().revenue_parts()

    def notes(self) -> None:
        """The 情况说明, section by section in the edition's order and numbering."""
        a = self.a
        gb, gf, business, other = self.revenue_parts()
        total = gb + gf + business + other
        prior_total = total - gb + a.prior_gb
        sections = self.e["sections"]
        self.add(PageBreak(), Heading(self.part("notes"), 1))

        def totals() -> None:
            fields = {
                "total": self.money("fa.total", total),
                "reason": (self.reason(total - prior_total), None),
                **self.change("fa.total", total, prior_total),
            }
            self.add(Para(self.emit("b_totals", fields, BUDGET)))
            self.add(Para(self.revenue_listing(total, gb, gf, business, other)))
            if "expenditure" not in sections:
                self.add(Para(self.expenditure_listing(total)))
            if "gb" not in sections:
                self.gb_notes(gb, total)

        def fiscal() -> None:
            fields = {
                "fiscal": self.money("fa.fiscal_total", gb + gf),
                **self.change("fa.fiscal_total", gb + gf, a.prior_gb + gf),
            }
            self.add(Para(self.emit("b_fiscal", fields, BUDGET)))

        def basic() -> None:
            fields = {
                "basic": self.money("fa.general_budget_basic", a.personnel + a.public),
                "personnel": self.money("fa.personnel", a.personnel),
                "public": self.money("fa.public", a.public),
            }
            self.add(Para(self.emit("b_basic", fields, BUDGET)))

        def other_matters() -> None:
            """What has no section of its own is told under 其他 (or that nothing is)."""
            told = len(self.blocks)
            if "operating" not in sections:
                self.operating_notes()
            if "procurement" not in sections:
                self.procurement_notes()
            if "assets" not in sections:
                self.asset_notes()
            if "projects" not in sections:
                self.targets_sentence()
            if len(self.blocks) == told:
                self.add(Para(f"{self.e['self_ref']}无其他需要说明的情况。"))

        handlers = {
            "duties": self.duties,
            "setup": lambda: self.add(
                Para(
                    f"{self.name}内设办公室、业务科室和财务室，部门预算由{self.name}本级预算组成。"
                )
            ),
            "totals": totals,
            "expenditure": lambda: self.add(Para(self.expenditure_listing(total))),
            "fiscal": fiscal,
            "gb": lambda: self.gb_notes(gb, total),
            "basic": basic,
            "operating": self.operating_notes,
            "three": self.three_notes,
            "procurement": self.procurement_notes,
            "assets": self.asset_notes,
            "projects": self.project_notes,
            "other": other_matters,
            "glossary": lambda: self.add(*[Para(t) for t in BUDGET_GLOSSARY]),
        }
        for role in sections:
            self.section(role)
            handlers[role]()

    def targets_sentence(self) -> None:
        projects = [ln for ln in self.lines if ln.gb_project or ln.gf_project]
        n = len(projects)
        fields = {
            "n": (
                str(n),
                ("perf.target_projects", n, {"stage": None, "money": False, "unit": "个"}),
            ),
            "funds": self.money("perf.target_funds", sum(ln.project for ln in projects)),
        }
        self.add(Para(self.emit("b_targets", fields, BUDGET)))

    def revenue_listing(self, total: int, gb: int, gf: int, business: int, other: int) -> str:
        text = self.emit("b_revenue_head", {"total": self.money("fa.revenue_total", total)}, BUDGET)
        parts = [
            ("财政拨款收入", "fa.fiscal_revenue", gb + gf),
            ("事业收入", "fa.revenue.business", business),
            ("其他收入", "fa.revenue.other", other),
        ]
        pieces = [
            self.emit(
                "b_revenue_part",
                {
                    "label": (label, None),
                    "amount": self.money(concept, m),
                    "share": self.share(f"{concept}.share_pct", m, total),
                },
                BUDGET,
            )
            for label, concept, m in parts
            if m
        ]
        return text + "；".join(pieces) + "。"

    def expenditure_listing(self, total: int) -> str:
        text = self.emit(
            "b_expenditure_head", {"total": self.money("fa.expenditure_total", total)}, BUDGET
        )
        parts = [
            ("基本支出", "fa.expenditure.basic", self.a.total_of("basic")),
            ("项目支出", "fa.expenditure.project", self.a.total_of("project")),
        ]
        pieces = [
            self.emit(
                "b_expenditure_part",
                {
                    "label": (label, None),
                    "amount": self.money(concept, m),
                    "share": self.share(f"{concept}.share_pct", m, total),
                },
                BUDGET,
            )
            for label, concept, m in parts
            if m
        ]
        return text + "；".join(pieces) + "。"

    def gb_notes(self, gb: int, total: int) -> None:
        a = self.a
        fields = {
            "gb": self.money("fa.general_budget_expenditure", gb),
            "reason": (self.reason(gb - a.prior_gb), None),
            **self.change("fa.general_budget_expenditure", gb, a.prior_gb),
        }
        self.add(Para(self.emit("b_gb_total", fields, BUDGET)))
        if self.e["b_items"] == "classes":
            for i, cls in enumerate(sorted({ln.code[:3] for ln in self.lines if ln.gb}), 1):
                m = a.prefix_total("gb", cls)
                fields = {
                    "i": (CN_NUMBERS_LONG[i - 1], None),
                    "name": (FUNCTION_NAMES[cls], None),
                    "amount": self.money(f"fa.function.{cls}", m),
                    "share": self.share(f"fa.function.{cls}.share_pct", m, total),
                }
                self.add(Para(self.emit("b_gb_class", fields, BUDGET)))
            return
        for i, line in enumerate([ln for ln in self.lines if ln.gb], 1):
            code = line.code
            names = f"{FUNCTION_NAMES[code[:3]]}（类）{FUNCTION_NAMES[code[:5]]}（款）{FUNCTION_NAMES[code]}（项）"
            fields = {
                "i": (str(i), None),
                "item": (f"“{names}”科目", None),
                "amount": self.money(f"fa.function.{code[:3]}", line.gb, scope=f"item:{code}"),
                "purpose": (PURPOSES[code], None),
            }
            self.add(Para(self.emit("b_gb_item", fields, BUDGET)))

    def three_notes(self) -> None:
        a = self.a
        b, p = a.three_budget, a.three_prior
        change = self.change("fa.three_public.total", b.total, p.total)
        flip = "word_three_budget" in self.slips
        if flip:
            delta = b.total - p.total
            assert delta < 0, "the planted 增加 needs a 三公 budget that falls"
            word, (shown_delta, spec) = change["word"][0], change["delta"]
            assert spec is not None
            concept, value, kw = spec
            change["word"] = ("增加", None)
            change["delta"] = (shown_delta, (concept, -value, {**kw, "true_value": value}))
        fields = {
            "total": self.money("fa.three_public.total", b.total),
            "overseas": self.money("fa.three_public.overseas", b.overseas),
            "vehicle": self.money("fa.three_public.vehicle", b.vehicle),
            "purchase": self.money("fa.three_public.vehicle_purchase", b.purchase),
            "running": self.money("fa.three_public.vehicle_running", b.running),
            "reception": self.money("fa.three_public.reception", b.reception),
            **change,
        }
        text = self.emit("b_three", fields, BUDGET)
        if flip:
            self.gold.flag(
                "wording_number",
                ["fa.three_public.total", "fa.three_public.total.yoy_change"],
                clause(text, f"增加{change['delta'][0]}"),
                f"“三公”经费预算 {self.p.money(b.total)} against {self.p.money(p.total)} in {self.prior}: "
                f"it falls by {change['delta'][0]}, yet the text says 增加 ({word} is right).",
            )
        reason = (
            "严格控制一般性支出，压减公务接待和公务用车运行费用"
            if b.total <= p.total
            else "按规定更新超过使用年限的公务用车"
        )
        if "blank_reason" in self.slips:
            reason = ""
        reason_text = self.emit("b_three_reason", {"reason": (reason, None)}, BUDGET)
        text += reason_text
        if "blank_reason" in self.slips:
            self.gold.flag(
                "unfilled_template",
                ["fa.three_public.total.yoy_change"],
                reason_text,
                "the “三公” budget's change is followed by an empty reason (主要原因是。).",
            )
        self.add(Para(text))

    def operating_notes(self) -> None:
        a = self.a
        fields = {
            "amount": self.money("fa.operating_expenditure", a.operating),
            **self.change("fa.operating_expenditure", a.operating, a.operating_prior),
        }
        self.add(Para(self.emit("b_operating", fields, BUDGET)))

    def procurement_notes(self) -> None:
        goods, works, services = self.a.procurement
        total = goods + works + services
        shown = total + 100 if "procurement_sum" in self.slips else total
        fields = {
            "total": self.money("fa.procurement_total", shown),
            "goods": self.money("fa.procurement.goods", goods),
            "works": self.money("fa.procurement.works", works),
            "services": self.money("fa.procurement.services", services),
        }
        text = self.emit("b_procurement", fields, BUDGET)
        if shown != total:
            self.gold.flag(
                "procurement",
                [
                    "fa.procurement_total",
                    "fa.procurement.goods",
                    "fa.procurement.works",
                    "fa.procurement.services",
                ],
                clause(text, self.p.money(shown)),
                f"政府采购预算总额 {self.p.money(shown)} ≠ 货物 {self.p.money(goods)} + 工程 "
                f"{self.p.money(works)} + 服务 {self.p.money(services)} = {self.p.money(total)}.",
            )
        self.add(Para(text))

    def asset_notes(self) -> None:
        a = self.a
        held = sum(a.vehicles.values())
        planned = 1 if a.three_budget.purchase else 0
        count = {"stage": None, "money": False, "unit": "辆"}
        fields = {
            "vehicles": (str(held), ("asset.vehicles", held, {**count, "year": self.prior})),
            "planned": (str(planned), ("asset.vehicles_planned", planned, count)),
        }
        self.add(Para(self.emit("b_assets", fields, BUDGET)))

    def project_notes(self) -> None:
        """Each project with its budget, then their number and total (planted: a wrong sum)."""
        entries = catalogue()
        projects = [ln for ln in self.lines if ln.gb_project or ln.gf_project]
        for i, line in enumerate(projects, 1):
            entry = (
                entries["admin"] if line.code == self.v.profile.admin_line else entries[line.code]
            )
            name = entry["name"]
            self.gold.projects.append({"name": name, "code": None})
            fields = {
                "i": (str(i), None),
                "project": (name, None),
                "amount": self.money("budget.initial", line.project, scope=name),
                "purpose": (PURPOSES[line.code], None),
            }
            self.add(Para(self.emit("b_project", fields, BUDGET)))
        n = len(projects)
        funds = sum(ln.project for ln in projects)
        shown = funds + 500 if "project_sum" in self.slips else funds
        fields = {
            "n": (
                str(n),
                ("perf.target_projects", n, {"stage": None, "money": False, "unit": "个"}),
            ),
            "funds": self.money("perf.target_funds", shown),
        }
        text = self.emit("b_projects_total", fields, BUDGET)
        if shown != funds:
            self.gold.flag(
                "project_list",
                ["perf.target_funds", "budget.initial"],
                clause(text, self.p.money(shown)),
                f"the {n} projects listed add to {self.p.money(funds)}; the total printed is "
                f"{self.p.money(shown)}.",
            )
        self.add(Para(text))
