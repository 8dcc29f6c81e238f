"""A numbered list of projects counted after it ("上述2个重点项目…") against its total."""

from jixiao.verify import verify_record
from verify_support import record

BUDGET = "武汉市江汉区2025年区级部门预算\n"


def lines_then_total(total: str) -> str:
    return BUDGET + (
        "八、重点项目预算绩效情况说明\n"
        "1.环境执法监管专项工作：2025年预算51.42万元，主要用于环境执法和环境监管。\n"
        "2.河道水环境综合治理：2025年预算122.31万元，主要用于水污染防治和水质监测。\n"
        f"上述2个重点项目均已编报绩效目标，涉及项目预算资金{total}万元。\n"
    )


def checks(text: str):
    return [f for f in verify_record(record([], fiscal_year=2025), text) if f.check != "grounding"]


def test_numbered_projects_adding_to_another_total_fire() -> None:
    (flag,) = checks(lines_then_total("178.73"))
    assert flag.check == "project_list" and flag.severity == "error"
    assert "178.73" in flag.message and "173.73" in flag.message
    assert "涉及项目预算资金178.73万元" in (flag.location[0].quote or "")


def test_numbered_projects_adding_to_their_total_are_silent() -> None:
    assert checks(lines_then_total("173.73")) == []


def test_a_list_of_another_paragraph_is_not_the_counted_one() -> None:
    text = BUDGET + (
        "1.环境执法监管专项工作：2025年预算51.42万元，主要用于环境执法。\n"
        "本部门重点项目均按要求编制了绩效目标。\n"
        "上述2个重点项目均已编报绩效目标，涉及项目预算资金178.73万元。\n"
    )
    assert checks(text) == []
