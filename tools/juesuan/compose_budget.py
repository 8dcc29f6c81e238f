"""A 部门预算 in the form of the corpus templates (department_budget_template.xlsx).

The year's figures are budget figures (stage budget_initial); the 编制说明 compares them
with the previous year's budget. The numbers come from the same `Accounts` as a 决算 (the
lines' amounts read as the year's budget, with no carry-over).
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.accounts import Accounts
from juesuan.blocks import Block, Gold, Heading, PageBreak, Para, Table, wan
from juesuan.catalogue import ECON_NAMES, FUNCTION_NAMES, PURPOSES
from juesuan.compose_final import CN_NUMBERS_LONG, more_less
from juesuan.compose_targets import TargetComposer
from juesuan.tables import Cells, Column, code_header, coded_table
from juesuan.variant import Variant

STAGE = "budget_initial"


class BudgetComposer:
    def __init__(self, variant: Variant, accounts: Accounts) -> None:
        self.v = variant
        self.a = accounts
        self.year = variant.year
        self.prior = variant.year - 1
        self.name = variant.profile.name
        self.gold = Gold()
        self.blocks: list[Block] = []
        self.cells = Cells(variant, self.gold, STAGE)
        self.lines = list(accounts.lines.values())
        self.slips = set(variant.slips)

    def t(self, m: int) -> str:
        return wan(m, separators=self.v.separators)

    def left(self) -> str:
        return f"编制部门：{self.name}"

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def fact(
        self,
        concept: str,
        value: int | Decimal,
        quote: str | None,
        *,
        scope: str = "department",
        stage: str | None = STAGE,
        money: bool = True,
        unit: str = "万元",
        year: int | None = None,
        true_value: int | None = None,
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
        )

    def versus(self, concept: str, now: int, before: int) -> str:
        """'比2024年预算增加3.00万元' (or 与2024年预算持平) and its fact."""
        delta = now - before
        if delta == 0:
            return f"与{self.prior}年预算持平"
        word, _ = more_less(delta)
        self.fact(
            f"{concept}.yoy_change", delta, f"比{self.prior}年预算{word}{self.t(abs(delta))}万元"
        )
        return f"比{self.prior}年预算{word}{self.t(abs(delta))}万元"

    # ------------------------------------------------------------------ document
    def compose(self) -> tuple[list[Block], Gold]:
        p = self.v.profile
        city = p.city if p.city and p.city != p.province else ""
        place = f"{p.province}{city}{p.county or ''}"
        level = {
            "county": "区级" if (p.county or "").endswith("区") else "县级",
            "city": "市级",
            "province": "省级",
        }[p.level]
        self.add(
            Heading(f"{place}{self.year}年{level}部门预算", 0),
            Para(f"预算主管部门：{self.name}", "center"),
            PageBreak(),
        )
        self.add(
            Heading(f"{self.name}主要职能", 1),
            Para(
                f"{self.name}是{p.city or p.province}人民政府工作部门，主要职能包括：贯彻执行国家和本地区"
                "有关法律法规和方针政策，负责本行政区域内相关领域的行业管理和公共服务。"
            ),
            Heading(f"{self.name}机构设置", 1),
            Para(
                f"{self.name}部门预算包括本部以及下属{1 if p.institution_line else 0}家预算单位的综合收支计划。"
            ),
            PageBreak(),
        )
        self.explanation()
        self.tables()
        self.other_notes()
        if self.v.targets:
            self.add(*TargetComposer(self.v, self.a, self.gold).compose())
        return self.blocks, self.gold

    def revenue_parts(self) -> tuple[int, int, int, int]:
        gb = self.a.total_of("gb")
        gf = self.a.total_of("gf_project")
        business = sum(
            ln.other_basic + ln.other_project
            for ln in self.lines
            if ln.code == self.v.profile.institution_line
        )
        other = self.a.total_of("total") - gb - gf - business
        return gb, gf, business, other

    def explanation(self) -> None:
        a = self.a
        gb, gf, business, other = self.revenue_parts()
        total = gb + gf + business + other
        fiscal = gb + gf
        # the previous year's budget: the general budget moved, the fund part did not
        prior_gb = a.prior_gb
        prior_fiscal = prior_gb + gf
        self.add(Heading(f"{self.year}年部门预算编制说明", 1))
        self.fact("fa.revenue_total", total, f"收入预算{self.t(total)}万元")
        self.fact("fa.fiscal_revenue", fiscal, f"财政拨款收入{self.t(fiscal)}万元")
        self.fact("fa.revenue.business", business, f"事业收入{self.t(business)}万元")
        self.fact("fa.revenue.operating", 0, None)
        self.fact("fa.revenue.other", other, f"其他收入{self.t(other)}万元")
        self.fact("fa.expenditure_total", total, f"支出预算{self.t(total)}万元")
        self.fact("fa.fiscal_expenditure", fiscal, f"财政拨款支出预算{self.t(fiscal)}万元")
        self.fact("fa.general_budget_expenditure", gb, f"一般公共预算拨款支出预算{self.t(gb)}万元")
        self.fact("fa.gov_fund_expenditure", gf, f"政府性基金拨款支出预算{self.t(gf)}万元")
        self.fact("fa.state_capital_expenditure", 0, None)
        rev_change = self.versus("fa.fiscal_revenue", fiscal, prior_fiscal)
        exp_change = self.versus("fa.fiscal_expenditure", fiscal, prior_fiscal)
        gb_change = self.versus("fa.general_budget_expenditure", gb, prior_gb)
        gf_change = f"与{self.prior}年预算持平" if not gf else f"与{self.prior}年预算相比变化不大"
        word = "增加" if fiscal > prior_fiscal else "减少"
        self.add(
            Para(
                f"{self.year}年，{self.name}收入预算{self.t(total)}万元，其中：财政拨款收入{self.t(fiscal)}万元，"
                f"{rev_change}；事业收入{self.t(business)}万元；事业单位经营收入{self.t(0)}万元；其他收入"
                f"{self.t(other)}万元。"
            ),
            Para(
                f"支出预算{self.t(total)}万元，其中：财政拨款支出预算{self.t(fiscal)}万元，{exp_change}。"
                f"财政拨款支出预算中，一般公共预算拨款支出预算{self.t(gb)}万元，{gb_change}；政府性基金拨款"
                f"支出预算{self.t(gf)}万元，{gf_change}；国有资本经营预算拨款支出预算{self.t(0)}万元，与"
                f"{self.prior}年预算持平。"
            ),
            Para(f"财政拨款收入支出{word}的主要原因是人员经费调整和项目安排变化。"),
            Para("财政拨款支出主要内容如下："),
        )
        slip_code = self.v.profile.projects[0][0]
        items = [ln for ln in self.lines if ln.gb]
        for i, line in enumerate(items, 1):
            code = line.code
            names = [FUNCTION_NAMES[code[:3]], FUNCTION_NAMES[code[:5]], FUNCTION_NAMES[code]]
            label = f"“{names[0]}（类）{names[1]}（款）{names[2]}（项）”"
            shown = (
                line.gb + 80000 if ("budget_item" in self.slips and code == slip_code) else line.gb
            )
            scope = f"item:{code}"
            self.fact(
                f"fa.function.{code[:3]}",
                shown,
                f"（项）”科目{self.t(shown)}万元",
                scope=scope,
                true_value=line.gb if shown != line.gb else None,
            )
            if shown != line.gb:
                self.gold.flag(
                    "table_text",
                    [f"fa.function.{code[:3]}"],
                    f"（项）”科目{self.t(shown)}万元",
                    f"编制说明 item {i} ({names[2]}, {code}) gives {self.t(shown)}万元; the 收入/支出/"
                    f"一般公共预算支出功能分类预算表 give {self.t(line.gb)}万元, and the items then add to "
                    f"{self.t(gb + shown - line.gb)}, not the {self.t(gb)} 一般公共预算拨款支出预算.",
                    scope=scope,
                )
            self.add(Para(f"{i}. {label}科目{self.t(shown)}万元，主要用于{PURPOSES[code]}。"))
        self.add(PageBreak())

    # ------------------------------------------------------------------ tables
    def tables(self) -> None:
        a, c = self.a, self.cells
        gb, gf, business, other = self.revenue_parts()
        total = gb + gf + business + other
        classes = sorted({ln.code[:3] for ln in self.lines})
        income = [
            ("一、财政拨款收入", gb + gf, "fa.fiscal_revenue"),
            ("1. 一般公共预算资金", gb, "fa.revenue.general_budget"),
            ("2. 政府性基金", gf, "fa.revenue.gov_fund"),
            ("3. 国有资本经营预算", 0, None),
            ("二、事业收入", business, "fa.revenue.business"),
            ("三、事业单位经营收入", 0, None),
            ("四、其他收入", other, "fa.revenue.other"),
        ]
        rows = []
        for i in range(max(len(income), len(classes))):
            label, m, concept = income[i] if i < len(income) else ("", 0, None)
            right, value = "", ""
            if i < len(classes):
                cls = classes[i]
                right = f"{CN_NUMBERS_LONG[i]}、{FUNCTION_NAMES[cls]}"
                value = c.cell(a.prefix_total("total", cls), "fa.expenditure_total", f"item:{cls}")
            rows.append([label, c.cell(m, concept) if concept else "", right, value])
        rows.append(["收入总计", c.cell(total, "fa.total"), "支出总计", c.cell(total, "fa.total")])
        self.add(
            Table(
                title=f"{self.year}年部门财务收支预算总表",
                left=self.left(),
                unit=c.unit_label,
                header=[["本年收入", None, "本年支出", None], ["项目", "预算数", "项目", "预算数"]],
                rows=rows,
                widths=[2.6, 1.4, 2.8, 1.4],
            )
        )

        business_line = self.v.profile.institution_line
        cols = [
            Column("合计", lambda ln: ln.total, "fa.revenue_total", "fa.revenue_total"),
            Column(
                "财政拨款收入",
                lambda ln: ln.gb + ln.gf_project,
                "fa.fiscal_revenue",
                "fa.fiscal_revenue",
            ),
            Column(
                "事业收入",
                lambda ln: ln.other_basic + ln.other_project if ln.code == business_line else 0,
                "fa.revenue.business",
                "fa.revenue.business",
            ),
            Column("事业单位经营收入", lambda ln: 0, None, None),
            Column(
                "其他收入",
                lambda ln: ln.other_basic + ln.other_project if ln.code != business_line else 0,
                "fa.revenue.other",
                "fa.revenue.other",
            ),
        ]
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                c,
                title=f"{self.year}年部门收入预算总表",
                left=self.left(),
                lines=self.lines,
                columns=cols,
                total_first=False,
            ),
        )
        cols = [
            Column("合计", lambda ln: ln.total, "fa.expenditure_total", "fa.expenditure_total"),
            Column("基本支出", lambda ln: ln.basic, "fa.expenditure.basic", "fa.expenditure.basic"),
            Column(
                "项目支出",
                lambda ln: ln.project,
                "fa.expenditure.project",
                "fa.expenditure.project",
            ),
        ]
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                c,
                title=f"{self.year}年部门支出预算总表",
                left=self.left(),
                lines=self.lines,
                columns=cols,
                total_first=False,
            ),
        )
        self.fiscal_table(gb, gf)
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
        self.add(
            PageBreak(),
            coded_table(
                self.v,
                c,
                title=f"{self.year}年部门一般公共预算支出功能分类预算表",
                left=self.left(),
                lines=[ln for ln in self.lines if ln.gb],
                columns=cols,
                total_first=False,
            ),
        )
        heads = ["合计", "基本支出", "项目支出"]
        fund = [ln for ln in self.lines if ln.gf_project]
        if fund:
            cols = [
                Column(
                    "合计",
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
            ]
            self.add(
                PageBreak(),
                coded_table(
                    self.v,
                    c,
                    title=f"{self.year}年部门政府性基金预算支出功能分类预算表",
                    left=self.left(),
                    lines=fund,
                    columns=cols,
                    total_first=False,
                ),
            )
        else:
            self.add(
                PageBreak(),
                self.empty(
                    f"{self.year}年部门政府性基金预算支出功能分类预算表",
                    heads,
                    f"注：本部门{self.year}年无政府性基金预算财政拨款安排的预算，故本表为空表。",
                ),
            )
        wrong = "budget_note" in self.slips
        which = "政府性基金" if wrong else "国有资本经营"
        note = f"注：本部门{self.year}年无{which}预算财政拨款安排的预算，故本表为空表。"
        self.add(
            PageBreak(),
            self.empty(f"{self.year}年部门国有资本经营预算支出功能分类预算表", heads, note),
        )
        if wrong:
            self.gold.flag(
                "empty_table",
                ["fa.state_capital_expenditure"],
                note,
                "the empty 国有资本经营预算支出功能分类预算表 carries the 政府性基金 table's note "
                "(无政府性基金预算…); its own note (无国有资本经营预算财政拨款安排的预算) is missing.",
            )
        self.econ_table()
        self.three_table()

    def fiscal_table(self, gb: int, gf: int) -> None:
        a, c = self.a, self.cells
        classes = sorted({ln.code[:3] for ln in self.lines if ln.gb or ln.gf_project})
        left = [
            ("一、一般公共预算资金", gb, "fa.revenue.general_budget"),
            ("二、政府性基金", gf, "fa.revenue.gov_fund"),
            ("三、国有资本经营预算", 0, None),
        ]
        rows = []
        for i in range(max(len(left), len(classes))):
            label, m, concept = left[i] if i < len(left) else ("", 0, None)
            row = [label, c.cell(m, concept) if concept else ""]
            if i < len(classes):
                cls = classes[i]
                g, f = a.prefix_total("gb", cls), a.prefix_total("gf_project", cls)
                row += [
                    f"{CN_NUMBERS_LONG[i]}、{FUNCTION_NAMES[cls]}",
                    c.cell(g + f, "fa.fiscal_expenditure", f"item:{cls}"),
                    c.cell(g, f"fa.function.{cls}"),
                    c.cell(f, "fa.gov_fund_expenditure", f"item:{cls}"),
                    "",
                ]
            else:
                row += ["", "", "", "", ""]
            rows.append(row)
        rows.append(
            [
                "收入总计",
                c.cell(gb + gf, "fa.fiscal_total"),
                "支出总计",
                c.cell(gb + gf, "fa.fiscal_total"),
                c.cell(gb, "fa.general_budget_expenditure"),
                c.cell(gf, "fa.gov_fund_expenditure"),
                "",
            ]
        )
        self.add(
            PageBreak(),
            Table(
                title=f"{self.year}年部门财政拨款收支预算总表",
                left=self.left(),
                unit=c.unit_label,
                header=[
                    ["财政拨款收入", None, "财政拨款支出", None, None, None, None],
                    [
                        "项目",
                        "预算数",
                        "项目",
                        "合计",
                        "一般公共预算",
                        "政府性基金预算",
                        "国有资本经营预算",
                    ],
                ],
                rows=rows,
                widths=[2.4, 1.3, 2.6, 1.3, 1.3, 1.3, 1.3],
            ),
        )

    def empty(self, title: str, heads: list[str], note: str) -> Table:
        head = [*code_header(self.v), *heads]
        n = len(code_header(self.v))
        return Table(
            title=title,
            left=self.left(),
            unit=self.cells.unit_label,
            header=[head],
            rows=[["合计"] + [""] * (len(head) - 1)],
            text_columns=n,
            notes=[note],
        )

    def econ_table(self) -> None:
        a, c = self.a, self.cells
        rows = []
        for cls in sorted({k[:3] for k in a.econ}):
            members = [k for k in a.econ if k.startswith(cls)]
            personnel = cls in ("301", "303")
            for code in [cls, *members]:
                m = sum(a.econ[k] for k in members) if code == cls else a.econ[code]
                scope = f"econ:{code}"
                cells = [code[:3], code[3:]] if self.v.codes != "names" else []
                name = (
                    ECON_NAMES[code]
                    if self.v.codes != "names"
                    else (("\u3000\u3000" if len(code) > 3 else "") + ECON_NAMES[code])
                )
                rows.append(
                    [
                        *cells,
                        name,
                        c.cell(m, "fa.general_budget_basic", scope),
                        c.cell(m if personnel else 0, "fa.personnel", scope),
                        c.cell(0 if personnel else m, "fa.public", scope),
                    ]
                )
        lead = ["合计", ""] if self.v.codes != "names" else []
        rows.append(
            [
                *lead,
                "" if lead else "合计",
                c.cell(a.personnel + a.public, "fa.general_budget_basic"),
                c.cell(a.personnel, "fa.personnel"),
                c.cell(a.public, "fa.public"),
            ]
        )
        head = (["类", "款"] if self.v.codes != "names" else []) + [
            "经济分类科目名称",
            "合计",
            "人员经费",
            "公用经费",
        ]
        self.add(
            PageBreak(),
            Table(
                title=f"{self.year}年部门一般公共预算基本支出部门预算经济分类预算表",
                left=self.left(),
                unit=c.unit_label,
                header=[head],
                rows=rows,
                text_columns=len(head) - 3,
            ),
        )

    def three_table(self) -> None:
        a = self.a
        b = a.three_budget
        values = [
            ("fa.three_public.total", b.total),
            ("fa.three_public.overseas", b.overseas),
            ("fa.three_public.reception", b.reception),
            ("fa.three_public.vehicle", b.vehicle),
            ("fa.three_public.vehicle_purchase", b.purchase),
            ("fa.three_public.vehicle_running", b.running),
            ("fa.operating_expenditure", a.operating),
        ]
        row = []
        for concept, m in values:
            shown = wan(m) if m else ""
            if shown:
                self.fact(concept, m, None)
            row.append(shown)
        header = [
            ["“三公”经费预算数", None, None, None, None, None, "机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", None, None, ""],
            ["", "", "", "小计", "购置费", "运行费", ""],
        ]
        self.add(
            PageBreak(),
            Table(
                title=f"{self.year}年部门“三公”经费和机关运行经费预算表",
                left=self.left(),
                unit="单位：万元",
                header=header,
                rows=[row],
                text_columns=0,
            ),
        )

    # ------------------------------------------------------------------ 其他相关情况说明
    def other_notes(self) -> None:
        a = self.a
        b, p = a.three_budget, a.three_prior
        self.add(
            PageBreak(),
            Heading("其他相关情况说明", 1),
            Heading(f"一、{self.year}年“三公”经费预算情况说明", 2),
        )
        self.fact("fa.three_public.total", b.total, f"“三公”经费预算数为{self.t(b.total)}万元")
        parts = []
        for label, concept, now, before in [
            ("因公出国（境）费", "fa.three_public.overseas", b.overseas, p.overseas),
            ("公务用车购置及运行费", "fa.three_public.vehicle", b.vehicle, p.vehicle),
            ("公务接待费", "fa.three_public.reception", b.reception, p.reception),
        ]:
            self.fact(concept, now, f"{label}{self.t(now)}万元")
            parts.append(f"{label}{self.t(now)}万元，{self.versus(concept, now, before)}")
        head = self.versus("fa.three_public.total", b.total, p.total)
        self.add(
            Para(
                f"{self.year}年“三公”经费预算数为{self.t(b.total)}万元，{head}。其中："
                + "；".join(parts)
                + "。主要原因是严格控制一般性支出。"
            )
        )
        self.add(Heading("二、机关运行经费预算", 2))
        self.fact(
            "fa.operating_expenditure", a.operating, f"机关运行经费预算为{self.t(a.operating)}万元"
        )
        self.add(
            Para(f"{self.year}年{self.name}财政拨款的机关运行经费预算为{self.t(a.operating)}万元。")
        )
        goods, works, services = a.procurement
        total = goods + works + services
        self.fact("fa.procurement_total", total, f"政府采购预算{self.t(total)}万元")
        self.fact("fa.procurement.goods", goods, f"政府采购货物预算{self.t(goods)}万元")
        self.fact("fa.procurement.works", works, f"政府采购工程预算{self.t(works)}万元")
        self.fact("fa.procurement.services", services, f"政府采购服务预算{self.t(services)}万元")
        self.fact(
            "fa.procurement.sme_reserved",
            a.sme_reserved,
            f"面向中小企业预留政府采购项目预算金额{self.t(a.sme_reserved)}万元",
        )
        self.fact(
            "fa.procurement.small_micro_reserved",
            a.small_micro_reserved,
            f"预留给小型和微型企业的政府采购项目预算为{self.t(a.small_micro_reserved)}万元",
        )
        self.add(
            Heading("三、政府采购预算情况", 2),
            Para(
                f"{self.year}年本部门政府采购预算{self.t(total)}万元，其中：政府采购货物预算{self.t(goods)}万元、"
                f"政府采购工程预算{self.t(works)}万元、政府采购服务预算{self.t(services)}万元。"
            ),
            Para(
                f"{self.year}年本部门面向中小企业预留政府采购项目预算金额{self.t(a.sme_reserved)}万元，其中，"
                f"预留给小型和微型企业的政府采购项目预算为{self.t(a.small_micro_reserved)}万元。"
            ),
        )
        projects = [ln for ln in self.lines if ln.gb_project or ln.gf_project]
        funds = sum(ln.project for ln in projects)
        self.fact(
            "perf.target_projects",
            len(projects),
            f"编报绩效目标的项目{len(projects)}个",
            stage=None,
            money=False,
            unit="个",
        )
        self.fact("perf.target_funds", funds, f"涉及项目预算资金{self.t(funds)}万元")
        self.add(
            Heading("四、绩效目标设置情况", 2),
            Para(
                f"按照预算绩效管理工作的总体要求，本部门开展了{self.year}年项目预算绩效目标编报工作，编报绩效"
                f"目标的项目{len(projects)}个，涉及项目预算资金{self.t(funds)}万元。"
            ),
        )
        held = sum(a.vehicles.values())
        self.fact(
            "asset.vehicles",
            held,
            f"共有车辆{held}辆",
            stage=None,
            money=False,
            unit="辆",
            year=self.prior,
        )
        self.fact(
            "asset.large_equipment",
            a.equipment,
            None,
            stage=None,
            money=False,
            unit="台（套）",
            year=self.prior,
        )
        planned = 1 if b.purchase else 0
        self.fact(
            "asset.vehicles_planned",
            planned,
            f"{self.year}年部门预算安排购置车辆{planned}辆",
            stage=None,
            money=False,
            unit="辆",
        )
        self.fact(
            "asset.large_equipment_planned", 0, None, stage=None, money=False, unit="台（套）"
        )
        self.add(
            Heading("五、国有资产占有使用情况", 2),
            Para(
                f"截至{self.prior}年8月31日，{self.name}共有车辆{held}辆，其中：部级领导干部用车0辆、主要领导"
                f"干部用车0辆、机要通信用车0辆、应急保障用车0辆、执法执勤用车{a.vehicles['执法执勤用车']}辆、"
                f"特种专业技术用车0辆、离退休干部用车0辆、其他用车{a.vehicles['其他用车']}辆；单价100万元（含）"
                f"以上设备（不含车辆）{a.equipment}台（套）。"
            ),
            Para(
                f"{self.year}年部门预算安排购置车辆{planned}辆，其中：其他用车{planned}辆；部门预算安排购置"
                "单价100万元（含）以上设备（不含车辆）0台（套）。"
            ),
        )
