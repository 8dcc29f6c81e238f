"""Department, place, level and fiscal year from the cover and title lines, and the
document's kind from its titles — on covers written for these tests."""

from __future__ import annotations

import pytest

from document_builder import doc_from_blocks
from jixiao.extract.rules.context import RulesContext, read_context
from jixiao.segment import segment


def _context(*blocks: str | list[list[str]]) -> RulesContext:
    doc = doc_from_blocks(*blocks)
    return read_context(doc, segment(doc))


@pytest.mark.parametrize(
    ("blocks", "name", "county", "year"),
    [
        # a 部门决算 cover: the name is the title line before its year
        (
            ["浙江省宁波市北仑区财政局2024年度部门决算", "目录"],
            "浙江省宁波市北仑区财政局",
            "北仑区",
            2024,
        ),
        # the title wrapped over three cover lines: the name is not cut at its 委
        (
            ["中共东城区委", "社会工作部", "2024年度部门决算", "目录"],
            "中共东城区委社会工作部",
            "东城区",
            2024,
        ),
        # a name that contains 委 and 部 is kept whole on one line
        (["中共东城区委社会工作部2024年度部门决算"], "中共东城区委社会工作部", "东城区", 2024),
        # a part label is not part of the name
        (
            [
                "目录",
                "第一部分东城区规划和自然资源局概况",
                "第二部分东城区规划和自然资源局2024年度部门决算表",
            ],
            "东城区规划和自然资源局",
            "东城区",
            2024,
        ),
        # 部门预算: the cover's 预算主管部门 line, not the place in the title
        (
            ["东城区2025年区级部门预算", "预算主管部门：东城区人民政府南苑街道办事处"],
            "东城区人民政府南苑街道办事处",
            "东城区",
            2025,
        ),
        # 单位预算: 预算单位
        (["宁波市2025年市级单位预算", "预算单位：宁波市审计局"], "宁波市审计局", None, 2025),
        # a table's 编制部门 line with the unit glued to it
        (
            ["2025年部门财务收支预算总表", "编制部门：东城区财政局单位：元"],
            "东城区财政局",
            "东城区",
            2025,
        ),
        # （本级） after a labelled name
        (["2023年部门预算", "编制单位：东城区审计局（本级）"], "东城区审计局", "东城区", 2023),
    ],
)
def test_cover_and_title_forms(blocks: list[str], name: str, county: str | None, year: int) -> None:
    ctx = _context(*blocks)
    assert ctx.department.name == name
    assert ctx.department.county == county
    assert ctx.department.level == ("county" if county else "city")
    assert ctx.fiscal_year == year


def test_a_municipality_is_its_own_city() -> None:
    ctx = _context("上海市东城区2025年区级部门预算", "预算主管部门：上海市东城区财政局")
    department = ctx.department
    assert (department.province, department.city, department.county) == (
        "上海市",
        "上海市",
        "东城区",
    )
    assert department.level == "county"
    ctx = _context("上海市2025年市级单位预算", "预算单位：上海市审计局")
    assert (ctx.department.province, ctx.department.city, ctx.department.county) == (
        "上海市",
        "上海市",
        None,
    )


def test_a_place_in_the_first_heading_is_not_the_department() -> None:
    ctx = _context(
        "东城区2025年区级部门预算",
        "预算主管部门：东城区卫生健康委员会",
        "东城区人民政府主要职能",
        "负责全区的卫生健康工作。",
    )
    assert ctx.department.name == "东城区卫生健康委员会"
    assert ctx.department.level == "county"


@pytest.mark.parametrize(
    ("blocks", "kind", "evidence"),
    [
        (
            ["东城区2025年区级部门预算", "预算主管部门：东城区财政局"],
            "budget",
            "东城区2025年区级部门预算",
        ),
        (["某市2025年市级单位预算"], "budget", "某市2025年市级单位预算"),
        (["东城区财政局", "2024年度部门决算", "目录"], "final_accounts", "2024年度部门决算"),
        (
            ["附件1", "部门整体支出绩效自评报告", "部门名称：东城区信访局"],
            "overall_self_evaluation",
            "部门整体支出绩效自评报告",
        ),
        (
            ["2025年项目支出绩效自评表", [["项目名称", "示例项目"]]],
            "project_self_evaluation",
            "2025年项目支出绩效自评表",
        ),
        (
            ["2025年财政项目支出绩效目标填报表", [["项目名称", "示例项目"]]],
            "performance_targets",
            "2025年财政项目支出绩效目标填报表",
        ),
        (["示例项目评价指标体系", [["一级指标", "二级指标"]]], "rubric", "示例项目评价指标体系"),
        # a 决算 package with whole evaluation reports attached
        (
            [
                "第二部分 2024年度部门决算情况说明",
                "一、收入支出决算总体情况说明",
                "第四部分 附件",
                "2024年部门整体支出绩效自评报告",
                "一、部门概况",
            ],
            "mixed",
            "第二部分2024年度部门决算情况说明",
        ),
        # a report followed by its projects' self-evaluation tables is not mixed
        (
            [
                "2024年某局整体绩效评价报告",
                "一、部门概况",
                "示例项目绩效目标自评表",
                [["一级指标", "二级指标"]],
            ],
            "overall_self_evaluation",
            "2024年某局整体绩效评价报告",
        ),
        (["工作总结", "今年我们完成了各项工作。"], "unknown", None),
    ],
)
def test_document_kind_and_its_evidence(
    blocks: list[str | list[list[str]]], kind: str, evidence: str | None
) -> None:
    doc = doc_from_blocks(*blocks)
    sections = segment(doc)
    assert sections.document_kind == kind
    found = sections.document_kind_evidence
    assert (found.quote if found else None) == evidence
    if found is not None:
        assert doc.text[found.start : found.end] == found.quote


def test_sentences_never_decide_the_kind() -> None:
    doc = doc_from_blocks(
        "工作总结",
        "根据2024年度部门决算，本部门收入支出总计100万元，部门预算执行良好。",
    )
    assert segment(doc).document_kind == "unknown"


def test_budget_sections_are_tables_and_notes() -> None:
    doc = doc_from_blocks(
        "东城区2025年区级部门预算",
        "预算主管部门：东城区财政局",
        "2025年部门预算编制说明",
        "2025年，东城区财政局收入预算100万元。",
        "2025年部门财务收支预算总表",
        "编制部门：东城区财政局单位：元",
        [
            ["项目", "预算数", "项目", "预算数"],
            ["一、财政拨款收入", "1,000,000", "一、一般公共服务支出", "1,000,000"],
        ],
        "其他相关情况说明",
        "二、机关运行经费预算",
        "机关运行经费预算为10万元。",
    )
    sections = segment(doc)
    kinds = {s.title: s.kind for s in sections}
    assert kinds["2025年部门预算编制说明"] == "budget_notes"
    assert kinds["2025年部门财务收支预算总表"] == "budget_tables"
    assert kinds["其他相关情况说明"] == "budget_notes"
    assert kinds["二、机关运行经费预算"] == "budget_notes"


def test_final_accounts_tables_section() -> None:
    doc = doc_from_blocks(
        "东城区财政局2024年度部门决算",
        "收入支出决算总表",
        "单位：万元",
        [["项目", "决算数", "项目", "决算数"], ["本年收入合计", "10.00", "本年支出合计", "10.00"]],
        "一、收入支出决算总体情况说明",
        "收入支出总计10万元。",
    )
    kinds = {s.title: s.kind for s in segment(doc)}
    assert kinds["收入支出决算总表"] == "final_accounts_tables"
    assert kinds["一、收入支出决算总体情况说明"] == "final_accounts"
