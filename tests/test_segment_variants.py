"""Segmentation of templates the seeds do not show: other departments, years and
heading styles (第一章, 一．, (一), unnumbered PDF title lines, tables titled inside)."""

from __future__ import annotations

from jixiao.document import Document, RawCell, RawParagraph, RawTable, RawText
from jixiao.ingest import load_bytes
from jixiao.ingest.build import build_document
from jixiao.models import Section
from jixiao.segment import section_at, sections_of_kind, segment, table_section


def _flat_table(rows: list[list[str]]) -> str:
    """A table as DOCX-to-text converters flatten it: a cell per TAB line, rows apart."""
    return "\n\n".join("\n".join(f"\t{cell}" for cell in row) for row in rows)


def _doc(*parts: str) -> Document:
    return load_bytes("\n\n".join(parts).encode("utf-8"), name="variant.txt")


def _titled(sections: list[Section], text: str) -> Section:
    return next(s for s in sections if text in s.title)


# ---------------------------------------------------------------------------- 教育局, 第X章
EDUCATION = _doc(
    "第一章 部门概况",
    "一．主要职能",
    "1．贯彻执行国家和省、市有关教育工作的方针、政策和法律、法规；",
    "2．负责全区各级各类学校的管理工作。",
    "二．机构设置",
    "区教育局内设科室8个，下属学校32所。",
    "第二章 2022年度部门决算情况说明",
    "一．收入支出决算总体情况说明",
    "2022年度收、支总计均为15,230.55万元。",
    "二．“三公”经费财政拨款支出决算情况说明",
    "2022年度“三公”经费支出12.30万元。",
    "第三章 名词解释",
    "1．财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    "2．基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "第四章 附件",
    "2022年度江宁区教育局部门整体支出绩效自评报告",
    "一．部门基本情况",
    "区教育局共有在职人员120人。",
    "二．绩效评价结论",
    "自评得分92分。",
    "2022年“学生营养改善计划”项目支出绩效自评报告",
    "一．项目基本情况",
    "项目年初预算800万元。",
    "2022年项目支出绩效自评表",
    _flat_table(
        [
            ["项目名称", "学生营养改善计划"],
            ["主管部门", "江宁区教育局", "实施单位", "江宁区教育局"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "受益学生人数", "≥5000人", "5230人", "20", "20"],
        ]
    ),
)


def test_chapters_of_an_education_bureau_report_take_their_kinds() -> None:
    sections = segment(EDUCATION)
    assert _titled(sections, "第一章").kind == "profile"
    assert _titled(sections, "第二章").kind == "final_accounts"
    assert _titled(sections, "“三公”经费").kind == "final_accounts"
    assert _titled(sections, "第三章").kind == "glossary"
    assert _titled(sections, "部门整体支出绩效自评报告").kind == "overall_evaluation"


def test_full_stop_numbering_nests_under_chapters() -> None:
    sections = segment(EDUCATION)
    chapter = _titled(sections, "第二章")
    child = _titled(sections, "一．收入支出决算总体情况说明")
    assert child.parent == chapter.id


def test_numbered_duties_and_glossary_entries_are_not_headings() -> None:
    sections = segment(EDUCATION)
    assert not any("贯彻执行" in s.title or "财政拨款收入" in s.title for s in sections)


def test_quoted_project_name_is_stripped_of_quotes_year_and_report_words() -> None:
    sections = segment(EDUCATION)
    report = _titled(sections, "学生营养改善计划")
    assert report.kind == "project_evaluation"
    assert report.project == "学生营养改善计划"
    table = table_section(EDUCATION, sections, EDUCATION.tables[0])
    assert table.kind == "self_eval_table"
    assert table.project == "学生营养改善计划"


def test_overall_report_parts_are_not_project_sections() -> None:
    sections = segment(EDUCATION)
    overall = _titled(sections, "部门整体支出绩效自评报告")
    conclusion = _titled(sections, "绩效评价结论")
    assert conclusion.parent == overall.id
    assert conclusion.kind == "overall_evaluation"
    assert conclusion.project is None


# ---------------------------------------------------------------------------- 卫生健康局, PDF
def _para(text: str, page: int) -> RawParagraph:
    return RawParagraph(RawText(text), page=page)


