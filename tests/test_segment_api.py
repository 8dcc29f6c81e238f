"""The lookups extractors call (section_at, sections_of_kind, table_section), the
keyword tables behind classification, and linear cost on large documents."""

from __future__ import annotations

import time

import pytest

from jixiao.document import Document, RawCell, RawParagraph, RawTable, RawText
from jixiao.ingest.build import build_document
from jixiao.segment import section_at, sections_of_kind, segment, table_section
from jixiao.segment.classify import KIND_PATTERNS, classify_title, project_from_title
from jixiao.segment.headings import is_numbered_heading, numbered_rank


def _build(parts: list[str | list[list[str]]]) -> Document:
    blocks: list[RawParagraph | RawTable] = []
    for part in parts:
        if isinstance(part, str):
            blocks.append(RawParagraph(RawText(part)))
        else:
            blocks.append(RawTable([[RawCell(RawText(c)) for c in row] for row in part]))
    return build_document(blocks, path="t.docx", sha256="0" * 64, format="docx")


SMALL = _build(
    [
        "前言文字",
        "一、部门概况",
        "（一）机构设置",
        "内设科室3个。",
        "二、项目支出绩效目标表",
        [["项目名称", "防汛物资储备"], ["一级指标", "三级指标", "指标值"]],
        "表后说明。",
    ]
)


def test_text_before_the_first_heading_is_a_preamble_section() -> None:
    sections = segment(SMALL)
    assert sections[0].id == "s0" and sections[0].kind == "other"
    assert section_at(sections, 0).id == "s0"


def test_section_at_returns_the_deepest_section() -> None:
    sections = segment(SMALL)
    offset = SMALL.text.index("内设科室")
    found = section_at(sections, offset)
    assert found.title == "（一）机构设置"
    assert found.kind == "profile"
    assert section_at(sections, SMALL.text.index("一、部门概况")).title == "一、部门概况"


def test_section_at_accepts_the_end_of_the_text_and_rejects_beyond() -> None:
    sections = segment(SMALL)
    assert section_at(sections, len(SMALL.text)).end == len(SMALL.text)
    with pytest.raises(ValueError):
        section_at(sections, len(SMALL.text) + 5)
    with pytest.raises(ValueError):
        section_at([], 0)


def test_table_section_is_the_section_titling_the_table() -> None:
    sections = segment(SMALL)
    found = table_section(SMALL, sections, SMALL.tables[0])
    assert found.kind == "target_table"
    assert found.project == "防汛物资储备"
    assert sections_of_kind(sections, "target_table") == [found]


def test_table_keyword_over_prose_only_does_not_make_a_table_section() -> None:
    doc = _build(
        ["2023年项目支出绩效自评报告（防汛物资储备）", "（二）评价指标体系", "设置4个指标。"]
    )
    sections = segment(doc)
    assert sections[1].kind == "project_evaluation"
    assert sections[1].project == "防汛物资储备"


# ---------------------------------------------------------------------------- data tables
@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2022年度部门决算情况说明", "final_accounts"),
        ("2023年部门整体支出绩效自评报告", "overall_evaluation"),
        ("某某项目支出绩效评价报告", "project_evaluation"),
        ("2021年专项资金支出方向绩效目标表", "target_table"),
        ("项目支出绩效目标申报表", "target_table"),
        ("部门预算项目支出绩效自评表", "self_eval_table"),
        ("2021年部门预算项目绩效目标自评", "self_eval_table"),
        ("部门整体支出绩效评价指标体系", "rubric"),
        ("名词解释", "glossary"),
        ("部门（单位）概况", "profile"),
        ("机关运行经费支出情况", "final_accounts"),
        ("评价结论及建议", None),
    ],
)
def test_titles_map_to_kinds(title: str, kind: str | None) -> None:
    assert classify_title(title) == kind


def test_glued_titles_take_the_kind_of_the_last_one() -> None:
    glued = "2024年项目支出绩效评价指标体系（甲经费）某局部门预算项目支出绩效自评报告（乙经费）"
    assert classify_title(glued) == "project_evaluation"
    assert project_from_title(glued) == "乙经费"


@pytest.mark.parametrize(
    ("title", "project"),
    [
        # 财政项目 is every fiscal project, not one of them
        ("2025年度财政项目支出绩效目标填报表", None),
        # the document's own title run into the table's: the department is not a project
        ("示例区示例局2025年部门预算2025年度财政项目支出绩效目标填报表", None),
        ("某局2024年度部门决算办公设备项目支出绩效自评表", "办公设备"),
        ("2025年度某某设备购置项目支出绩效目标表", "某某设备购置"),
    ],
)
def test_project_names_leave_generic_words_and_run_on_titles_out(
    title: str, project: str | None
) -> None:
    assert project_from_title(title) == project


def test_every_kind_pattern_table_entry_is_a_contract_kind() -> None:
    from jixiao.models import SECTION_KINDS

    assert set(KIND_PATTERNS) <= set(SECTION_KINDS)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("1．代表处理人民群众给区委、区政府的来信，接待群众来访；", False),
        ("3．全年开展大型集中宣传月活动2次，完成预期目标", False),
        ("1．绩效目标制定", True),
        ("2．绩效目标及完成情况：", True),
        ("（一）部门财政资金收入情况。部门财政资金收入213.34万元。", True),
        ("一、坚持以人民为中心，", False),
        ("1.5万元用于办公", False),
    ],
)
def test_numbered_headings_are_told_from_list_items(line: str, heading: bool) -> None:
    numbered = numbered_rank(line)
    assert (numbered is not None and is_numbered_heading(line, *numbered)) is heading


# ---------------------------------------------------------------------------- cost
def _big(n: int) -> Document:
    parts: list[str | list[list[str]]] = []
    for i in range(n):
        parts += [
            f"第{i + 1}部分部门决算情况说明",
            "一、收入支出决算总体情况说明",
            "收支总计均为421.67万元。" * 20,
            "（一）一般公共预算财政拨款支出决算总体情况",
            "1．绩效目标制定",
            f"2023年项目{i}支出绩效自评报告",
            [["项目名称", f"项目{i}"], ["一级指标", "实际完成值"]],
        ]
    return _build(parts)


def _seconds(doc: Document) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        sections = segment(doc)
        for offset in range(0, len(doc.text), 50):
            section_at(sections, offset)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.slow  # times growing documents
def test_segmenting_grows_linearly_with_the_document() -> None:
    small, large = _big(150), _big(1200)
    ratio = _seconds(large) / _seconds(small)
    assert ratio < 24  # 8× the text: linear ≈ 8, quadratic ≈ 64
