"""Segmentation of the five seed disclosures: kinds, projects and tree invariants."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from jixiao.document import Document
from jixiao.ingest import load
from jixiao.models import Section
from jixiao.segment import section_at, sections_of_kind, segment, table_section

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"
SEEDS = ("000", "001", "002", "003", "004")


@cache
def _segmented(seed: str) -> tuple[Document, list[Section]]:
    doc = load(FIXTURES / seed / "source.txt")
    return doc, segment(doc)


def _kinds(sections: list[Section]) -> set[str]:
    return {s.kind for s in sections}


def _projects(sections: list[Section], kind: str) -> set[str]:
    return {s.project for s in sections if s.kind == kind and s.project}


# ---------------------------------------------------------------------------- invariants
@pytest.mark.parametrize("seed", SEEDS)
def test_sections_are_numbered_in_document_order(seed: str) -> None:
    _, sections = _segmented(seed)
    assert [s.id for s in sections] == [f"s{i}" for i in range(len(sections))]
    assert [s.start for s in sections] == sorted(s.start for s in sections)


@pytest.mark.parametrize("seed", SEEDS)
def test_children_lie_inside_their_parent(seed: str) -> None:
    _, sections = _segmented(seed)
    by_id = {s.id: s for s in sections}
    for s in sections:
        if s.parent is not None:
            parent = by_id[s.parent]
            assert parent.start <= s.start <= s.end <= parent.end
            assert s.level == parent.level + 1


@pytest.mark.parametrize("seed", SEEDS)
def test_top_level_sections_tile_the_whole_text(seed: str) -> None:
    doc, sections = _segmented(seed)
    roots = [s for s in sections if s.parent is None]
    assert roots[0].start == 0
    assert roots[-1].end == len(doc.text)
    for a, b in pairwise(roots):
        assert a.end == b.start


def _innermost(sections: list[Section], offset: int) -> Section:
    """The section holding `offset` that starts last (the later on a tie): the deepest,
    found from the spans alone, without the parent links the tree is built from."""
    holding = [(s.start, i) for i, s in enumerate(sections) if s.start <= offset < s.end]
    return sections[max(holding)[1]]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_offset_has_a_deepest_section(seed: str) -> None:
    doc, sections = _segmented(seed)
    by_id = {s.id: s for s in sections}
    for s in sections:  # the parent links agree with the spans
        if s.parent is not None:
            parent = by_id[s.parent]
            assert parent.start <= s.start and s.end <= parent.end, (s.id, s.parent)
            assert s.level == parent.level + 1
    starts = {s.start for s in sections}
    for offset in sorted(starts | set(range(0, len(doc.text), 13))):
        if offset < len(doc.text):
            assert section_at(sections, offset) is _innermost(sections, offset), offset


@pytest.mark.parametrize("seed", SEEDS)
def test_every_table_belongs_to_a_section_that_holds_it(seed: str) -> None:
    doc, sections = _segmented(seed)
    for table in doc.tables:
        s = table_section(doc, sections, table)
        assert s.start <= table.start < s.end


# ---------------------------------------------------------------------------- seed 000
def test_overall_report_then_five_self_eval_tables_named_by_the_line_above() -> None:
    doc, sections = _segmented("000")
    assert "overall_evaluation" in _kinds(sections)
    assert _projects(sections, "self_eval_table") == {
        "保安费用",
        "接访费用",
        "矛盾化解和疑难信访问题专项资金",
        "驻京驻蓉费用",
        "解决特殊疑难信访问题中央补助资金",
    }
    for table in doc.tables:
        s = table_section(doc, sections, table)
        assert s.kind == "self_eval_table"
        assert s.project == s.title


def test_profile_inside_the_overall_report_is_profile() -> None:
    _, sections = _segmented("000")
    profile = sections_of_kind(sections, "profile")
    assert any("部门概况" in s.title for s in profile)
    # numbered duties ("1.贯彻执行…；") are list items, not headings
    assert not any(s.title.startswith(("1.", "2.")) and "贯彻" in s.title for s in sections)


# ---------------------------------------------------------------------------- seed 001
def test_full_package_has_every_part() -> None:
    _, sections = _segmented("001")
    assert {
        "profile",
        "final_accounts",
        "glossary",
        "overall_evaluation",
        "rubric",
        "project_evaluation",
        "target_table",
        "self_eval_table",
    } <= _kinds(sections)


def test_numbered_glossary_entries_are_not_headings() -> None:
    _, sections = _segmented("001")
    glossary = sections_of_kind(sections, "glossary")
    assert len(glossary) == 1
    assert "名词解释" in glossary[0].title


def test_project_reports_carry_their_project_names() -> None:
    _, sections = _segmented("001")
    reports = [
        s
        for s in sections_of_kind(sections, "project_evaluation")
        if s.parent is None or s.level <= 2
    ]
    assert {s.project for s in reports} == {
        "处非专项工作经费",
        "接访工作（到京到蓉）工作经费",
        "治理重复访化解信访积案专项经费",
        "租用办公场所经费",
        "维稳专项经费",
    }


def test_target_tables_and_rubrics_inside_project_reports_have_the_report_project() -> None:
    _, sections = _segmented("001")
    by_id = {s.id: s for s in sections}
    for s in sections_of_kind(sections, "target_table"):
        assert s.project
        ancestor = by_id[s.parent] if s.parent else None
        while ancestor is not None and ancestor.kind != "project_evaluation":
            ancestor = by_id.get(ancestor.parent or "")
        assert ancestor is not None and ancestor.project == s.project
    rubric_projects = _projects(sections, "rubric")
    assert {"接访工作（到京到蓉）工作经费", "维稳专项经费"} <= rubric_projects


def test_department_rubric_has_no_project() -> None:
    _, sections = _segmented("001")
    overall_rubrics = [s for s in sections_of_kind(sections, "rubric") if "整体" in s.title]
    assert overall_rubrics and all(s.project is None for s in overall_rubrics)


def test_self_eval_tables_read_the_project_from_the_table_without_the_code() -> None:
    doc, sections = _segmented("001")
    tables = [
        table_section(doc, sections, t)
        for t in doc.tables
        if any(c.text.startswith("项目名称") for c in t.rows[0])
        and "自评" in table_section(doc, sections, t).title
    ]
    assert {s.project for s in tables} == {
        "接访工作（到京到蓉）工作经费",
        "处非专项经费",
        "治理重复访化解信访积案专项经费",
        "维稳专项经费",
        "租用办公场所经费",
    }
    assert all(s.kind == "self_eval_table" for s in tables)


def test_prose_about_the_indicator_system_is_not_a_rubric() -> None:
    _, sections = _segmented("001")
    assert all("（二）评价指标体系" not in s.title for s in sections_of_kind(sections, "rubric"))


def test_final_accounts_headings_nest_under_their_part() -> None:
    _, sections = _segmented("001")
    part = next(s for s in sections if s.title.startswith("第二部分"))
    assert part.kind == "final_accounts"
    children = [s for s in sections if s.parent == part.id]
    assert len(children) == 10
    assert all(s.kind == "final_accounts" for s in children)


# ---------------------------------------------------------------------------- seed 002
def test_target_tables_titled_inside_the_table() -> None:
    doc, sections = _segmented("002")
    kinds = [table_section(doc, sections, t).kind for t in doc.tables]
    assert kinds == ["target_table"] * len(doc.tables)
    projects = [table_section(doc, sections, t).project for t in doc.tables]
    assert projects[0] is None  # 部门整体支出绩效目标表: the department, not a project
    assert projects[1] is None  # 汇总表: several projects
    assert projects[2:] == ["信访岗位津贴", "社区（村）治安巡逻防控费"]


# ---------------------------------------------------------------------------- seed 003
def test_accounts_glossary_overall_and_project_reports() -> None:
    _, sections = _segmented("003")
    assert {"profile", "final_accounts", "glossary", "overall_evaluation"} <= _kinds(sections)
    reports = [
        s
        for s in sections_of_kind(sections, "project_evaluation")
        if s.parent is None or "报告" in s.title
    ]
    assert {s.project for s in reports} == {
        "人民满意窗口创建",
        "书记市长信箱升级改造",
        "信访远程视频服务",
        "信访维稳信息费",
        "资助救助资金",
    }


def test_self_eval_table_after_a_project_report_inherits_its_project() -> None:
    doc, sections = _segmented("003")
    table_sections = [table_section(doc, sections, t) for t in doc.tables]
    assert all(s.kind == "self_eval_table" for s in table_sections)
    assert [s.project for s in table_sections] == [
        "人民满意窗口创建",
        "书记市长信箱升级改造",
        "信访远程视频服务",
        "信访维稳信息费",
        "资助救助资金",
    ]


def test_heading_after_a_figure_caption_is_found() -> None:
    _, sections = _segmented("003")
    assert any(s.title.startswith("二、收入决算情况说明") for s in sections)


# ---------------------------------------------------------------------------- seed 004
def test_template_report_is_an_overall_evaluation() -> None:
    _, sections = _segmented("004")
    overall = sections_of_kind(sections, "overall_evaluation")
    assert overall and "部门整体支出绩效自评报告" in overall[0].title
    assert all(s.project is None for s in sections)
    assert not _kinds(sections) & {"project_evaluation", "target_table", "self_eval_table"}
