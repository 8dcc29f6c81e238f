"""What a generated fixture looks like: layout, units, code columns, title form, slips."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from juesuan.accounts import Profile

#: the slips a variant may plant; each becomes one gold flag (eval/GUIDE.md lists them)
SLIPS = {
    "text_total": "table_text: 本年支出合计 of the text differs from the 收入支出决算总表",
    "text_item": "table_text: an item's 支出决算 in the text differs from its table line",
    "word_item": "wording_number: 决算数大于（小于）预算数 resolved the wrong way for an item",
    "word_three": "wording_number: “三公” 决算数小于预算数 written where it is larger (or the reverse)",
    "unresolved": "unfilled_template: 增加（减少）… 增长（下降） left unresolved (机关运行经费)",
    "empty_no_note": "empty_table: the empty 国有资本经营 table without its 说明",
    "sum_three": "sum: the “三公” 合计 (决算数) is not the sum of its parts",
    "rate_trunc": "rate_precision: 完成年初预算的 X% truncated instead of rounded",
    "year_heading": "year: the 情况说明 heading names the year before the fiscal year",
    "zero_rate": "zero_budget_rate: 完成年初预算的 100% for an item whose 年初预算 is 0",
    "function_name": "function_code: an item's code printed with another 项's name",
    "operating_over": "operating_expenditure: 机关运行经费 larger than 公用经费",
    "wrong_share": "share: a 占 X% that the figures do not give",
    "yoy_wrong": "yoy: 增长 X% that the change and the total do not give",
    "budget_item": "table_text (budget): an item of the 编制说明 differs from its table line",
    "budget_note": "empty_table (budget): the 国有资本经营 table's note names 政府性基金",
    # the editions of editions.yaml (gen-wild-*)
    "procurement_sum": "procurement: 政府采购支出总额 is not 货物 + 工程 + 服务",
    "no_reason": "missing_reason: 机关运行经费's change is given without any reason",
    "blank_reason": "unfilled_template: the “三公” change's reason left empty (主要原因是。)",
    "other_department": "department_name: one table's 编制单位 line names another department",
    "missing_table": "required_tables: a table the 目录 lists (and the form requires) is not printed",
    "word_three_budget": "wording_number: the “三公” budget said to rise (增加) where it falls",
    "project_sum": "project_list: the 重点项目 total is not the sum of the projects listed",
    "total_scaled": "table_text: 收入支出总计 in the text is the table's 元 figure divided twice",
    "rate_no_sign": "rate_precision: 完成年初预算的 rate printed without its % sign",
}


@dataclass(frozen=True)
class TargetLayout:
    """How a 部门预算 prints its 绩效目标表 (one per project, and optionally the department's).

    Real editions differ from year to year in exactly these ways, so a reader that finds
    the tables in one layout must find them in the others.
    """

    #: the project table's title, {year} the fiscal year ({year}年项目支出绩效目标表,
    #: {year}年度财政项目支出绩效目标填报表 …)
    title: str
    #: "merged": a 一级/二级指标 cell spans the rows it heads; "repeated": printed on every row
    level1: Literal["merged", "repeated"]
    #: "inside": ≥95% in the 指标值 cell; "column": 指标性质 | 指标值 | 度量单位 columns
    operator: Literal["inside", "column"]
    #: the unit of the 项目资金 rows
    unit: Literal["万元", "元"]
    #: the 2021 national template: 成本指标 is a 一级指标 (经济成本指标); else a 二级 under 产出
    cost_first_level: bool = False
    #: the title of the 部门整体支出绩效目标表, None when the edition prints none
    department_title: str | None = None


@dataclass(frozen=True)
class Variant:
    id: str
    kind: Literal["final", "budget"]
    layout: Literal["ruled", "plain", "docx", "html"]
    profile: Profile
    year: int
    seed: int
    unit: Literal["万元", "元"]
    codes: Literal["combined", "split", "names"]
    title_form: Literal["national", "unit", "compiler"]
    #: thousands separators in 万元 tables and in the text
    separators: bool = False
    #: item sentences print their codes (一般公共服务（201）…（03）…（01）)
    item_codes: bool = False
    #: item sentences print 完成年初预算的 X%
    item_rates: bool = False
    slips: tuple[str, ...] = ()
    #: the 绩效目标表 a budget carries (None: none, as in the corpus editions)
    targets: TargetLayout | None = None
    #: an edition of editions.yaml: how a province's disclosures differ from the form
    edition: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.slips) - set(SLIPS)
        assert not unknown, unknown
