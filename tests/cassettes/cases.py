"""Hand-written cassette cases: a short passage per section kind and the answer a careful
model would give, in the shape of `jixiao.extract.llm.answer_models.Answer` (figures name
their concept by code, as the request's <concepts> menu offers it). `generate.py` turns
them into cassettes; `test_llm_cassettes.py` replays them. The passages are invented (a
county 民政局 and 自然资源局, and a small 部门预算 written for these tests), not taken
from the seeds or the corpus. The ANSWERS ARE WRITTEN BY HAND: they test the wire format,
the validators, grounding, stages, scopes and units — never a model's accuracy.

A case is one section of plain text (`text`, section `kind`), or a whole document of
paragraphs and tables (`blocks`) segmented as the pipeline segments it, so the request
carries the document kind its title decides. `expect` maps concept → value;
`expect_facts` lists (concept, scope, year, stage, value, unit basis) for cases where a
concept occurs more than once.
"""

from __future__ import annotations

from typing import Any

CASES: dict[str, dict[str, Any]] = {
    "profile": {
        "kind": "profile",
        "text": "第一部分 部门概况\n一、基本职能\n青川县民政局负责全县社会救助、养老服务等工作。\n"
        "二、人员情况\n核定编制25人，实有人数23人。\n",
        "answer": {
            "figures": [
                {"concept": "staff.authorized", "value": 25, "unit": "人", "quote": "核定编制25人"},
                {"concept": "staff.actual", "value": 23, "unit": "人", "quote": "实有人数23人"},
            ],
            "department": "青川县民政局",
            "fiscal_year": None,
        },
        "expect": {"staff.authorized": 25.0, "staff.actual": 23.0},
        # the model names the department; its place is read from the name, in code
        "expect_department": {"name": "青川县民政局", "county": "青川县", "level": "county"},
    },
    "final_accounts": {
        "kind": "final_accounts",
        "text": "二、收入决算情况说明\n2023年度本年收入合计1,250.60万元，其中：一般公共预算财政拨款"
        "收入1,200.10万元，占95.96%；其他收入505,000.00元。\n",
        "answer": {
            "figures": [
                {
                    "concept": "fa.revenue_total",
                    "value": 1250.6,
                    "unit": "万元",
                    "quote": "本年收入合计1,250.60万元",
                    "year": 2023,
                },
                {
                    "concept": "fa.revenue.general_budget",
                    "value": 1200.1,
                    "unit": "万元",
                    "quote": "一般公共预算财政拨款收入1,200.10万元",
                },
                {
                    "concept": "fa.revenue.general_budget",
                    "value": 95.96,
                    "unit": "%",
                    "quote": "占95.96%",
                    "measure": "share_pct",
                },
                {
                    "concept": "fa.revenue.other",
                    "value": 505000.0,
                    "unit": "元",
                    "quote": "其他收入505,000.00元",
                },
            ],
            "fiscal_year": 2023,
        },
        "expect": {
            "fa.revenue_total": 1250.6,
            "fa.revenue.general_budget": 1200.1,
            "fa.revenue.general_budget.share_pct": 95.96,
            "fa.revenue.other": 50.5,
        },
    },
    "overall_evaluation": {
        "kind": "overall_evaluation",
        "text": "三、部门整体支出绩效情况\n年初预算1,100.00万元，全年执行数1,080.50万元，预算执行率"
        "98.23%。经自评，部门整体支出绩效自评得分为92.5分，评价等级为“优”。\n"
        "四、存在的问题\n部分项目绩效目标设置不够细化。\n",
        "answer": {
            "figures": [
                {
                    "concept": "budget.initial",
                    "value": 1100.0,
                    "unit": "万元",
                    "quote": "年初预算1,100.00万元",
                },
                {
                    "concept": "budget.executed",
                    "value": 1080.5,
                    "unit": "万元",
                    "quote": "全年执行数1,080.50万元",
                },
                {
                    "concept": "budget.execution_rate",
                    "value": 98.23,
                    "unit": "%",
                    "quote": "预算执行率98.23%",
                },
                {
                    "concept": "eval.self_score",
                    "value": 92.5,
                    "unit": "分",
                    "quote": "自评得分为92.5分",
                },
            ],
            "narrative": {"problems": ["部分项目绩效目标设置不够细化。"]},
        },
        "expect": {
            "budget.initial": 1100.0,
            "budget.executed": 1080.5,
            "budget.execution_rate": 98.23,
            "eval.self_score": 92.5,
        },
    },
    "project_evaluation": {
        "kind": "project_evaluation",
        "project": "城乡低保提标资金",
        "text": "城乡低保提标资金项目支出绩效自评报告\n项目年初预算数80万元，其中：财政拨款80万元，"
        "全年执行数79.2万元，执行率99%。项目自评得分95分。\n",
        "answer": {
            "figures": [
                {
                    "concept": "budget.initial",
                    "value": 80,
                    "unit": "万元",
                    "quote": "年初预算数80万元",
                },
                {
                    "concept": "budget.fiscal_funds",
                    "value": 80,
                    "unit": "万元",
                    "quote": "财政拨款80万元",
                },
                {
                    "concept": "budget.executed",
                    "value": 79.2,
                    "unit": "万元",
                    "quote": "全年执行数79.2万元",
                },
                {
                    "concept": "budget.execution_rate",
                    "value": 99,
                    "unit": "%",
                    "quote": "执行率99%",
                },
                {
                    "concept": "eval.self_score",
                    "value": 95,
                    "unit": "分",
                    "quote": "项目自评得分95分",
                },
            ],
            "projects": [{"name": "城乡低保提标资金"}],
        },
        "expect": {
            "budget.initial": 80.0,
            "budget.fiscal_funds": 80.0,
            "budget.executed": 79.2,
            "budget.execution_rate": 99.0,
            "eval.self_score": 95.0,
        },
    },
    "target_table": {
        "kind": "target_table",
        "project": "地质灾害防治资金",
        "text": "项目名称\t地质灾害防治资金\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t隐患点巡查次数\t≥12次\n"
        "\t质量指标\t监测设备完好率\t≥95%\n"
        "效益指标\t社会效益指标\t因灾死亡人数\t0人\n",
        "answer": {
            "projects": [{"name": "地质灾害防治资金"}],
            "rows": [
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "level3": "隐患点巡查次数",
                    "target": "≥12次",
                },
                {
                    "level1": "产出指标",
                    "level2": "质量指标",
                    "level3": "监测设备完好率",
                    "target": "≥95%",
                },
                {
                    "level1": "效益指标",
                    "level2": "社会效益指标",
                    "level3": "因灾死亡人数",
                    "target": "0人",
                },
            ],
        },
        "expect_rows": [
            ("隐患点巡查次数", "≥", 12.0),
            ("监测设备完好率", "≥", 95.0),
            ("因灾死亡人数", None, 0.0),
        ],
    },
    "self_eval_table": {
        "kind": "self_eval_table",
        "project": "地质灾害防治资金",
        "text": "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
        "产出指标\t数量指标\t隐患点巡查次数\t≥12次\t14次\t20\t20\n"
        "满意度指标\t服务对象满意度\t群众满意度\t≥90%\t93%\t10\t9\n",
        "answer": {
            "rows": [
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "level3": "隐患点巡查次数",
                    "target": "≥12次",
                    "actual": "14次",
                    "weight": 20,
                    "score": 20,
                },
                {
                    "level1": "满意度指标",
                    "level2": "服务对象满意度",
                    "level3": "群众满意度",
                    "target": "≥90%",
                    "actual": "93%",
                    "weight": 10,
                    "score": 9,
                },
            ]
        },
        "expect_rows": [("隐患点巡查次数", "≥", 12.0), ("群众满意度", "≥", 90.0)],
    },
    "rubric": {
        "kind": "rubric",
        "text": "一级指标\t二级指标\t三级指标\t分值\t评分标准\t得分\n"
        "决策\t目标设定\t绩效目标合理性\t5\t目标明确得5分\t5\n"
        "过程\t资金管理\t预算执行率\t10\t执行率×10\t9.8\n",
        "answer": {
            "rows": [
                {
                    "level1": "决策",
                    "level2": "目标设定",
                    "level3": "绩效目标合理性",
                    "weight": 5,
                    "score": 5,
                },
                {
                    "level1": "过程",
                    "level2": "资金管理",
                    "level3": "预算执行率",
                    "weight": 10,
                    "score": 9.8,
                },
            ]
        },
        "expect_rows": [("绩效目标合理性", None, None), ("预算执行率", None, None)],
    },
    "glossary": {
        "kind": "glossary",
        "text": "第三部分 名词解释\n一、财政拨款收入：指本级财政当年拨付的资金。\n"
        "二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。\n",
        "answer": {},
        "expect": {},
    },
}

