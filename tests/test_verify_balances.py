"""Sides of an unprinted 收支总计 must balance (verify/balances.py)."""

import yaml

from jixiao.taxonomy import parse_taxonomy
from jixiao.verify import verify_record
from verify_support import fact, record


def totals(rec, taxonomy=None):
    return [f for f in verify_record(rec, "", taxonomy) if f.check == "total"]


def sides(revenue: float, begin: float, expenditure: float, end: float, **kw) -> list:
    return [
        fact("fa.revenue_total", revenue, **kw),
        fact("fa.carryover_begin", begin, **kw),
        fact("fa.expenditure_total", expenditure, **kw),
        fact("fa.carryover_end", end, **kw),
    ]


def test_sides_that_do_not_balance_without_a_grand_total_fire() -> None:
    # 收入 213.34 + 年初结余 0.25 = 213.59 but 支出 213.61 + 年末结转和结余 0.14 = 213.75
    (flag,) = totals(record(sides(213.34, 0.25, 213.61, 0.14)))
    assert abs(flag.expected - 213.59) < 1e-9 and abs(flag.actual - 213.75) < 1e-9
    assert "213.34 + 0.25 = 213.59" in flag.message and "213.61 + 0.14 = 213.75" in flag.message
    assert "未列收支总计" in flag.message
    assert flag.message_en and "do not balance" in flag.message_en
    assert len(flag.facts) == 4


def test_sides_that_balance_do_not_fire() -> None:
    # another department, another year: 1,024.50 + 12.30 = 1,030.10 + 6.70
    assert totals(record(sides(1024.5, 12.3, 1030.1, 6.7, year=2019), fiscal_year=2019)) == []


def test_sides_off_by_rounding_only_do_not_fire() -> None:
    # printed 1 decimal: 100.1 + 0.1 vs 100.0 + 0.3 differ by 0.1, within ±0.05 × 4
    assert totals(record(sides(100.1, 0.1, 100.0, 0.3))) == []


def test_a_stated_grand_total_leaves_the_check_to_each_side() -> None:
    facts = [*sides(213.34, 0.25, 213.61, 0.14), fact("fa.total", 213.59)]
    (flag,) = totals(record(facts))
    # only the expenditure side against the stated 213.59, not a third balance flag
    assert flag.expected == 213.59 and abs(flag.actual - 213.75) < 1e-9


def test_a_missing_carry_over_leaves_the_sides_unchecked() -> None:
    facts = sides(213.34, 0.25, 213.61, 0.14)[:3]
    assert totals(record(facts)) == []


def test_last_years_sides_are_checked_apart_from_this_years() -> None:
    this_year = sides(300.0, 5.0, 301.0, 4.0, decimals=2)
    last_year = sides(280.0, 6.0, 281.0, 9.0, decimals=2, year=2022)
    (flag,) = totals(record([*this_year, *last_year]))
    assert "（2022年）" in flag.message


def test_any_two_total_relations_sharing_a_total_balance() -> None:
    taxonomy = parse_taxonomy(
        yaml.safe_load(
            """
concepts:
  x.whole: {label: 合计, kind: money}
  x.a: {label: 甲, kind: money}
  x.b: {label: 乙, kind: money}
relations:
  - {id: one_side, check: total, total: x.whole, parts: [x.a]}
  - {id: other_side, check: total, total: x.whole, parts: [x.b]}
"""
        )
    )
    rec = record([fact("x.a", 10.0, decimals=1), fact("x.b", 10.5, decimals=1)])
    (flag,) = totals(rec, taxonomy)
    assert "one_side" in (flag.message_en or "") and "other_side" in (flag.message_en or "")


def test_a_finding_that_names_no_place_leads_with_the_pages_of_its_figures() -> None:
    facts = sides(213.34, 0.25, 213.61, 0.14)
    for f, page in zip(facts, (2, 2, 3, 3), strict=True):
        f.evidence.page = page
    (flag,) = totals(record(facts))
    assert flag.message.startswith("第 2、3 页：收支总计两侧不平")
    # a text file has no pages: its message is the finding alone
    (plain,) = totals(record(sides(213.34, 0.25, 213.61, 0.14)))
    assert plain.message.startswith("收支总计两侧不平")
