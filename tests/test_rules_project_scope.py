"""Whose figure a project report's survey sentence states: the project's or the agencies'."""

from __future__ import annotations

from jixiao.document import RawParagraph, RawText
from jixiao.extract.rules import RulesBackend
from jixiao.ingest.build import build_document
from jixiao.segment import segment

REPORT = ("2024年度档案数字化加工项目绩效自评报告", "一、项目基本情况", "项目年初预算80万元。")


def satisfaction(*lines: str) -> dict[float, str]:
    blocks = [RawParagraph(RawText(line)) for line in (*REPORT, *lines)]
    doc = build_document(blocks, path="t.txt", sha256="0", format="txt")
    facts = RulesBackend().extract(doc, segment(doc)).facts
    return {f.value: f.scope for f in facts if f.concept == "eval.satisfaction_rate"}


def test_a_beneficiary_units_satisfaction_target_is_the_projects():
    got = satisfaction("二、绩效目标", "受益单位满意度目标为不低于90%，实际受益单位满意度达到95%。")
    assert got == {90.0: "档案数字化加工", 95.0: "档案数字化加工"}


def test_the_agencies_or_the_whole_district_speak_for_the_department():
    got = satisfaction("信访部门和责任单位满意率均为99.2%。", "全区群众满意度为98%。")
    assert got == {99.2: "department", 98.0: "department"}
