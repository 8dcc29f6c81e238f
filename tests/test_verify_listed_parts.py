"""A count against the categories its "其中" list names (共有车辆8辆，其中：…)."""

from jixiao.verify import verify_record
from verify_support import fact, record

BUDGET = "上海市静安区2026年区级部门预算\n"


def checks(text: str, whole: str, value: float):
    held = fact("asset.vehicles", value, whole, unit="辆", year=2025, start=text.index(whole))
    rec = record([held], fiscal_year=2026)
    return [f for f in verify_record(rec, text) if f.check != "grounding"]


def test_categories_adding_up_past_the_vehicles_held_fire() -> None:
    text = BUDGET + (
        "截至2025年8月31日，本部门共有车辆5辆，其中：执法执勤用车3辆、其他用车4辆；"
        "单价100万元（含）以上设备（不含车辆）2台（套）。\n"
    )
    (flag,) = checks(text, "共有车辆5辆", 5)
    assert flag.check == "sum" and (flag.expected, flag.actual) == (5, 7)
    assert "合计 7 辆" in flag.message and "多于总数 5 辆" in flag.message
    assert "其他用车4辆" in (flag.location[1].quote or "")


def test_categories_within_the_whole_are_silent() -> None:
    text = BUDGET + (
        "截至2025年8月31日，本部门共有车辆8辆，其中：部级领导干部用车0辆、执法执勤用车2辆、"
        "其他用车6辆；单价100万元（含）以上设备（不含车辆）12台（套）。\n"
    )
    assert checks(text, "共有车辆8辆", 8) == []
    partial = BUDGET + "本部门共有车辆8辆，其中：执法执勤用车2辆、其他用车3辆。\n"
    assert checks(partial, "共有车辆8辆", 8) == []


def test_placeholder_categories_are_one_template_finding_not_a_sum() -> None:
    text = BUDGET + (
        "截至2025年8月31日，本部门共有车辆1辆，其中：主要领导干部用车1辆、机要通信用车1辆、"
        "应急保障用车1辆、其他用车1辆；单价100万元（含）以上设备（不含车辆）1台（套）。\n"
    )
    assert [f.check for f in checks(text, "共有车辆1辆", 1)] == ["unfilled_template"]
