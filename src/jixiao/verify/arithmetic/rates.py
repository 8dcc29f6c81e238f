"""Rates a 说明 passage computes from its own two figures (`claims.py`).

"年初预算为1288.75万元，支出决算为1296.09万元，完成年初预算的100.56%" and "执行数为60.13万元，
2024年预算安排25.77万元，比…减少57.14%" state both operands and the rate, so the rate is
recomputed from the printed figures with their printed precision (`intervals.py`):

- a rate no rounding of the operands gives is a `ratio` (completion) or `yoy` (change);
- a rate that is the exact value cut short instead of rounded (100.5695 printed 100.56
  where every reading of the operands rounds to 100.57) is `rate_precision`;
- a rate against a base of 0 (年初预算为0、完成年初预算的100%; 由0增加100%) is
  `zero_budget_rate`: no rate exists;
- the item's own figure restated otherwise in its comparison ("住房公积金（项）”350.35万元 …
  2024年预算安排352.67万元") is one figure told two ways: `table_text` where the
  document's tables print the item's first figure, else `cross_mention`.
The direction words (增加, 大于) are the wording family's (`wording/numbers.py`).
"""

from __future__ import annotations

import math

from jixiao.models import Flag
from jixiao.verify.claims import Amount, Claim
from jixiao.verify.flags import make_flag, short
from jixiao.verify.intervals import Interval, fmt
from jixiao.verify.view import View


def check_claimed_rates(view: View) -> list[Flag]:
    flags: list[Flag] = []
    for claim in view.claims:
        value = _restated(view, claim, flags)
        if claim.rate is None or claim.rate_span is None:
            continue
        if claim.base.value == 0:
            flags.append(_zero_base(view, claim))
            continue
        flags += _rate(view, claim, value)
    return flags


def check_percent_signs(view: View) -> list[Flag]:
    """A rate printed without its % sign ("占本年支出合计的98.79，"): one flag, every place."""
    found = [
        m
        for m in view.vocab.percent_missing.finditer(view.text)
        if "\t" not in view.text[view.text.rfind("\n", 0, m.start()) + 1 : m.start()]
    ]
    if not found:
        return []
    first = found[0]
    count = f"共 {len(found)} 处，" if len(found) > 1 else ""
    return [
        make_flag(
            "rate_precision",
            f"比率缺少百分号（{count}如{view.page_of(first.start())}“{short(first.group(), 30)}”）",
            f"{len(found)} rate(s) printed without their % sign, e.g. '{first.group()}'",
            actual=float(first.group("rate")),
            severity="warning",
            location=[view.at_text(m.start(), m.end()) for m in found[:3]],
        )
    ]


def _interval(amount: Amount) -> Interval:
    return Interval.printed(amount.value, amount.decimals)


def _computed(claim: Claim, value: Amount) -> Interval:
    base, current = _interval(claim.base), _interval(value)
    if claim.rate_kind == "completion":
        return current / base * 100.0
    change = (current - base) / base * 100.0
    return Interval(min(abs(change.lo), abs(change.hi)), max(abs(change.lo), abs(change.hi)))


def _rounds_to(interval: Interval, decimals: int) -> float | None:
    """The one value every point of the interval rounds to, or None."""
    scale = 10**decimals
    lo = math.floor(interval.lo * scale + 0.5)
    hi = math.floor(interval.hi * scale + 0.5)
    return lo / scale if lo == hi else None


def _cut(value: float, decimals: int) -> float:
    """The value cut short (truncated) to `decimals`."""
    scale = 10**decimals
    return math.floor(value * scale + 1e-9) / scale