BUDGET_STAGES: dict[str, Any] = {
    # a 部门预算 written for this test: a sentence with this year's 预算, the change and
    # last year's 执行数, and a 功能分类 table in 元 (单位：元) with 类 and 项 lines
    "blocks": [
        "示例区示例局2025年部门预算",
        "一、收支预算总体情况",
        "2025年收入总计1,234.50万元，比2024年预算增加34.50万元；2024年执行数为1,180.20万元。",
        "二、一般公共预算支出功能分类预算表",
        "单位：元",
        [
            ["科目编码", "科目名称", "2025年预算数", "2024年执行数"],
            ["201", "一般公共服务支出", "8,765,432.10", "8,500,000.00"],
            ["2010301", "行政运行", "5,000,000.00", "4,800,000.00"],
            ["2010302", "一般行政管理事务", "3,765,432.10", "3,700,000.00"],
            ["208", "社会保障和就业支出", "3,579,567.90", "3,301,000.00"],
            ["合计", "", "12,345,000.00", "11,801,000.00"],
        ],
    ],
    "answer": {
        "figures": [
            {
                "concept": "fa.revenue_total",
                "value": 1234.5,
                "unit": "万元",
                "quote": "收入总计1,234.50万元",
                "stage": "budget_initial",
            },
            {
                "concept": "fa.revenue_total",
                "value": 34.5,
                "unit": "万元",
                "quote": "比2024年预算增加34.50万元",
                "stage": "budget_initial",
                "measure": "yoy_change",
            },
            {
                # last year's 执行数: the model says final and 2024, code makes it prior_final
                "concept": "fa.revenue_total",
                "value": 1180.2,
                "unit": "万元",
                "quote": "2024年执行数为1,180.20万元",
                "year": 2024,
                "stage": "final",
            },
            {
                # a class line: the class total, the department's
                "concept": "fa.function.201",
                "value": 8765432.1,
                "unit": "元",
                "quote": "8,765,432.10",
                "stage": "budget_initial",
                "scope": "item:201 一般公共服务支出",
            },
            {
                "concept": "fa.function.201",
                "value": 4800000,
                "unit": "元",
                "quote": "4,800,000.00",
                "year": 2024,
                "stage": "prior_final",
                "scope": "item:2010301 行政运行",
            },
            {
                # the 项 code in the concept instead of the scope
                "concept": "fa.function.2010302",
                "value": 3765432.1,
                "unit": "元",
                "quote": "3,765,432.10",
                "stage": "budget_initial",
            },
            {
                "concept": "fa.general_budget_expenditure",
                "value": 12345000,
                "unit": "元",
                "quote": "12,345,000.00",
                "stage": "budget_initial",
            },
        ],
        "department": "示例区示例局",
        "fiscal_year": 2025,
    },
    "expect_facts": [
        ("fa.revenue_total", "department", 2025, "budget_initial", 1234.5, "sentence"),
        ("fa.revenue_total.yoy_change", "department", 2025, "budget_initial", 34.5, "sentence"),
        ("fa.revenue_total", "department", 2024, "prior_final", 1180.2, "sentence"),
        ("fa.function.201", "department", 2025, "budget_initial", 876.54321, "table_header"),
        ("fa.function.201", "item:2010301", 2024, "prior_final", 480.0, "table_header"),
        ("fa.function.201", "item:2010302", 2025, "budget_initial", 376.54321, "table_header"),
        (
            "fa.general_budget_expenditure",
            "department",
            2025,
            "budget_initial",
            1234.5,
            "table_header",
        ),
    ],
    "expect_kind": "budget",
}
CASES["budget_stages"] = BUDGET_STAGES

#: settings the cassettes were made with (the request bodies depend on them)
MODEL = "gpt-4o-mini"
MODE = "tools"
