"""Interval arithmetic on printed precision (verify/intervals.py)."""

import pytest

from jixiao.verify.intervals import Interval, fact_decimals, of_fact
from verify_support import fact


def test_printed_value_stands_for_its_rounding_interval() -> None:
    interval = Interval.printed(416.54, 2)
    assert interval.lo == pytest.approx(416.535)
    assert interval.hi == pytest.approx(416.545)


def test_integer_amount_is_half_a_unit_wide_but_printed_zero_is_exact() -> None:
    assert Interval.printed(16, 0) == Interval(15.5, 16.5)
    assert Interval.printed(0, 0) == Interval(0, 0)
    assert Interval.printed(3.2, None) == Interval(3.2, 3.2)


def test_decimals_are_read_from_the_printed_text_when_the_extractor_left_them_unset() -> None:
    assert fact_decimals(fact("x", 16, "16万元")) == 0
    assert fact_decimals(fact("x", 98.9, "98.90%", unit="%")) == 2
    assert fact_decimals(fact("x", 25.0, "250，000.00元")) == 6
    assert fact_decimals(fact("x", 1.5, "1.5万元", decimals=3)) == 3


def test_fact_interval_uses_the_printed_precision() -> None:
    assert of_fact(fact("x", 4.6, "4.6万元")).hi == pytest.approx(4.65)


def test_sum_and_difference_widen_and_division_brackets_the_quotient() -> None:
    a, b = Interval.printed(74.49, 2), Interval.printed(496.16, 2)
    quotient = a / b * 100
    assert quotient.lo < 74.49 / 496.16 * 100 < quotient.hi
    assert (a - b).radius == pytest.approx(0.01)


def test_division_by_an_interval_holding_zero_is_refused() -> None:
    with pytest.raises(ZeroDivisionError):
        Interval.printed(1.0, 1) / Interval.printed(0.0, 0)


def test_meets_tolerates_float_noise_at_the_boundary() -> None:
    computed = Interval(0.1 + 0.2, 0.4)
    assert Interval(0.0, 0.3).meets(computed)
    assert not Interval(0.0, 0.29).meets(computed)
