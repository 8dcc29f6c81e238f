"""Number parsing shared by the prose and table readers: units, operators, decimals."""

from __future__ import annotations

import pytest

from jixiao.extract.rules.numbers import find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "unit", "decimals"),
    [
        ("416.54万元", 416.54, "万元", 2),
        ("250,000.00元", 25.0, "万元", 6),
        ("２５０，０００．００元", 25.0, "万元", 6),
        ("1.2亿元", 12000.0, "万元", -3),
        ("98.90%", 98.9, "%", 2),
        ("９８．９０％", 98.9, "%", 2),
        ("30人次", 30.0, "人次", 0),
        ("3批次", 3.0, "批次", 0),
        ("0辆", 0.0, "辆", 0),
        ("5人", 5.0, "人", 0),
        ("1.5万人次", 15000.0, "人次", -3),
    ],
)
def test_amounts_are_normalised_with_their_printed_precision(text, value, unit, decimals):
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.unit, q.decimals) == (unit, decimals)
    assert q.printed == text


@pytest.mark.parametrize(
    ("text", "operator", "value"),
    [
        ("≥95%", "≥", 95.0),
        ("≤38.598万元", "≤", 38.598),
        ("＞90％", ">", 90.0),
        ("不低于95%", "≥", 95.0),
        ("不少于3次", "≥", 3.0),
        ("不超过10万元", "≤", 10.0),
        ("大于等于80%", "≥", 80.0),
        ("95%以上", "≥", 95.0),
        ("目标值为不低于90%", "≥", 90.0),
    ],
)
def test_operators_in_symbols_and_words_become_one_symbol(text, operator, value):
    q = parse_quantity(text)
    assert q is not None
    assert (q.operator, q.value) == (operator, value)


def test_a_plain_number_has_no_unit_and_no_operator():
    q = parse_quantity("100")
    assert q is not None
    assert (q.value, q.unit, q.operator) == (100.0, "", None)


def test_text_without_a_number_parses_to_none():
    assert parse_quantity("无") is None


def test_find_quantities_reports_offsets_into_the_text():
    text = "收入合计416.54万元，占98.90%"
    found = find_quantities(text, offset=100)
    assert [(q.value, q.unit) for q in found] == [(416.54, "万元"), (98.9, "%")]
    assert text[found[0].start - 100 : found[0].end - 100] == "416.54万元"


def test_years_come_back_marked_as_years():
    found = find_quantities("2023年度收支总计421.67万元")
    assert [q.unit for q in found] == ["年", "万元"]


def test_a_range_is_two_positive_numbers():
    found = find_quantities("2021-2023年")
    assert [q.value for q in found] == [2021.0, 2023.0]
