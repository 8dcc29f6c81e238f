"""Function codes, magnitude and range on wordings of other departments and templates."""

import re

from jixiao.verify import verify_record
from verify_support import fact, record


def checks(text: str) -> list[str]:
    return [f.check for f in verify_record(record([]), text)]


def test_housing_fund_under_health_fires_in_a_seven_digit_table_row_of_any_department() -> None:
    assert checks("2100201\t住房公积金\t35.60\t35.60") == ["function_code"]
    assert checks("2210201\t住房公积金\t35.60\t35.60") == []


def test_a_medical_item_filed_under_social_security_fires() -> None:
    assert checks("社会保障和就业（208）行政事业单位医疗（11）事业单位医疗（02）：9.8万元") == [
        "function_code"
    ]
    assert checks("卫生健康支出（210）行政事业单位医疗（11）事业单位医疗（02）：9.8万元") == []


def test_a_function_code_flag_names_both_classes() -> None:
    (flag,) = verify_record(record([]), "208\t卫生健康支出\t8.52")
    assert "208（社会保障和就业支出）" in flag.message and "210（卫生健康支出）" in flag.message


def test_yuan_written_for_wan_yuan_in_a_part_is_a_magnitude_flag() -> None:
    rec = record(
        [
            fact("fa.three_public.total", 2.2),
            fact("fa.three_public.vehicle", 1.5),
            fact("fa.three_public.reception", 7000, "7000万元"),
        ]
    )
    (flag,) = [f for f in verify_record(rec, "") if f.check in ("sum", "magnitude")]
    assert flag.check == "magnitude"
    assert flag.expected == 0.7 and "10⁴" in flag.message


def test_a_rate_against_a_budget_printed_in_yuan_is_a_magnitude_flag() -> None:
    scope = "保安费用"
    rec = record(
        [
            fact("budget.execution_rate", 95.0, "95%", unit="%", scope=scope),
            fact("budget.executed", 7.6, scope=scope),
            fact("budget.initial", 80000, "80000万元", scope=scope),
        ]
    )
    (flag,) = [f for f in verify_record(rec, "") if f.check in ("ratio", "magnitude")]
    assert flag.check == "magnitude"


def test_a_negative_adjustment_below_the_initial_budget_is_not_a_negative_amount() -> None:
    facts = [fact("budget.initial", 358.03), fact("budget.adjusted", -11.65, "-11.65万元")]
    assert [f for f in verify_record(record(facts), "") if f.check == "range"] == []
    facts = [fact("budget.initial", 8.0), fact("budget.adjusted", -11.65, "-11.65万元")]
    assert [f.check for f in verify_record(record(facts), "") if f.check == "range"] == ["range"]


def test_every_flag_has_a_chinese_and_an_english_message_with_its_figures() -> None:
    rec = record(
        [
            fact("fa.revenue_total", 416.54),
            fact("fa.revenue.general_budget", 411.94),
            fact("fa.revenue.other", 6.4),
            fact("fa.expenditure_total", 416.18, cell=True),
            fact("fa.expenditure_total", 416.81),
        ]
    )
    rec.document_kind = "overall_self_evaluation"  # a report: dated at its own year's end
    flags = verify_record(rec, "208\t卫生健康支出\t8.52\n截至2022年12月底，共有车辆0辆。")
    assert {f.check for f in flags} >= {"sum", "table_text", "function_code", "year"}
    for flag in flags:
        assert re.search(r"[\u4e00-\u9fff]", flag.message), flag
        assert flag.message_en and re.search(r"[A-Za-z]{4,} [A-Za-z]{2,}", flag.message_en)
        if flag.expected is not None:
            shown = f"{flag.expected:g}"
            assert shown in flag.message and shown in flag.message_en, flag


def test_a_negative_budget_adjustment_concept_is_not_a_negative_amount() -> None:
    facts = [fact("budget.adjustment", -11.65, "-11.65万元")]
    assert [f for f in verify_record(record(facts), "") if f.check == "range"] == []
