"""Round-3 rules: templates none of the seeds uses, written as fixtures of their own.

Each fixture in `tests/rules_variants/` is a flattened TXT in the seeds' format (cells one
per line behind a TAB, a blank line between rows) for another department, year and
layout; some are also rebuilt as DOCX or as a `Document` so the rules are shown to read
the layout, not one file format.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from jixiao.document import (
    Document,
    RawCell,
    RawParagraph,
    RawTable,
    RawText,
)
from jixiao.extract import Extraction
from jixiao.extract.rules import RulesBackend
from jixiao.extract.rules.indicator_columns import build_column_map, is_header_continuation
from jixiao.extract.rules.sentence import CLAUSE_END
from jixiao.ingest import load
from jixiao.ingest.build import build_document
from jixiao.ingest.flattened import parse_flattened
from jixiao.models import IndicatorRow
from jixiao.segment import segment

VARIANTS = Path(__file__).resolve().parent / "rules_variants"
SEEDS = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


def _extract(doc: Document) -> Extraction:
    out = RulesBackend().extract(doc, segment(doc))
    for item in [*out.facts, *out.indicators]:
        assert item.evidence is not None
        assert doc.text[item.evidence.start : item.evidence.end] == item.evidence.quote
    return out


def _variant(name: str) -> Extraction:
    return _extract(load(VARIANTS / f"{name}.txt"))


def _facts(out: Extraction, scope: str = "department") -> dict[str, float]:
    found: dict[str, float] = {}
    for fact in out.facts:
        if fact.scope == scope:
            assert found.setdefault(fact.concept, fact.value) == fact.value, fact.concept
    return found


def _row(out: Extraction, level3: str) -> IndicatorRow:
    found = [r for r in out.indicators if r.level3 == level3]
    assert len(found) == 1, level3
    return found[0]


def _rebuilt(blocks: list[RawParagraph | RawTable]) -> Document:
    return build_document(blocks, path="variant.txt", sha256="0", format="txt")


def _without_rows(blocks: list[RawParagraph | RawTable], first_cell: str) -> Document:
    """The same document with the block of rows opened by `first_cell` removed."""
    out: list[RawParagraph | RawTable] = []
    for block in blocks:
        if isinstance(block, RawTable):
            rows, skipping = [], False
            for row in block.rows:
                head = "".join(row[0].text.text.split()) if row else ""  # wrapped cells
                if head:
                    skipping = head == first_cell
                if not skipping:
                    rows.append(row)
            block = RawTable(rows=rows)
        out.append(block)
    return _rebuilt(out)


def _as_docx(blocks: list[RawParagraph | RawTable], path: Path) -> Path:
    """A DOCX of the blocks: a row shorter than its table ends in a merged cell."""
    document = docx.Document()
    for block in blocks:
        if not isinstance(block, RawTable):
            document.add_paragraph(block.text.text)
            continue
        width = max(len(row) for row in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        for i, row in enumerate(block.rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell.text.text
            if len(row) < width:
                merged = table.cell(i, len(row) - 1).merge(table.cell(i, width - 1))
                merged.text = row[-1].text.text
    document.save(str(path))
    return path


MOF_BLOCKS = parse_flattened((VARIANTS / "mof_self_eval.txt").read_text(encoding="utf-8"))
MOF_PROJECT = "基本公共卫生服务补助"


# ---------------------------------------------------------------------------- 项目支出绩效自评表
def _assert_mof(out: Extraction) -> None:
    facts = _facts(out, MOF_PROJECT)
    assert facts["budget.initial"] == 500
    assert facts["budget.adjusted"] == 520  # 全年预算数
    assert facts["budget.executed"] == 507
    assert facts["budget.execution_rate"] == 97.5
    assert facts["budget.fiscal_funds"] == 450  # 其中：当年财政拨款
    assert facts["budget.fiscal_funds.executed"] == 460
    assert facts["budget.other_funds"] == 0
    assert facts["eval.self_score"] == 96.75  # 总分 row, a 偏差原因 cell after 得分
    assert len(out.indicators) == 8
    assert not [f for f in out.flags if f.check == "completeness"]
    elderly = _row(out, "65岁以上老年人健康管理人次")
    assert (elderly.level1, elderly.level2) == ("产出指标", "数量指标")  # filled down
    assert (elderly.operator, elderly.target_value, elderly.unit) == ("≥", 8000, "人次")
    assert (elderly.actual_value, elderly.weight, elderly.score) == (7600, 10, 9)
    assert elderly.achieved is False
    assert elderly.note == "部分老年人外出务工，下年度加强随访"
    assert _row(out, "居民满意度").achieved is True
    project = next(p for p in out.projects if p.name == MOF_PROJECT)
    assert project.managing_department == "某市卫生健康委员会"
    assert project.implementing_unit == "某市疾病预防控制中心"


def test_ministry_self_eval_layout_reads_budget_columns_indicators_and_total() -> None:
    out = _variant("mof_self_eval")
    assert out.fiscal_year == 2022
    _assert_mof(out)


def test_ministry_self_eval_layout_reads_the_same_from_docx(tmp_path: Path) -> None:
    _assert_mof(_extract(load(_as_docx(MOF_BLOCKS, tmp_path / "mof.docx"))))


def test_self_eval_without_overall_target_block_still_reads_every_indicator() -> None:
    _assert_mof(_extract(_without_rows(MOF_BLOCKS, "年度总体目标")))


def test_seed_table_without_overall_target_block_reads_its_indicators() -> None:
    """The known failure: a budget block right above the 年度绩效指标 header swallowed it."""
    blocks = parse_flattened((SEEDS / "000" / "source.txt").read_text(encoding="utf-8"))
    first = next(i for i, b in enumerate(blocks) if isinstance(b, RawTable))
    doc = _without_rows(blocks[: first + 1], "年度总体目标完成情况")
    out = _extract(doc)
    assert [r.level3 for r in out.indicators][:3] == [
        "保障全年保安的经费",
        "确保信访安保工作质量",
        "完成年度",
    ]
    assert not [f for f in out.flags if f.check == "completeness"]


# ---------------------------------------------------------------------------- 部门整体支出绩效目标表
def test_department_target_table_without_work_plan_reads_source_columns() -> None:
    out = _variant("department_target_no_plan")
    assert (out.fiscal_year, out.department.name) == (2023, "某县教育局")
    facts = _facts(out)
    # 金额单位：万元 over 2,860.50: the declared unit wins over the separator
    assert facts["budget.initial"] == 2860.5
    assert facts["budget.fiscal_funds"] == 2700
    assert facts["budget.other_funds"] == 160.5
    assert len(out.indicators) == 8
    assert {r.table for r in out.indicators} == {"target"}
    assert {r.scope for r in out.indicators} == {"department"}
    assert _row(out, "教师培训人次").unit == "人次"
    assert _row(out, "办学条件").operator == "定性"


# ---------------------------------------------------------------------------- 项目绩效目标表
def test_project_target_table_reads_worded_and_full_width_operators_with_units() -> None:
    out = _variant("project_target_operators")
    project = "城乡居民医疗救助"
    got = [(r.level3, r.operator, r.target_value, r.unit) for r in out.indicators]
    assert got == [
        ("医疗救助人次", "≥", 5000, "人次"),
        ("办理救助申请", "≥", 1200, "件"),  # 不低于
        ("救助对象覆盖率", ">", 95, "%"),  # full-width ＞
        ("救助资金发放时限", "≤", 15, "天"),
        ("项目总成本", "≤", 1200, "万元"),  # 不超过
        ("困难群众医疗负担", "定性", None, None),
        ("救助对象满意度", "≥", 90, "%"),
    ]
    assert {r.scope for r in out.indicators} == {project}
    facts = _facts(out, project)
    # 项目资金（万元）| 年度资金总额 | 1,200.00: a group label, then label and value
    assert (facts["budget.initial"], facts["budget.fiscal_funds"]) == (1200, 1150)
    assert facts["budget.other_funds"] == 50


# ---------------------------------------------------------------------------- 部门决算 情况说明
def test_final_accounts_of_another_department_in_yuan_with_separators() -> None:
    out = _variant("health_final_accounts")
    assert (out.fiscal_year, out.department.name) == (2022, "某县卫生健康局")
    facts = _facts(out)
    expected = {
        "fa.total": 5632.145,  # 收入、支出决算总计
        "fa.total.yoy_change": 321,
        "fa.total.yoy_change_pct": 6.04,
        "fa.revenue_total": 5500,
        "fa.revenue.general_budget": 5280,
        "fa.revenue.general_budget.share_pct": 96,
        "fa.revenue.other.share_pct": 4,
        "fa.expenditure.basic.share_pct": 76,
        "fa.fiscal_total.yoy_change": -120,  # 下降
        "fa.fiscal_total.yoy_change_pct": -2.22,
        "fa.general_budget_expenditure.share_pct": 96.88,
        "fa.function.210": 4500,
        "fa.function.208": 430,
        "fa.function.205": 150,
        "fa.function.221": 180,
        "fa.function.212": 20,
        "fa.function.212.share_pct": 0.38,
        "fa.personnel": 3800,
        "fa.three_public.total.yoy_change_pct": -15,
        "fa.three_public.overseas": 0,
        "fa.three_public.vehicle": 6,
        "fa.three_public.reception": 2.5,
        "fa.operating_expenditure.yoy_change": 12,
        "fa.procurement_total": 680,
    }
    assert {k: facts.get(k) for k in expected} == expected
    assert facts["fa.expenditure_total"] == 5450  # the item's 支出决算 is not the total
    assert "budget.initial" not in facts  # the item's 年初预算 is not the department's
    # each 类款项 line: its 年初预算 and its 决算, at the line's scope
    items = {
        (f.concept, f.scope, f.stage): f.value for f in out.facts if f.scope.startswith("item:")
    }
    assert items == {
        ("fa.function.208", "item:2080505", "budget_initial"): 300,
        ("fa.function.208", "item:2080505", "final"): 290,
        ("fa.function.208.completion_pct", "item:2080505", "final"): 96.67,
        ("fa.function.210", "item:2101102", "final"): 110,
        ("fa.function.221", "item:2210201", "final"): 180,
    }


def test_thousands_separators_do_not_end_a_clause() -> None:
    assert not CLAUSE_END.search("52,800,000.00元")
    assert not CLAUSE_END.search("250，000.00")
    assert CLAUSE_END.search("5万元，其中")
    assert CLAUSE_END.search("2,200,000.00元，占4.00%")


# ---------------------------------------------------------------------------- 整体支出绩效自评报告
def test_overall_report_with_part_headings_reads_verdict_and_figures() -> None:
    out = _variant("overall_report_parts")
    assert (out.fiscal_year, out.department.name) == (2023, "某县卫生健康局")
    facts = _facts(out)
    assert facts["budget.initial"] == 1234.56
    assert facts["budget.adjusted"] == 1300
    assert facts["budget.executed"] == 1250
    assert facts["budget.execution_rate"] == 96.15
    assert facts["eval.self_score"] == 92.5
    assert (facts["staff.authorized"], facts["staff.actual"]) == (42, 40)
    assert out.narrative.conclusion is not None and "92.5分" in out.narrative.conclusion
    assert len(out.narrative.problems) == 2
    assert out.narrative.suggestions[0].startswith("一是提高预算编制")


# ---------------------------------------------------------------------------- two-row header
def _assert_two_row(out: Extraction) -> None:
    got = [(r.level3, r.target_text, r.actual_text, r.weight, r.score) for r in out.indicators]
    assert got == [
        ("维修供水工程处数", "≥40处", "42处", 20, 20),
        ("工程验收合格率", "100%", "100%", 20, 20),
        ("维修完成时间", "≤60天", "75天", 10, 8),
        ("受益人口", "≥2万人", "2.3万人", 30, 30),
        ("受益群众满意度", "≥90%", "94%", 20, 20),
    ]
    assert _row(out, "维修完成时间").achieved is False
    assert _row(out, "维修完成时间").note == "雨季延误工期"
    assert _facts(out, "农村饮水安全维修养护")["eval.self_score"] == 98


def test_header_spanning_two_rows_places_sub_columns_under_their_group() -> None:
    _assert_two_row(_variant("two_row_header"))


def test_two_row_header_from_a_document_with_a_spanning_cell() -> None:
    def row(*texts: str, span_at: int | None = None) -> list[RawCell]:
        return [RawCell(RawText(t), colspan=2 if i == span_at else 1) for i, t in enumerate(texts)]

    table = RawTable(
        rows=[
            row(
                "一级指标", "二级指标", "三级指标", "指标值", "分值", "得分", "偏差原因", span_at=3
            ),
            row("", "", "", "年度目标值", "实际完成值", "", "", ""),
            row("产出指标", "数量指标", "维修供水工程处数", "≥40处", "42处", "20", "20", ""),
            row("", "质量指标", "工程验收合格率", "100%", "100%", "20", "20", ""),
            row("", "时效指标", "维修完成时间", "≤60天", "75天", "10", "8", "雨季延误工期"),
            row("效益指标", "社会效益指标", "受益人口", "≥2万人", "2.3万人", "30", "30", ""),
            row(
                "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "94%", "20", "20", ""
            ),
            row("合计", "", "", "", "", "100", "98", ""),
        ]
    )
    title = RawParagraph(RawText("2023年度项目支出绩效自评表（农村饮水安全维修养护）"))
    _assert_two_row(_extract(_rebuilt([title, table])))


def test_group_cell_is_widened_over_the_labelled_run_below_it() -> None:
    upper = ["一级指标", "二级指标", "三级指标", "指标值", "分值", "得分"]
    lower = ["", "", "", "目标值", "完成值", "", ""]
    assert is_header_continuation(lower)
    assert not is_header_continuation(["", "产出指标", "30"])
    cmap = build_column_map([upper, lower], [0, 1], 7)
    assert (cmap.columns["target"], cmap.columns["actual"]) == (3, 4)
    assert (cmap.columns["weight"], cmap.columns["score"]) == (5, 6)


@pytest.mark.parametrize(
    "name", ["mof_self_eval", "department_target_no_plan", "project_target_operators"]
)
def test_variant_tables_leave_no_unread_indicator_rows(name: str) -> None:
    out = _variant(name)
    assert out.indicators
    assert not [f for f in out.flags if f.check == "completeness"]
