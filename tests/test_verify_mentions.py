"""Cross-mention, grounding, range and year checks."""

from jixiao.models import Flag
from jixiao.verify import verify_record
from verify_support import fact, grounded_text, record


def checks(flags: list[Flag]) -> list[str]:
    return [f.check for f in flags]


def test_table_and_prose_disagreeing_is_a_table_text_flag() -> None:
    facts = [fact("fa.revenue_total", 416.54, cell=True), fact("fa.revenue_total", 416.45)]
    (flag,) = verify_record(record(facts), grounded_text(facts))
    assert flag.check == "table_text"
    assert "416.45" in flag.message and "416.54" in flag.message


def test_two_prose_mentions_disagreeing_is_a_cross_mention_flag() -> None:
    facts = [fact("fa.revenue_total", 416.54), fact("fa.revenue_total", 416.45)]
    assert checks(verify_record(record(facts), grounded_text(facts))) == ["cross_mention"]


def test_a_quote_at_its_offsets_that_prints_the_value_is_grounded() -> None:
    facts = [fact("fa.revenue_total", 416.54, "416.54万元", quote="本年收入合计416.54万元")]
    assert verify_record(record(facts), grounded_text(facts)) == []


def test_a_quote_missing_from_the_text_is_an_error() -> None:
    facts = [fact("fa.revenue_total", 416.54, quote="本年收入合计416.54万元")]
    (flag,) = verify_record(record(facts), "另一份文件")
    assert (flag.check, flag.severity) == ("grounding", "error")


def test_a_quote_at_the_wrong_offset_is_a_warning() -> None:
    facts = [fact("fa.revenue_total", 416.54, quote="本年收入合计416.54万元")]
    text = grounded_text(facts)
    (flag,) = verify_record(record(facts), "前言\n" + text)
    assert (flag.check, flag.severity) == ("grounding", "warning")


def test_a_value_that_is_not_what_the_quote_prints_is_an_error() -> None:
    wrong_number = [fact("fa.revenue.other", 6.4, "6.4万元", quote="其他收入4.6万元")]
    wrong_value = [fact("fa.revenue.other", 6.4, "4.6万元", quote="其他收入4.6万元")]
    yuan = [fact("budget.initial", 25.0, "250，000.00元", quote="资金总额250，000.00元")]
    assert checks(verify_record(record(wrong_number), grounded_text(wrong_number))) == ["grounding"]
    assert checks(verify_record(record(wrong_value), grounded_text(wrong_value))) == ["grounding"]
    assert verify_record(record(yuan), grounded_text(yuan)) == []


def test_shares_over_100_and_negative_amounts_are_range_errors() -> None:
    facts = [
        fact("fa.revenue.other.share_pct", 101.1, "101.10%", unit="%"),
        fact("fa.revenue.other", -4.6, "-4.6万元"),
        fact("fa.revenue_total.yoy_change", -77.49, "77.49万元"),
    ]
    found = [f for f in verify_record(record(facts), "") if f.check == "range"]
    assert [f.severity for f in found] == ["error", "error"]


def test_a_rate_over_100_is_only_a_warning() -> None:
    facts = [fact("budget.execution_rate", 104.5, "104.5%", unit="%")]
    (flag,) = [f for f in verify_record(record(facts), "") if f.check == "range"]
    assert flag.severity == "warning"


def test_a_figure_of_another_year_is_no_slip_by_itself() -> None:
    # a budget cites last year's 执行数, a 决算 last year's totals: other years are normal
    cited = fact("fa.revenue_total", 494.03, year=2022, quote="2022年收入494.03万元")
    compared = fact("fa.expenditure_total", 491.03, year=2022, quote="比2022年491.03万元减少")
    facts = [cited, compared]
    assert [
        f for f in verify_record(record(facts), grounded_text(facts)) if f.check == "year"
    ] == []


def test_a_year_end_date_of_another_year_is_a_year_warning() -> None:
    text = "截至2022年12月底，单位共有公务用车0辆。截至2023年12月31日，共有车辆0辆。"
    report = record([])
    report.document_kind = "project_self_evaluation"  # a report: its own year's end
    (flag,) = [f for f in verify_record(report, text) if f.check == "year"]
    assert flag.actual == 2022


def test_extractor_flags_are_left_to_the_pipeline_and_resolutions_survive_a_rerun() -> None:
    rec = record([fact("fa.revenue_total", 416.54), fact("fa.revenue_total", 416.45)])
    rec.flags = [Flag(id="g1", check="completeness", message="表 3 少 2 行")]
    text = grounded_text(rec.facts)
    first = verify_record(rec, text)
    assert checks(first) == ["cross_mention"]
    first[0].status = "source_wrong"
    rec.flags = [*rec.flags, *first]
    again = verify_record(rec, text)
    assert [f.status for f in again] == ["source_wrong"]


def test_a_reviewers_correction_is_not_held_against_the_printed_value() -> None:
    corrected = fact("fa.expenditure.project", 198.24, "200.24万元", quote="项目支出200.24万元")
    corrected.origin = "review"
    assert verify_record(record([corrected]), grounded_text([corrected])) == []


def test_a_value_stated_in_both_a_table_and_the_text_says_so() -> None:
    scope = "道路养护"
    facts = [
        fact("budget.adjusted", 20.82, scope=scope),
        fact("budget.adjusted", 20.82, "20.82", scope=scope, cell=True),
        fact("budget.adjusted", 48, "48万元", scope=scope),
    ]
    (flag,) = [f for f in verify_record(record(facts), "") if f.check == "cross_mention"]
    assert "在表 1 第 2 行第 2 列为 20.82（2 处）" in flag.message
    assert "在正文“48万元”为 48，与 20.82 不一致" in flag.message
    assert [loc.fact for loc in flag.location] == [facts[1].id, facts[2].id]
