"""Words against figures: a direction a passage states that its own figures contradict.

A 说明 passage states two figures and says how they compare (`claims.py`): "比2023年预算
执行数减少57.14%" (from 60.13 to 25.77), "决算数大于预算数" (164.24 against 158.69), "与
2024年预算持平", or gives the reason in a direction ("主要原因是：…经费增加"). When the
figures go the other way, the wording is the slip: "减少" for a rise, "小于" for a 决算
above its 预算, "持平" for two different figures, "经费增加" for a fall. The figures
are compared with their printed precision, so two figures that round alike are 持平.
"""

from __future__ import annotations

from jixiao.models import Flag
from jixiao.verify.claims import Amount, Claim
from jixiao.verify.flags import make_flag, short
from jixiao.verify.intervals import Interval
from jixiao.verify.view import View


def check_wording_numbers(view: View) -> list[Flag]:
    flags: list[Flag] = []
    for claim in view.claims:
        actual = _direction(claim.base, claim.value)
        for word, span in (
            (claim.direction, claim.direction_span),
            (claim.comparison, claim.comparison_span),
            (claim.reason, claim.reason_span),
        ):
            said = view.vocab.direction_of(word) if word else None
            if said is None or span is None or actual is None or said == actual:
                continue
            flags.append(_flag(view, claim, word or "", span, actual))
            break
    return flags


def _direction(base: Amount, value: Amount) -> str | None:
    """up / down / same for value against base, as far as printed precision tells."""
    a = Interval.printed(base.value, base.decimals)
    b = Interval.printed(value.value, value.decimals)
    if b.lo > a.hi:
        return "up"
    if b.hi < a.lo:
        return "down"
    return "same" if base.value == value.value else None


def _flag(view: View, claim: Claim, word: str, span: tuple[int, int], actual: str) -> Flag:
    start, end = span
    quote = view.text[start:end]
    return make_flag(
        "wording_number",
        f"{view.page_of(start)}“{short(quote, 40)}”说{word}，但本段所列 {claim.value.shown} "
        f"对 {claim.base.shown} 实为{view.vocab.shown(actual)}",
        f"the passage says '{word}' but its figures {claim.value.shown} against "
        f"{claim.base.shown} go {actual}",
        expected=claim.base.value,
        actual=claim.value.value,
        severity="warning",
        location=[view.at_text(start, end), view.at_text(claim.base.start, claim.value.end)],
    )
