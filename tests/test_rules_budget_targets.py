"""绩效目标表 inside 部门预算: the same department's project targets in two editions of the
form (different titles, unit, operator column, merged or repeated level cells) give the
project, its amounts in 万元 and every indicator row in both — on documents written for
these tests."""

from __future__ import annotations

from document_builder import MERGED, doc_from_blocks
from jixiao.document import Document
from jixiao.extract import Extraction
from jixiao.extract.rules import RulesBackend
from jixiao.segment import segment

COVER = ("东城区2025年区级部门预算", "预算主管部门：东城区文化旅游局")


def _read(doc: Document) -> Extraction:
    sections = segment(doc)
    assert sections.document_kind == "budget"
    return RulesBackend().extract(doc, sections)


def _money(out: Extraction, scope: str) -> dict[str, tuple[float, str | None, str | None]]:
    return {
        f.concept: (f.value, f.stage, f.unit_decision.unit if f.unit_decision else None)
        for f in out.facts
        if f.scope == scope and f.concept.startswith("budget.")
    }


EDITION_A = [
    ["项目名称", "社区文化活动"],
    ["主管部门", "东城区文化旅游局", "实施单位", "东城区文化馆"],
    ["项目资金（万元）", "年度资金总额", "36.50"],
    ["", "其中：财政拨款", "36.50"],
    ["", "其他资金", "0.00"],
    ["年度总体目标", "全年组织群众文化活动24场。"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
    ["", "产出指标", "数量指标", "文化活动场次", "≥24场"],
    ["", MERGED, MERGED, "培训班期数", "8期"],
    ["", MERGED, "质量指标", "活动安全事故", "=0次"],
    ["", MERGED, "成本指标", "项目总成本", "≤36.50万元"],
    ["", "效益指标", "社会效益指标", "参与居民人次", "≥5000人次"],
    ["", "满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"],
]

EDITION_B = [
    ["项目名称", "社区文化活动"],
    ["主管部门", "东城区文化旅游局", "实施单位", "东城区文化馆"],
    ["项目资金（元）", "年度资金总额", "385,000.00"],
    ["", "其中：财政拨款", "385,000.00"],
    ["", "其他资金", "0.00"],
    ["年度总体目标", "全年组织群众文化活动26场。"],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
    ["产出指标", "数量指标", "文化活动场次", "≥", "26", "场"],
    ["产出指标", "数量指标", "培训班期数", "≥", "8", "期"],
    ["产出指标", "质量指标", "活动安全事故", "=", "0", "次"],
    ["成本指标", "经济成本指标", "项目总成本", "≤", "38.5", "万元"],
    ["效益指标", "社会效益指标", "参与居民人次", "≥", "5200", "人次"],
    ["满意度指标", "服务对象满意度指标", "居民满意度", "≥", "90", "%"],
]


def test_project_targets_in_one_edition() -> None:
    doc = doc_from_blocks(*COVER, "四、绩效目标设置情况", "2025年项目支出绩效目标表", EDITION_A)
    out = _read(doc)
    rows = [r for r in out.indicators if r.scope == "社区文化活动"]
    assert len(rows) == 6
    assert {r.table for r in rows} == {"target"}
    assert rows[1].level1 == "产出指标" and rows[1].level2 == "数量指标"  # merged, filled down
    assert _money(out, "社区文化活动") == {
        "budget.initial": (36.5, "budget_initial", "万元"),
        "budget.fiscal_funds": (36.5, "budget_initial", "万元"),
        "budget.other_funds": (0.0, "budget_initial", "万元"),
    }
    assert [p.name for p in out.projects] == ["社区文化活动"]


def test_project_targets_in_the_next_edition() -> None:
    doc = doc_from_blocks(
        *COVER, "四、绩效目标设置情况", "2026年度财政项目支出绩效目标填报表", EDITION_B
    )
    out = _read(doc)
    rows = [r for r in out.indicators if r.scope == "社区文化活动"]
    assert len(rows) == 6
    assert [(r.operator, r.target_value, r.unit) for r in rows][:2] == [
        ("≥", 26, "场"),
        ("≥", 8, "期"),
    ]
    # 项目资金（元）: 385,000.00 元 is 38.5 万元, scaled once
    money = _money(out, "社区文化活动")
    assert money["budget.initial"] == (38.5, "budget_initial", "元")
    assert money["budget.fiscal_funds"] == (38.5, "budget_initial", "元")


def test_department_targets_table_in_a_budget() -> None:
    doc = doc_from_blocks(
        *COVER,
        "2025年部门整体支出绩效目标表",
        [
            ["部门名称", "东城区文化旅游局"],
            ["年度预算申请（元）", "资金总额", "一般公共预算拨款", "政府性基金拨款", "其他资金"],
            ["", "12,345,600.00", "12,345,600.00", "0.00", "0.00"],
            ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "公共文化活动场次", "≥120场"],
            ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"],
        ],
    )
    out = _read(doc)
    rows = [r for r in out.indicators if r.scope == "department"]
    assert len(rows) == 2
    money = _money(out, "department")
    assert money["budget.initial"] == (1234.56, "budget_initial", "元")
    assert money["budget.general_budget"] == (1234.56, "budget_initial", "元")


def test_a_separator_is_no_unit_but_magnitude_is() -> None:
    """No unit anywhere: 250,000.00 beside a text that spends 416万元 a year is in 元 by
    its magnitude; 1,200.50 is not (it fits the text's own scale)."""
    table = [
        ["项目名称", "示范项目"],
        ["项目资金", "年度资金总额", "{}"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "培训人次", "≥100人次"],
    ]
    for printed, value, basis in (
        ("250,000.00", 25.0, "magnitude"),
        ("1,200.50", 1200.5, "default"),
    ):
        rows = [[c.format(printed) if c == "{}" else c for c in row] for row in table]
        doc = doc_from_blocks(
            *COVER, "本部门2025年收入预算416.00万元。", "2025年项目支出绩效目标表", rows
        )
        fact = next(
            f for f in _read(doc).facts if f.concept == "budget.initial" and f.scope == "示范项目"
        )
        assert fact.value == value
        assert fact.unit_decision is not None and fact.unit_decision.basis == basis
