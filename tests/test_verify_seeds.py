"""End to end on the in-repo seed copies: the known real slips must be flagged."""

from pathlib import Path

import pytest

from jixiao.extract.registry import get_backend
from jixiao.run.document import process_path

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


@pytest.fixture(scope="module")
def records():
    backend = get_backend("rules")
    return {
        s: process_path(FIXTURES / s / "source.txt", backend).record for s in ("000", "001", "003")
    }


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


def test_seed_003_self_eval_table_copied_from_another_project_is_flagged(records) -> None:
    (flag,) = [f for f in records["003"].flags if f.check == "duplicate_table"]
    rows = {r.id: r.scope for r in records["003"].indicators}
    assert {rows[i] for i in flag.indicators} == {"信访维稳信息费", "信访远程视频服务"}
    assert flag.message.startswith("【信访维稳信息费】")


def test_seed_003_current_figures_labelled_last_year_are_flagged(records) -> None:
    years = [f for f in records["003"].flags if f.check == "year"]
    assert any(f.actual == 2020 and f.expected == 2021 for f in years)


def test_seed_001_general_rubric_group_of_23_points_headed_20_is_flagged(records) -> None:
    groups = [f for f in records["001"].flags if f.check == "score_sum" and f.expected == 20]
    assert groups and all(f.actual == 23 for f in groups)


def test_seed_001_three_public_change_explained_at_its_only_item_is_no_missing_reason(
    records,
) -> None:
    # the 三公 summary's -0.52万元 / -58.43% is explained where 公务接待费 repeats them
    assert [f for f in records["001"].flags if f.check == "missing_reason"] == []


def test_seed_000_sides_of_an_unprinted_grand_total_that_do_not_balance_are_flagged(
    records,
) -> None:
    (flag,) = [f for f in records["000"].flags if f.check == "total"]
    assert abs(flag.expected - 213.59) < 1e-6 and abs(flag.actual - 213.75) < 1e-6


def test_seed_000_executed_against_the_cost_row_fires_for_four_projects_not_the_fifth(
    records,
) -> None:
    rows = {r.id: r.scope for r in records["000"].indicators}
    flagged = {
        rows[i] for f in records["000"].flags if f.check == "cross_mention" for i in f.indicators
    }
    # 驻京驻蓉费用 spends its 5 and reports 5 on its cost row
    assert len(flagged) == 4 and not any("驻京" in s for s in flagged)


def test_seed_003_project_text_total_missed_by_its_table_parts_is_one_sum_flag(records) -> None:
    (flag,) = [f for f in records["003"].flags if f.check == "sum"]
    assert flag.message.startswith("【信访维稳信息费】") and "4.50" in flag.message


def test_seed_002_with_no_slip_raises_no_verifier_flag() -> None:
    record = process_path(FIXTURES / "002" / "source.txt", get_backend("rules")).record
    extraction = {"completeness", "extraction_error", "backend_disagreement"}
    assert [f.message for f in record.flags if f.check not in extraction] == []
