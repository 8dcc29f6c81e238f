"""Parts that settle which version of a disputed total holds (verify/conflicted_sums.py)."""

from jixiao.verify import verify_record
from verify_support import fact, record

PROJECT = "社区矫正信息化"


def budget(value: float, text: str, *, cell: bool, concept: str = "budget.initial"):
    return fact(concept, value, text, scope=PROJECT, cell=cell)


def sums(facts):
    return [f for f in verify_record(record(facts), "") if f.check == "sum"]


def test_text_total_missed_by_the_tables_parts_is_a_sum_slip() -> None:
    # text 预算数 4.50, table 预算数 10.58 = 财政拨款 10.58 + 其他资金 0
    text_total = budget(4.5, "4.50万元", cell=False)
    facts = [
        text_total,
        budget(10.58, "10.58", cell=True),
        budget(10.58, "10.58", cell=True, concept="budget.fiscal_funds"),
        budget(0, "0", cell=True, concept="budget.other_funds"),
    ]
    (flag,) = sums(facts)
    assert flag.message.startswith(f"【{PROJECT}】")
    assert "4.50（正文）" in flag.message and "10.58（表）" in flag.message
    assert text_total.id in flag.facts
    assert flag.expected == 4.5 and abs(flag.actual - 10.58) < 1e-9


def test_every_disputed_total_of_a_project_is_one_flag() -> None:
    facts = [
        budget(4.5, "4.50万元", cell=False),
        budget(10.58, "10.58", cell=True),
        budget(10.58, "10.58", cell=True, concept="budget.fiscal_funds"),
        budget(0, "0", cell=True, concept="budget.other_funds"),
        budget(4.5, "4.50万元", cell=False, concept="budget.executed"),
        budget(10.58, "10.58", cell=True, concept="budget.executed"),
        budget(10.58, "10.58", cell=True, concept="budget.fiscal_funds.executed"),
        budget(0, "0", cell=True, concept="budget.other_funds.executed"),
    ]
    (flag,) = sums(facts)
    assert "年初预算" in flag.message and "执行数" in flag.message


def test_a_single_part_never_settles_a_disputed_total() -> None:
    # 调整后预算 85 (text) vs 131.65 (table), only 财政拨款 131.65 below it
    facts = [
        budget(85, "85万元", cell=False, concept="budget.adjusted"),
        budget(131.65, "131.65", cell=True, concept="budget.adjusted"),
        budget(131.65, "131.65", cell=True, concept="budget.fiscal_funds.adjusted"),
    ]
    assert sums(facts) == []


def test_parts_agreeing_with_every_version_within_rounding_do_not_fire() -> None:
    facts = [
        budget(12, "12万元", cell=False),
        budget(11.6, "11.6", cell=True),
        budget(11.6, "11.6", cell=True, concept="budget.fiscal_funds"),
        budget(0, "0", cell=True, concept="budget.other_funds"),
    ]
    # 12 stands for [11.5, 12.5] and 11.6 for [11.55, 11.65]: they meet, so no conflict
    assert sums(facts) == []


def test_an_undisputed_total_is_left_to_the_plain_sum_check() -> None:
    facts = [
        budget(10.58, "10.58", cell=True),
        budget(10.58, "10.58", cell=True, concept="budget.fiscal_funds"),
        budget(0, "0", cell=True, concept="budget.other_funds"),
    ]
    assert sums(facts) == []