def _table(rows: list[list[str]], page: int) -> RawTable:
    return RawTable([[RawCell(RawText(c)) for c in row] for row in rows], page=page)


HEALTH = build_document(
    [
        _para("某某市卫生健康局", 1),
        _para("2023年度部门整体支出绩效评价报告", 1),
        _para("(一)部门概况", 1),
        _para("本局内设机构12个，编制人数85人。", 1),
        _para("(二)部门整体支出绩效评价指标体系及评分表", 2),
        _table(
            [
                ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"],
                ["投入", "预算编制", "预算编制科学性", "10", "按计划编制得10分", "9"],
            ],
            2,
        ),
        _para("(三)评价结论", 2),
        _para("综合得分91分，评价等级为优。", 2),
        _para("附件2", 3),
        _para("2023年基本公共卫生服务补助资金", 3),
        _para("项目支出绩效自评表", 3),
        _table(
            [
                ["主管部门", "某某市卫生健康局", "实施单位", "市疾控中心"],
                ["年度指标值", "实际完成值", "偏差原因"],
                ["≥90%", "93%", ""],
            ],
            3,
        ),
    ],
    path="health.pdf",
    sha256="0" * 64,
    format="pdf",
    pages=3,
)


def test_pdf_title_lines_with_a_department_line_open_an_overall_report() -> None:
    sections = segment(HEALTH)
    report = sections[0]
    assert report.kind == "overall_evaluation"
    assert report.start == 0  # the department line belongs to the title
    assert report.project is None


def test_half_width_parenthesised_headings_and_a_rubric_with_its_table() -> None:
    sections = segment(HEALTH)
    profile = _titled(sections, "部门概况")
    assert profile.kind == "profile"
    rubric = table_section(HEALTH, sections, HEALTH.tables[0])
    assert rubric.kind == "rubric"
    assert _titled(sections, "评价结论").kind == "overall_evaluation"


def test_title_wrapped_over_two_lines_names_the_project() -> None:
    sections = segment(HEALTH)
    table = table_section(HEALTH, sections, HEALTH.tables[1])
    assert table.kind == "self_eval_table"
    assert table.project == "基本公共卫生服务补助资金"
    assert "附件2" in section_at(sections, table.start - 1).title or table.parent is not None


# ---------------------------------------------------------------------------- target tables
TARGETS = _doc(
    "附件1",
    _flat_table(
        [
            ["2024年项目支出绩效目标申报表"],
            ["项目名称", "农村公路养护工程"],
            ["主管部门", "某县交通运输局"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "养护里程", "≥120公里"],
        ]
    ),
    "附件2",
    "2024年专项资金绩效目标表",
    _flat_table(
        [
            ["支出方向（子项）", "桥梁安全检测", "所属专项", "交通安全专项"],
            ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "检测桥梁数", "15座"],
        ]
    ),
)


def test_target_tables_with_a_title_row_or_a_title_line_take_the_table_project() -> None:
    sections = segment(TARGETS)
    first, second = (table_section(TARGETS, sections, t) for t in TARGETS.tables)
    assert first.kind == second.kind == "target_table"
    assert first.project == "农村公路养护工程"
    assert second.project == "桥梁安全检测"
    assert first.parent is not None and sections[int(first.parent[1:])].title == "附件1"


# ---------------------------------------------------------------------------- untitled table
UNTITLED = _doc(
    "一、部门整体支出绩效目标完成情况",
    "本年度各项目标均已完成。",
    "城市绿化养护经费",
    _flat_table(
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
            ["产出指标", "数量指标", "养护面积", "≥30万平方米", "32万平方米"],
        ]
    ),
)


def test_table_titled_only_by_a_project_line_is_classified_by_its_columns() -> None:
    sections = segment(UNTITLED)
    table = table_section(UNTITLED, sections, UNTITLED.tables[0])
    assert table.kind == "self_eval_table"
    assert table.project == "城市绿化养护经费"
    assert _titled(sections, "一、").kind == "other"


def test_every_kind_found_is_a_contract_kind() -> None:
    from jixiao.models import SECTION_KINDS

    for doc in (EDUCATION, HEALTH, TARGETS, UNTITLED):
        assert {s.kind for s in segment(doc)} <= set(SECTION_KINDS)
        assert sections_of_kind(segment(doc), "no_such_kind") == []
