"""End to end on the in-repo seed copies: the known real slips must be flagged."""

from pathlib import Path

import pytest

from jixiao.pipeline import get_backend, process_path

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


@pytest.fixture(scope="module")
def records():
    backend = get_backend("rules")
    return {s: process_path(FIXTURES / s / "source.txt", backend).record for s in ("000", "001")}


def test_seed_000_expenditure_parts_not_adding_up_to_213_61_is_flagged(records) -> None:
    sums = [f for f in records["000"].flags if f.check == "sum"]
    assert any(f.expected == 213.61 for f in sums)


def test_seed_001_change_of_79_09_is_flagged_against_74_85(records) -> None:
    yoy = [f for f in records["001"].flags if f.check == "yoy"]
    assert any(f.expected == -79.09 and abs(f.actual + 74.85) < 1e-6 for f in yoy)


def test_seed_001_share_98_79_of_expenditure_is_flagged(records) -> None:
    shares = [f for f in records["001"].flags if f.check == "share"]
    assert [f.expected for f in shares] == [98.79]


def test_seed_001_rounded_figures_raise_no_sum_or_share_alarm(records) -> None:
    # 52.37%/47.63%, 98.90%/1.10%, 368.76 vs 368.77 of 类款项, 三公 0.37 with 0 parts
    checks = [f.check for f in records["001"].flags]
    assert checks.count("sum") == 0
    assert checks.count("share") == 1
