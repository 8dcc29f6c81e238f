"""Hand-written answers for whole documents: a 部门预算 and a 部门决算 of the generated eval
fixtures (eval/fixtures/gen-docx-4 and gen-docx-1: filled forms the team wrote, invented
figures), through `llm` (every section, tables included) and `hybrid` (the rules first;
the model sees only what they did not read). `generate.py` records the requests against
the stand-in and puts these answers in their place; `test_llm_documents.py` replays them.

THE ANSWERS ARE WRITTEN BY HAND, not given by a model: they test the request plan, the
grounding, kinds, stages, line scopes, units, indicator rows and hybrid's merge — never
accuracy. Each answer names the request it answers by a text its document part holds
(`for`); everything else in it is the answer as the wire carries it.

`expect_facts` lists the model's facts that must reach the record, as (concept, scope,
year, stage, value in 万元 or as printed, unit basis); `expect_rows` the indicator rows
as (scope, level3, operator, target value, unit); `expect_disagreements` the concepts a
`backend_disagreement` must name (hybrid).
"""

from __future__ import annotations

from typing import Any

T = "\t"

DOCUMENTS: dict[str, dict[str, Any]] = {
    # ------------------------------------------------------------------ 部门决算, llm
    "final_accounts-llm": {
        "fixture": "gen-docx-1",
        "backend": "llm",
        "kind": "final_accounts",
        "answers": [
            {
                "for": "§s5 final_accounts_tables",
                "figures": [
                    {
                        "concept": "fa.total",
                        "value": 3367.13,
                        "unit": "万元",
                        "quote": "收入支出总计3,367.13万元",
                        "stage": "final",
                    },
                    {
                        "concept": "fa.total",
                        "value": 11.1,
                        "unit": "万元",
                        "quote": "收入支出总计增加11.10万元",
                        "stage": "final",
                        "measure": "yoy_change",
                    },
                    # a decrease: the model gives the sign its wording (减少) says
                    {
                        "concept": "fa.fiscal_total",
                        "value": -0.12,
                        "unit": "万元",
                        "quote": "财政拨款收入支出总计减少0.12万元",
                        "stage": "final",
                        "measure": "yoy_change",
                    },
                    # a cell of the 收入支出决算总表 (单位：万元 over the table)
                    {
                        "concept": "fa.revenue.general_budget",
                        "value": 3301.9,
                        "unit": "万元",
                        "quote": f"一、一般公共预算财政拨款收入{T}3,301.90",
                        "stage": "final",
                    },
                    # an 经济分类 line of the 基本支出决算表
                    {
                        "concept": "fa.general_budget_basic",
                        "value": 384.52,
                        "unit": "万元",
                        "quote": f"30101{T}基本工资{T}384.52",
                        "stage": "final",
                        "scope": "econ:30101 基本工资",
                    },
                ],
                "department": "江西省交通运输厅",
                "fiscal_year": 2024,
            },
            {
                "for": "§s22 final_accounts",
                "figures": [
                    # a 功能分类 项 line of the 决算情况说明: its 年初预算 and 决算
                    {
                        "concept": "fa.function.214",
                        "value": 613.21,
                        "unit": "万元",
                        "quote": "年初预算为613.21万元",
                        "stage": "budget_initial",
                        "scope": "item:2140106 公路养护",
                    },
                    {
                        "concept": "fa.function.214",
                        "value": 702.91,
                        "unit": "万元",
                        "quote": "支出决算为702.91万元",
                        "stage": "final",
                        "scope": "item:2140106 公路养护",
                    },
                    {
                        "concept": "fa.three_public.total",
                        "value": 21.84,
                        "unit": "万元",
                        "quote": "支出决算为21.84万元",
                        "stage": "final",
                    },
                ],
            },
        ],
        "expect_facts": [
            ("fa.total", "department", 2024, "final", 3367.13, "sentence"),
            ("fa.total.yoy_change", "department", 2024, "final", 11.1, "sentence"),
            ("fa.fiscal_total.yoy_change", "department", 2024, "final", -0.12, "sentence"),
            ("fa.revenue.general_budget", "department", 2024, "final", 3301.9, "table_header"),
            ("fa.general_budget_basic", "econ:30101", 2024, "final", 384.52, "table_header"),
            ("fa.function.214", "item:2140106", 2024, "budget_initial", 613.21, "sentence"),
            ("fa.function.214", "item:2140106", 2024, "final", 702.91, "sentence"),
            ("fa.three_public.total", "department", 2024, "final", 21.84, "sentence"),
        ],
        "expect_rows": [],
    },
    # ------------------------------------------------------------------ 部门决算, hybrid
    "final_accounts-hybrid": {
        "fixture": "gen-docx-1",
        "backend": "hybrid",
        "kind": "final_accounts",
        "answers": [
            {
                "for": "§s16 final_accounts",
                "figures": [
                    # the rules read this printed number already: a duplicate, dropped
                    {
                        "concept": "fa.revenue_total",
                        "value": 3301.90,
                        "unit": "万元",
                        "quote": "本年收入合计3,301.90万元",
                        "stage": "final",
                    },
                    {
                        "concept": "fa.function.214",
                        "value": 822.95,
                        "unit": "万元",
                        "quote": "年初预算为822.95万元",
                        "stage": "budget_initial",
                        "scope": "item:2140104 公路建设",
                    },
                    # a misreading (人员经费 taken for 公用经费): kept, and flagged against
                    # the rules' 公用经费 of the same concept, scope, year and stage
                    {
                        "concept": "fa.public",
                        "value": 1569.81,
                        "unit": "万元",
                        "quote": "人员经费1,569.81万元",
                        "stage": "final",
                    },
                ],
            },
        ],
        "expect_facts": [
            ("fa.public", "department", 2024, "final", 1569.81, "sentence"),
        ],
        "expect_rows": [],
        "expect_disagreements": ["fa.public"],
    },
    # ------------------------------------------------------------------ 部门预算, llm
    "budget-llm": {
        "fixture": "gen-docx-4",
        "backend": "llm",
        "kind": "budget",
        "answers": [
            {
                "for": "§s3 budget_notes",
                "figures": [
                    {
                        "concept": "fa.revenue_total",
                        "value": 1063.55,
                        "unit": "万元",
                        "quote": "收入预算1063.55万元",
                        "stage": "budget_initial",
                    },
                    {
                        "concept": "fa.three_public.total",
                        "value": -16.32,
                        "unit": "万元",
                        "quote": "比2024年预算减少16.32万元",
                        "stage": "budget_initial",
                        "measure": "yoy_change",
                    },
                    # a 项 line of a table in 元 (编制部门：…单位：元): converted in code
                    {
                        "concept": "fa.expenditure_total",
                        "value": 1523100,
                        "unit": "元",
                        "quote": f"211{T}03{T}02{T}水体{T}1,523,100{T}{T}1,523,100",
                        "stage": "budget_initial",
                        "scope": "item:2110302 水体",
                    },
                    # a 类 line of the 收入预算总表 (its first printing)
                    {
                        "concept": "fa.revenue_total",
                        "value": 1594100,
                        "unit": "元",
                        "quote": f"208{T}{T}{T}社会保障和就业支出{T}1,594,100",
                        "stage": "budget_initial",
                        "scope": "item:208 社会保障和就业支出",
                    },
                    # an 经济分类 line
                    {
                        "concept": "fa.general_budget_basic",
                        "value": 1607200,
                        "unit": "元",
                        "quote": f"301{T}01{T}基本工资{T}1,607,200",
                        "stage": "budget_initial",
                        "scope": "econ:30101 基本工资",
                    },
                ],
                "department": "上海市闵行区生态环境局",
                "fiscal_year": 2025,
            },
            {
                "for": "§s18 target_table",
                "figures": [
                    # the 绩效目标填报表's 年度资金总额 (项目资金（元）), per project
                    {
                        "concept": "budget.initial",
                        "value": 48400,
                        "unit": "元",
                        "quote": f"年度资金总额{T}48,400.00",
                        "stage": "budget_initial",
                    },
                    {
                        "concept": "budget.initial",
                        "value": 1523100,
                        "unit": "元",
                        "quote": f"年度资金总额{T}1,523,100.00",
                        "stage": "budget_initial",
                    },
                    # the 部门整体支出绩效目标表's: the department's
                    {
                        "concept": "budget.initial",
                        "value": 10635500,
                        "unit": "元",
                        "quote": f"资金总额{T}10,635,500.00",
                        "stage": "budget_initial",
                    },
                ],
                "rows": [
                    {
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "level3": "运维信息系统数量",
                        "target": "6",
                    },
                    {
                        "level1": "成本指标",
                        "level2": "经济成本指标",
                        "level3": "项目预算控制数",
                        "target": "4.84",
                    },
                    # the same 三级指标 in the next project's table: its own line
                    {
                        "level1": "成本指标",
                        "level2": "经济成本指标",
                        "level3": "项目预算控制数",
                        "target": "61.06",
                    },
                    {
                        "level1": "满意度指标",
                        "level2": "服务对象满意度指标",
                        "level3": "沿河居民满意度",
                        "target": "87",
                    },
                ],
            },
        ],
        "expect_facts": [
            ("fa.revenue_total", "department", 2025, "budget_initial", 1063.55, "sentence"),
            (
                "fa.three_public.total.yoy_change",
                "department",
                2025,
                "budget_initial",
                -16.32,
                "sentence",
            ),
            (
                "fa.expenditure_total",
                "item:2110302",
                2025,
                "budget_initial",
                152.31,
                "table_header",
            ),
            ("fa.revenue_total", "item:208", 2025, "budget_initial", 159.41, "table_header"),
            (
                "fa.general_budget_basic",
                "econ:30101",
                2025,
                "budget_initial",
                160.72,
                "table_header",
            ),
            (
                "budget.initial",
                "机关信息化系统运行维护",
                2025,
                "budget_initial",
                4.84,
                "table_header",
            ),
            (
                "budget.initial",
                "河道水环境综合治理",
                2025,
                "budget_initial",
                152.31,
                "table_header",
            ),
            ("budget.initial", "department", 2025, "budget_initial", 1063.55, "table_header"),
        ],
        "expect_rows": [
            ("机关信息化系统运行维护", "运维信息系统数量", "≥", 6.0, "个"),
            ("机关信息化系统运行维护", "项目预算控制数", "≤", 4.84, "万元"),
            ("环境执法监管专项工作", "项目预算控制数", "≤", 61.06, "万元"),
            ("河道水环境综合治理", "沿河居民满意度", "≥", 87.0, "%"),
        ],
    },
    # ------------------------------------------------------------------ 部门预算, hybrid
    "budget-hybrid": {
        "fixture": "gen-docx-4",
        "backend": "hybrid",
        "kind": "budget",
        "answers": [
            {
                "for": "§s3 budget_notes",
                "figures": [
                    # read by the rules already (the same printed number): dropped
                    {
                        "concept": "fa.three_public.total",
                        "value": -16.32,
                        "unit": "万元",
                        "quote": "比2024年预算减少16.32万元",
                        "stage": "budget_initial",
                        "measure": "yoy_change",
                    },
                    # a misreading (the 三公 total for the 机关运行经费): flagged
                    {
                        "concept": "fa.operating_expenditure",
                        "value": 7.28,
                        "unit": "万元",
                        "quote": "“三公”经费预算数为7.28万元",
                        "stage": "budget_initial",
                    },
                ],
            },
        ],
        "expect_facts": [
            ("fa.operating_expenditure", "department", 2025, "budget_initial", 7.28, "sentence"),
        ],
        "expect_rows": [],
        "expect_disagreements": ["fa.operating_expenditure"],
    },
}


def answer_for(case: dict[str, Any], document_text: str) -> dict[str, Any]:
    """The hand-written answer to the request whose document part holds its `for` text."""
    fitting = [a for a in case["answers"] if a["for"] in document_text]
    assert len(fitting) == 1, f"{len(fitting)} answers fit a request"
    return {k: v for k, v in fitting[0].items() if k != "for"}
