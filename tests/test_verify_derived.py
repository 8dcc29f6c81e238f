"""Shares, ratios and year-on-year checks (verify/shares.py, ratios.py, yoy.py)."""

from jixiao.verify import verify_record
from verify_support import fact, record


def flags(rec, check: str | None = None):
    return [
        f for f in verify_record(rec, "") if f.check != "grounding" and check in (None, f.check)
    ]


def pct(concept: str, value: float, text: str, **kw):
    return fact(concept, value, text, unit="%", **kw)


def test_shares_that_round_to_the_stated_percentages_do_not_fire() -> None:
    rec = record(
        [
            fact("fa.expenditure_total", 416.18),
            fact("fa.expenditure.basic", 217.94),
            pct("fa.expenditure.basic.share_pct", 52.37, "52.37%"),
            fact("fa.expenditure.project", 198.24),
            pct("fa.expenditure.project.share_pct", 47.63, "47.63%"),
            fact("fa.revenue_total", 416.54),
            fact("fa.revenue.other", 4.6),
            pct("fa.revenue.other.share_pct", 1.1, "1.10%"),
        ]
    )
    assert flags(rec) == []


def test_a_share_of_the_whole_the_text_names_that_is_off_fires() -> None:
    # 一般公共预算财政拨款支出411.94万元，占本年支出合计的98.79% (411.94 ÷ 416.18 = 98.98%)
    rec = record(
        [
            fact("fa.expenditure_total", 416.18),
            fact("fa.general_budget_expenditure", 411.94),
            pct(
                "fa.general_budget_expenditure.share_pct",
                98.79,
                "98.79%",
                of="fa.expenditure_total",
            ),
        ]
    )
    (flag,) = flags(rec)
    assert flag.check == "share"
    assert "98.79% ≠ 411.94 ÷ 416.18 (= 98.98%)" in flag.message


def test_a_share_of_a_zero_whole_is_not_computed() -> None:
    rec = record(
        [
            fact("fa.three_public.total", 0, "0万元"),
            fact("fa.three_public.overseas", 0, "0万元"),
            pct("fa.three_public.overseas.share_pct", 0, "0%"),
        ]
    )
    assert flags(rec) == []


def test_execution_rate_matches_executed_over_adjusted_budget() -> None:
    scope = "接访工作经费"
    ok = [
        fact("budget.initial", 25.0, "25.00万元", scope=scope),
        fact("budget.adjusted", 21.53, scope=scope),
        fact("budget.executed", 21.53, scope=scope),
        pct("budget.execution_rate", 100.0, "100.00%", scope=scope),
    ]
    assert flags(record(ok)) == []
    ok[3] = pct("budget.execution_rate", 90.0, "90.00%", scope=scope)
    (flag,) = flags(record(ok))
    assert flag.check == "ratio"
    assert flag.message.startswith(
        "【接访工作经费】预算执行率 90.00% ≠ 执行数 21.53 ÷ 调整后预算 21.53"
    )


def test_execution_rate_falls_back_to_the_initial_budget() -> None:
    rec = [
        fact("budget.initial", 25.0, "25.00万元"),
        fact("budget.executed", 21.53),
        pct("budget.execution_rate", 86.12, "86.12%"),
    ]
    assert flags(record(rec)) == []


def test_a_rate_against_a_zero_initial_budget_is_a_warning() -> None:
    rec = [
        fact("budget.initial", 0, "0万元"),
        fact("budget.executed", 3.0, "3.00万元"),
        pct("budget.execution_rate", 100.0, "100%"),
    ]
    (flag,) = flags(record(rec))
    assert (flag.check, flag.severity) == ("zero_budget_rate", "warning")


def test_seed_001_change_slip_fires_once_when_last_year_is_stated() -> None:
    # 支出决算总额416.18万元 … 比2022年支出决算总额491.03万元减少79.09万元，下降15.24%
    rec = record(
        [
            fact("fa.expenditure_total", 416.18),
            fact("fa.expenditure_total", 491.03, year=2022),
            fact("fa.expenditure_total.yoy_change", -79.09, "79.09万元"),
            pct("fa.expenditure_total.yoy_change_pct", -15.24, "15.24%"),
        ]
    )
    (flag,) = flags(rec)
    assert flag.check == "yoy"
    assert flag.expected == -79.09
    assert abs(flag.actual + 74.85) < 1e-9
    assert "416.18 − 491.03" in flag.message


def test_seed_001_change_slip_shows_through_the_percentage_when_last_year_is_not_stated() -> None:
    text = "本年支出合计416.18万元，比上年减少79.09万元，下降15.24%。\n"

    def at(f):
        f.evidence.start = text.index(f.evidence.quote)
        f.evidence.end = f.evidence.start + len(f.evidence.quote)
        return f

    facts = [
        at(fact("fa.expenditure_total", 416.18, quote="416.18万元")),
        at(fact("fa.expenditure_total.yoy_change", -79.09, "79.09万元", quote="减少79.09万元")),
        at(pct("fa.expenditure_total.yoy_change_pct", -15.24, "15.24%", quote="下降15.24%")),
    ]
    found = [f for f in verify_record(record(facts), text) if f.check != "grounding"]
    (flag,) = found
    assert flag.check == "yoy"
    assert flag.expected == -15.24
    # this year's figure from another passage may be another measure of the same name
    far = "本年支出合计416.18万元。\n\n二、另一段：比上年减少79.09万元，下降15.24%。\n"
    text = far
    facts = [at(f) for f in facts]
    assert [f for f in verify_record(record(facts), far) if f.check != "grounding"] == []


def test_consistent_change_and_percentage_do_not_fire() -> None:
    # 收、支总计421.67万元 … 减少74.49万元，下降15.01% (74.49 ÷ 496.16 = 15.013%)
    rec = record(
        [
            fact("fa.total", 421.67),
            fact("fa.total.yoy_change", -74.49, "74.49万元"),
            pct("fa.total.yoy_change_pct", -15.01, "15.01%"),
            # 收入416.54 … 比494.03减少77.49，下降15.68% (15.6853…: within rounding)
            fact("fa.revenue_total", 416.54),
            fact("fa.revenue_total", 494.03, year=2022),
            fact("fa.revenue_total.yoy_change", -77.49, "77.49万元"),
            pct("fa.revenue_total.yoy_change_pct", -15.68, "15.68%"),
        ]
    )
    assert flags(rec) == []


def test_a_wrong_sign_of_change_is_a_slip() -> None:
    rec = record(
        [
            fact("fa.operating_expenditure", 32.81),
            fact("fa.operating_expenditure", 32.11, year=2022),
            fact("fa.operating_expenditure.yoy_change", -0.7, "0.7万元"),
        ]
    )
    assert [f.check for f in flags(rec)] == ["yoy"]
