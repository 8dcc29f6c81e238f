"""Checks over the document's figures: sums, balances, shares, rates, changes, scores.

Each check reads the view's reconciled facts (`FactIndex`) and returns flags; the list
below is the family, run in this order.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.models import Flag
from jixiao.verify.arithmetic.balances import check_balances
from jixiao.verify.arithmetic.bounds import check_bounds
from jixiao.verify.arithmetic.conflicted_sums import check_conflicted_sums
from jixiao.verify.arithmetic.cost_rows import check_cost_rows
from jixiao.verify.arithmetic.item_sums import check_item_sums
from jixiao.verify.arithmetic.items import check_item_lines
from jixiao.verify.arithmetic.listed_parts import check_listed_parts
from jixiao.verify.arithmetic.mentions import check_mentions
from jixiao.verify.arithmetic.procurement import check_procurement_statements
from jixiao.verify.arithmetic.projects import check_project_lists
from jixiao.verify.arithmetic.ranges import check_ranges
from jixiao.verify.arithmetic.rates import check_claimed_rates, check_percent_signs
from jixiao.verify.arithmetic.ratios import check_ratios
from jixiao.verify.arithmetic.rubrics import check_rubric_weights
from jixiao.verify.arithmetic.scores import check_scores
from jixiao.verify.arithmetic.shares import check_shares
from jixiao.verify.arithmetic.sums import check_sums
from jixiao.verify.arithmetic.unit_rates import check_unit_rates
from jixiao.verify.arithmetic.yoy import check_yoy
from jixiao.verify.view import View

CHECKS: tuple[Callable[[View], list[Flag]], ...] = (
    check_claimed_rates,
    check_percent_signs,
    check_item_lines,
    check_mentions,
    check_sums,
    check_item_sums,
    check_listed_parts,
    check_balances,
    check_conflicted_sums,
    check_shares,
    check_ratios,
    check_yoy,
    check_bounds,
    check_project_lists,
    check_procurement_statements,
    lambda view: check_scores(view.index),
    lambda view: check_rubric_weights(view.record),
    lambda view: check_unit_rates(view.index),
    lambda view: check_cost_rows(view.index),
    lambda view: check_ranges(view.index),
)
