"""Placeholder figures typed in as real: every figure of a passage 1, headings answered "1"."""

from jixiao.verify import verify_record
from verify_support import record

BUDGET = "上海市静安区2026年区级部门预算\n预算主管部门：上海市静安区体育局\n"


def flags(text: str):
    rec = record([], fiscal_year=2026)
    return [f for f in verify_record(rec, text) if f.check == "unfilled_template"]


def test_a_target_paragraph_of_ones_with_an_amount_of_one_fires() -> None:
    text = BUDGET + (
        "四、绩效目标设置情况\n"
        "本部门1个预算单位开展了2026年项目预算绩效目标编报工作，编报绩效目标的项目1个，"
        "涉及项目预算资金1.00万元。\n"
    )
    (flag,) = flags(text)
    assert flag.severity == "warning"
    assert "3 个数值都是 1" in flag.message and "1.00万元" in flag.message
    assert "涉及项目预算资金1.00万元" in (flag.location[0].quote or "")


def test_real_targets_and_a_real_single_project_are_silent() -> None:
    real = BUDGET + (
        "四、绩效目标设置情况\n"
        "本部门3个预算单位开展了2026年项目预算绩效目标编报工作，编报绩效目标的项目49个，"
        "涉及项目预算资金8825.98万元。\n"
    )
    assert flags(real) == []
    one = BUDGET + "本部门1个预算单位编报绩效目标的项目1个，涉及项目预算资金36.50万元。\n"
    assert flags(one) == []


def test_categories_of_one_under_a_whole_of_one_fire() -> None:
    text = BUDGET + (
        "五、国有资产占有使用情况\n"
        "截至2025年8月31日，本部门共有车辆1辆，其中：主要领导干部用车1辆、机要通信用车1辆、"
        "应急保障用车1辆、其他用车1辆；单价100万元（含）以上设备（不含车辆）1台（套）。\n"
    )
    (flag,) = flags(text)
    assert "合计 4 辆，多于总数 1 辆" in flag.message


def test_one_real_car_and_one_device_are_silent() -> None:
    text = BUDGET + (
        "五、国有资产占有使用情况\n"
        "截至2025年8月31日，本部门共有车辆1辆，其中：其他用车1辆；"
        "单价100万元（含）以上设备（不含车辆）1台（套）。\n"
    )
    assert flags(text) == []
    many = BUDGET + "截至2025年8月31日，本部门共有车辆8辆，其中：执法执勤用车2辆、其他用车6辆。\n"
    assert flags(many) == []


def test_headings_each_answered_by_a_bare_one_fire() -> None:
    parts = ["一、项目概述", "二、立项依据", "三、实施主体", "四、实施方案"]
    text = BUDGET + "项目经费情况说明\n" + "".join(f"{p}\n1\n" for p in parts)
    (flag,) = flags(text)
    assert "4 个标题下都只填了“1”" in flag.message
    assert (flag.location[0].quote or "").startswith("一、项目概述\n1")


def test_answered_headings_and_a_contents_page_are_silent() -> None:
    answered = BUDGET + (
        "一、项目概述\n用于全民健身赛事的组织。\n二、立项依据\n《全民健身条例》。\n"
        "三、实施主体\n区体育局。\n四、实施方案\n1\n"
    )
    assert flags(answered) == []
    contents = BUDGET + "目录\n一、部门主要职能\n1\n二、部门机构设置\n1\n三、名词解释\n1\n"
    assert flags(contents) == []
