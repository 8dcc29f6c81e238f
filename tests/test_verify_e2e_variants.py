"""Round-3 checks end to end on a department the seeds do not hold (rules backend)."""

from pathlib import Path

import pytest

from jixiao.extract.registry import get_backend
from jixiao.models import Record
from jixiao.run.document import process_path

PROJECT = "社区矫正经费"


def table(rows: list[list[str]]) -> str:
    """Flattened DOCX table text: each cell on its own line behind a TAB, rows apart."""
    return "\n\n".join("\n".join(f"\t{cell}" for cell in cells) for cells in rows) + "\n"


def report(*, carryover_end: str, executed: str, cost_actual: str) -> str:
    prose = (
        "2022年绵阳市涪城区司法局整体绩效评价报告\n\n"
        "一、部门财政资金收支情况\n"
        "（一）部门财政资金收入情况。部门财政资金收入512.40万元。\n"
        "（二）部门财政资金支出情况。部门财政资金支出509.10万元。"
        f"年初结余3.20万元，年末结转和结余{carryover_end}万元。\n"
        "二、项目绩效\n\n2022年部门预算项目绩效目标自评\n\n\n"
        f"{PROJECT}\n"
    )
    rows = [
        [""],
        ["主管部门及代码", "绵阳市涪城区司法局", "实施单位", "区司法局"],
        ["项目预算\n执行情况\n（万元）", " 预算数：", "12", " 执行数：", executed],
        ["", "其中：\n财政拨款", "12", "其中：\n财政拨款", executed],
        ["", "其他资金", "0", "其他资金", "0"],
        ["年度总体目标\n完成情况", "预期目标", "目标实际完成情况"],
        ["", "完成社区矫正对象日常管理。", "完成"],
        [
            "年度绩效指标完成情况",
            "一级\n指标",
            "二级\n指标",
            "三级\n指标",
            "预期指标值",
            "实际完成指标值",
        ],
        ["", "完成\n指标", "数量指标", "矫正对象管理", "120人", "118人"],
        ["", "", "成本指标", "区级财政", "12", cost_actual],
        ["", "", "质量指标", "再犯罪率", "≤1%", "0.5%"],
    ]
    return prose + table(rows)


def run(tmp_path: Path, **figures: str) -> Record:
    path = tmp_path / "source.txt"
    path.write_text(report(**figures), encoding="utf-8")
    return process_path(path, get_backend("rules")).record


@pytest.fixture
def slipped(tmp_path: Path) -> Record:
    return run(tmp_path, carryover_end="9.60", executed="12", cost_actual="7.35")


def test_unbalanced_sides_of_another_departments_accounts_fire(slipped: Record) -> None:
    (flag,) = [f for f in slipped.flags if f.check == "total"]
    assert "515.60" in flag.message and "518.70" in flag.message


def test_another_projects_cost_row_against_its_executed_fires(slipped: Record) -> None:
    (flag,) = [f for f in slipped.flags if f.check == "cross_mention"]
    assert flag.message.startswith(f"【{PROJECT}】执行数 12") and "7.35" in flag.message


def test_a_consistent_report_raises_neither(tmp_path: Path) -> None:
    # 512.40 + 3.20 = 509.10 + 6.50; 执行数 7.35 is what the cost row reports
    record = run(tmp_path, carryover_end="6.50", executed="7.35", cost_actual="7.35")
    assert [f.message for f in record.flags if f.check in ("total", "cross_mention")] == []
    # both checks had their figures to work on
    assert {"fa.carryover_end", "budget.executed"} <= {f.concept for f in record.facts}
    assert any(r.level2 == "成本指标" and r.actual_text == "7.35" for r in record.indicators)
