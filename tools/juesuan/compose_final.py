"""A 部门决算 in the national form: 概况, the nine tables, the 情况说明, 名词解释.

Every printed figure is recorded in the gold with the concept, scope and stage of
eval/GUIDE.md ("Statement tables"). Planted slips change what the document prints and
add a gold flag; the gold keeps the figure the tables hold.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.accounts import Accounts, Line, ThreePublic
from juesuan.blocks import Block, Gold, Heading, PageBreak, Para, Table, pct, wan
from juesuan.catalogue import (
    ECON_NAMES,
    FUNCTION_NAMES,
    PURPOSES,
    REASONS_LESS,
    REASONS_MORE,
    SUMMARY_CLASSES,
)
from juesuan.tables import Cells, Column, code_header, coded_table
from juesuan.variant import Variant

FINAL = "final"
BUDGET = "budget_initial"


def more_less(delta: int | Decimal) -> tuple[str, str]:
    """增加/减少 and 增长/下降 for a signed change."""
    return ("增加", "增长") if delta > 0 else ("减少", "下降")


def project_budget(line: Line) -> int:
    """The 年初预算 of a line's project: the line's budget when the line is all project,
    its project spending when it also carries basic expenditure (行政运行), whose budget
    is mostly the basic part's, plus its 政府性基金 project."""
    own = line.budget if line.gb_project and not line.gb_basic else line.gb_project
    return own + line.gf_project


