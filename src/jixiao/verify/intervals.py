"""Interval arithmetic on printed precision, in the spirit of XBRL Calculations 1.1.

A value printed with d decimals stands for every number that rounds to it:
416.54 is [416.535, 416.545]. Sums and differences add the intervals; quotients use
interval division. A check passes when the stated value's interval meets the interval
computed from the operands, so rounding alone never raises a flag while a real slip,
which lies outside every rounding, always does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.models import Fact

#: float noise allowance: 416.535 computed by addition may land a hair off
_EPS = 1e-9

_NUMBER = re.compile(r"[-−]?\d[\d,，]*(?:\.(\d+))?")


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    @classmethod
    def exact(cls, value: float) -> Interval:
        return cls(value, value)

    @classmethod
    def printed(cls, value: float, decimals: int | None) -> Interval:
        """The interval a printed value stands for; None decimals or a printed 0 is exact."""
        if decimals is None or (value == 0 and decimals <= 0):
            return cls.exact(value)
        half = 0.5 * 10.0 ** (-decimals)
        return cls(value - half, value + half)

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    @property
    def radius(self) -> float:
        return (self.hi - self.lo) / 2

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __mul__(self, other: Interval | float) -> Interval:
        o = other if isinstance(other, Interval) else Interval.exact(other)
        ends = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return Interval(min(ends), max(ends))

    def contains_zero(self) -> bool:
        return self.lo <= 0 <= self.hi

    def __truediv__(self, other: Interval | float) -> Interval:
        """Interval quotient; raises ZeroDivisionError when the divisor may be zero."""
        o = other if isinstance(other, Interval) else Interval.exact(other)
        if o.contains_zero():
            raise ZeroDivisionError("divisor interval contains zero")
        return self * Interval(1 / o.hi, 1 / o.lo)

    def meets(self, other: Interval) -> bool:
        """True when the two intervals share a point (with float noise allowed)."""
        eps = _EPS * max(1.0, abs(self.mid), abs(other.mid))
        return self.lo <= other.hi + eps and other.lo <= self.hi + eps

    def narrower(self, other: Interval) -> bool:
        return self.hi - self.lo < other.hi - other.lo


def total(intervals: list[Interval]) -> Interval:
    result = Interval.exact(0.0)
    for interval in intervals:
        result = result + interval
    return result


def text_decimals(fact: Fact) -> int | None:
    """Decimals of the value as printed in `fact.text`, in the fact's unit.

    Used when an extractor left `Fact.decimals` unset: reading the precision from the
    printed text keeps the checks from firing on rounding. A figure printed in 元 and
    normalised to 万元 gains four decimals (250,000.00元 → 25.000000万元).
    """
    match = _NUMBER.search(fact.text or "")
    if not match:
        return None
    decimals = len(match.group(1) or "")
    tail = fact.text[match.end() :]
    if fact.unit == "万元" and tail.startswith("元"):
        decimals += 4
    elif fact.unit == "万元" and tail.startswith("亿"):
        decimals -= 4
    return decimals


def fact_decimals(fact: Fact) -> int | None:
    return fact.decimals if fact.decimals is not None else text_decimals(fact)


#: units whose printed figures are rounded; anything else (人, 件, 辆, 分) is a count
ROUNDED_UNITS = frozenset({"万元", "元", "亿元", "%"})


def of_fact(fact: Fact) -> Interval:
    """A fact's interval; a count printed without decimals (8人) is exact, not ±0.5."""
    decimals = fact_decimals(fact)
    if fact.unit not in ROUNDED_UNITS and (decimals or 0) <= 0:
        return Interval.exact(fact.value)
    return Interval.printed(fact.value, decimals)


def fmt(value: float, decimals: int | None = None) -> str:
    """A number the way a reviewer reads it: the printed decimals, no float noise."""
    if decimals is not None and decimals >= 0:
        return f"{value:.{min(decimals, 6)}f}"
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