def _rate(view: View, claim: Claim, value: Amount) -> list[Flag]:
    assert claim.rate is not None and claim.rate_span is not None
    stated = Interval.printed(claim.rate, claim.rate_decimals)
    candidates = [value] + ([claim.head] if claim.head and claim.head is not value else [])
    computed = [_computed(claim, v) for v in candidates]
    if any(abs(c.lo - c.hi) > 50 for c in computed):
        return []  # operands too coarse to say anything
    if any(stated.meets(c) for c in computed):
        return []
    # the rate of the figures as printed, cut short, while every reading of them rounds
    # to one other value: a truncated rate
    exact = _computed(claim, value).mid
    rounded = _rounds_to(computed[0], claim.rate_decimals)
    if rounded is not None and abs(_cut(exact, claim.rate_decimals) - claim.rate) < 1e-9:
        return [_precision(view, claim, rounded)]
    check = "ratio" if claim.rate_kind == "completion" else "yoy"
    how = (
        f"{value.shown} ÷ {claim.base.shown}"
        if claim.rate_kind == "completion"
        else f"({value.shown} − {claim.base.shown}) ÷ {claim.base.shown}"
    )
    start, end = claim.rate_span
    return [
        make_flag(
            check,
            f"{view.page_of(start)}“{short(view.text[claim.base.start - 12 : end], 60)}”中的"
            f"比率 {fmt(claim.rate, claim.rate_decimals)}% 与所列数字不符：{how} = {fmt(exact, 2)}%",
            f"the rate {claim.rate}% does not follow from the passage's own figures: "
            f"{how} = {fmt(exact, 2)}%",
            expected=claim.rate,
            actual=exact,
            location=[view.at_text(start, end), view.at_text(claim.base.start, value.end)],
        )
    ]


def _precision(view: View, claim: Claim, rounded: float) -> Flag:
    assert claim.rate is not None and claim.rate_span is not None
    start, end = claim.rate_span
    shown = fmt(claim.rate, claim.rate_decimals)
    return make_flag(
        "rate_precision",
        f"{view.page_of(start)}“{short(view.text[start:end], 30)}”的 {shown}% 是截断而非四舍五入："
        f"{claim.value.shown} 与 {claim.base.shown} 得出的比率应写作 "
        f"{fmt(rounded, claim.rate_decimals)}%",
        f"the rate {shown}% is cut short: the figures give {fmt(rounded, claim.rate_decimals)}% "
        f"when rounded",
        expected=claim.rate,
        actual=rounded,
        severity="warning",
        location=[view.at_text(start, end)],
    )


def _zero_base(view: View, claim: Claim) -> Flag:
    assert claim.rate is not None and claim.rate_span is not None
    start, end = claim.rate_span
    what = "年初预算" if claim.rate_kind == "completion" else "比较基数"
    return make_flag(
        "zero_budget_rate",
        f"{view.page_of(start)}“{short(view.text[claim.base.start - 12 : end], 60)}”：{what}为 "
        f"{claim.base.shown}，{fmt(claim.rate, claim.rate_decimals)}% 无法计算"
        + ("（年初预算为 0 时应写“完成全年预算的”或说明年中追加）" if what == "年初预算" else ""),
        f"a rate of {claim.rate}% is stated against a base of {claim.base.shown}: none exists",
        actual=claim.rate,
        severity="warning",
        location=[view.at_text(claim.base.start - 12, end)],
    )


def _restated(view: View, claim: Claim, flags: list[Flag]) -> Amount:
    """The value a rate is told against; flags an item's figure restated otherwise."""
    head, value = claim.head, claim.value
    if head is None or head is value or _interval(head).meets(_interval(value)):
        return value
    in_table = any(
        line.amount is not None
        and Interval.printed(line.amount, line.decimals).meets(_interval(head))
        for line in view.function_lines.lines
    )
    clause = value.start
    while clause > 0 and view.text[clause - 1] not in "，,。；;\n":
        clause -= 1
    flags.append(
        make_flag(
            "table_text" if in_table else "cross_mention",
            f"{view.page_of(value.start)}同一科目先写 {head.shown} 万元，比较时又写 "
            f"“{short(view.text[clause : value.end + 2], 30)}”（{value.shown} 万元）"
            + ("，表中为前者" if in_table else "")
            + "，前后不一致",
            f"an item's figure is {head.shown} and then {value.shown} in its own comparison",
            expected=head.value,
            actual=value.value,
            location=[
                view.at_text(clause, value.end + 2),
                view.at_text(head.start, head.end),
            ],
        )
    )
    return value