class FinalComposer:
    def __init__(self, variant: Variant, accounts: Accounts) -> None:
        self.v = variant
        self.a = accounts
        self.year = variant.year
        self.prior = variant.year - 1
        self.name = variant.profile.name
        self.gold = Gold()
        self.blocks: list[Block] = []
        self.cells = Cells(variant, self.gold, FINAL)
        self.slips = set(variant.slips)
        self.lines = list(accounts.lines.values())
        # a planted 三公 合计 slip prints a total half a 万元 above its parts
        self.three_total_shown = accounts.three_final.total + (
            50 if "sum_three" in self.slips else 0
        )

    # ------------------------------------------------------------------ helpers
    def t(self, m: int) -> str:
        """A money amount in the text (万元)."""
        return wan(m, separators=self.v.separators)

    def left(self) -> str:
        return {
            "national": "",
            "unit": f"预算单位：{self.name}",
            "compiler": f"编制部门：{self.name}",
        }[self.v.title_form]

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def fact(
        self,
        concept: str,
        value: int | Decimal,
        quote: str | None,
        *,
        stage: str | None = FINAL,
        scope: str = "department",
        money: bool = True,
        unit: str = "万元",
        year: int | None = None,
        true_value: int | None = None,
        note: str | None = None,
    ) -> None:
        self.gold.fact(
            concept,
            value,
            year=year or self.year,
            stage=stage,
            scope=scope,
            money=money,
            unit=unit,
            quote=quote,
            true_value=true_value,
            note=note,
        )

    def change(
        self, concept: str, now: int, before: int, subject: str, *, wrong_pct: bool = False
    ) -> str:
        """'与2023年度相比，X增加5.00万元，增长3.20%' with its two facts."""
        delta = now - before
        if delta == 0:
            return f"与{self.prior}年度持平"
        word, rate_word = more_less(delta)
        rate = pct(abs(delta), before)
        shown_rate = rate + Decimal("2.00") if wrong_pct else rate
        text = (
            f"与{self.prior}年度相比，{subject}{word}{self.t(abs(delta))}万元，"
            f"{rate_word}{shown_rate}%"
        )
        self.fact(
            f"{concept}.yoy_change",
            delta,
            f"{word}{self.t(abs(delta))}万元，{rate_word}{shown_rate}%",
        )
        sign = 1 if delta > 0 else -1
        self.fact(
            f"{concept}.yoy_change_pct",
            sign * shown_rate,
            f"{rate_word}{shown_rate}%",
            money=False,
            unit="%",
        )
        if wrong_pct:
            self.gold.flag(
                "yoy",
                [concept, f"{concept}.yoy_change", f"{concept}.yoy_change_pct"],
                f"{rate_word}{shown_rate}%",
                f"{subject}: {self.t(now)} against {self.t(before)} in {self.prior} is a change "
                f"of {self.t(abs(delta))} = {rate}%, not {shown_rate}%.",
            )
        return text

    # ------------------------------------------------------------------ document
    def compose(self) -> tuple[list[Block], Gold]:
        self.cover()
        self.overview()
        self.tables()
        self.notes()
        self.glossary()
        return self.blocks, self.gold

    def cover(self) -> None:
        if self.v.title_form == "unit":
            self.add(
                Para(f"预算单位：{self.name}", "center"),
                Heading(f"{self.name}{self.year}年度部门决算", 0),
            )
        elif self.v.title_form == "compiler":
            self.add(
                Heading(f"{self.name}{self.year}年度部门决算", 0),
                Para(f"编制部门：{self.name}", "center"),
            )
        else:
            self.add(Heading(self.name, 0), Heading(f"{self.year}年度部门决算", 0))
        self.add(PageBreak())

    def overview(self) -> None:
        p = self.v.profile
        self.add(
            Heading(f"第一部分 {self.name}概况", 1),
            Heading("一、主要职能", 2),
            Para(
                f"{self.name}是{p.city or p.province}人民政府工作部门，负责本行政区域内相关"
                "领域的政策执行、行业管理和公共服务。"
            ),
            Heading("二、部门决算单位构成", 2),
            Para(f"纳入{self.name}{self.year}年度部门决算编制范围的单位包括："),
        )
        units = [["1", f"{self.name}（本级）", ""]]
        if p.institution_line:
            units.append(["2", f"{self.name}下属事业单位", "全额拨款事业单位"])
        self.add(
            Table(
                title="",
                left="",
                unit="",
                header=[["序号", "单位名称", "备注"]],
                rows=units,
                text_columns=3,
            ),
            PageBreak(),
        )

    # ------------------------------------------------------------------ tables
    def tables(self) -> None:
        self.add(Heading(f"第二部分 {self.name}{self.year}年度部门决算表", 1))
        self.summary_table()
        self.revenue_table()
        self.expenditure_table()
        self.fiscal_table()
        self.general_budget_table()
        self.basic_table()
        self.three_public_table()
        self.fund_table()
        self.state_capital_table()

    def summary_table(self) -> None:
        a, c = self.a, self.cells
        left_rows = [
            ("一、一般公共预算财政拨款收入", a.revenue_gb, "fa.revenue.general_budget"),
            ("二、政府性基金预算财政拨款收入", a.revenue_gf, "fa.revenue.gov_fund"),
            ("三、国有资本经营预算财政拨款收入", 0, "fa.revenue.state_capital"),
            ("四、上级补助收入", 0, "fa.revenue.higher_subsidy"),
            ("五、事业收入", a.revenue_business, "fa.revenue.business"),
            ("六、经营收入", 0, "fa.revenue.operating"),
            ("七、附属单位上缴收入", 0, "fa.revenue.affiliated"),
            ("八、其他收入", a.revenue_other, "fa.revenue.other"),
        ]
        rows = []
        for i, (code, cname) in enumerate(SUMMARY_CLASSES):
            label, value, concept = left_rows[i] if i < len(left_rows) else ("", 0, None)
            spent = a.prefix_total("total", code) if code else 0
            rows.append(
                [
                    label,
                    c.cell(value, concept) if concept else "",
                    f"{CN_NUMBERS_LONG[i]}、{cname}",
                    c.cell(spent, "fa.expenditure_total", f"item:{code}") if code else "",
                ]
            )
        rows += [
            [
                "本年收入合计",
                c.cell(a.revenue_total, "fa.revenue_total"),
                "本年支出合计",
                c.cell(a.expenditure, "fa.expenditure_total"),
            ],
            ["使用非财政拨款结余", "", "结余分配", ""],
            [
                "年初结转和结余",
                c.cell(a.carry_begin, "fa.carryover_begin"),
                "年末结转和结余",
                c.cell(a.carry_end, "fa.carryover_end"),
            ],
            ["总计", c.cell(a.grand_total, "fa.total"), "总计", c.cell(a.grand_total, "fa.total")],
        ]
        self.add(
            Table(
                title="收入支出决算总表",
                left=self.left(),
                unit=c.unit_label,
                header=[["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"]],
                rows=rows,
                text_columns=1,
                widths=[3, 1.4, 3, 1.4],
                notes=["注：本表反映部门本年度的总收支和年末结转结余情况。"],
            )
        )

    def revenue_table(self) -> None:
        cols = [
            Column("本年收入合计", lambda ln: ln.revenue, "fa.revenue_total", "fa.revenue_total"),
            Column(
                "财政拨款收入",
                lambda ln: ln.fiscal_revenue,
                "fa.fiscal_revenue",
                "fa.fiscal_revenue",
            ),
            Column("上级补助收入", lambda ln: 0, None, None),
            Column(
                "事业收入",
                lambda ln: ln.business_revenue,
                "fa.revenue.business",
                "fa.revenue.business",
            ),
            Column("经营收入", lambda ln: 0, None, None),
            Column("附属单位上缴收入", lambda ln: 0, None, None),
            Column("其他收入", lambda ln: ln.other_revenue, "fa.revenue.other", "fa.revenue.other"),
        ]
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                self.cells,
                title="收入决算表",
                left=self.left(),
                lines=self.lines,
                columns=cols,
                total_first=True,
                notes=["注：本表反映部门本年度取得的各项收入情况。"],
            ),
        )

    def expenditure_table(self) -> None:
        cols = [
            Column(
                "本年支出合计", lambda ln: ln.total, "fa.expenditure_total", "fa.expenditure_total"
            ),
            Column("基本支出", lambda ln: ln.basic, "fa.expenditure.basic", "fa.expenditure.basic"),
            Column(
                "项目支出",
                lambda ln: ln.project,
                "fa.expenditure.project",
                "fa.expenditure.project",
            ),
            Column("上缴上级支出", lambda ln: 0, None, None),
            Column("经营支出", lambda ln: 0, None, None),
            Column("对附属单位补助支出", lambda ln: 0, None, None),
        ]
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                self.cells,
                title="支出决算表",
                left=self.left(),
                lines=self.lines,
                columns=cols,
                total_first=True,
                notes=["注：本表反映部门本年度各项支出情况。"],
            ),
        )

    def fiscal_table(self) -> None:
        a, c = self.a, self.cells
        gb_total = a.total_of("gb")
        gf_total = a.total_of("gf_project")
        left_rows = [
            ("一、一般公共预算财政拨款", a.revenue_gb, "fa.revenue.general_budget"),
            ("二、政府性基金预算财政拨款", a.revenue_gf, "fa.revenue.gov_fund"),
            ("三、国有资本经营预算财政拨款", 0, None),
        ]
        rows = []
        for i, (code, cname) in enumerate(SUMMARY_CLASSES):
            label, value, concept = left_rows[i] if i < len(left_rows) else ("", 0, None)
            gb = a.prefix_total("gb", code) if code else 0
            gf = a.prefix_total("gf_project", code) if code else 0
            scope = f"item:{code}"
            rows.append(
                [
                    label,
                    c.cell(value, concept) if concept else "",
                    f"{CN_NUMBERS_LONG[i]}、{cname}",
                    c.cell(gb + gf, "fa.fiscal_expenditure", scope) if code else "",
                    c.cell(gb, f"fa.function.{code}") if code else "",
                    c.cell(gf, "fa.gov_fund_expenditure", scope) if code else "",
                    "",
                ]
            )
        begin = a.carry_begin_gb + a.carry_begin_gf
        end = a.carry_end_gb + a.carry_end_gf
        rows += [
            [
                "本年收入合计",
                c.cell(a.fiscal_revenue, "fa.fiscal_revenue"),
                "本年支出合计",
                c.cell(a.fiscal_expenditure, "fa.fiscal_expenditure"),
                c.cell(gb_total, "fa.general_budget_expenditure"),
                c.cell(gf_total, "fa.gov_fund_expenditure"),
                "",
            ],
            [
                "年初财政拨款结转和结余",
                c.cell(begin, "fa.fiscal_carryover_begin"),
                "年末财政拨款结转和结余",
                c.cell(end, "fa.fiscal_carryover_end"),
                "",
                "",
                "",
            ],
            # the carry-over's parts by source: no facts of their own (eval/GUIDE.md)
            [
                "一、一般公共预算财政拨款",
                c.text(a.carry_begin_gb),
                "一、一般公共预算财政拨款",
                c.text(a.carry_end_gb),
                "",
                "",
                "",
            ],
            [
                "二、政府性基金预算财政拨款",
                c.text(a.carry_begin_gf),
                "二、政府性基金预算财政拨款",
                c.text(a.carry_end_gf),
                "",
                "",
                "",
            ],
            ["三、国有资本经营预算财政拨款", "", "三、国有资本经营预算财政拨款", "", "", "", ""],
            [
                "总计",
                c.cell(a.fiscal_total, "fa.fiscal_total"),
                "总计",
                c.cell(a.fiscal_total, "fa.fiscal_total"),
                "",
                "",
                "",
            ],
        ]
        self.add(
            PageBreak(),
            Table(
                title="财政拨款收入支出决算总表",
                left=self.left(),
                unit=c.unit_label,
                header=[
                    ["收入", None, "支出", None, None, None, None],
                    [
                        "项目",
                        "决算数",
                        "项目",
                        "合计",
                        "一般公共预算财政拨款",
                        "政府性基金预算财政拨款",
                        "国有资本经营预算财政拨款",
                    ],
                ],
                rows=rows,
                widths=[2.6, 1.2, 2.6, 1.2, 1.2, 1.2, 1.2],
                notes=["注：本表反映部门本年度财政拨款总收支和结转结余情况。"],
            ),
        )

    def general_budget_table(self) -> None:
        cols = [
            Column("合计", lambda ln: ln.gb, None, "fa.general_budget_expenditure"),
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
        ]
        lines = [ln for ln in self.lines if ln.gb]
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                self.cells,
                title="一般公共预算财政拨款支出决算表",
                left=self.left(),
                lines=lines,
                columns=cols,
                total_first=False,
                notes=["注：本表反映部门本年度一般公共预算财政拨款支出情况。"],
            ),
        )

    def basic_table(self) -> None:
        a, c = self.a, self.cells
        personnel = [k for k in a.econ if k[:3] in ("301", "303")]
        public = [k for k in a.econ if k[:3] in ("302", "310")]

        def side(codes: list[str]) -> list[list[str]]:
            out = []
            for cls in sorted({k[:3] for k in codes}):
                members = [k for k in codes if k.startswith(cls)]
                out.append(self.econ_cells(cls, sum(a.econ[k] for k in members)))
                out += [self.econ_cells(k, a.econ[k]) for k in members]
            return out

        left, right = side(personnel), side(public)
        width = len(left[0])
        rows = []
        for i in range(max(len(left), len(right))):
            rows.append(
                (left[i] if i < len(left) else [""] * width)
                + (right[i] if i < len(right) else [""] * width)
            )
        pad = [""] * (width - 2)
        rows.append(
            [
                "人员经费合计",
                *pad,
                c.cell(a.personnel, "fa.personnel"),
                "公用经费合计",
                *pad,
                c.cell(a.public, "fa.public"),
            ]
        )
        head = (
            ["经济分类科目编码", "科目名称", "决算数"]
            if self.v.codes != "names"
            else ["科目名称", "决算数"]
        )
        self.add(
            PageBreak(),
            Table(
                title="一般公共预算财政拨款基本支出决算表",
                left=self.left(),
                unit=c.unit_label,
                header=[head + head],
                rows=rows,
                text_columns=width - 1,
                notes=["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"],
            ),
        )

    def econ_cells(self, code: str, m: int) -> list[str]:
        name = ECON_NAMES[code]
        shown = self.cells.cell(m, "fa.general_budget_basic", f"econ:{code}")
        if self.v.codes == "names":
            return [("\u3000\u3000" if len(code) > 3 else "") + name, shown]
        return [code, name, shown]

    def three_public_table(self) -> None:
        a = self.a
        zero = Cells(self.v, self.gold, FINAL, blank_zero=False)
        pairs = [
            ("fa.three_public.total", a.three_budget.total, self.three_total_shown),
            ("fa.three_public.overseas", a.three_budget.overseas, a.three_final.overseas),
            ("fa.three_public.vehicle", a.three_budget.vehicle, a.three_final.vehicle),
            ("fa.three_public.vehicle_purchase", a.three_budget.purchase, a.three_final.purchase),
            ("fa.three_public.vehicle_running", a.three_budget.running, a.three_final.running),
            ("fa.three_public.reception", a.three_budget.reception, a.three_final.reception),
        ]
        row = []
        for concept, budget, final in pairs:
            row += [zero.cell(budget, concept, stage=BUDGET), zero.cell(final, concept)]
        header = [
            [
                "合计",
                None,
                "因公出国（境）费",
                None,
                "公务用车购置及运行维护费",
                None,
                None,
                None,
                None,
                None,
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
            ["预算数", "决算数"] * 6,
        ]
        self.add(
            PageBreak(),
            Table(
                title="财政拨款“三公”经费支出决算表",
                left=self.left(),
                unit=zero.unit_label,
                header=header,
                rows=[row],
                text_columns=0,
                notes=["注：本表反映部门本年度“三公”经费支出预决算情况。"],
            ),
        )
        if "sum_three" in self.slips:
            parts = a.three_final
            self.gold.flag(
                "sum",
                [
                    "fa.three_public.total",
                    "fa.three_public.overseas",
                    "fa.three_public.vehicle",
                    "fa.three_public.reception",
                ],
                f"支出决算为{self.t(self.three_total_shown)}万元",
                f"“三公”经费 决算数 合计 {self.t(self.three_total_shown)} ≠ 因公出国 {self.t(parts.overseas)} + "
                f"公务用车 {self.t(parts.vehicle)} + 公务接待 {self.t(parts.reception)} = {self.t(parts.total)} "
                "(the text restates the table's 合计).",
            )

    def fund_table(self) -> None:
        a, c = self.a, self.cells
        header_cells = [
            "年初结转和结余",
            "本年收入",
            "本年支出合计",
            "基本支出",
            "项目支出",
            "年末结转和结余",
        ]
        fund = [ln for ln in self.lines if ln.gf_project]
        title = "政府性基金预算财政拨款收入支出决算表"
        note = "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。"
        if not fund:
            self.add(
                PageBreak(),
                self.empty_table(
                    title,
                    header_cells,
                    [
                        note,
                        f"说明：{self.name}本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
                    ],
                ),
            )
            return
        line = fund[0]
        cols = [
            Column(
                "年初结转和结余",
                lambda ln: a.carry_begin_gf,
                "fa.gov_fund.carryover_begin",
                "fa.gov_fund.carryover_begin",
            ),
            Column(
                "本年收入",
                lambda ln: ln.fiscal_revenue,
                "fa.revenue.gov_fund",
                "fa.revenue.gov_fund",
            ),
            Column(
                "本年支出合计",
                lambda ln: ln.gf_project,
                "fa.gov_fund_expenditure",
                "fa.gov_fund_expenditure",
            ),
            Column("基本支出", lambda ln: 0, None, None),
            Column(
                "项目支出",
                lambda ln: ln.gf_project,
                "fa.gov_fund_expenditure.project",
                "fa.gov_fund_expenditure.project",
            ),
            Column(
                "年末结转和结余",
                lambda ln: a.carry_end_gf,
                "fa.gov_fund.carryover_end",
                "fa.gov_fund.carryover_end",
            ),
        ]
        assert len(fund) == 1 and line.fiscal_revenue == a.revenue_gf
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                c,
                title=title,
                left=self.left(),
                lines=fund,
                columns=cols,
                total_first=True,
                notes=[note],
            ),
        )

    def state_capital_table(self) -> None:
        header_cells = [
            "年初结转和结余",
            "本年收入",
            "本年支出合计",
            "基本支出",
            "项目支出",
            "年末结转和结余",
        ]
        notes = ["注：本表反映部门本年度国有资本经营预算财政拨款收入支出及结转和结余情况。"]
        if "empty_no_note" not in self.slips:
            notes.append(
                f"说明：{self.name}本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。"
            )
        title = "国有资本经营预算财政拨款收入支出决算表"
        self.add(PageBreak(), self.empty_table(title, header_cells, notes))
        if "empty_no_note" in self.slips:
            self.gold.flag(
                "empty_table",
                [],
                title,
                "the 国有资本经营预算财政拨款收入支出决算表 is empty and carries no 说明 (the form "
                "asks for '本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据').",
            )

    def empty_table(self, title: str, header_cells: list[str], notes: list[str]) -> Table:
        head = [*code_header(self.v), *header_cells]
        n = len(code_header(self.v))
        return Table(
            title=title,
            left=self.left(),
            unit=self.cells.unit_label,
            header=[head],
            rows=[["合计"] + [""] * (len(head) - 1)],
            text_columns=n,
            notes=notes,
        )

    # ------------------------------------------------------------------ 情况说明
    def notes(self) -> None:
        a = self.a
        year = self.prior if "year_heading" in self.slips else self.year
        heading = f"第三部分 {self.name}{year}年度部门决算情况说明"
        self.add(PageBreak(), Heading(heading, 1))
        if "year_heading" in self.slips:
            self.gold.flag(
                "year",
                [],
                f"{self.name}{year}年度部门决算情况说明",
                f"the 情况说明 of the {self.year} 部门决算 is headed {year}年度 (cover, tables "
                f"and text: {self.year}).",
            )

        self.add(Heading("一、收入支出决算总体情况说明", 2))
        total = a.grand_total
        self.fact("fa.total", total, f"收入支出总计{self.t(total)}万元")
        self.add(
            Para(
                f"{self.name}{self.year}年度收入支出总计{self.t(total)}万元。"
                f"{self.change('fa.total', total, a.prior_total, '收入支出总计')}。"
                f"主要原因是{self.reason(total - a.prior_total)}。"
            )
        )

        self.add(Heading("二、收入决算情况说明", 2))
        revenue = a.revenue_total
        self.fact("fa.revenue_total", revenue, f"本年收入合计{self.t(revenue)}万元")
        parts = [
            ("财政拨款收入", "fa.fiscal_revenue", a.fiscal_revenue),
            ("事业收入", "fa.revenue.business", a.revenue_business),
            ("其他收入", "fa.revenue.other", a.revenue_other),
        ]
        text = []
        for i, (label, concept, m) in enumerate(parts):
            if not m:
                continue
            share = pct(m, revenue)
            shown = share + Decimal("1.00") if ("wrong_share" in self.slips and i == 0) else share
            self.fact(concept, m, f"{label}{self.t(m)}万元")
            self.fact(
                f"{concept}.share_pct",
                shown,
                f"{label}{self.t(m)}万元，占{shown}%",
                money=False,
                unit="%",
            )
            text.append(f"{label}{self.t(m)}万元，占{shown}%")
            if shown != share:
                self.gold.flag(
                    "share",
                    [concept, f"{concept}.share_pct", "fa.revenue_total"],
                    f"{label}{self.t(m)}万元，占{shown}%",
                    f"{label} {self.t(m)} / 本年收入合计 {self.t(revenue)} = {share}%, not {shown}%.",
                )
        self.add(Para(f"本年收入合计{self.t(revenue)}万元，其中：" + "；".join(text) + "。"))

        self.add(Heading("三、支出决算情况说明", 2))
        spent = a.expenditure
        shown_spent = spent + 1000 if "text_total" in self.slips else spent
        self.fact(
            "fa.expenditure_total",
            shown_spent,
            f"本年支出合计{self.t(shown_spent)}万元",
            true_value=spent if shown_spent != spent else None,
        )
        if shown_spent != spent:
            self.gold.flag(
                "table_text",
                ["fa.expenditure_total"],
                f"本年支出合计{self.t(shown_spent)}万元",
                f"the text gives 本年支出合计 {self.t(shown_spent)}万元; the 收入支出决算总表 and the "
                f"支出决算表 give {self.t(spent)}万元 (= 总计 {self.t(total)} − 年末结转和结余 "
                f"{self.t(a.carry_end)}).",
            )
        basic, project = a.total_of("basic"), a.total_of("project")
        self.fact("fa.expenditure.basic", basic, f"基本支出{self.t(basic)}万元")
        self.fact("fa.expenditure.project", project, f"项目支出{self.t(project)}万元")
        sb, sp = pct(basic, spent), pct(project, spent)
        self.fact(
            "fa.expenditure.basic.share_pct",
            sb,
            f"基本支出{self.t(basic)}万元，占{sb}%",
            money=False,
            unit="%",
        )
        self.fact(
            "fa.expenditure.project.share_pct",
            sp,
            f"项目支出{self.t(project)}万元，占{sp}%",
            money=False,
            unit="%",
        )
        self.add(
            Para(
                f"本年支出合计{self.t(shown_spent)}万元，其中：基本支出{self.t(basic)}万元，占{sb}%；"
                f"项目支出{self.t(project)}万元，占{sp}%。"
            )
        )

        self.add(Heading("四、财政拨款收入支出决算总体情况说明", 2))
        fiscal = a.fiscal_total
        self.fact("fa.fiscal_total", fiscal, f"财政拨款收入支出总计{self.t(fiscal)}万元")
        self.add(
            Para(
                f"{self.name}{self.year}年度财政拨款收入支出总计{self.t(fiscal)}万元。"
                f"{self.change('fa.fiscal_total', fiscal, a.prior_fiscal_total, '财政拨款收入支出总计')}。"
                f"主要原因是{self.reason(fiscal - a.prior_fiscal_total)}。"
            )
        )
        self.general_budget_notes()
        self.basic_notes()
        self.three_public_notes()
        self.fund_notes()
        self.add(
            Heading("九、国有资本经营预算财政拨款收入支出决算情况说明", 2),
            Para(f"{self.name}{self.year}年度无国有资本经营预算财政拨款收入和支出。"),
        )
        self.performance_notes()
        self.other_notes()

    def reason(self, delta: int) -> str:
        if delta > 0:
            return "人员调资及年中追加专项工作经费"
        if delta < 0:
            return "厉行节约、压减一般性支出，部分项目完成后不再安排"
        return "收支规模与上年基本一致"

    def general_budget_notes(self) -> None:
        a = self.a
        gb = a.total_of("gb")
        self.add(
            Heading("五、一般公共预算财政拨款支出决算情况说明", 2),
            Heading("（一）一般公共预算财政拨款支出决算总体情况", 2),
        )
        share = pct(gb, a.expenditure)
        self.fact("fa.general_budget_expenditure", gb, f"一般公共预算财政拨款支出{self.t(gb)}万元")
        self.fact(
            "fa.general_budget_expenditure.share_pct",
            share,
            f"占本年支出合计的{share}%",
            money=False,
            unit="%",
        )
        change = self.change(
            "fa.general_budget_expenditure",
            gb,
            a.prior_gb,
            "一般公共预算财政拨款支出",
            wrong_pct="yoy_wrong" in self.slips,
        )
        self.add(
            Para(
                f"一般公共预算财政拨款支出{self.t(gb)}万元，占本年支出合计的{share}%。{change}。"
                f"主要原因是{self.reason(gb - a.prior_gb)}。"
            )
        )

        self.add(Heading("（二）一般公共预算财政拨款支出决算结构情况", 2))
        parts = []
        for cls in sorted({ln.code[:3] for ln in self.lines if ln.gb}):
            m = a.prefix_total("gb", cls)
            s = pct(m, gb)
            name = FUNCTION_NAMES[cls]
            self.fact(f"fa.function.{cls}", m, f"{name}（类）{self.t(m)}万元")
            self.fact(
                f"fa.function.{cls}.share_pct",
                s,
                f"{name}（类）{self.t(m)}万元，占{s}%",
                money=False,
                unit="%",
            )
            parts.append(f"{name}（类）{self.t(m)}万元，占{s}%")
        self.add(
            Para(
                f"一般公共预算财政拨款支出{self.t(gb)}万元，主要用于以下方面："
                + "；".join(parts)
                + "。"
            )
        )

        self.add(Heading("（三）一般公共预算财政拨款支出决算具体情况", 2))
        lines = [ln for ln in self.lines if ln.gb or ln.budget]
        budget = sum(ln.budget for ln in lines)
        truncate = "rate_trunc" in self.slips
        rate = pct(gb, budget, truncate=truncate)
        self.fact(
            "fa.general_budget_expenditure", budget, f"年初预算为{self.t(budget)}万元", stage=BUDGET
        )
        self.fact(
            "fa.general_budget_expenditure.completion_pct",
            rate,
            f"完成年初预算的{rate}%",
            money=False,
            unit="%",
        )
        if truncate:
            self.gold.flag(
                "rate_precision",
                ["fa.general_budget_expenditure.completion_pct", "fa.general_budget_expenditure"],
                f"完成年初预算的{rate}%",
                f"{self.t(gb)} / {self.t(budget)} = {Decimal(gb) * 100 / Decimal(budget):.4f}%: "
                f"rounded {pct(gb, budget)}%, printed truncated {rate}%.",
            )
        word = "大于" if gb > budget else "小于" if gb < budget else "等于"
        self.add(
            Para(
                f"一般公共预算财政拨款支出年初预算为{self.t(budget)}万元，支出决算为{self.t(gb)}万元，"
                f"完成年初预算的{rate}%。决算数{word}预算数的主要原因是"
                f"{self.reason(gb - budget)}。其中："
            )
        )
        for i, line in enumerate(lines, 1):
            self.item_sentence(i, line)

    def item_name(self, code: str) -> str:
        names = [FUNCTION_NAMES[code[:3]], FUNCTION_NAMES[code[:5]], FUNCTION_NAMES[code]]
        if self.v.item_codes:
            if "function_name" in self.slips and code == self.wrong_name_code():
                names[2] = self.wrong_name()
            return f"{names[0]}（{code[:3]}）{names[1]}（{code[3:5]}）{names[2]}（{code[5:]}）"
        return f"{names[0]}（类）{names[1]}（款）{names[2]}（项）"

    def wrong_name_code(self) -> str:
        return self.v.profile.projects[0][0]

    def wrong_name(self) -> str:
        code = self.wrong_name_code()
        siblings = [
            k
            for k in FUNCTION_NAMES
            if len(k) == 7 and k[:5] == code[:5] and k != code and k not in self.a.lines
        ]
        return FUNCTION_NAMES[siblings[0]]

    def item_sentence(self, i: int, line: Line) -> None:
        code, scope = line.code, f"item:{line.code}"
        concept = f"fa.function.{code[:3]}"
        budget, final = line.budget, line.gb
        shown_final = (
            final + 500
            if ("text_item" in self.slips and line is self.slip_line("text_item"))
            else final
        )
        name = self.item_name(code)
        self.fact(
            concept,
            budget,
            f"年初预算为{self.t(budget)}万元，支出决算为{self.t(shown_final)}万元",
            stage=BUDGET,
            scope=scope,
        )
        self.fact(
            concept,
            shown_final,
            f"支出决算为{self.t(shown_final)}万元",
            scope=scope,
            true_value=final if shown_final != final else None,
        )
        text = (
            f"{i}、{name}。主要用于：{PURPOSES[code]}。年初预算为{self.t(budget)}万元，"
            f"支出决算为{self.t(shown_final)}万元"
        )
        zero_slip = "zero_rate" in self.slips and budget == 0
        if self.v.item_rates and (budget or zero_slip):
            rate = Decimal("100.00") if zero_slip else pct(final, budget)
            self.fact(
                f"{concept}.completion_pct",
                rate,
                f"完成年初预算的{rate}%",
                scope=scope,
                money=False,
                unit="%",
            )
            text += f"，完成年初预算的{rate}%"
            if zero_slip:
                self.gold.flag(
                    "zero_budget_rate",
                    [concept, f"{concept}.completion_pct"],
                    f"年初预算为{self.t(0)}万元，支出决算为{self.t(final)}万元，完成年初预算的{rate}%",
                    f"{FUNCTION_NAMES[code]} ({code}): 年初预算 is 0 (a mid-year addition), so no "
                    f"completion rate exists; the text prints {rate}%.",
                    scope=scope,
                )
        if final == budget:
            text += "，决算数与预算数持平。"
        else:
            word = "大于" if final > budget else "小于"
            reasons = REASONS_MORE if final > budget else REASONS_LESS
            if "word_item" in self.slips and line is self.slip_line("word_item"):
                wrong = "大于" if word == "小于" else "小于"
                self.gold.flag(
                    "wording_number",
                    [concept],
                    f"支出决算为{self.t(shown_final)}万元。决算数{wrong}预算数",
                    f"{FUNCTION_NAMES[code]} ({code}): 支出决算 {self.t(final)} is "
                    f"{'less' if word == '小于' else 'more'} than 年初预算 {self.t(budget)}, "
                    f"yet the text says 决算数{wrong}预算数.",
                    scope=scope,
                )
                word = wrong
            text += f"。决算数{word}预算数的主要原因：{reasons[i % len(reasons)]}。"
        if shown_final != final:
            self.gold.flag(
                "table_text",
                [concept],
                f"支出决算为{self.t(shown_final)}万元",
                f"{FUNCTION_NAMES[code]} ({code}): the text gives 支出决算 {self.t(shown_final)}万元, the "
                f"一般公共预算财政拨款支出决算表 {self.t(final)}万元.",
                scope=scope,
            )
        if "function_name" in self.slips and self.v.item_codes and code == self.wrong_name_code():
            self.gold.flag(
                "function_code",
                [concept],
                self.item_name(code),
                f"the text names {code} {self.wrong_name()}; the document's tables (and the national "
                f"list) name {code} {FUNCTION_NAMES[code]}.",
                scope=scope,
            )
        self.add(Para(text))

    def slip_line(self, slip: str) -> Line:
        """The line a per-item slip lands on: the first whose 决算 differs from its budget."""
        candidates = [ln for ln in self.lines if ln.gb and ln.budget and ln.gb != ln.budget]
        return candidates[0] if slip == "word_item" else candidates[-1]

    def basic_notes(self) -> None:
        a = self.a
        basic = a.total_of("gb_basic")
        self.fact(
            "fa.general_budget_basic", basic, f"一般公共预算财政拨款基本支出{self.t(basic)}万元"
        )
        self.fact("fa.personnel", a.personnel, f"人员经费{self.t(a.personnel)}万元")
        self.fact("fa.public", a.public, f"公用经费{self.t(a.public)}万元")
        personnel_names = "、".join(
            ECON_NAMES[k] for k in a.econ if len(k) == 5 and k[:3] in ("301", "303")
        )
        public_names = "、".join(
            ECON_NAMES[k] for k in a.econ if len(k) == 5 and k[:3] in ("302", "310")
        )
        self.add(
            Heading("六、一般公共预算财政拨款基本支出决算情况说明", 2),
            Para(
                f"一般公共预算财政拨款基本支出{self.t(basic)}万元。其中：人员经费{self.t(a.personnel)}万元，"
                f"主要包括：{personnel_names}；公用经费{self.t(a.public)}万元，主要包括：{public_names}。"
            ),
        )

    def three_public_notes(self) -> None:
        a = self.a
        b, f, p = a.three_budget, a.three_final, a.three_prior
        total = self.three_total_shown
        self.add(
            Heading("七、财政拨款“三公”经费支出决算情况说明", 2),
            Heading("（一）“三公”经费财政拨款支出决算总体情况说明。", 2),
        )
        rate = pct(total, b.total)
        self.fact(
            "fa.three_public.total",
            b.total,
            f"“三公”经费财政拨款支出年初预算为{self.t(b.total)}万元",
            stage=BUDGET,
        )
        self.fact(
            "fa.three_public.total", total, f"支出决算为{self.t(total)}万元，完成预算的{rate}%"
        )
        self.fact(
            "fa.three_public.total.completion_pct",
            rate,
            f"完成预算的{rate}%",
            money=False,
            unit="%",
        )
        parts = []
        for label, concept, budget, final in self.three_parts(b, f):
            if budget:
                r = pct(final, budget)
                self.fact(f"{concept}.completion_pct", r, None, money=False, unit="%")
                parts.append(f"{label}决算为{self.t(final)}万元，完成预算的{r}%")
            else:
                parts.append(f"{label}年初预算和决算均为{self.t(final)}万元")
            self.fact(concept, final, f"{label}决算为{self.t(final)}万元")
        word = "大于" if total > b.total else "小于" if total < b.total else "等于"
        if "word_three" in self.slips and word != "等于":
            wrong = "大于" if word == "小于" else "小于"
            self.gold.flag(
                "wording_number",
                ["fa.three_public.total"],
                f"“三公”经费支出决算数{wrong}预算数",
                f"“三公”经费 决算 {self.t(total)} against 预算 {self.t(b.total)}: the 决算 is "
                f"{'smaller' if word == '小于' else 'larger'}, yet the text says {wrong}.",
            )
            word = wrong
        self.add(
            Para(
                f"“三公”经费财政拨款支出年初预算为{self.t(b.total)}万元，支出决算为{self.t(total)}万元，"
                f"完成预算的{rate}%，其中："
                + "；".join(parts)
                + f"。{self.year}年度“三公”经费支出决算数"
                f"{word}预算数的主要原因：严格执行中央八项规定精神，从严控制“三公”经费支出。"
            )
        )

        delta = total - p.total
        changes = []
        if delta:
            self.fact("fa.three_public.total.yoy_change", delta, None)
        if p.total and delta:
            r = pct(abs(delta), p.total)
            self.fact(
                "fa.three_public.total.yoy_change_pct",
                r if delta >= 0 else -r,
                None,
                money=False,
                unit="%",
            )
        for label, concept, before, now in self.three_parts(p, f):
            d = now - before
            if d == 0:
                changes.append(f"{label}支出决算与{self.prior}年度持平")
                continue
            w, rw = more_less(d)
            self.fact(f"{concept}.yoy_change", d, f"{label}支出决算{w}{self.t(abs(d))}万元")
            if before:
                r = pct(abs(d), before)
                self.fact(
                    f"{concept}.yoy_change_pct", r if d > 0 else -r, None, money=False, unit="%"
                )
                changes.append(f"{label}支出决算{w}{self.t(abs(d))}万元，{rw}{r}%")
            else:
                changes.append(f"{label}支出决算{w}{self.t(abs(d))}万元（{self.prior}年度为0）")
        if delta:
            w, rw = more_less(delta)
            head = (
                f"{self.year}年度“三公”经费财政拨款支出决算数比{self.prior}年度{w}{self.t(abs(delta))}万元"
                + (f"，{rw}{pct(abs(delta), p.total)}%" if p.total else "")
            )
        else:
            head = f"{self.year}年度“三公”经费财政拨款支出决算数与{self.prior}年度持平"
        self.add(
            Para(
                head
                + "，其中："
                + "；".join(changes)
                + "。主要原因是公务活动安排调整，严控公务接待和公务用车支出。"
            )
        )

        self.add(Heading("（二）“三公”经费财政拨款支出决算具体情况说明。", 2))
        shares = []
        for label, concept, _, final in self.three_parts(b, f):
            s = pct(final, total) if total else Decimal("0.00")
            self.fact(f"{concept}.share_pct", s, None, money=False, unit="%")
            shares.append(f"{label}支出决算{self.t(final)}万元，占{s}%")
        self.add(Para("“三公”经费财政拨款支出决算中，" + "；".join(shares) + "。具体情况如下："))
        groups, persons = a.overseas_groups
        if f.overseas:
            self.add(
                Para(
                    f"1、因公出国（境）费支出{self.t(f.overseas)}万元。全年安排因公出国（境）团组{groups}个、"
                    f"累计{persons}人次。开支内容包括：参加国际交流合作和境外培训。"
                )
            )
        else:
            self.add(
                Para(
                    f"1、因公出国（境）费支出{self.t(0)}万元。{self.year}年度未安排因公出国（境）团组。"
                )
            )
        self.fact(
            "fa.three_public.vehicle_purchase",
            f.purchase,
            f"公务用车购置支出为{self.t(f.purchase)}万元",
        )
        self.fact(
            "fa.three_public.vehicle_running",
            f.running,
            f"公务用车运行维护支出{self.t(f.running)}万元",
        )
        bought = "购置公务用车1辆" if f.purchase else "未购置公务用车"
        held = sum(a.vehicles.values())
        self.add(
            Para(
                f"2、公务用车购置及运行维护费支出{self.t(f.vehicle)}万元。其中：公务用车购置支出为"
                f"{self.t(f.purchase)}万元，{bought}。公务用车运行维护支出{self.t(f.running)}万元，主要用于"
                f"公务用车燃料费、维修费、过路过桥费、保险费等支出。{self.year}年，{self.name}所属各预算单位"
                f"开支财政拨款的公务用车保有量为{held}辆。"
            )
        )
        batches, visitors = a.reception_batches
        self.fact(
            "fa.three_public.reception_domestic",
            f.reception,
            f"国内公务接待支出{self.t(f.reception)}万元",
        )
        self.fact("fa.three_public.reception_foreign_guests", 0, None)
        self.add(
            Para(
                f"3、公务接待费支出{self.t(f.reception)}万元。其中：国内公务接待支出{self.t(f.reception)}万元"
                f"（含外宾接待支出{self.t(0)}万元）。主要用于上级部门检查指导和兄弟单位交流学习，共接待"
                f"{batches}批次、{visitors}人次，其中：接待外宾0批次、0人次。"
            )
        )

    def three_parts(
        self, first: ThreePublic, second: ThreePublic
    ) -> list[tuple[str, str, int, int]]:
        return [
            ("因公出国（境）费", "fa.three_public.overseas", first.overseas, second.overseas),
            ("公务用车购置及运行维护费", "fa.three_public.vehicle", first.vehicle, second.vehicle),
            ("公务接待费", "fa.three_public.reception", first.reception, second.reception),
        ]

    def fund_notes(self) -> None:
        a = self.a
        self.add(Heading("八、政府性基金预算财政拨款收入支出决算情况说明", 2))
        fund = [ln for ln in self.lines if ln.gf_project]
        if not fund:
            self.add(Para(f"{self.name}{self.year}年度无政府性基金预算财政拨款收入和支出。"))
            return
        line = fund[0]
        spent = line.gf_project
        self.fact(
            "fa.revenue.gov_fund",
            a.revenue_gf,
            f"政府性基金预算财政拨款收入{self.t(a.revenue_gf)}万元",
        )
        self.fact("fa.gov_fund_expenditure", spent, f"支出{self.t(spent)}万元")
        self.fact(
            "fa.gov_fund_expenditure",
            spent,
            f"年初预算为{self.t(spent)}万元",
            stage=BUDGET,
            scope=f"item:{line.code}",
        )
        self.add(
            Para(
                f"政府性基金预算财政拨款收入{self.t(a.revenue_gf)}万元，支出{self.t(spent)}万元，支出具体情况"
                f"如下：1、{self.item_name(line.code)}。主要用于：{PURPOSES[line.code]}。年初预算为"
                f"{self.t(spent)}万元，支出决算为{self.t(spent)}万元，决算数与预算数持平。"
            )
        )

    def performance_notes(self) -> None:
        a = self.a
        projects = [ln for ln in self.lines if ln.gb_project or ln.gf_project]
        funds = sum(project_budget(ln) for ln in projects)
        n = len(projects)
        self.fact(
            "perf.target_projects",
            n,
            f"编报绩效目标的{self.year}年度项目{n}个",
            stage=None,
            money=False,
            unit="个",
        )
        self.fact("perf.target_funds", funds, f"涉及预算金额{self.t(funds)}万元", stage=BUDGET)
        self.fact("perf.self_eval_projects", n, None, stage=None, money=False, unit="个")
        self.fact("perf.self_eval_funds", funds, None, stage=BUDGET)
        self.fact(
            "perf.self_eval_score",
            Decimal(a.self_eval_score),
            f"平均得分{a.self_eval_score}分",
            stage=None,
            money=False,
            unit="分",
        )
        self.add(
            Heading("十、预算绩效管理情况", 2),
            Para(
                f"{self.name}{self.year}年度预算绩效管理工作开展情况如下：本部门建立了预算绩效管理内部"
                f"工作规程，建立了项目全过程预算绩效管理工作机制；全过程绩效管理实施情况：编报绩效目标的"
                f"{self.year}年度项目{n}个，涉及预算金额{self.t(funds)}万元；绩效自评的{self.year}年度项目"
                f"{n}个，涉及预算金额{self.t(funds)}万元，平均得分{a.self_eval_score}分。"
            ),
        )

    def other_notes(self) -> None:
        a = self.a
        self.add(
            Heading("十一、其他重要事项的情况说明", 2), Heading("（一）机关运行经费支出情况", 2)
        )
        operating = a.public + 1234 if "operating_over" in self.slips else a.operating
        self.fact("fa.operating_expenditure", operating, f"机关运行经费支出{self.t(operating)}万元")
        delta = operating - a.operating_prior
        if "unresolved" in self.slips:
            text = (
                f"机关运行经费支出{self.t(operating)}万元，比{self.prior}年度增加（减少）{self.t(abs(delta))}"
                f"万元，增长（下降）{pct(abs(delta), a.operating_prior)}%。"
            )
            self.gold.flag(
                "unfilled_template",
                ["fa.operating_expenditure"],
                "增加（减少）",
                "机关运行经费: the form's alternatives 增加（减少） and 增长（下降） are left "
                f"unresolved (the figure went {'up' if delta > 0 else 'down'} by "
                f"{self.t(abs(delta))}).",
            )
        else:
            change = self.change(
                "fa.operating_expenditure", operating, a.operating_prior, "机关运行经费支出"
            )
            text = f"机关运行经费支出{self.t(operating)}万元。{change}。"
        text += f"主要原因是{self.reason(delta)}。"
        if "operating_over" in self.slips:
            self.gold.flag(
                "operating_expenditure",
                ["fa.operating_expenditure", "fa.public"],
                f"机关运行经费支出{self.t(operating)}万元",
                f"机关运行经费 {self.t(operating)}万元 exceeds the 公用经费 {self.t(a.public)}万元 of the "
                "一般公共预算财政拨款基本支出 it is part of.",
            )
        self.add(Para(text))

        goods, works, services = a.procurement
        total = goods + works + services
        self.fact(
            "fa.procurement_total", total, f"政府采购金额（以合同签订为准）为{self.t(total)}万元"
        )
        self.fact("fa.procurement.goods", goods, f"货物采购金额{self.t(goods)}万元")
        self.fact("fa.procurement.works", works, f"工程采购金额{self.t(works)}万元")
        self.fact("fa.procurement.services", services, f"服务采购金额{self.t(services)}万元")
        self.fact(
            "fa.procurement.sme_reserved",
            a.sme_reserved,
            f"面向中小企业预留政府采购项目预算金额{self.t(a.sme_reserved)}万元",
            stage=BUDGET,
        )
        self.fact(
            "fa.procurement.small_micro_reserved",
            a.small_micro_reserved,
            f"面向小微企业预留政府采购项目预算金额{self.t(a.small_micro_reserved)}万元",
            stage=BUDGET,
        )
        self.add(
            Heading("（二）政府采购支出情况", 2),
            Para(
                f"{self.name}{self.year}年度政府采购金额（以合同签订为准）为{self.t(total)}万元，其中："
                f"货物采购金额{self.t(goods)}万元、工程采购金额{self.t(works)}万元、服务采购金额"
                f"{self.t(services)}万元。{self.year}年度本部门面向中小企业预留政府采购项目预算金额"
                f"{self.t(a.sme_reserved)}万元，面向小微企业预留政府采购项目预算金额"
                f"{self.t(a.small_micro_reserved)}万元。"
            ),
        )

        held = sum(a.vehicles.values())
        self.fact("asset.vehicles", held, f"共有车辆{held}辆", stage=None, money=False, unit="辆")
        self.fact(
            "asset.large_equipment",
            a.equipment,
            f"（不含车辆）{a.equipment}台（套）",
            stage=None,
            money=False,
            unit="台（套）",
        )
        self.add(
            Heading("（三）国有资产占有使用情况说明", 2),
            Para(
                f"截至{self.year}年12月31日，{self.name}共有车辆{held}辆，其中：部级领导干部用车0辆、"
                f"主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、执法执勤用车"
                f"{a.vehicles['执法执勤用车']}辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车"
                f"{a.vehicles['其他用车']}辆。单价100万元（含）以上设备（不含车辆）{a.equipment}台（套）。"
            ),
        )

    def glossary(self) -> None:
        self.add(PageBreak(), Heading("第四部分 名词解释", 1), *[Para(t) for t in GLOSSARY])


CN_NUMBERS_LONG = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "二十一",
    "二十二",
    "二十三",
    "二十四",
]

GLOSSARY = [
    "一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政"
    "拨款和国有资本经营预算财政拨款。",
    "二、年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
    "三、年末结转和结余：指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度按有关"
    "规定继续使用的资金。",
    "四、基本支出：指单位为保障机构正常运转、完成日常工作任务而发生的各项支出。",
    "五、项目支出：指单位为完成特定的行政工作任务或事业发展目标，在基本支出之外发生的各项支出。",
    "六、“三公”经费：指单位使用本级财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "七、机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用"
    "经费支出。",
]
